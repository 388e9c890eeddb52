/* fixedpoint_fit.c -- the fixed-point family's constants, fitted in double
 * on a grid (the certificate, fixedpoint_certify.c, then bounds the error
 * on the whole interval in multiprecision).
 *
 * Greedy.  After step k - 1 every grid point s_i has its y_i; step k's
 * relative error there, y_i / s_i^p - 1 - c (y_i^b - s_i^a) / s_i^p, is
 * affine in c, so the largest of their absolute values is convex in c and
 * golden-section search finds its minimum.  This runs on the dense grid:
 * one variable per step is cheap.
 *
 * Greedy is not optimal for this family.  At s = lo the step moves y by at
 * most c (lo^a - y^b), so a small singular value needs a large c in some
 * step, which a greedy step never takes: it would throw the middle of the
 * interval far off its fixed point, and only a later step can bring it
 * back.  So the joint fit minimises the error after the last step over all
 * K constants, by Nelder-Mead (the objective, a maximum over the grid, has
 * no derivative at its optimum), from the greedy constants and from fixed
 * pseudo-random starts spread over [0.05, 50] in log scale.  A local search
 * from starts proves nothing about the global minimum; the certificate is
 * for the constants found.
 */
#include <math.h>
#include <stdlib.h>
#include "spow_gen.h"
#include "fixedpoint.h"
#include "random.h"

/* Grid points for the fit: the error curve has few extrema per step, and
 * the certificate, not the grid, is what the table states. */
#define GRID 512
/* The searches' results are judged on a grid 16 times denser: a constant
 * that blows up between the coarse grid's points (it happens: 12 steps
 * from the greedy start alone certify 7e9) loses there. */
#define DENSE_GRID 8192
#define NM_ITERS 1500
#define NM_POLISH 2

typedef struct fp_grid {
    long a, b;
    int n;
    double *s, *sa, *sp;        /* s, s^a, s^p */
    double *y, *u, *v;          /* room for the fits' work at every point */
} fp_grid;

static double ipow(double y, long e)
{
    double r = y;
    for (long i = 1; i < e; i++)
        r *= y;
    return r;
}

static void grid_clear(fp_grid *g)
{
    free(g->s);
}

/* n log-spaced points of [lo, hi]; SPOW_GEN_ENOMEM or 0. */
static int grid_init(fp_grid *g, int n, long a, long b, const mpfr_t lo, const mpfr_t hi)
{
    g->s = malloc(6 * (size_t)n * sizeof *g->s);
    if (g->s == NULL)
        return SPOW_GEN_ENOMEM;
    g->sa = g->s + n;
    g->sp = g->sa + n;
    g->y = g->sp + n;
    g->u = g->y + n;
    g->v = g->u + n;
    g->n = n;
    mpfr_t s, r, v;
    mpfr_inits2(128, s, r, v, (mpfr_ptr)0);
    g->a = a;
    g->b = b;
    mpfr_div(r, hi, lo, MPFR_RNDN);
    for (int i = 0; i < n; i++) {
        mpfr_set_ui(v, (unsigned long)i, MPFR_RNDN);
        mpfr_div_ui(v, v, (unsigned long)(n - 1), MPFR_RNDN);
        mpfr_pow(s, r, v, MPFR_RNDN);
        mpfr_mul(s, s, lo, MPFR_RNDN);
        g->s[i] = mpfr_get_d(s, MPFR_RNDN);
        mpfr_set_d(s, g->s[i], MPFR_RNDN);
        mpfr_pow_ui(v, s, (unsigned long)a, MPFR_RNDN);
        g->sa[i] = mpfr_get_d(v, MPFR_RNDN);
        mpfr_rootn_ui(v, v, (unsigned long)b, MPFR_RNDN);
        g->sp[i] = mpfr_get_d(v, MPFR_RNDN);
    }
    mpfr_clears(s, r, v, (mpfr_ptr)0);
    return 0;
}

/* y <- y - c (y^b - s^a) on every grid point: one step, a loop the
 * compiler vectorises. */
static void grid_step(double *y, double c, const fp_grid *g)
{
    for (int i = 0; i < g->n; i++) {
        double yb = y[i];
        for (long e = 1; e < g->b; e++)
            yb *= y[i];
        y[i] -= c * (yb - g->sa[i]);
    }
}

/* max_i |y_K(s_i) / s_i^p - 1|; HUGE_VAL once any y leaves the doubles. */
static double grid_error(const double *c, int K, const fp_grid *g)
{
    double *y = g->y, worst = 0.0;
    for (int i = 0; i < g->n; i++)
        y[i] = g->s[i];
    for (int k = 0; k < K; k++)
        grid_step(y, c[k], g);
    for (int i = 0; i < g->n; i++) {
        double e = fabs(y[i] / g->sp[i] - 1.0);
        worst = e > worst ? e : worst;
    }
    /* NaN never compares above worst: check the sum, which any NaN or
     * infinity reaches */
    double sum = 0.0;
    for (int i = 0; i < g->n; i++)
        sum += y[i];
    return isfinite(sum) ? worst : HUGE_VAL;
}

/* max_i |u_i - c v_i| */
static double affine_max(double c, const fp_grid *g)
{
    double worst = 0.0;
    for (int i = 0; i < g->n; i++) {
        double e = fabs(g->u[i] - c * g->v[i]);
        if (e > worst)
            worst = e;
    }
    return worst;
}

/* The greedy constants. */
static void fit_greedy(double *c, int K, const fp_grid *g)
{
    double *y = g->y;
    const double r = 0.5 * (sqrt(5.0) - 1.0);
    for (int i = 0; i < g->n; i++)
        y[i] = g->s[i];
    for (int k = 0; k < K; k++) {
        for (int i = 0; i < g->n; i++) {
            g->u[i] = y[i] / g->sp[i] - 1.0;
            g->v[i] = (ipow(y[i], g->b) - g->sa[i]) / g->sp[i];
        }
        /* convex in c: the bracket only has to contain the minimum, and no
         * step worth taking has |c| near 1e4 */
        double lo = -1e4, hi = 1e4;
        double x1 = hi - r * (hi - lo), x2 = lo + r * (hi - lo);
        double f1 = affine_max(x1, g), f2 = affine_max(x2, g);
        for (int it = 0; it < 200; it++) {
            if (f1 <= f2) {
                hi = x2;
                x2 = x1;
                f2 = f1;
                x1 = hi - r * (hi - lo);
                f1 = affine_max(x1, g);
            } else {
                lo = x1;
                x1 = x2;
                f1 = f2;
                x2 = lo + r * (hi - lo);
                f2 = affine_max(x2, g);
            }
        }
        c[k] = f1 <= f2 ? x1 : x2;
        grid_step(y, c[k], g);
    }
}

/* Nelder-Mead on grid_error from x (K values, improved in place) with an
 * initial simplex of relative size step; returns the error at x. */
static double nelder_mead(double *x, int K, double step, int iters, const fp_grid *g)
{
    double pts[SPOW_GEN_MAX_STEPS + 1][SPOW_GEN_MAX_STEPS];
    double val[SPOW_GEN_MAX_STEPS + 1], cen[SPOW_GEN_MAX_STEPS], xr[SPOW_GEN_MAX_STEPS],
        xe[SPOW_GEN_MAX_STEPS];
    const int n = K;
    for (int j = 0; j <= n; j++) {
        for (int i = 0; i < n; i++)
            pts[j][i] = x[i];
        if (j > 0)
            pts[j][j - 1] += step * (fabs(x[j - 1]) > 0.1 ? fabs(x[j - 1]) : 0.1);
        val[j] = grid_error(pts[j], K, g);
    }
    for (int it = 0; it < iters; it++) {
        /* order by value, insertion sort: stable, so ties keep their order */
        for (int j = 1; j <= n; j++)
            for (int l = j; l > 0 && val[l] < val[l - 1]; l--) {
                double tv = val[l];
                val[l] = val[l - 1];
                val[l - 1] = tv;
                for (int i = 0; i < n; i++) {
                    double tp = pts[l][i];
                    pts[l][i] = pts[l - 1][i];
                    pts[l - 1][i] = tp;
                }
            }
        for (int i = 0; i < n; i++) {
            cen[i] = 0.0;
            for (int j = 0; j < n; j++)
                cen[i] += pts[j][i];
            cen[i] /= n;
            xr[i] = 2.0 * cen[i] - pts[n][i];
        }
        double fr = grid_error(xr, K, g);
        if (fr < val[0]) {
            for (int i = 0; i < n; i++)
                xe[i] = 3.0 * cen[i] - 2.0 * pts[n][i];
            double fe = grid_error(xe, K, g);
            const double *take = fe < fr ? xe : xr;
            for (int i = 0; i < n; i++)
                pts[n][i] = take[i];
            val[n] = fe < fr ? fe : fr;
        } else if (fr < val[n - 1]) {
            for (int i = 0; i < n; i++)
                pts[n][i] = xr[i];
            val[n] = fr;
        } else {
            for (int i = 0; i < n; i++)
                xe[i] = 0.5 * (cen[i] + pts[n][i]);
            double fc = grid_error(xe, K, g);
            if (fc < val[n]) {
                for (int i = 0; i < n; i++)
                    pts[n][i] = xe[i];
                val[n] = fc;
            } else {
                for (int j = 1; j <= n; j++) {
                    for (int i = 0; i < n; i++)
                        pts[j][i] = 0.5 * (pts[0][i] + pts[j][i]);
                    val[j] = grid_error(pts[j], K, g);
                }
            }
        }
    }
    int best = 0;
    for (int j = 1; j <= n; j++)
        if (val[j] < val[best])
            best = j;
    for (int i = 0; i < n; i++)
        x[i] = pts[best][i];
    return val[best];
}

/* A search from x: one long run, then restarts with smaller simplices
 * (Nelder-Mead's simplex collapses; a fresh one lets it move on). */
static double search_from(double *x, int K, const fp_grid *g)
{
    double e = nelder_mead(x, K, 0.5, NM_ITERS, g);
    for (int r = 0; r < NM_POLISH; r++)
        e = nelder_mead(x, K, 0.05, NM_ITERS / 2, g);
    return e;
}

int spow_fixedpoint_fit_constants(double *c, int K, long a, long b, const mpfr_t lo,
                                  const mpfr_t hi, int greedy, int starts)
{
    fp_grid coarse, dense;
    if (grid_init(&dense, DENSE_GRID, a, b, lo, hi))
        return SPOW_GEN_ENOMEM;
    if (grid_init(&coarse, GRID, a, b, lo, hi)) {
        grid_clear(&dense);
        return SPOW_GEN_ENOMEM;
    }
    fit_greedy(c, K, &dense);           /* cheap: one variable per step */
    double best = grid_error(c, K, &dense);
    if (!greedy) {
        double x[SPOW_GEN_MAX_STEPS];
        uint64_t rng = 0x5eed5fedULL;
        mpfr_t t;
        mpfr_init2(t, 64);
        if (starts <= 0)
            starts = SPOW_FIXEDPOINT_STARTS;
        for (int start = 0; start < starts; start++) {
            for (int k = 0; k < K; k++) {
                if (start == 0) {
                    x[k] = c[k];
                } else {
                    /* 0.05 * 1000^u, u in [0, 1): MPFR, so every libm agrees */
                    mpfr_set_d(t, 0.5 * (spow_uniform_pm1(&rng) + 1.0), MPFR_RNDN);
                    mpfr_ui_pow(t, 1000, t, MPFR_RNDN);
                    x[k] = 0.05 * mpfr_get_d(t, MPFR_RNDN);
                }
            }
            search_from(x, K, &coarse);
            double e = grid_error(x, K, &dense);
            if (e < best) {
                best = e;
                for (int k = 0; k < K; k++)
                    c[k] = x[k];
            }
        }
        mpfr_clear(t);
    }
    grid_clear(&coarse);
    grid_clear(&dense);
    return 0;
}
