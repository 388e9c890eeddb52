/* sastre.c -- Sastre's product form of a fitted g (the form: sastre.h).
 *
 * The form's coefficients of w^(k+1) .. w^(4k) must equal g's: 3k equations
 * in the 3k unknowns v = (a_1..a_k, b_1..b_k, c_2..c_k, e).  They are solved
 * in double by damped Newton (Levenberg-Marquardt) from pseudo-random starts
 * at every shift, and the real solution with the smallest largest coefficient
 * wins (the one that float arithmetic likes best).  Nothing here needs to be
 * exact: the solution is rounded to double, the free terms l absorb what it
 * leaves of the low coefficients, and the step then holds the polynomial
 * these doubles define exactly, which is what gets certified.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "spow_gen.h"
#include "sastre.h"
#include "random.h"
#include "dense.h"
#include "nested.h"

#define SASTRE_MAX_K   4
#define MAX_UNKNOWNS   (3 * SASTRE_MAX_K)
#define MAX_FACTOR     (2 * SASTRE_MAX_K + 1)      /* coefficients of y0, f1, f2 */
#define NSHIFTS        17                          /* -2, -1.75, ..., 2 */
#define STARTS         12                          /* per shift */
#define MAX_ITER       120
#define SOLVED         1e-12                       /* residual / scale */

int spow_sastre_k(int degree)
{
    return degree == 8 || degree == 12 || degree == 16 ? degree / 4 : 0;
}

int spow_sastre_products(int degree)
{
    return spow_sastre_k(degree) + 1;
}

int spow_sastre_nform(int k)
{
    return 4 * k + 1;
}

/* ---- the equations in double ---------------------------------------------- */

typedef struct equations {
    int k, sign, n;                 /* n = 3k unknowns and equations */
    double target[4 * SASTRE_MAX_K + 1];
    double scale;                   /* max |target| over w^(k+1) .. w^(4k) */
} equations;

/* y0, f1 and f2 of the form (coefficients of w^0 .. w^2k) for unknowns v. */
static void factors(double *y0, double *f1, double *f2, const equations *q, const double *v)
{
    const int k = q->k;
    for (int i = 0; i <= 2 * k; i++)
        y0[i] = f1[i] = f2[i] = 0.0;
    for (int j = 1; j <= k; j++) {
        y0[k + j] = v[j - 1];
        f1[j] = v[k + j - 1];
        if (j >= 2)
            f2[j] = v[2 * k + j - 2];
        f1[k + j] = y0[k + j];
        f2[k + j] = q->sign * y0[k + j];
    }
}

/* Residual r (coefficients of w^(k+1) .. w^(4k) of f1 f2 + e y0 minus g's)
 * and Jacobian J (row-major, n x n), both divided by q->scale.  The form is
 * bilinear in (f1, f2), so each column is one polynomial product:
 * d/da_j = w^(k+j) (f2 + sign f1 + e), d/db_j = w^j f2, d/dc_j = w^j f1,
 * d/de = y0. */
static void residual(double *r, double *J, const equations *q, const double *v)
{
    const int k = q->k, n = q->n;
    const double e = v[n - 1];
    double y0[MAX_FACTOR], f1[MAX_FACTOR], f2[MAX_FACTOR], h[MAX_FACTOR];
    factors(y0, f1, f2, q, v);
    for (int i = 0; i <= 2 * k; i++)
        h[i] = f2[i] + q->sign * f1[i];
    h[0] += e;
    for (int row = 0; row < n; row++) {
        const int i = k + 1 + row;          /* the power of w this equation matches */
        double s = (i <= 2 * k ? e * y0[i] : 0.0) - q->target[i];
        for (int l = 0; l <= 2 * k; l++)
            if (i - l >= 0 && i - l <= 2 * k)
                s += f1[l] * f2[i - l];
        r[row] = s / q->scale;
        for (int j = 1; j <= k; j++) {
            const int ia = i - k - j;
            J[row * n + j - 1] = (ia >= 0 && ia <= 2 * k ? h[ia] : 0.0) / q->scale;
            J[row * n + k + j - 1] = (i - j <= 2 * k ? f2[i - j] : 0.0) / q->scale;
            if (j >= 2)
                J[row * n + 2 * k + j - 2] = (i - j <= 2 * k ? f1[i - j] : 0.0) / q->scale;
        }
        J[row * n + n - 1] = (i <= 2 * k ? y0[i] : 0.0) / q->scale;
    }
}

static double norm2(const double *x, int n)
{
    double s = 0.0;
    for (int i = 0; i < n; i++)
        s += x[i] * x[i];
    return sqrt(s);
}

/* Levenberg-Marquardt from v; 1 when it ends on a root. */
static int newton_lm(double *v, const equations *q)
{
    const int n = q->n;
    double r[MAX_UNKNOWNS], J[MAX_UNKNOWNS * MAX_UNKNOWNS];
    double rw[MAX_UNKNOWNS], Jw[MAX_UNKNOWNS * MAX_UNKNOWNS];
    double A[MAX_UNKNOWNS * MAX_UNKNOWNS], g[MAX_UNKNOWNS], step[MAX_UNKNOWNS], w[MAX_UNKNOWNS];
    double lam = 1e-3;
    residual(r, J, q, v);
    for (int it = 0; it < MAX_ITER && norm2(r, n) >= 1e-14; it++) {
        /* (J^T J + lam I) step = -J^T r */
        for (int i = 0; i < n; i++) {
            g[i] = 0.0;
            for (int l = 0; l < n; l++)
                g[i] -= J[l * n + i] * r[l];
            for (int j = 0; j < n; j++) {
                double s = i == j ? lam : 0.0;
                for (int l = 0; l < n; l++)
                    s += J[l * n + i] * J[l * n + j];
                A[i * n + j] = s;
            }
        }
        if (spow_solve_linear_d(step, A, g, n) != 0)
            break;
        for (int i = 0; i < n; i++)
            w[i] = v[i] + step[i];
        residual(rw, Jw, q, w);
        if (norm2(rw, n) < norm2(r, n)) {
            memcpy(v, w, (size_t)n * sizeof *v);
            memcpy(r, rw, (size_t)n * sizeof *r);
            memcpy(J, Jw, (size_t)n * n * sizeof *J);
            lam = lam / 10 > 1e-15 ? lam / 10 : 1e-15;
        } else if ((lam *= 10) > 1e10) {
            break;
        }
    }
    return norm2(r, n) < SOLVED;
}

static double max_abs(const double *v, int n)
{
    double m = 0.0;
    for (int i = 0; i < n; i++)
        m = fabs(v[i]) > m ? fabs(v[i]) : m;
    return m;
}

/* Starts spread as far as the form's coefficients are expected to: a
 * coefficient of g of size S comes from products of 2k of them.  (MPFR, not
 * pow(), so that every libm gives the same starts.) */
static double start_spread(double scale, int k, mpfr_prec_t prec)
{
    mpfr_t x;
    mpfr_init2(x, prec);
    mpfr_set_d(x, scale, MPFR_RNDN);
    mpfr_rootn_ui(x, x, (unsigned long)(2 * k), MPFR_RNDN);
    const double spread = 1.7 * mpfr_get_d(x, MPFR_RNDN);
    mpfr_clear(x);
    return spread;
}

/* ---- the form in MPFR ----------------------------------------------------- */

void spow_sastre_poly_w(mpfr_t *g, int k, int sign, mpfr_t *const form, mpfr_prec_t prec)
{
    const int nf = 2 * k + 1;
    mpfr_t *y0 = spow_vec_init(nf, prec);
    mpfr_t *f1 = spow_vec_init(nf, prec);
    mpfr_t *f2 = spow_vec_init(nf, prec);
    mpfr_t *const a = form, *const b = form + k, *const c = form + 2 * k - 2;
    mpfr_t *const e = form + 3 * k - 1, *const l = form + 3 * k;
    for (int j = 1; j <= k; j++) {
        mpfr_set(y0[k + j], a[j - 1], MPFR_RNDN);
        mpfr_set(f1[k + j], a[j - 1], MPFR_RNDN);
        mpfr_mul_si(f2[k + j], a[j - 1], sign, MPFR_RNDN);
        mpfr_set(f1[j], b[j - 1], MPFR_RNDN);
        if (j >= 2)
            mpfr_set(f2[j], c[j], MPFR_RNDN);   /* c_j sits at form[2k + j - 2] */
    }
    spow_poly_mul(g, f1, 2 * k, f2, 2 * k);
    for (int i = 0; i < nf; i++)
        mpfr_fma(g[i], *e, y0[i], g[i], MPFR_RNDN);
    for (int j = 0; j <= k; j++)
        mpfr_add(g[j], g[j], l[j], MPFR_RNDN);
    spow_vec_clear(f2, nf);
    spow_vec_clear(f1, nf);
    spow_vec_clear(y0, nf);
}

/* g(u + shift) (dir = 1) or g(u - shift) (dir = -1), monomials of degree d. */
static void move(mpfr_t *r, mpfr_t *const g, int d, double shift, int dir, mpfr_prec_t prec)
{
    mpfr_t one, off;
    mpfr_inits2(prec, one, off, (mpfr_ptr)0);
    mpfr_set_ui(one, 1, MPFR_RNDN);
    mpfr_set_d(off, dir * shift, MPFR_RNDN);
    spow_poly_compose_linear(r, g, d, one, off, prec);
    mpfr_clears(one, off, (mpfr_ptr)0);
}

int spow_sastre_set(spow_step_mp *st, mpfr_prec_t prec)
{
    const int k = spow_sastre_k(st->degree), d = st->degree;
    if (k == 0)
        return SPOW_GEN_EARG;
    spow_step_round_map(st, prec);
    mpfr_t *gu = spow_vec_init(d + 1, prec);
    mpfr_t *gw = spow_vec_init(d + 1, prec);
    spow_step_mono_u(gu, st, prec);

    equations q = { .k = k, .n = 3 * k };
    q.sign = mpfr_sgn(gu[d]) >= 0 ? 1 : -1;     /* the leading coefficient is sign a_k^2 */
    double best[MAX_UNKNOWNS], v[MAX_UNKNOWNS], best_size = INFINITY, best_shift = 0.0;
    uint64_t rng = 0x5a57e5eedULL + (uint64_t)k;
    for (int s = 0; s < NSHIFTS; s++) {
        const double shift = -2.0 + 0.25 * s;
        move(gw, gu, d, shift, 1, prec);
        /* the tolerance is relative to the coefficients the equations match:
         * a late step's g is nearly constant, and its tiny high coefficients
         * must still come out right */
        q.scale = 0.0;
        for (int i = 0; i <= d; i++) {
            q.target[i] = mpfr_get_d(gw[i], MPFR_RNDN);
            if (i > k && fabs(q.target[i]) > q.scale)
                q.scale = fabs(q.target[i]);
        }
        if (q.scale == 0.0)
            q.scale = 1.0;
        const double spread = start_spread(q.scale, k, prec);
        for (int t = 0; t < STARTS; t++) {
            for (int i = 0; i < q.n; i++)
                v[i] = spread * spow_uniform_pm1(&rng);
            int ok = newton_lm(v, &q);
            if (ok && max_abs(v, q.n) < best_size) {
                best_size = max_abs(v, q.n);
                best_shift = shift;
                memcpy(best, v, sizeof best);
            }
        }
    }
    int rc = SPOW_GEN_ENOFORM;
    if (best_size < INFINITY) {
        /* the free terms: what the rounded product part leaves of g's
         * coefficients of w^0 .. w^k, rounded in turn */
        const int nf = spow_sastre_nform(k);
        spow_step_drop_form(st);
        st->form = spow_vec_init(nf, prec);
        st->form_k = k;
        st->form_sign = q.sign;
        st->form_shift = best_shift;
        for (int i = 0; i < q.n; i++)
            mpfr_set_d(st->form[i], best[i], MPFR_RNDN);
        mpfr_t *prod = spow_vec_init(d + 1, prec);
        spow_sastre_poly_w(prod, k, q.sign, st->form, prec);       /* l = 0 so far */
        move(gw, gu, d, best_shift, 1, prec);
        for (int j = 0; j <= k; j++) {
            mpfr_sub(prod[j], gw[j], prod[j], MPFR_RNDN);
            mpfr_set_d(st->form[q.n + j], mpfr_get_d(prod[j], MPFR_RNDN), MPFR_RNDN);
        }
        spow_vec_clear(prod, d + 1);
        st->scheme = SPOW_SCHEME_SASTRE;
        spow_form_blocks(st, prec);
        rc = 0;
    }
    spow_vec_clear(gw, d + 1);
    spow_vec_clear(gu, d + 1);
    return rc;
}
