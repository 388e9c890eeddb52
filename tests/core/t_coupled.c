/* t_coupled.c -- the coupled family: the invariant, the certificate against an
 * independent evaluation, monotone convergence in K, --target-err, and the
 * accuracy figures the issue asks for. */
#include <check.h>
#include <stdio.h>
#include "spow_gen.h"
#include "check_main.h"
#include "fit_helper.h"

#define PREC 256

static int fit(spow_recurrence *rec, long m, long n, const int *deg, int ndeg, int K,
               double target, double lo)
{
    spow_fit_params par;
    spow_test_params(&par, m, n, lo, deg, ndeg, K, target, PREC);
    mpfr_prec_t used;
    int rc = spow_fit(rec, &spow_family_coupled, &par, PREC, &used);
    spow_test_params_clear(&par);
    return rc;
}

START_TEST(test_invariant)
{
    /* x_k = s^p y_k^(1-p) at every step, for positive, zero and negative p */
    const long ps[][2] = { { 1, 2 }, { -1, 4 }, { 1, 3 }, { 2, 3 }, { 0, 1 }, { 3, 5 } };
    const int deg[] = { 4, 2, 6 };
    for (int i = 0; i < 6; i++) {
        spow_recurrence rec;
        ck_assert_int_eq(fit(&rec, ps[i][0], ps[i][1], deg, 3, 4, 0, 1e-3), 0);
        mpfr_t s, x, y, rhs, sp;
        mpfr_inits2(PREC, s, x, y, rhs, sp, (mpfr_ptr)0);
        for (int j = 0; j <= 40; j++) {
            mpfr_set_d(s, 1e-3 * __builtin_pow(1e3, j / 40.0), MPFR_RNDN);
            mpfr_set(x, s, MPFR_RNDN);
            mpfr_set(y, s, MPFR_RNDN);
            mpfr_pow_si(sp, s, ps[i][0], MPFR_RNDN);
            mpfr_rootn_ui(sp, sp, (unsigned long)ps[i][1], MPFR_RNDN);   /* s^p */
            for (int k = 0; k < rec.steps; k++) {
                rec.family->apply_step(x, y, &rec, k);
                mpfr_pow_si(rhs, y, ps[i][1] - ps[i][0], MPFR_RNDN);
                mpfr_rootn_ui(rhs, rhs, (unsigned long)ps[i][1], MPFR_RNDN);
                mpfr_mul(rhs, rhs, sp, MPFR_RNDN);
                mpfr_sub(rhs, rhs, x, MPFR_RNDN);
                mpfr_div(rhs, rhs, x, MPFR_RNDN);
                ck_assert_msg(mpfr_zero_p(rhs) || mpfr_get_exp(rhs) < -PREC + 40,
                              "p = %ld/%ld, s = %g, step %d: invariant off by %g", ps[i][0],
                              ps[i][1], mpfr_get_d(s, MPFR_RNDN), k + 1,
                              mpfr_get_d(rhs, MPFR_RNDN));
            }
        }
        mpfr_clears(s, x, y, rhs, sp, (mpfr_ptr)0);
        spow_recurrence_clear(&rec);
    }
}
END_TEST

/* The recurrence evaluated from the monomial coefficients in t, rounded to
 * double as a user would copy them from the JSON, with code of its own. */
static void independent_max(mpfr_t out, const spow_recurrence *rec, int npts)
{
    const long m = rec->p_num, n = rec->p_den;
    const int K = rec->steps;
    double mono[64][17];
    for (int k = 0; k < K; k++) {
        mpfr_t *a = spow_vec_init(rec->step[k].degree + 1, PREC);
        spow_step_mono_t(a, &rec->step[k], PREC);
        for (int i = 0; i <= rec->step[k].degree; i++)
            mono[k][i] = mpfr_get_d(a[i], MPFR_RNDN);
        spow_vec_clear(a, rec->step[k].degree + 1);
    }
    mpfr_t s, x, y, t, g, e, sp;
    mpfr_inits2(PREC, s, x, y, t, g, e, sp, (mpfr_ptr)0);
    mpfr_set_zero(out, 1);
    for (int j = 0; j < npts; j++) {
        mpfr_set_d(s, 1e-3, MPFR_RNDN);
        mpfr_set_d(e, 1e3, MPFR_RNDN);
        mpfr_set_d(t, (double)j / (npts - 1), MPFR_RNDN);
        mpfr_pow(e, e, t, MPFR_RNDN);
        mpfr_mul(s, s, e, MPFR_RNDN);
        mpfr_set(x, s, MPFR_RNDN);
        mpfr_set(y, s, MPFR_RNDN);
        for (int k = 0; k < K; k++) {
            mpfr_sqr(t, y, MPFR_RNDN);
            mpfr_set_d(g, mono[k][rec->step[k].degree], MPFR_RNDN);
            for (int i = rec->step[k].degree - 1; i >= 0; i--) {
                mpfr_mul(g, g, t, MPFR_RNDN);
                mpfr_add_d(g, g, mono[k][i], MPFR_RNDN);
            }
            mpfr_pow_ui(e, g, (unsigned long)n, MPFR_RNDN);
            mpfr_mul(y, y, e, MPFR_RNDN);
            mpfr_pow_ui(e, g, (unsigned long)(n - m), MPFR_RNDN);
            mpfr_mul(x, x, e, MPFR_RNDN);
        }
        mpfr_pow_si(sp, s, m, MPFR_RNDN);
        mpfr_rootn_ui(sp, sp, (unsigned long)n, MPFR_RNDN);
        mpfr_div(e, x, sp, MPFR_RNDN);
        mpfr_sub_ui(e, e, 1, MPFR_RNDN);
        mpfr_abs(e, e, MPFR_RNDN);
        mpfr_max(out, out, e, MPFR_RNDN);
    }
    mpfr_clears(s, x, y, t, g, e, sp, (mpfr_ptr)0);
}

START_TEST(test_certificate_dominates_independent_sample)
{
    const long ps[][2] = { { 1, 2 }, { 0, 1 }, { -1, 4 }, { 2, 3 } };
    const int deg[] = { 4, 4, 4, 6 };
    for (int i = 0; i < 4; i++) {
        spow_recurrence rec, r64;
        ck_assert_int_eq(fit(&rec, ps[i][0], ps[i][1], deg, 4, 4, 0, 1e-3), 0);
        spow_recurrence_round_mono(&r64, &rec, 53);
        spow_family_coupled.certify(&r64);
        mpfr_t ind, ratio;
        mpfr_inits2(PREC, ind, ratio, (mpfr_ptr)0);
        independent_max(ind, &r64, 20001);
        mpfr_div(ratio, ind, r64.max_rel_err, MPFR_RNDN);
        /* The certificate of the same double monomials is never below the
         * independent sample (1e-9: the certificate's own root finding and the
         * 256-bit arithmetic of both sides); and a 20001-point grid lands close
         * enough to the maxima to come within 10%. */
        ck_assert_msg(mpfr_cmp_d(ratio, 1 + 1e-9) <= 0 && mpfr_cmp_d(ratio, 0.9) >= 0,
                      "p = %ld/%ld: independent %.10g, certificate %.10g", ps[i][0], ps[i][1],
                      mpfr_get_d(ind, MPFR_RNDN), mpfr_get_d(r64.max_rel_err, MPFR_RNDN));
        mpfr_clears(ind, ratio, (mpfr_ptr)0);
        spow_recurrence_clear(&r64);
        spow_recurrence_clear(&rec);
    }
}
END_TEST

START_TEST(test_errors_fall_with_steps)
{
    const int deg[] = { 2 };
    double prev = 2;
    for (int K = 1; K <= 7; K++) {
        spow_recurrence rec;
        ck_assert_int_eq(fit(&rec, 1, 2, deg, 1, K, 0, 1e-3), 0);
        double e = mpfr_get_d(rec.max_rel_err, MPFR_RNDU);
        ck_assert_msg(e < prev, "K = %d: %g not below %g", K, e, prev);
        /* the per-step errors of one fit fall too */
        for (int k = 1; k < K; k++)
            ck_assert(mpfr_cmp(rec.step[k].err, rec.step[k - 1].err) < 0);
        prev = e;
        spow_recurrence_clear(&rec);
    }
}
END_TEST

START_TEST(test_issue_figures)
{
    spow_recurrence rec;
    /* p = 1/2, degree 2, 6 steps: <= 3e-8 */
    ck_assert_int_eq(fit(&rec, 1, 2, (int[]){ 2 }, 1, 6, 0, 1e-3), 0);
    ck_assert_msg(mpfr_cmp_d(rec.max_rel_err, 3e-8) <= 0, "%g",
                  mpfr_get_d(rec.max_rel_err, MPFR_RNDN));
    spow_recurrence_clear(&rec);
    /* p = 1/2, degrees 4,4,4,6: <= 1e-6 in 23 GEMMs */
    ck_assert_int_eq(fit(&rec, 1, 2, (int[]){ 4, 4, 4, 6 }, 4, 4, 0, 1e-3), 0);
    ck_assert_msg(mpfr_cmp_d(rec.max_rel_err, 1e-6) <= 0, "%g",
                  mpfr_get_d(rec.max_rel_err, MPFR_RNDN));
    ck_assert_int_eq(spow_report_gemms(&rec), 23);
    spow_recurrence_clear(&rec);
}
END_TEST

START_TEST(test_target_err_fewest_steps)
{
    const long ps[][2] = { { 1, 2 }, { 0, 1 }, { -1, 4 } };
    for (int i = 0; i < 3; i++) {
        spow_recurrence rec, shorter;
        ck_assert_int_eq(fit(&rec, ps[i][0], ps[i][1], (int[]){ 2 }, 1, 0, 1e-6, 1e-3), 0);
        ck_assert(mpfr_cmp_d(rec.max_rel_err, 1e-6) <= 0);
        ck_assert(rec.steps >= 2);
        ck_assert_int_eq(fit(&shorter, ps[i][0], ps[i][1], (int[]){ 2 }, 1, rec.steps - 1, 0, 1e-3),
                         0);
        ck_assert_msg(mpfr_cmp_d(shorter.max_rel_err, 1e-6) > 0,
                      "p = %ld/%ld: %d steps already reach the target", ps[i][0], ps[i][1],
                      rec.steps - 1);
        spow_recurrence_clear(&shorter);
        spow_recurrence_clear(&rec);
    }
}
END_TEST

START_TEST(test_identity)
{
    spow_recurrence rec;
    ck_assert_int_eq(fit(&rec, 1, 1, (int[]){ 2 }, 1, 3, 0, 1e-3), 0);
    ck_assert_int_eq(rec.steps, 0);
    ck_assert(mpfr_zero_p(rec.max_rel_err));
    spow_recurrence_clear(&rec);
}
END_TEST

START_TEST(test_schedule_search)
{
    /* docs/mathematics.md section 5: p = 1/2 reaches ~5e-7 in 23 GEMMs with 4,4,4,6 */
    spow_fit_params par;
    int deg[SPOW_GEN_MAX_STEPS], K = 0;
    spow_test_params(&par, 1, 2, 1e-3, deg, 0, 0, 1e-6, 128);
    ck_assert_int_eq(spow_family_coupled.search_schedule(deg, &K, &par, 128), 0);
    int total = 0;
    for (int k = 0; k < K; k++)
        total += spow_cost_step(deg[k], k, K, 1, 2);
    ck_assert_int_eq(total, 23);
    /* and nothing cheaper exists among the all-equal schedules */
    for (int d = 1; d <= 16; d++) {
        for (int k2 = 1; k2 <= 8; k2++) {
            int c = 0;
            for (int k = 0; k < k2; k++)
                c += spow_cost_step(d, k, k2, 1, 2);
            if (c >= total)
                continue;
            spow_recurrence rec;
            ck_assert_int_eq(fit(&rec, 1, 2, &d, 1, k2, 0, 1e-3), 0);
            ck_assert_msg(mpfr_cmp_d(rec.max_rel_err, 1e-6) > 0,
                          "degree %d x %d (%d GEMMs) beats the search", d, k2, c);
            spow_recurrence_clear(&rec);
        }
    }
    spow_test_params_clear(&par);
}
END_TEST

SPOW_CHECK_TESTS("coupled", 0, test_invariant, test_certificate_dominates_independent_sample,
                 test_errors_fall_with_steps, test_issue_figures, test_target_err_fewest_steps,
                 test_identity, test_schedule_search)
