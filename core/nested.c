/* nested.c -- the nested 4-product form of a degree-16 g (the form: nested.h).
 *
 * Unlike Sastre's form, whose product part is matched to a fitted g by
 * solving equations, the nested form cannot reach a generic degree-16 g, so
 * its 17 coefficients are fitted directly to the step's minimax problem,
 *
 *     min over v of max over y in [a, b] of |y^(1/n) N_v(u(y^2)) - 1|,
 *
 * on a Chebyshev grid, in double: from each start, Levenberg-Marquardt least
 * squares towards the step's unconstrained g (a smooth problem that lands
 * near it), then Lawson's iteratively reweighted least squares, whose
 * weights grow where the error is largest and so move the least-squares fit
 * towards the minimax one.  The problem is non-convex and most starts end
 * in poorer local minima, hence many starts; the best grid maximum wins.
 * Everything is double arithmetic in a fixed order (the starts come from
 * splitmix64 and the grid from MPFR), so the output is reproducible.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "spow_gen.h"
#include "nested.h"
#include "dense.h"
#include "random.h"

#define NV             SPOW_NESTED_NFORM
#define FIT_POINTS     513      /* grid of the searches */
#define POLISH_POINTS  4097     /* grid of the final Lawson rounds and the judging */
#define STARTS         16       /* per shift and sign */
#define LSQ_ITER       200
#define LAWSON_ROUNDS  30
#define LAWSON_ITER    40
#define POLISH_ROUNDS  80

/* w = u - shift, u spanning [-1, 1]: the shift places the triple zero of y0
 * (at the end points or in the middle), and which fits best varies from
 * step to step. */
static const double shifts[] = { -1.0, 0.0, 1.0 };
#define NSHIFTS ((int)(sizeof shifts / sizeof shifts[0]))

enum { A1, A2, B1, B2, C2, E, D0, D1, D2, F0, F1, F2, H0, H1, L0, L1, L2 };

int spow_form_scheme(int scheme, int degree)
{
    if (scheme == SPOW_SCHEME_NESTED && degree == SPOW_NESTED_DEGREE)
        return SPOW_SCHEME_NESTED;
    if (scheme != SPOW_SCHEME_PS && spow_sastre_k(degree) > 0)
        return SPOW_SCHEME_SASTRE;
    return SPOW_SCHEME_PS;
}

int spow_form_nform(int scheme, int form_k)
{
    if (scheme == SPOW_SCHEME_SASTRE)
        return spow_sastre_nform(form_k);
    return scheme == SPOW_SCHEME_NESTED ? NV : 0;
}

/* ---- the form in MPFR ----------------------------------------------------- */

void spow_nested_poly_w(mpfr_t *g, int sign, mpfr_t *const v, mpfr_prec_t prec)
{
    mpfr_t *y0 = spow_vec_init(5, prec), *p = spow_vec_init(5, prec), *q = spow_vec_init(5, prec);
    mpfr_t *y1 = spow_vec_init(9, prec), *r = spow_vec_init(9, prec), *s = spow_vec_init(9, prec);

    mpfr_set(y0[3], v[A1], MPFR_RNDN);
    mpfr_set(y0[4], v[A2], MPFR_RNDN);
    for (int i = 0; i <= 4; i++) {
        mpfr_set(p[i], y0[i], MPFR_RNDN);
        mpfr_set(q[i], y0[i], MPFR_RNDN);
    }
    mpfr_add(p[1], p[1], v[B1], MPFR_RNDN);
    mpfr_add(p[2], p[2], v[B2], MPFR_RNDN);
    mpfr_add(q[2], q[2], v[C2], MPFR_RNDN);
    spow_poly_mul(y1, p, 4, q, 4);
    for (int i = 0; i <= 4; i++)
        mpfr_fma(y1[i], v[E], y0[i], y1[i], MPFR_RNDN);

    for (int i = 0; i <= 8; i++) {
        mpfr_set(r[i], y1[i], MPFR_RNDN);
        mpfr_mul_si(s[i], y1[i], sign, MPFR_RNDN);
        if (i <= 4) {
            mpfr_fma(r[i], v[D0], y0[i], r[i], MPFR_RNDN);
            mpfr_fma(s[i], v[F0], y0[i], s[i], MPFR_RNDN);
        }
    }
    mpfr_add(r[1], r[1], v[D1], MPFR_RNDN);
    mpfr_add(r[2], r[2], v[D2], MPFR_RNDN);
    mpfr_add(s[1], s[1], v[F1], MPFR_RNDN);
    mpfr_add(s[2], s[2], v[F2], MPFR_RNDN);
    spow_poly_mul(g, r, 8, s, 8);
    for (int i = 0; i <= 8; i++) {
        mpfr_fma(g[i], v[H1], y1[i], g[i], MPFR_RNDN);
        if (i <= 4)
            mpfr_fma(g[i], v[H0], y0[i], g[i], MPFR_RNDN);
    }
    mpfr_add(g[0], g[0], v[L0], MPFR_RNDN);
    mpfr_add(g[1], g[1], v[L1], MPFR_RNDN);
    mpfr_add(g[2], g[2], v[L2], MPFR_RNDN);

    spow_vec_clear(s, 9);
    spow_vec_clear(r, 9);
    spow_vec_clear(y1, 9);
    spow_vec_clear(q, 5);
    spow_vec_clear(p, 5);
    spow_vec_clear(y0, 5);
}

void spow_form_blocks(spow_step_mp *st, mpfr_prec_t prec)
{
    const int d = st->degree;
    mpfr_t *gw = spow_vec_init(d + 1, prec);
    mpfr_t *gu = spow_vec_init(d + 1, prec);
    mpfr_t one, off;
    mpfr_inits2(prec, one, off, (mpfr_ptr)0);
    if (st->scheme == SPOW_SCHEME_NESTED)
        spow_nested_poly_w(gw, st->form_sign, st->form, prec);
    else
        spow_sastre_poly_w(gw, st->form_k, st->form_sign, st->form, prec);
    mpfr_set_ui(one, 1, MPFR_RNDN);
    mpfr_set_d(off, -st->form_shift, MPFR_RNDN);
    spow_poly_compose_linear(gu, gw, d, one, off, prec);    /* w = u - shift */
    spow_poly_mono_to_cheb(gw, gu, d, prec);
    spow_step_set_cheb(st, gw, prec);
    mpfr_clears(one, off, (mpfr_ptr)0);
    spow_vec_clear(gu, d + 1);
    spow_vec_clear(gw, d + 1);
}

/* ---- the form in double, with its gradient -------------------------------- */

/* N_v(w); with grad != NULL also dN/dv (chain rule through y1 and y0). */
static double nested_eval(const double *v, int sign, double w, double *grad)
{
    const double w2 = w * w;
    const double y0 = w2 * (v[A1] * w + v[A2] * w2);
    const double p = y0 + v[B1] * w + v[B2] * w2, q = y0 + v[C2] * w2;
    const double y1 = p * q + v[E] * y0;
    const double r = y1 + v[D0] * y0 + v[D1] * w + v[D2] * w2;
    const double s = sign * y1 + v[F0] * y0 + v[F1] * w + v[F2] * w2;
    if (grad) {
        const double dy1 = s + sign * r + v[H1];                    /* dN/dy1 */
        const double dy0 = v[D0] * s + v[F0] * r + v[H0] + dy1 * (p + q + v[E]);
        grad[A1] = dy0 * w2 * w;
        grad[A2] = dy0 * w2 * w2;
        grad[B1] = dy1 * w * q;
        grad[B2] = dy1 * w2 * q;
        grad[C2] = dy1 * w2 * p;
        grad[E] = dy1 * y0;
        grad[D0] = y0 * s;
        grad[D1] = w * s;
        grad[D2] = w2 * s;
        grad[F0] = y0 * r;
        grad[F1] = w * r;
        grad[F2] = w2 * r;
        grad[H0] = y0;
        grad[H1] = y1;
        grad[L0] = 1.0;
        grad[L1] = w;
        grad[L2] = w2;
    }
    return r * s + v[H0] * y0 + v[H1] * y1 + v[L0] + v[L1] * w + v[L2] * w2;
}

double spow_nested_eval_d(const double *v, int sign, double w)
{
    return nested_eval(v, sign, w, NULL);
}

/* ---- the fit -------------------------------------------------------------- */

/* The step's problem on a grid: w_i of the form, the weight y_i^(1/n), g's
 * value there (the least-squares target) and Lawson's weights. */
typedef struct grid {
    int n, sign;
    double *u, *w, *wgt, *g, *lw;     /* w = u - the shift being fitted */
    int towards_g;      /* residual wgt (N - g) instead of wgt N - 1 */
} grid;

static int grid_init(grid *G, int npts, const spow_step_mp *st, const mpfr_t a, const mpfr_t b,
                     long n, mpfr_prec_t prec)
{
    G->n = npts;
    G->u = malloc(5 * (size_t)npts * sizeof *G->u);    /* u, wgt, g: the inputs */
    if (G->u == NULL)
        return -1;
    G->wgt = G->u + npts;
    G->g = G->wgt + npts;
    G->w = G->g + npts;
    G->lw = G->w + npts;
    mpfr_t y, t, x, mid, half;
    mpfr_inits2(prec, y, t, x, mid, half, (mpfr_ptr)0);
    mpfr_add(mid, a, b, MPFR_RNDN);
    mpfr_div_2ui(mid, mid, 1, MPFR_RNDN);
    mpfr_sub(half, b, a, MPFR_RNDN);
    mpfr_div_2ui(half, half, 1, MPFR_RNDN);
    for (int i = 0; i < npts; i++) {
        /* y_i = mid - half cos(pi i / (npts - 1)): Chebyshev extrema, a to b */
        mpfr_const_pi(x, MPFR_RNDN);
        mpfr_mul_ui(x, x, (unsigned long)i, MPFR_RNDN);
        mpfr_div_ui(x, x, (unsigned long)(npts - 1), MPFR_RNDN);
        mpfr_cos(x, x, MPFR_RNDN);
        mpfr_mul(x, x, half, MPFR_RNDN);
        mpfr_sub(y, mid, x, MPFR_RNDN);
        mpfr_sqr(t, y, MPFR_RNDN);
        spow_step_eval_g(x, st, t);
        G->g[i] = mpfr_get_d(x, MPFR_RNDN);
        mpfr_fma(x, st->alpha, t, st->beta, MPFR_RNDN);
        G->u[i] = mpfr_get_d(x, MPFR_RNDN);
        mpfr_rootn_ui(x, y, (unsigned long)n, MPFR_RNDN);
        G->wgt[i] = mpfr_get_d(x, MPFR_RNDN);
        G->lw[i] = 1.0;
    }
    mpfr_clears(y, t, x, mid, half, (mpfr_ptr)0);
    return 0;
}

static void grid_clear(grid *G)
{
    free(G->u);
}

static void grid_shift(grid *G, double shift, int sign)
{
    for (int i = 0; i < G->n; i++)
        G->w[i] = G->u[i] - shift;
    G->sign = sign;
}

/* Residual at point i (and its gradient, scaled like it). */
static double residual(const grid *G, const double *v, int i, double *grad)
{
    const double sc = sqrt(G->lw[i]) * G->wgt[i];
    const double N = nested_eval(v, G->sign, G->w[i], grad);
    if (grad)
        for (int j = 0; j < NV; j++)
            grad[j] *= sc;
    return sc * (N - (G->towards_g ? G->g[i] : 1.0 / G->wgt[i]));
}

static double sum_sq(const grid *G, const double *v)
{
    double s = 0.0;
    for (int i = 0; i < G->n; i++) {
        const double r = residual(G, v, i, NULL);
        s += r * r;
    }
    return s;
}

/* Levenberg-Marquardt (Marquardt's diagonal scaling) on the grid's residuals,
 * at most iter accepted steps. */
static void least_squares(double *v, const grid *G, int iter)
{
    double JtJ[NV * NV], Jtr[NV], A[NV * NV], rhs[NV], step[NV], trial[NV], gr[NV];
    double lam = 1e-3, f = sum_sq(G, v);
    for (int it = 0; it < iter; it++) {
        memset(JtJ, 0, sizeof JtJ);
        memset(Jtr, 0, sizeof Jtr);
        for (int i = 0; i < G->n; i++) {
            const double r = residual(G, v, i, gr);
            for (int j = 0; j < NV; j++) {
                Jtr[j] += gr[j] * r;
                for (int l = 0; l <= j; l++)
                    JtJ[j * NV + l] += gr[j] * gr[l];
            }
        }
        for (int j = 0; j < NV; j++)
            for (int l = j + 1; l < NV; l++)
                JtJ[j * NV + l] = JtJ[l * NV + j];
        for (;;) {
            memcpy(A, JtJ, sizeof A);
            for (int j = 0; j < NV; j++) {
                A[j * NV + j] += lam * JtJ[j * NV + j] + 1e-30;
                rhs[j] = -Jtr[j];
            }
            int ok = spow_solve_linear_d(step, A, rhs, NV) == 0;
            if (ok) {
                for (int j = 0; j < NV; j++)
                    trial[j] = v[j] + step[j];
                const double ft = sum_sq(G, trial);
                if (ft < f) {
                    memcpy(v, trial, sizeof trial);
                    f = ft;
                    lam = lam / 3 > 1e-12 ? lam / 3 : 1e-12;
                    break;
                }
            }
            if ((lam *= 10) > 1e12)
                return;
        }
    }
}

/* max |wgt N - 1| on the grid */
static double grid_max(const grid *G, const double *v)
{
    double m = 0.0;
    for (int i = 0; i < G->n; i++) {
        const double e = fabs(G->wgt[i] * nested_eval(v, G->sign, G->w[i], NULL) - 1.0);
        m = e > m || isnan(e) ? e : m;
    }
    return m;
}

/* Lawson's reweighting: each round solves the weighted least-squares problem
 * and multiplies every weight by its point's error, so the weight gathers on
 * the extrema of the minimax error. */
static void lawson(double *v, grid *G, int rounds)
{
    G->towards_g = 0;
    for (int i = 0; i < G->n; i++)
        G->lw[i] = 1.0;
    for (int k = 0; k < rounds; k++) {
        least_squares(v, G, LAWSON_ITER);
        double sum = 0.0;
        for (int i = 0; i < G->n; i++) {
            G->lw[i] *= fabs(G->wgt[i] * nested_eval(v, G->sign, G->w[i], NULL) - 1.0);
            sum += G->lw[i];
        }
        if (!(sum > 0.0))
            break;
        for (int i = 0; i < G->n; i++) {
            G->lw[i] = G->lw[i] / sum * G->n;
            if (!(G->lw[i] >= 1e-12))
                G->lw[i] = 1e-12;
        }
    }
}

/* A start with unit spread: the sum of four uniforms, scaled to variance 1
 * (no libm, so every machine draws the same). */
static double start_value(uint64_t *rng)
{
    double s = 0.0;
    for (int i = 0; i < 4; i++)
        s += spow_uniform_pm1(rng);
    return s * 0.8660254037844386;
}

/* The fit is a function of the grids' doubles alone, and the precision
 * escalation (fit.c) refits every step at a higher precision, where the
 * grids round to the same doubles: the last MEMO results are kept under a
 * hash of them (FNV-1a over their bytes) and reused when one matches.  Not
 * thread-safe: the generator fits one recurrence at a time. */
#define MEMO 8
static struct {
    int valid, sign;
    uint64_t key;
    double v[NV], shift;
} memo[MEMO];
static int memo_next;

static uint64_t grid_hash(const grid *G, uint64_t h)
{
    const unsigned char *p = (const unsigned char *)G->u;
    const size_t len = 3 * (size_t)G->n * sizeof *G->u;     /* u, wgt, g */
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

int spow_nested_set(spow_step_mp *st, const mpfr_t a, const mpfr_t b, long n, mpfr_prec_t prec)
{
    if (st->degree != SPOW_NESTED_DEGREE)
        return SPOW_GEN_EARG;
    spow_step_round_map(st, prec);
    spow_step_drop_form(st);

    grid G = { 0 }, P = { 0 };
    if (grid_init(&G, FIT_POINTS, st, a, b, n, prec) != 0 ||
        grid_init(&P, POLISH_POINTS, st, a, b, n, prec) != 0) {
        grid_clear(&G);
        grid_clear(&P);
        return SPOW_GEN_ENOMEM;
    }
    double v[NV], best[NV], best_err = INFINITY, best_shift = 0.0;
    int best_sign = 1;
    uint64_t rng = 0x4e573ed16ULL;
    const uint64_t key = grid_hash(&G, grid_hash(&P, 0xcbf29ce484222325ULL));
    for (int m = 0; m < MEMO; m++)
        if (memo[m].valid && memo[m].key == key) {
            memcpy(best, memo[m].v, sizeof best);
            best_sign = memo[m].sign;
            best_shift = memo[m].shift;
            goto done;
        }
    for (int k = 0; k < NSHIFTS; k++) {
        const double shift = shifts[k];
        for (int sign = 1; sign >= -1; sign -= 2) {
            grid_shift(&G, shift, sign);
            grid_shift(&P, shift, sign);
            for (int s = 0; s < STARTS; s++) {
                for (int j = 0; j < NV; j++)
                    v[j] = start_value(&rng);
                G.towards_g = 1;
                for (int i = 0; i < G.n; i++)
                    G.lw[i] = 1.0;
                least_squares(v, &G, LSQ_ITER);
                lawson(v, &G, LAWSON_ROUNDS);
                const double err = grid_max(&P, v);
                if (err < best_err) {
                    best_err = err;
                    best_sign = sign;
                    best_shift = shift;
                    memcpy(best, v, sizeof best);
                }
            }
        }
    }
    /* the winner's minimax, refined on the dense grid */
    grid_shift(&P, best_shift, best_sign);
    memcpy(v, best, sizeof v);
    lawson(v, &P, POLISH_ROUNDS);
    if (grid_max(&P, v) < best_err)
        memcpy(best, v, sizeof best);
    memo[memo_next].valid = 1;
    memo[memo_next].key = key;
    memcpy(memo[memo_next].v, best, sizeof best);
    memo[memo_next].sign = best_sign;
    memo[memo_next].shift = best_shift;
    memo_next = (memo_next + 1) % MEMO;
done:
    grid_clear(&P);
    grid_clear(&G);

    st->form = spow_vec_init(NV, prec);
    for (int j = 0; j < NV; j++)
        mpfr_set_d(st->form[j], best[j], MPFR_RNDN);
    st->form_k = 0;
    st->form_sign = best_sign;
    st->form_shift = best_shift;
    st->scheme = SPOW_SCHEME_NESTED;
    spow_form_blocks(st, prec);
    return 0;
}
