/* t_fixedpoint.c -- tables of the fixed-point family (spow.h): hand-made
 * here, applied against the scalar recurrence.
 *
 * The tables are written out below as static arrays, the way spow-gen
 * emits them (/work/notes/fixedpoint_format.md): p = 1/3 with the published
 * c = 0.66 for 6 steps and with the per-step constants 0.887495 ...
 * 1.98807, p = 3/5 (a = 3: X^a = X (X^T X) is formed) and p = 1/5 (degree
 * 2), both with c = 0.2 for 6 steps, and p = 1/7, 5/7 (degree 3 in two
 * Paterson-Stockmeyer blocks; X^a with a squaring) with c = 0.3 for 4.  None of them converges to s^p on the
 * spectra used (0.95 relative error for the published 6-step p = 1/3 on
 * [1e-3, 1]), so the reference is not U S^p V^T but U f(S) V^T with f the
 * scalar recurrence
 *
 *     x = s,  y_0 = s,  y_{k+1} = y_k - c_k (y_k^b - x^a),  f(s) = y_K,
 *
 * run in long double per singular value from the constants themselves (not
 * from the tables' ps or mono), at the scale c the runtime reports
 * (stats.norm): f(G) = c^p U f(S / c) V^T.
 *
 * Tolerances: a rounding model, not a fitted number.  A perturbation E of
 * Y_k reaches Y_{k+1} = phi(Y_k) + c_k X^a, phi(y) = y (1 - c_k y^(b-1)),
 * through phi's Frechet derivative, whose entries in the singular bases
 * are divided differences of phi and of phi(y) / y over the spectrum, at
 * most L_k = 1 + b |c_k| M_k^(b-1) in size (M_k = max_i |y_k(s_i)|).  Step
 * k itself rounds within (gemms_k + 2) n u (F_k ||g_k|| + |c_k| F_xa) in
 * Frobenius norm (n the long side, u the unit roundoff, F_k = ||Y_k||_F,
 * ||g_k|| <= 1 + |c_k| M_k^(b-1), the 2 for the copy of X^a and the
 * entry-wise block B_0), and the product of the later L_j carries it to
 * the end.  Their sum over ||Y_K||_F is tol(u) (model_tol below): a few
 * 1e-13 for c = 0.2, 3e-12 for c = 0.66, 2e-10 for the per-step constants,
 * whose c_2 = 19.7 amplifies everything before it by up to 29 (test
 * verbose output: TU_VERBOSE=1 build/tests/runtime/t-fixedpoint).  An
 * error of the machinery (a wrong c_k, side, w or exponent) moves f(s) by
 * 1e-3 or more: the tests see it.
 *
 * In float the same model in u = 2^-24 is useless for the per-step
 * constants (0.1), being a worst case times a worst case.  Float uses the
 * probabilistic form of the same model instead (Higham and Mary 2019:
 * rounding errors of an n-term sum grow as sqrt(n) u, not n u, with
 * overwhelming probability), plus the input's rounding to float (2^-24
 * times the map's amplification |d log f / d log s|) and the output's
 * (2^-24).  Double keeps the worst-case form. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_run.h"
#include "testutil.h"

#define EPS64 0x1p-53
#define EPS32 0x1p-24
#define SENTINEL (-1234.5)

/* ---- The tables ------------------------------------------------------- */

/* g(t) = 1 - c t (b = 3): ps = cheb = mono = {1, -c}. */
#define STEP3(coef, g)                                                       \
    { .degree = 1, .baby = 1, .blocks = 1, .t_lo = -1.0, .t_hi = 1.0,        \
      .alpha = 1.0, .beta = 0.0, .ps = coef, .cheb = coef, .mono = coef,     \
      .gemms = g, .max_rel_err = 1.0, .y_lo = 0.0, .y_hi = 2.0 }
/* g(t) = 1 - c t^2 (b = 5) = (1 - c/2) T_0 - (c/2) T_2: ps = cheb, mono. */
#define STEP5(cheb_, mono_, g)                                               \
    { .degree = 2, .baby = 2, .blocks = 1, .t_lo = -1.0, .t_hi = 1.0,        \
      .alpha = 1.0, .beta = 0.0, .ps = cheb_, .cheb = cheb_, .mono = mono_,  \
      .gemms = g, .max_rel_err = 1.0, .y_lo = 0.0, .y_hi = 2.0 }

/* g(t) = 1 - c t^3 (b = 7) with baby 2, blocks 2: t^3 = (t T_2 + t) / 2, so
 * g = (1 - (c/2) T_1) + T_2 (-(c/2) T_1); cheb = {1, -3c/4, 0, -c/4}. */
#define STEP7(ps_, cheb_, mono_, g)                                          \
    { .degree = 3, .baby = 2, .blocks = 2, .t_lo = -1.0, .t_hi = 1.0,        \
      .alpha = 1.0, .beta = 0.0, .ps = ps_, .cheb = cheb_, .mono = mono_,    \
      .gemms = g, .max_rel_err = 1.0, .y_lo = 0.0, .y_hi = 2.0 }

static const double c066[] = {1.0, -0.66};
static const spow_step p13_c066_steps[6] = {
    STEP3(c066, 2), STEP3(c066, 2), STEP3(c066, 2),
    STEP3(c066, 2), STEP3(c066, 2), STEP3(c066, 2),
};
static const spow_table p13_c066 = {
    .version = SPOW_TABLE_VERSION, .name = "fp_p1_3_c066", .family = "fixed-point",
    .p_num = 1, .p_den = 3, .lo = 1e-3, .hi = 1.0, .y_power = 3, .x_power = 1,
    .steps = 6, .step = p13_c066_steps, .max_rel_err = 1.0, .max_rel_err_f32 = 1.0,
    .gemms = 12, .command = "tests/runtime/t_fixedpoint.c",
};

static const double pk1[] = {1.0, -0.887495}, pk2[] = {1.0, -0.334893};
static const double pk3[] = {1.0, -19.6866}, pk4[] = {1.0, -0.116154};
static const double pk5[] = {1.0, -0.855405}, pk6[] = {1.0, -1.98807};
static const spow_step p13_perstep_steps[6] = {
    STEP3(pk1, 2), STEP3(pk2, 2), STEP3(pk3, 2),
    STEP3(pk4, 2), STEP3(pk5, 2), STEP3(pk6, 2),
};
static const spow_table p13_perstep = {
    .version = SPOW_TABLE_VERSION, .name = "fp_p1_3_perstep", .family = "fixed-point",
    .p_num = 1, .p_den = 3, .lo = 1e-3, .hi = 1.0, .y_power = 3, .x_power = 1,
    .steps = 6, .step = p13_perstep_steps, .max_rel_err = 1.0, .max_rel_err_f32 = 1.0,
    .gemms = 12, .command = "tests/runtime/t_fixedpoint.c",
};

static const double c02_cheb[] = {0.9, 0.0, -0.1}, c02_mono[] = {1.0, 0.0, -0.2};
/* a = 3: the first step also forms X^a = X (X^T X), 2 products. */
static const spow_step p35_steps[6] = {
    STEP5(c02_cheb, c02_mono, 5), STEP5(c02_cheb, c02_mono, 3),
    STEP5(c02_cheb, c02_mono, 3), STEP5(c02_cheb, c02_mono, 3),
    STEP5(c02_cheb, c02_mono, 3), STEP5(c02_cheb, c02_mono, 3),
};
static const spow_table p35 = {
    .version = SPOW_TABLE_VERSION, .name = "fp_p3_5_c02", .family = "fixed-point",
    .p_num = 3, .p_den = 5, .lo = 1e-3, .hi = 1.0, .y_power = 5, .x_power = 3,
    .steps = 6, .step = p35_steps, .max_rel_err = 1.0, .max_rel_err_f32 = 1.0,
    .gemms = 20, .command = "tests/runtime/t_fixedpoint.c",
};

static const spow_step p15_steps[6] = {
    STEP5(c02_cheb, c02_mono, 3), STEP5(c02_cheb, c02_mono, 3),
    STEP5(c02_cheb, c02_mono, 3), STEP5(c02_cheb, c02_mono, 3),
    STEP5(c02_cheb, c02_mono, 3), STEP5(c02_cheb, c02_mono, 3),
};
static const spow_table p15 = {
    .version = SPOW_TABLE_VERSION, .name = "fp_p1_5_c02", .family = "fixed-point",
    .p_num = 1, .p_den = 5, .lo = 1e-3, .hi = 1.0, .y_power = 5, .x_power = 1,
    .steps = 6, .step = p15_steps, .max_rel_err = 1.0, .max_rel_err_f32 = 1.0,
    .gemms = 18, .command = "tests/runtime/t_fixedpoint.c",
};

/* p = 1/7 and 5/7 (a = 5: X^a = X (X^T X)^2, one squaring) with c = 0.3,
 * 4 steps: the Horner product of g and X^a's power. */
static const double c03_ps[] = {1.0, -0.15, 0.0, 0.0, -0.15, 0.0};
static const double c03_cheb[] = {1.0, -0.225, 0.0, -0.075};
static const double c03_mono[] = {1.0, 0.0, 0.0, -0.3};
static const spow_step p17_steps[4] = {
    STEP7(c03_ps, c03_cheb, c03_mono, 4), STEP7(c03_ps, c03_cheb, c03_mono, 4),
    STEP7(c03_ps, c03_cheb, c03_mono, 4), STEP7(c03_ps, c03_cheb, c03_mono, 4),
};
static const spow_table p17 = {
    .version = SPOW_TABLE_VERSION, .name = "fp_p1_7_c03", .family = "fixed-point",
    .p_num = 1, .p_den = 7, .lo = 1e-3, .hi = 1.0, .y_power = 7, .x_power = 1,
    .steps = 4, .step = p17_steps, .max_rel_err = 1.0, .max_rel_err_f32 = 1.0,
    .gemms = 16, .command = "tests/runtime/t_fixedpoint.c",
};
static const spow_step p57_steps[4] = {
    STEP7(c03_ps, c03_cheb, c03_mono, 7), STEP7(c03_ps, c03_cheb, c03_mono, 4),
    STEP7(c03_ps, c03_cheb, c03_mono, 4), STEP7(c03_ps, c03_cheb, c03_mono, 4),
};
static const spow_table p57 = {
    .version = SPOW_TABLE_VERSION, .name = "fp_p5_7_c03", .family = "fixed-point",
    .p_num = 5, .p_den = 7, .lo = 1e-3, .hi = 1.0, .y_power = 7, .x_power = 5,
    .steps = 4, .step = p57_steps, .max_rel_err = 1.0, .max_rel_err_f32 = 1.0,
    .gemms = 19, .command = "tests/runtime/t_fixedpoint.c",
};

/* Each table with its constants, as published (the reference's input). */
typedef struct fp_case {
    const spow_table *t;
    int a, b, steps;
    double c[6];
} fp_case;

static const fp_case cases[] = {
    {&p13_c066, 1, 3, 6, {0.66, 0.66, 0.66, 0.66, 0.66, 0.66}},
    {&p13_perstep, 1, 3, 6, {0.887495, 0.334893, 19.6866, 0.116154, 0.855405, 1.98807}},
    {&p35, 3, 5, 6, {0.2, 0.2, 0.2, 0.2, 0.2, 0.2}},
    {&p15, 1, 5, 6, {0.2, 0.2, 0.2, 0.2, 0.2, 0.2}},
    {&p17, 1, 7, 4, {0.3, 0.3, 0.3, 0.3}},
    {&p57, 5, 7, 4, {0.3, 0.3, 0.3, 0.3}},
};
#define NCASES ((int)(sizeof cases / sizeof cases[0]))

/* ---- The reference ---------------------------------------------------- */

static long double ipow(long double v, int e)
{
    long double r = 1.0L;

    while (e-- > 0)
        r *= v;
    return r;
}

/* y_k for the normalized singular value s (k = steps: f(s)). */
static long double scalar(const fp_case *fc, long double s, int k)
{
    long double y = s, xa = ipow(s, fc->a);
    int j;

    for (j = 0; j < k; j++)
        y -= (long double)fc->c[j] * (ipow(y, fc->b) - xa);
    return y;
}

/* cr^p U f(c s_i / cr) V^T for G = c U diag(s) V^T (cr: stats.norm), or
 * without cr^p when normalized. */
static void reference(double *ref, size_t ldr, const tu_case *tc, const fp_case *fc,
                      double c, double cr, int normalized)
{
    double p = (double)fc->a / fc->b, *h = malloc(tc->r * sizeof *h);
    size_t i;

    ck_assert(h != NULL);
    for (i = 0; i < tc->r; i++)
        h[i] = (double)scalar(fc, (long double)c * tc->s[i] / cr, fc->steps)
               * (normalized ? 1.0 : pow(cr, p));
    tu_case_apply(ref, ldr, tc, h);
    free(h);
}

/* The GEMMs of step k by the format's cost (independent of the runtime's
 * validate.c): the Gram matrix, g's Paterson-Stockmeyer products, Y g; the
 * first step also X^T X, its power (a - 1) / 2 by squaring, X times it. */
static int step_cost(const fp_case *fc, int k)
{
    const spow_step *st = &fc->t->step[k];
    int cost = 1 + (st->baby - 1) + (st->blocks - 1) + 1, e = (fc->a - 1) / 2, sq = 0, bits = 0;

    if (k == 0 && fc->a > 1) {
        for (; e >> (sq + 1); sq++)
            ;
        for (; e; e >>= 1)
            bits += e & 1;
        cost += 1 + sq + bits - 1 + 1;
    }
    return cost;
}

/* The model tolerance of the header for singular values s_i (normalized
 * by the scale), long side n, unit roundoff u; probabilistic: sqrt(n). */
static double model_tol(const fp_case *fc, const double *s, size_t r, size_t n, double u,
                        int probabilistic)
{
    double total = 0.0, fxa = 0.0, fk = 0.0;
    double nu = (probabilistic ? sqrt((double)n) : (double)n) * u;
    size_t i;
    int k, j;

    for (i = 0; i < r; i++)
        fxa += (double)ipow(s[i], 2 * fc->a);
    fxa = sqrt(fxa);
    for (k = 0; k < fc->steps; k++) {
        double f = 0.0, m = 0.0, local, carry = 1.0;
        for (i = 0; i < r; i++) {
            double y = (double)scalar(fc, s[i], k);
            f += y * y;
            if (fabs(y) > m)
                m = fabs(y);
        }
        f = sqrt(f);
        local = (step_cost(fc, k) + 2) * nu
                * (f * (1.0 + fabs(fc->c[k]) * pow(m, fc->b - 1)) + fabs(fc->c[k]) * fxa);
        for (j = k + 1; j < fc->steps; j++) {
            double mj = 0.0;
            for (i = 0; i < r; i++) {
                double y = fabs((double)scalar(fc, s[i], j));
                if (y > mj)
                    mj = y;
            }
            carry *= 1.0 + fc->b * fabs(fc->c[j]) * pow(mj, fc->b - 1);
        }
        total += local * carry;
    }
    for (i = 0; i < r; i++)
        fk += (double)ipow(scalar(fc, s[i], fc->steps), 2);
    return total / sqrt(fk);
}

/* max |d log f / d log s| over the s_i (at least 1): how much the rounding
 * of G to float is amplified. */
static double amplification(const fp_case *fc, const double *s, size_t r)
{
    double a = 1.0;
    size_t i;

    for (i = 0; i < r; i++) {
        long double v = s[i], h = 1e-9L * v, d;
        d = (logl(fabsl(scalar(fc, v + h, fc->steps))) - logl(fabsl(scalar(fc, v - h, fc->steps))))
            / (logl(v + h) - logl(v - h));
        if (fabsl(d) > a)
            a = (double)fabsl(d);
    }
    return a;
}

/* GRAM4 (and the default) adds S = A A^T to a first step without T_2 to
 * reuse it for (baby = 1: every b = 3 table), as for coupled tables
 * (spow.h, SPOW_SCALE_GRAM4). */
static int gram4_extra(const spow_table *t, int scale)
{
    return (scale == SPOW_SCALE_DEFAULT || scale == SPOW_SCALE_GRAM4) && t->step[0].baby == 1;
}

/* ---- Tests ------------------------------------------------------------ */

/* The hand tables are what the format says: gemms per step from the cost
 * formula, their sum, valid (workspace sizes), and c_k = -mono[degree]
 * equal to the published constants. */
START_TEST(layout)
{
    int i, k;

    for (i = 0; i < NCASES; i++) {
        const fp_case *fc = &cases[i];
        int sum = 0;
        for (k = 0; k < fc->steps; k++) {
            const spow_step *st = &fc->t->step[k];
            ck_assert_int_eq(st->gemms, step_cost(fc, k));
            ck_assert(-st->mono[st->degree] == fc->c[k]);
            sum += st->gemms;
        }
        ck_assert_int_eq(sum, fc->t->gemms);
        ck_assert_msg(spow_workspace_size_f64(fc->t, 30, 10) > 0, "%s", fc->t->name);
        ck_assert_msg(spow_workspace_size_f32(fc->t, 10, 30) > 0, "%s", fc->t->name);
        ck_assert_msg(spow_workspace_size_f32_mixed(fc->t, 10, 30, 2) > 0, "%s", fc->t->name);
    }
    ck_assert_int_eq(p13_c066.gemms, 12);
    ck_assert_int_eq(p35.gemms, 5 + 5 * 3);
}
END_TEST

static const size_t shapes[][2] = {{120, 40}, {40, 120}, {48, 48}, {1, 9}, {9, 1}};
#define NSHAPES ((int)(sizeof shapes / sizeof shapes[0]))
static const int scales[] = {SPOW_SCALE_FROBENIUS, SPOW_SCALE_DEFAULT, SPOW_SCALE_GRAM2};
#define NSCALES ((int)(sizeof scales / sizeof scales[0]))

/* A case matrix: G = c U diag(s) V^T, s spread from smin (normalized),
 * stored with ldg = cols + 3; float copy alongside. */
typedef struct mat {
    size_t rows, cols, r, ldg, ldo, n;
    tu_case tc;
    double c, *s, *g, *ref, *out;
    float *gf, *of;
} mat;

static void mat_init(mat *m, size_t rows, size_t cols, double smin, uint64_t seed)
{
    tu_rng rng = {seed};
    double *packed;
    size_t i, j;

    m->rows = rows;
    m->cols = cols;
    m->r = rows < cols ? rows : cols;
    m->ldg = cols + 3;
    m->ldo = cols + 2;
    m->n = rows * (cols + 3);
    m->c = 3.5;
    m->s = malloc(m->r * sizeof *m->s);
    packed = malloc(rows * cols * sizeof *packed);
    m->g = malloc(m->n * sizeof *m->g);
    m->ref = malloc(rows * cols * sizeof *m->ref);
    m->out = malloc(m->n * sizeof *m->out);
    m->gf = malloc(m->n * sizeof *m->gf);
    m->of = malloc(m->n * sizeof *m->of);
    ck_assert(m->s && packed && m->g && m->ref && m->out && m->gf && m->of);
    tu_spectrum_spread(m->s, m->r, smin);
    tu_case_init(&m->tc, rows, cols, m->s, &rng);
    tu_case_matrix(packed, cols, &m->tc, m->c, 1.0);
    for (i = 0; i < m->n; i++) {
        m->g[i] = 7.0; /* padding: must not be read into the result */
        m->gf[i] = 7.0f;
    }
    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++) {
            m->g[i * m->ldg + j] = packed[i * cols + j];
            m->gf[i * m->ldg + j] = (float)packed[i * cols + j];
        }
    free(packed);
}

static void mat_clear(mat *m)
{
    tu_case_clear(&m->tc);
    free(m->s);
    free(m->g);
    free(m->ref);
    free(m->out);
    free(m->gf);
    free(m->of);
}

static void fill_out(mat *m)
{
    size_t i;

    for (i = 0; i < m->n; i++) {
        m->out[i] = SENTINEL;
        m->of[i] = (float)SENTINEL;
    }
}

/* The padding of out (columns cols..ldo-1, and past the last row) kept. */
static void check_padding(const mat *m, int f32, const char *what)
{
    size_t i, j;

    for (i = 0; i < m->rows; i++)
        for (j = m->cols; j < m->ldo; j++)
            ck_assert_msg(f32 ? m->of[i * m->ldo + j] == (float)SENTINEL
                              : m->out[i * m->ldo + j] == SENTINEL,
                          "%s: padding (%zu, %zu) written", what, i, j);
    for (i = (m->rows - 1) * m->ldo + m->cols; i < m->n; i++)
        ck_assert_msg(f32 ? m->of[i] == (float)SENTINEL : m->out[i] == SENTINEL,
                      "%s: past the end written", what);
}

/* One apply through the counting callback (the caller-GEMM path) and
 * its checks: return code, GEMMs (the callback's, the stats', the tables'
 * per step), padding, error against the scalar reference at the reported
 * scale within tol.  Returns the error. */
static double check_apply(mat *m, const fp_case *fc, const spow_options *opt, int f32,
                          double u, int probabilistic, const char *what)
{
    const spow_table *t = fc->t;
    spow_options o = *opt;
    tu_counter cnt = {0};
    spow_stats stats;
    double *sn = calloc(m->r, sizeof *sn), err, tol;
    int extra = gram4_extra(t, o.scale), k, pre = fc->a > 1, rc;
    size_t i, kdim = m->rows > m->cols ? m->rows : m->cols;

    ck_assert(sn != NULL);
    fill_out(m);
    o.gemm_f64 = tu_gemm_f64;
    o.gemm_f32 = tu_gemm_f32;
    o.gemm_ctx = &cnt;
    o.stats = &stats;
    rc = f32 ? spow_apply_f32_ex(t, m->rows, m->cols, m->gf, m->ldg, m->of, m->ldo, &o)
             : spow_apply_f64_ex(t, m->rows, m->cols, m->g, m->ldg, m->out, m->ldo, &o);
    ck_assert_msg(rc == SPOW_OK, "%s: rc %d (%s)", what, rc, spow_strerror(rc));
    ck_assert_msg(stats.gemm_calls == cnt.calls, "%s: stats %ld, callback %ld", what,
                  stats.gemm_calls, cnt.calls);
    ck_assert_msg(stats.gemm_calls == t->gemms + extra, "%s: %ld GEMMs, table %d + %d", what,
                  stats.gemm_calls, t->gemms, extra);
    ck_assert_msg(stats.flops == cnt.flops, "%s: flops", what);
    /* The callback starts a "step" at each Gram product of a rectangular
     * buffer: X^a's own Gram matrix is one more when a > 1. */
    ck_assert_msg(cnt.steps_seen == fc->steps + pre, "%s: %d Gram products", what,
                  cnt.steps_seen);
    for (k = 0; k < fc->steps; k++) {
        long got = cnt.per_step[k + pre] + (k == 0 && pre ? cnt.per_step[0] : 0);
        ck_assert_msg(got == t->step[k].gemms + (k == 0 ? extra : 0),
                      "%s: step %d made %ld GEMMs, table %d", what, k, got, t->step[k].gemms);
    }
    ck_assert_int_eq(cnt.bad_squares, 0);
    check_padding(m, f32, what);

    reference(m->ref, m->cols, &m->tc, fc, m->c, stats.norm,
              (o.flags & SPOW_NORMALIZED) != 0);
    err = f32 ? tu_rel_err_f32(m->of, m->ldo, m->ref, m->cols, m->rows, m->cols)
              : tu_rel_err(m->out, m->ldo, m->ref, m->cols, m->rows, m->cols);
    for (i = 0; i < m->r; i++)
        sn[i] = m->c * m->s[i] / stats.norm;
    tol = model_tol(fc, sn, m->r, kdim, u, probabilistic);
    if (f32)
        tol += (amplification(fc, sn, m->r) + 1.0) * EPS32;
    if (getenv("TU_VERBOSE"))
        printf("%-40s err %.3e tol %.3e (%.0f%%)\n", what, err, tol, 100.0 * err / tol);
    ck_assert_msg(err <= tol, "%s: err %.3g > tol %.3g", what, err, tol);
    free(sn);
    return err;
}

/* _i = (case, shape, scale): double, double normalized, float with 0, 1
 * and all steps in double (all: the double model plus one rounding of the
 * result to float). */
START_TEST(accuracy)
{
    const fp_case *fc = &cases[_i % NCASES];
    int shape = (_i / NCASES) % NSHAPES, scale = scales[_i / (NCASES * NSHAPES)];
    size_t rows = shapes[shape][0], cols = shapes[shape][1];
    spow_options opt = {0};
    char what[160];
    mat m;
    int nd;

    mat_init(&m, rows, cols, 1e-2, 900u + (uint64_t)_i);
    opt.scale = scale;
    snprintf(what, sizeof what, "%s %zux%zu scale %d f64", fc->t->name, rows, cols, scale);
    check_apply(&m, fc, &opt, 0, EPS64, 0, what);
    opt.flags = SPOW_NORMALIZED;
    snprintf(what, sizeof what, "%s %zux%zu scale %d f64 normalized", fc->t->name, rows, cols,
             scale);
    check_apply(&m, fc, &opt, 0, EPS64, 0, what);
    opt.flags = 0;
    for (nd = 0; nd <= 2; nd++) {
        opt.f64_steps = nd == 2 ? fc->steps : nd;
        snprintf(what, sizeof what, "%s %zux%zu scale %d f32 f64_steps %d", fc->t->name, rows,
                 cols, scale, opt.f64_steps);
        check_apply(&m, fc, &opt, 1, nd < 2 ? EPS32 : EPS64, nd < 2, what);
    }
    mat_clear(&m);
}
END_TEST

/* The default GEMM (opt NULL, the simple API) gives the same answer as
 * the counting callback within the model; spow_apply_f64 agrees with the
 * _ex form bit for bit. */
START_TEST(default_gemm)
{
    const fp_case *fc = &cases[_i];
    spow_stats stats;
    spow_options opt = {0};
    double *o2, err, tol, *sn;
    size_t i;
    mat m;

    mat_init(&m, 60, 24, 1e-2, 77u + (uint64_t)_i);
    o2 = malloc(m.n * sizeof *o2);
    sn = calloc(m.r, sizeof *sn);
    ck_assert(o2 && sn);
    fill_out(&m);
    ck_assert_int_eq(spow_apply_f64(fc->t, m.rows, m.cols, m.g, m.ldg, m.out, m.ldo), SPOW_OK);
    opt.stats = &stats;
    ck_assert_int_eq(spow_apply_f64_ex(fc->t, m.rows, m.cols, m.g, m.ldg, o2, m.ldo, &opt),
                     SPOW_OK);
    for (i = 0; i < m.rows; i++)
        ck_assert(memcmp(m.out + i * m.ldo, o2 + i * m.ldo, m.cols * sizeof *o2) == 0);
    ck_assert_int_eq(stats.gemm_calls, fc->t->gemms + gram4_extra(fc->t, SPOW_SCALE_DEFAULT));
    reference(m.ref, m.cols, &m.tc, fc, m.c, stats.norm, 0);
    err = tu_rel_err(m.out, m.ldo, m.ref, m.cols, m.rows, m.cols);
    for (i = 0; i < m.r; i++)
        sn[i] = m.c * m.s[i] / stats.norm;
    tol = model_tol(fc, sn, m.r, m.rows, EPS64, 0);
    ck_assert_msg(err <= tol, "%s default GEMM: err %.3g > %.3g", fc->t->name, err, tol);
    free(o2);
    free(sn);
    mat_clear(&m);
}
END_TEST

/* A batch equals single applies bit for bit, in both types and with a
 * caller workspace of spow_workspace_size_*_ex; its stats add up. */
START_TEST(batch)
{
    const fp_case *fc = &cases[_i];
    enum { B = 3, R = 20, C = 9 };
    double g[B * R * C], o[B * R * C], one[R * C];
    float gf[B * R * C], of[B * R * C], onef[R * C];
    tu_rng rng = {55u + (uint64_t)_i};
    spow_options opt = {0};
    spow_stats st;
    size_t i, b, bytes;
    void *work;

    for (i = 0; i < B * R * C; i++) {
        g[i] = tu_gauss(&rng);
        gf[i] = (float)g[i];
    }
    opt.f64_steps = 1;
    bytes = spow_workspace_size_f32_ex(fc->t, R, C, &opt);
    ck_assert(bytes >= spow_workspace_size_f64_ex(fc->t, R, C, &opt));
    work = malloc(bytes);
    ck_assert(work != NULL);
    opt.work = work;
    opt.work_size = bytes;
    opt.stats = &st;
    ck_assert_int_eq(spow_apply_batch_f64_ex(fc->t, B, R, C, g, C, R * C, o, C, R * C, &opt),
                     SPOW_OK);
    ck_assert_int_eq(st.gemm_calls, B * (fc->t->gemms + gram4_extra(fc->t, 0)));
    ck_assert_int_eq(spow_apply_batch_f32_ex(fc->t, B, R, C, gf, C, R * C, of, C, R * C, &opt),
                     SPOW_OK);
    for (b = 0; b < B; b++) {
        ck_assert_int_eq(spow_apply_f64_ex(fc->t, R, C, g + b * R * C, C, one, C, &opt),
                         SPOW_OK);
        ck_assert_int_eq(st.gemm_calls, fc->t->gemms + gram4_extra(fc->t, 0));
        ck_assert_msg(memcmp(one, o + b * R * C, sizeof one) == 0,
                      "%s: batch matrix %zu differs from its single apply", fc->t->name, b);
        ck_assert_int_eq(spow_apply_f32_ex(fc->t, R, C, gf + b * R * C, C, onef, C, &opt),
                         SPOW_OK);
        ck_assert_msg(memcmp(onef, of + b * R * C, sizeof onef) == 0,
                      "%s: f32 batch matrix %zu differs", fc->t->name, b);
    }
    free(work);
}
END_TEST

/* Expect code from f64, f32 and batch applies of t, with out untouched. */
static void expect_refused(const spow_table *t, const spow_options *opt, int code,
                           const char *what)
{
    enum { R = 12, C = 7 };
    double g[R * C], out[2 * R * C];
    float gf[R * C], outf[2 * R * C];
    tu_rng rng = {3};
    int i, rc;

    for (i = 0; i < R * C; i++) {
        g[i] = tu_gauss(&rng);
        gf[i] = (float)g[i];
    }
    for (i = 0; i < 2 * R * C; i++) {
        out[i] = SENTINEL;
        outf[i] = (float)SENTINEL;
    }
    rc = spow_apply_f64_ex(t, R, C, g, C, out, C, opt);
    ck_assert_msg(rc == code, "%s f64: %d (%s), want %d", what, rc, spow_strerror(rc), code);
    rc = spow_apply_f32_ex(t, R, C, gf, C, outf, C, opt);
    ck_assert_msg(rc == code, "%s f32: %d (%s), want %d", what, rc, spow_strerror(rc), code);
    rc = spow_apply_batch_f64_ex(t, 2, R, C, g, C, 0, out, C, R * C, opt);
    ck_assert_msg(rc == code, "%s batch: %d, want %d", what, rc, code);
    if (!opt)
        ck_assert_int_eq(spow_apply_f64(t, R, C, g, C, out, C), code);
    for (i = 0; i < 2 * R * C; i++)
        ck_assert_msg(out[i] == SENTINEL && outf[i] == (float)SENTINEL,
                      "%s: out[%d] written", what, i);
    ck_assert_msg(spow_workspace_size_f64_ex(t, R, C, opt) == 0, "%s: f64 size", what);
    ck_assert_msg(spow_workspace_size_f32_ex(t, R, C, opt) == 0, "%s: f32 size", what);
}

/* SPOW_SMALL_SIDE is refused for fixed-point tables (spow.h), with and
 * without f64_steps, and the workspace sizes say 0. */
START_TEST(small_side_refused)
{
    spow_options opt = {0};

    opt.flags = SPOW_SMALL_SIDE;
    expect_refused(cases[_i].t, &opt, SPOW_EINVAL, "small side");
    opt.flags = SPOW_SMALL_SIDE | SPOW_NORMALIZED;
    opt.f64_steps = 2;
    expect_refused(cases[_i].t, &opt, SPOW_EINVAL, "small side, normalized, f64_steps");
}
END_TEST

/* _i breaks the p = 3/5 table one way (the p = 1/3 one for the b = 3
 * cases): SPOW_ETABLE from every entry point, nothing written, workspace
 * sizes 0.  Case 0 is the unbroken copy, which must apply. */
START_TEST(hostile)
{
    spow_table t = p35;
    spow_step steps[6];
    static const double mono_bad_low[] = {1.0, 1e-300, -0.2};
    static const double mono_bad_top[] = {1.0, 0.0, -0.25};
    static const double cheb_bad[] = {0.9, 0.0, -0.1000001};
    static const double cheb_bad_low[] = {0.9, 1e-12, -0.1};
    static const double ps_high[] = {0.9, 0.0, -0.1, 0.0};
    static const double ps4[] = {1.0, 0.0, 0.0, -0.2};
    static const double ps3_deg2[] = {1.0, 0.0, -0.66};
    static const double ps_huge[] = {1e308, 0.0, 1e308};
    static const double mono3_bad[] = {1.0, -0.5};
    static const double ps3_bad[] = {1.0, -0.66};
    static const double ps3_c[] = {1.0, -0.66};
    static const double mono3_c[] = {1.0, -0.66};
    static const double mono3_not1[] = {0.999, -0.66};
    const char *what = "";
    spow_step *st = &steps[1];
    int want = SPOW_ETABLE;

    memcpy(steps, p35_steps, sizeof steps);
    t.step = steps;
    switch (_i) {
    case 0: want = SPOW_OK; what = "the table as is"; break;
    case 1: st->degree = 3; st->baby = 3; st->ps = st->cheb = st->mono = ps4;
            what = "degree 3 for b = 5"; break;
    case 2: st->degree = 1; st->baby = 1; what = "degree 1 for b = 5"; break;
    case 3: st->beta = 0.5; what = "beta 0.5"; break;
    case 4: st->beta = -0x1p-60; what = "beta -2^-60"; break;
    case 5: st->alpha = 2.0; what = "alpha 2"; break;
    case 6: t.p_den = 6; t.y_power = 6; what = "b = 6 (even)"; break;
    case 7: t.p_num = 2; t.x_power = 2; what = "a = 2 (even)"; break;
    case 8: t.p_num = 5; t.x_power = 5; what = "a = b"; break;
    case 9: t.p_num = 7; t.x_power = 7; what = "a > b"; break;
    case 10: t.p_num = -1; t.x_power = -1; what = "a = -1"; break;
    case 11: t.y_power = 4; what = "y_power != b"; break;
    case 12: t.x_power = 2; what = "x_power != a (coupled's b - a)"; break;
    case 13: st->mono = mono_bad_low; what = "mono[1] != 0"; break;
    case 14: st->mono = mono_bad_top; what = "mono/ps disagree on c"; break;
    case 15: st->ps = cheb_bad; what = "ps 1e-7 off mono"; break;
    case 16: st->ps = cheb_bad_low; what = "ps with a T_1 term"; break;
    case 17: st->baby = 1; st->blocks = 2; st->ps = ps_high;
             what = "baby 1, blocks 2: g = 0.9 - 0.1 t"; break;
    case 18: st->gemms = 4; t.gemms = 21; what = "step gemms 4"; break;
    case 19: t.gemms = 19; what = "table gemms 19"; break;
    case 20: steps[0].gemms = 3; t.gemms = 18; what = "step 1 without X^a's products"; break;
    case 21: st->scheme = SPOW_SCHEME_SASTRE; what = "scheme Sastre"; break;
    case 22: t.family = "fixed_point"; what = "family fixed_point"; break;
    case 23: t.family = "Fixed-point"; what = "family Fixed-point"; break;
    case 24: st->mono = st->cheb; what = "mono = cheb"; break;
    case 25: st->ps = ps_huge; what = "ps {1e308, 0, 1e308}: overflows the expansion"; break;
    }
    if (_i >= 26) {
        t = p13_c066;
        memcpy(steps, p13_c066_steps, sizeof steps);
        t.step = steps;
        switch (_i) {
        case 26: st->mono = mono3_bad; what = "p 1/3: mono c 0.5, ps c 0.66"; break;
        case 27: st->ps = ps3_bad; st->mono = mono3_c; st->cheb = ps3_c;
                 want = SPOW_OK; what = "p 1/3: separate but equal arrays"; break;
        case 28: st->mono = mono3_not1; st->ps = mono3_not1; what = "p 1/3: mono[0] 0.999"; break;
        case 29: st->degree = 2; st->baby = 2; st->ps = st->cheb = st->mono = ps3_deg2;
                 what = "p 1/3: degree 2"; break;
        case 30: t.p_den = 4; t.y_power = 4; what = "p 1/4 (b even)"; break;
        case 31: steps[5].gemms = 3; t.gemms = 13; what = "p 1/3: last step 3 GEMMs"; break;
        case 32: st->beta = 1e-300; what = "p 1/3: beta 1e-300"; break;
        }
    }
    if (want == SPOW_OK) {
        double g[20 * 6], o[20 * 6];
        tu_rng rng = {9};
        int i;
        for (i = 0; i < 20 * 6; i++)
            g[i] = tu_gauss(&rng);
        ck_assert_msg(spow_apply_f64(&t, 20, 6, g, 6, o, 6) == SPOW_OK, "%s", what);
        ck_assert(spow_workspace_size_f64(&t, 20, 6) > 0);
        return;
    }
    expect_refused(&t, NULL, want, what);
}
END_TEST

/* G 2^k gives the result of G times 2^(k p) bit for bit when k p is an
 * integer: the norm is split as r 2^e (the steps see the same X), and c^p
 * is applied through that split, so entries near the ends of the double
 * range (k = +-900, p = 1/3 and 3/5) lose nothing.  Both scale modes. */
START_TEST(extreme_scale)
{
    const fp_case *fc = _i % 2 ? &cases[2] : &cases[0];
    enum { R = 14, C = 6 };
    double g[R * C], gk[R * C], o[R * C], ok[R * C];
    tu_rng rng = {31};
    spow_options opt = {0};
    int k = _i / 2 % 2 ? -900 : 900, i;
    int kp = k * fc->a / fc->b;

    opt.scale = _i / 4 ? SPOW_SCALE_FROBENIUS : SPOW_SCALE_DEFAULT;
    ck_assert_int_eq(kp * fc->b, k * fc->a);
    for (i = 0; i < R * C; i++) {
        g[i] = tu_gauss(&rng);
        gk[i] = ldexp(g[i], k);
    }
    ck_assert_int_eq(spow_apply_f64_ex(fc->t, R, C, g, C, o, C, &opt), SPOW_OK);
    ck_assert_int_eq(spow_apply_f64_ex(fc->t, R, C, gk, C, ok, C, &opt), SPOW_OK);
    for (i = 0; i < R * C; i++)
        ck_assert_msg(ok[i] == ldexp(o[i], kp), "%s 2^%d scale %d: entry %d %.17g vs %.17g",
                      fc->t->name, k, opt.scale, i, ok[i], ldexp(o[i], kp));
}
END_TEST

/* A table with 0 steps is Y_0 = X: c^p X, no GEMM. */
START_TEST(no_steps)
{
    spow_table t = p13_c066;
    double g[6] = {3.0, 0.0, 0.0, 4.0, 0.0, 0.0}, o[6];
    spow_stats st;
    spow_options opt = {0};

    t.steps = 0;
    t.gemms = 0;
    opt.stats = &st;
    ck_assert_int_eq(spow_apply_f64_ex(&t, 3, 2, g, 2, o, 2, &opt), SPOW_OK);
    ck_assert_int_eq(st.gemm_calls, 0);
    /* c = 5: 5^(1/3) G / 5 */
    ck_assert(fabs(o[0] - 3.0 * pow(5.0, 1.0 / 3.0) / 5.0) < 1e-15);
    ck_assert(fabs(o[3] - 4.0 * pow(5.0, 1.0 / 3.0) / 5.0) < 1e-15);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fixedpoint");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, layout);
    tcase_add_loop_test(tc, accuracy, 0, NCASES * NSHAPES * NSCALES);
    tcase_add_loop_test(tc, default_gemm, 0, NCASES);
    tcase_add_loop_test(tc, batch, 0, NCASES);
    tcase_add_loop_test(tc, small_side_refused, 0, NCASES);
    tcase_add_loop_test(tc, hostile, 0, 33);
    tcase_add_test(tc, no_steps);
    tcase_add_loop_test(tc, extreme_scale, 0, 8);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
