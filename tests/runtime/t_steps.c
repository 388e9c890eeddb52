/* t_steps.c -- the step machinery on hand-made tables, against the scalar
 * recurrence.
 *
 * Every polynomial iteration here acts on each singular value separately, so
 * for G = c U diag(s) V^T the exact result is U diag(c^p x_K(s/c)) V^T with
 * x_K from the scalar recurrence (tu_x_scalar, long double, evaluating the
 * Paterson-Stockmeyer layout of spow.h directly).  Random coefficients of
 * random degrees and baby-step counts exercise the Chebyshev recurrence, the
 * Horner blocks, the powering by squares and both Gram sides; these do not
 * need to approximate anything, so no shipped table is involved.  The GEMM
 * counts are checked against the cost model computed in testutil.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <check.h>

#include "check_run.h"
#include "testutil.h"

/* p = m/n, including p = 0 (X and Y shared), negative p (x_power > y_power)
 * and x_power with several set bits (powering products). */
static const int exponents[][2] = {
    {0, 1}, {1, 2}, {1, 4}, {-1, 4}, {1, 3}, {2, 3}, {-1, 2}, {3, 7}, {-2, 5}, {0, 1},
};
#define NEXP ((int)(sizeof exponents / sizeof exponents[0]))

static const size_t shapes[][2] = {{24, 10}, {10, 24}, {12, 12}, {1, 7}, {7, 1}, {33, 5}};
#define NSHAPES ((int)(sizeof shapes / sizeof shapes[0]))

/* Reference cr^p U diag(x_K(c s_i / cr)) V^T for G = c U diag(s) V^T and
 * cr the scale the runtime reports having divided by (stats.norm): c ||s||
 * = ||G||_F with SPOW_SCALE_FROBENIUS, a Gram bound otherwise.  The exact
 * answer for that scale, whatever it is. */
static void reference(double *ref, const tu_case *tc, const spow_table *t,
                      double c, double cr, int normalized)
{
    double p = (double)t->p_num / t->p_den, *h = malloc(tc->r * sizeof *h);
    size_t i;

    for (i = 0; i < tc->r; i++)
        h[i] = (double)tu_x_scalar(t, (long double)c * tc->s[i] / cr)
               * (normalized ? 1.0 : pow(cr, p));
    tu_case_apply(ref, tc->cols, tc, h);
    free(h);
}

/* GEMMs against the cost model; a Gram scaling (SPOW_SCALE_GRAM4) adds the
 * product S = A A^T to the first step when that step has no T_2 to reuse
 * it for (baby = 1). */
static void check_counts(const tu_counter *cnt, const spow_stats *stats,
                         const spow_table *t, int scale, const char *what)
{
    int k, extra = scale != SPOW_SCALE_FROBENIUS && scale != SPOW_SCALE_GRAM2
                   && t->steps > 0 && t->step[0].baby == 1;

    ck_assert_msg(cnt->calls == t->gemms + extra, "%s p=%d/%d: %ld GEMMs, model %d + %d",
                  what, t->p_num, t->p_den, cnt->calls, t->gemms, extra);
    ck_assert_msg(cnt->steps_seen == t->steps, "%s: %d Gram products for %d steps",
                  what, cnt->steps_seen, t->steps);
    for (k = 0; k < t->steps; k++)
        ck_assert_msg(cnt->per_step[k] == t->step[k].gemms + (k == 0 ? extra : 0),
                      "%s p=%d/%d step %d (d=%d baby=%d): %ld GEMMs, model %d", what,
                      t->p_num, t->p_den, k, t->step[k].degree, t->step[k].baby,
                      cnt->per_step[k], t->step[k].gemms);
    ck_assert_int_eq(stats->gemm_calls, cnt->calls);
    ck_assert_msg(stats->flops == cnt->flops, "flops %g vs %g", stats->flops, cnt->flops);
}

/* One apply of the case G = c U diag(s) V^T (tc) in double, or in float
 * (f32) with opt->f64_steps steps in double, as opt scales it, through the
 * counting GEMMs:
 * its return code, its GEMMs against the cost model and its error against
 * the scalar model at the scale it reports, err <= tol.  what names the
 * case in every message. */
static void check_apply(const tu_hand_table *h, const tu_case *tc, double c,
                        const spow_options *opt, int f32, const void *g, void *out, double *ref,
                        double tol, const char *what)
{
    size_t rows = tc->rows, cols = tc->cols;
    spow_options o = *opt;
    tu_counter cnt = {0};
    spow_stats stats;
    double err;
    int rc;

    o.gemm_f64 = tu_gemm_f64;
    o.gemm_f32 = tu_gemm_f32;
    o.gemm_ctx = &cnt;
    o.stats = &stats;
    rc = f32 ? spow_apply_f32_ex(&h->t, rows, cols, g, cols, out, cols, &o)
             : spow_apply_f64_ex(&h->t, rows, cols, g, cols, out, cols, &o);
    ck_assert_msg(rc == SPOW_OK, "%s: rc %d (%s)", what, rc, spow_strerror(rc));
    check_counts(&cnt, &stats, &h->t, o.scale, what);
    reference(ref, tc, &h->t, c, stats.norm, (o.flags & SPOW_NORMALIZED) != 0);
    err = f32 ? tu_rel_err_f32(out, cols, ref, cols, rows, cols)
              : tu_rel_err(out, cols, ref, cols, rows, cols);
    if (getenv("TU_VERBOSE"))
        printf("%s: err %.3g tol %.3g\n", what, err, tol);
    ck_assert_msg(err <= tol, "%s: err %.3g > tol %.3g", what, err, tol);
}

/* _i picks p, the layouts, the shape and the scaling (every step count
 * meets every scaling over 16 consecutive _i). */
START_TEST(steps_match_scalar_model)
{
    static const int scales[] = {SPOW_SCALE_FROBENIUS, SPOW_SCALE_DEFAULT, SPOW_SCALE_GRAM2,
                                 SPOW_SCALE_GRAM4};
    int scale = scales[(_i / 4) % 4];
    tu_rng rng = {1000u + (uint64_t)_i};
    int m = exponents[_i % NEXP][0], n = exponents[_i % NEXP][1];
    int steps = 1 + _i % 4;
    size_t rows = shapes[_i % NSHAPES][0], cols = shapes[_i % NSHAPES][1];
    size_t r = rows < cols ? rows : cols, kmax = rows > cols ? rows : cols;
    double c = 3.25, s[64], *g, *ref, *out;
    float *gf, *outf;
    tu_hand_table h;
    tu_case tc;
    int nd, normalized;

    tu_hand_build(&h, m, n, steps, 3 * _i, &rng);
    tu_spectrum_spread(s, r, 0.05);
    tu_case_init(&tc, rows, cols, s, &rng);
    g = malloc(rows * cols * sizeof *g);
    ref = malloc(rows * cols * sizeof *ref);
    out = malloc(rows * cols * sizeof *out);
    gf = malloc(rows * cols * sizeof *gf);
    outf = malloc(rows * cols * sizeof *outf);
    tu_case_matrix(g, cols, &tc, c, 1.0);
    for (size_t i = 0; i < rows * cols; i++)
        gf[i] = (float)g[i];

    for (normalized = 0; normalized <= 1; normalized++) {
        spow_options opt = {0};
        char what[128];

        opt.flags = normalized ? SPOW_NORMALIZED : 0;
        opt.scale = scale;

        /* Each product of k-term dot products is off by at most k eps relative
         * (Higham's gamma_k) when, as here, no cancellation occurs (all the
         * matrices have spectra in a band around 1, g in [0.8, 1]); the
         * errors of the t->gemms products add up, and the factor 8 covers
         * the elementwise steps (U, B_j) and the final scaling. */
        snprintf(what, sizeof what, "f64 p=%d/%d steps=%d %zux%zu normalized=%d scale %d", m, n,
                 steps, rows, cols, normalized, scale);
        check_apply(&h, &tc, c, &opt, 0, g, out, ref, 8.0 * h.t.gemms * (double)kmax * 0x1p-53,
                    what);

        /* Same in float, with every split between double and float steps.
         * The reference is the same: rounding G to float moves U x_K(S) V^T
         * by about eps_f (the map is well-conditioned here: g in [0.8, 1]),
         * which the extra 1 in the budget covers. */
        for (nd = 0; nd <= steps + 1; nd++) {
            opt.f64_steps = nd;
            snprintf(what, sizeof what,
                     "f32 f64_steps=%d p=%d/%d steps=%d %zux%zu normalized=%d scale %d", nd, m,
                     n, steps, rows, cols, normalized, scale);
            check_apply(&h, &tc, c, &opt, 1, gf, outf, ref,
                        8.0 * (h.t.gemms + 1) * (double)kmax * 0x1p-24, what);
        }
    }
    tu_case_clear(&tc);
    free(g);
    free(ref);
    free(out);
    free(gf);
    free(outf);
}
END_TEST

/* Tall or wide only changes the side: G and G^T must give transposed
 * results with the same GEMM count, to rounding. */
START_TEST(transpose_symmetry)
{
    tu_rng rng = {77};
    size_t rows = 30, cols = 11, i, j;
    double s[11], *g = malloc(rows * cols * sizeof *g), *gt = malloc(rows * cols * sizeof *gt);
    double *o = malloc(rows * cols * sizeof *o), *ot = malloc(rows * cols * sizeof *ot);
    double *otT = malloc(rows * cols * sizeof *otT);
    tu_hand_table h;
    tu_case tc;
    tu_counter c1 = {0}, c2 = {0};
    spow_options opt = {0};

    tu_hand_build(&h, 1, 4, 3, 4, &rng);
    tu_spectrum_dominant(s, 11, 0.02);
    tu_case_init(&tc, rows, cols, s, &rng);
    tu_case_matrix(g, cols, &tc, 1.0, 1.0);
    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++)
            gt[j * rows + i] = g[i * cols + j];
    opt.gemm_f64 = tu_gemm_f64;
    opt.gemm_ctx = &c1;
    ck_assert_int_eq(spow_apply_f64_ex(&h.t, rows, cols, g, cols, o, cols, &opt), SPOW_OK);
    opt.gemm_ctx = &c2;
    ck_assert_int_eq(spow_apply_f64_ex(&h.t, cols, rows, gt, rows, ot, rows, &opt), SPOW_OK);
    ck_assert_int_eq(c1.calls, c2.calls);
    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++)
            otT[i * cols + j] = ot[j * rows + i];
    ck_assert_double_le(tu_rel_err(otT, cols, o, cols, rows, cols), 1e-13);
    tu_case_clear(&tc);
    free(g);
    free(gt);
    free(o);
    free(ot);
    free(otT);
}
END_TEST

/* Leading dimensions larger than cols, on both sides; the padding of out
 * must not be written. */
START_TEST(leading_dimensions)
{
    tu_rng rng = {5};
    size_t rows = 9, cols = 20, ldg = 23, ldo = 27, i, j;
    double s[9], *g = malloc(rows * ldg * sizeof *g), *gp = malloc(rows * cols * sizeof *gp);
    double *o = malloc(rows * ldo * sizeof *o), *op = malloc(rows * cols * sizeof *op);
    tu_hand_table h;
    tu_case tc;

    tu_hand_build(&h, -1, 4, 2, 1, &rng);
    tu_spectrum_spread(s, rows, 0.05);
    tu_case_init(&tc, rows, cols, s, &rng);
    tu_case_matrix(gp, cols, &tc, 1.0, 1.0);
    for (i = 0; i < rows * ldg; i++)
        g[i] = 1e300; /* padding: would wreck the norm if read */
    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++)
            g[i * ldg + j] = gp[i * cols + j];
    for (i = 0; i < rows * ldo; i++)
        o[i] = -7.0;
    ck_assert_int_eq(spow_apply_f64(&h.t, rows, cols, g, ldg, o, ldo), SPOW_OK);
    ck_assert_int_eq(spow_apply_f64(&h.t, rows, cols, gp, cols, op, cols), SPOW_OK);
    for (i = 0; i < rows; i++)
        for (j = 0; j < ldo; j++) {
            if (j < cols)
                ck_assert_double_eq(o[i * ldo + j], op[i * cols + j]);
            else
                ck_assert_double_eq(o[i * ldo + j], -7.0);
        }
    tu_case_clear(&tc);
    free(g);
    free(gp);
    free(o);
    free(op);
}
END_TEST

/* p = 1 is G itself, by copy and without a GEMM, whatever the steps. */
START_TEST(p_one_is_copy)
{
    tu_rng rng = {9};
    tu_hand_table h;
    double g[6 * 4], o[6 * 4];
    float gf[6 * 4], of[6 * 4];
    tu_counter cnt = {0};
    spow_stats stats;
    spow_options opt = {0};
    int i, steps;

    for (i = 0; i < 24; i++) {
        g[i] = tu_gauss(&rng);
        gf[i] = (float)g[i];
    }
    for (steps = 0; steps <= 2; steps++) {
        tu_hand_build(&h, 1, 1, steps, 0, &rng);
        opt.gemm_f64 = tu_gemm_f64;
        opt.gemm_f32 = tu_gemm_f32;
        opt.gemm_ctx = &cnt;
        opt.stats = &stats;
        ck_assert_int_eq(spow_apply_f64_ex(&h.t, 6, 4, g, 4, o, 4, &opt), SPOW_OK);
        ck_assert_int_eq(spow_apply_f32_ex(&h.t, 6, 4, gf, 4, of, 4, &opt), SPOW_OK);
        for (i = 0; i < 24; i++) {
            ck_assert_double_eq(o[i], g[i]);
            ck_assert_float_eq(of[i], gf[i]);
        }
        ck_assert_int_eq(cnt.calls, 0);
        ck_assert_int_eq(stats.gemm_calls, 0);
    }
}
END_TEST

/* No steps and p != 1: x_0 = s, the result is c^p G / c. */
START_TEST(no_steps)
{
    tu_rng rng = {11};
    tu_hand_table h;
    double g[5 * 3], o[5 * 3], c = 0.0;
    int i;

    for (i = 0; i < 15; i++) {
        g[i] = tu_gauss(&rng);
        c += g[i] * g[i];
    }
    c = sqrt(c);
    tu_hand_build(&h, 1, 3, 0, 0, &rng);
    ck_assert_int_eq(spow_apply_f64(&h.t, 5, 3, g, 3, o, 3), SPOW_OK);
    for (i = 0; i < 15; i++)
        ck_assert_double_eq_tol(o[i], g[i] / c * pow(c, 1.0 / 3.0), 1e-15);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("steps");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, steps_match_scalar_model, 0, 60);
    tcase_add_test(tc, transpose_symmetry);
    tcase_add_test(tc, leading_dimensions);
    tcase_add_test(tc, p_one_is_copy);
    tcase_add_test(tc, no_steps);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
