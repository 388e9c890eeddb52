/* t_fixedpoint.c -- core/families/fixedpoint*.c: the fixed-point family's
 * steps, its interval certificate against an independent multiprecision
 * evaluation, the greedy and joint fits, determinism, refusals and what the
 * JSON emitter writes for it. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "spow_gen.h"
#include "families/fixedpoint.h"
#include "check_main.h"
#include "fit_helper.h"

#define PREC 256

/* rec for p = a/b on [1e-3, 1] with the given constants. */
static void make_rec(spow_recurrence *rec, long a, long b, const double *c, int K)
{
    mpfr_t lo, hi;
    mpfr_inits2(PREC, lo, hi, (mpfr_ptr)0);
    mpfr_set_d(lo, 1e-3, MPFR_RNDN);
    mpfr_set_ui(hi, 1, MPFR_RNDN);
    spow_recurrence_init(rec, &spow_family_fixedpoint, a, b, lo, hi, PREC);
    mpfr_t *cm = spow_vec_init(K, PREC);
    for (int k = 0; k < K; k++)
        mpfr_set_d(cm[k], c[k], MPFR_RNDN);
    spow_fixedpoint_push_steps(rec, cm, K);
    spow_vec_clear(cm, K);
    mpfr_clears(lo, hi, (mpfr_ptr)0);
}

/* The reference: y <- y - c (y^b - s^a) written out directly (not through
 * the family's step, which goes through the stored blocks), at N
 * log-spaced s; per step the largest |y / s^p - 1| and the range of y / s^p. */
#define N 20001
static void reference(double *err, double *rlo, double *rhi, long a, long b, const double *c,
                      int K)
{
    mpfr_t s, y, t, sp, r;
    mpfr_inits2(PREC, s, y, t, sp, r, (mpfr_ptr)0);
    for (int k = 0; k < K; k++) {
        err[k] = 0.0;
        rlo[k] = 1e300;
        rhi[k] = -1e300;
    }
    for (int i = 0; i < N; i++) {
        mpfr_set_d(s, 3.0 * i / (N - 1) - 3.0, MPFR_RNDN);
        mpfr_exp10(s, s, MPFR_RNDN);                        /* 1e-3 .. 1 */
        mpfr_pow_ui(sp, s, (unsigned long)a, MPFR_RNDN);
        mpfr_rootn_ui(sp, sp, (unsigned long)b, MPFR_RNDN);
        mpfr_set(y, s, MPFR_RNDN);
        for (int k = 0; k < K; k++) {
            mpfr_pow_ui(t, y, (unsigned long)b, MPFR_RNDN);
            mpfr_pow_ui(r, s, (unsigned long)a, MPFR_RNDN);
            mpfr_sub(t, t, r, MPFR_RNDN);
            mpfr_mul_d(t, t, c[k], MPFR_RNDN);
            mpfr_sub(y, y, t, MPFR_RNDN);
            mpfr_div(r, y, sp, MPFR_RNDN);
            double q = mpfr_get_d(r, MPFR_RNDN);
            err[k] = fabs(q - 1.0) > err[k] ? fabs(q - 1.0) : err[k];
            rlo[k] = q < rlo[k] ? q : rlo[k];
            rhi[k] = q > rhi[k] ? q : rhi[k];
        }
    }
    mpfr_clears(s, y, t, sp, r, (mpfr_ptr)0);
}

/* The certificate bounds the reference after every step, and is tight:
 * within 1e-3 relative of it (the bisection stops 2^-12 above the refined
 * sample; the reference's 20001 points miss a maximum by far less). */
static void check_certificate(long a, long b, const double *c, int K)
{
    spow_recurrence rec;
    make_rec(&rec, a, b, c, K);
    ck_assert_int_eq(spow_fixedpoint_certify(&rec), 0);
    double err[16], rlo[16], rhi[16];
    reference(err, rlo, rhi, a, b, c, K);
    for (int k = 0; k < K; k++) {
        const spow_step_mp *st = &rec.step[k];
        double e = mpfr_get_d(st->err, MPFR_RNDU);
        ck_assert_msg(e >= err[k] && e <= err[k] * (1 + 1e-3),
                      "p = %ld/%ld step %d: certificate %.9g, reference %.9g", a, b, k + 1, e,
                      err[k]);
        ck_assert(mpfr_cmp_d(st->y_lo, rlo[k]) <= 0 && mpfr_cmp_d(st->y_hi, rhi[k]) >= 0);
    }
    ck_assert(mpfr_equal_p(rec.max_rel_err, rec.step[K - 1].err));
    spow_recurrence_clear(&rec);
}

START_TEST(test_certificate_published)
{
    /* the Muon^p paper's p = 1/3 constant, 6 steps */
    static const double c[6] = { 0.66, 0.66, 0.66, 0.66, 0.66, 0.66 };
    check_certificate(1, 3, c, 6);
}
END_TEST

START_TEST(test_certificate_overshoot)
{
    /* constants that throw y far past its fixed point and back (step 3) */
    static const double c[6] = { 0.887495, 0.334893, 19.6866, 0.116154, 0.855405, 1.98807 };
    check_certificate(1, 3, c, 6);
}
END_TEST

START_TEST(test_certificate_degree_two)
{
    /* b = 5: g of degree 2; a = 3: the X^a term is not X */
    static const double c[6] = { 0.2, 0.2, 0.2, 0.2, 0.2, 0.2 };
    check_certificate(1, 5, c, 6);
    check_certificate(3, 5, c, 6);
}
END_TEST

START_TEST(test_steps)
{
    static const double c[2] = { 0.75, -1.5 };
    spow_recurrence rec;
    make_rec(&rec, 3, 5, c, 2);
    for (int k = 0; k < 2; k++) {
        const spow_step_mp *st = &rec.step[k];
        ck_assert_int_eq(st->degree, 2);
        ck_assert(mpfr_cmp_ui(st->alpha, 1) == 0 && mpfr_zero_p(st->beta));
        ck_assert(st->nconst == 1 && mpfr_cmp_d(st->cst[0], c[k]) == 0);
        mpfr_t a[3];
        for (int i = 0; i < 3; i++)
            mpfr_init2(a[i], PREC);
        spow_step_mono_t(a, st, PREC);
        ck_assert(mpfr_cmp_ui(a[0], 1) == 0 && mpfr_zero_p(a[1]) && mpfr_cmp_d(a[2], -c[k]) == 0);
        for (int i = 0; i < 3; i++)
            mpfr_clear(a[i]);
    }
    /* Gram, A^2, Y g(A); the first step also X^T X and X (X^T X) */
    ck_assert_int_eq(rec.step[0].gemms, 5);
    ck_assert_int_eq(rec.step[1].gemms, 3);
    long yp, xp;
    spow_family_powers(&yp, &xp, &rec);
    ck_assert(yp == 5 && xp == 3);
    spow_recurrence_clear(&rec);
}
END_TEST

static void fit(spow_recurrence *rec, long a, long b, int K, int greedy)
{
    spow_fit_params par;
    spow_test_params(&par, a, b, 1e-3, NULL, 0, K, 0, PREC);
    par.greedy = greedy;
    mpfr_prec_t used;
    ck_assert_int_eq(spow_fit(rec, &spow_family_fixedpoint, &par, PREC, &used), 0);
    ck_assert_int_eq(used, PREC);       /* fitted in double: no escalation */
    spow_test_params_clear(&par);
}

START_TEST(test_joint_beats_greedy)
{
    /* Greedy is not optimal for this family: the joint fit from the greedy
     * constants ends lower after the last step.  The numbers are the
     * issue's: the published c = 0.66 leaves 0.9504 after 6 steps (the
     * certificate test above checks that value's neighbourhood), greedy
     * 0.917 and joint 0.680 today; 0.95 and 0.75 catch a regression without
     * pinning the optimiser's digits. */
    spow_recurrence g, j;
    fit(&g, 1, 3, 6, 1);
    fit(&j, 1, 3, 6, 0);
    ck_assert(mpfr_cmp(j.max_rel_err, g.max_rel_err) < 0);
    ck_assert(mpfr_cmp_d(g.max_rel_err, 0.95) < 0);
    ck_assert(mpfr_cmp_d(j.max_rel_err, 0.75) < 0);
    /* the certificate holds for the fitted constants too */
    double c[6], err[6], rlo[6], rhi[6];
    for (int k = 0; k < 6; k++)
        c[k] = mpfr_get_d(j.step[k].cst[0], MPFR_RNDN);
    reference(err, rlo, rhi, 1, 3, c, 6);
    ck_assert(mpfr_cmp_d(j.max_rel_err, err[5]) >= 0);
    /* deterministic */
    spow_recurrence j2;
    fit(&j2, 1, 3, 6, 0);
    ck_assert(spow_recurrence_same_f64(&j, &j2));
    spow_recurrence_clear(&j2);
    spow_recurrence_clear(&j);
    spow_recurrence_clear(&g);
}
END_TEST

START_TEST(test_refusals)
{
    static const long bad[][2] = { { 1, 2 }, { 2, 3 }, { 0, 1 }, { 3, 3 }, { -1, 3 }, { 5, 3 } };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_ptr_nonnull(spow_fixedpoint_unsupported(bad[i][0], bad[i][1]));
        spow_fit_params par;
        spow_test_params(&par, bad[i][0], bad[i][1], 1e-3, NULL, 0, 6, 0, PREC);
        spow_recurrence rec;
        mpfr_prec_t used;
        ck_assert_int_eq(spow_fit(&rec, &spow_family_fixedpoint, &par, PREC, &used),
                         SPOW_GEN_EARG);
        spow_test_params_clear(&par);
    }
    ck_assert_ptr_null(spow_fixedpoint_unsupported(1, 3));
    ck_assert_ptr_null(spow_fixedpoint_unsupported(13, 15));
    /* no step count */
    spow_fit_params par;
    spow_test_params(&par, 1, 3, 1e-3, NULL, 0, 0, 1e-3, PREC);
    spow_recurrence rec;
    mpfr_prec_t used;
    ck_assert_int_eq(spow_fit(&rec, &spow_family_fixedpoint, &par, PREC, &used), SPOW_GEN_EARG);
    spow_test_params_clear(&par);
}
END_TEST

START_TEST(test_json)
{
    spow_gen_params gp;
    memset(&gp, 0, sizeof gp);
    gp.family = &spow_family_fixedpoint;
    spow_test_params(&gp.fit, 1, 3, 1e-3, NULL, 0, 2, 0, PREC);
    gp.fit.greedy = 1;
    gp.samples = 500;
    spow_gen_result res;
    ck_assert_int_eq(spow_gen_table(&res, &gp, PREC), 0);
    spow_report rep;
    spow_gen_result_report(&rep, &res, "test", "t");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(spow_emit_json(f, &rep), 0);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "\"family\": \"fixed-point\""));
    ck_assert_ptr_nonnull(strstr(buf, "\"y_power\": 3,\n  \"x_power\": 1,"));
    char want[200];
    snprintf(want, sizeof want, "\"constants\": [[%.17g], [%.17g]]",
             mpfr_get_d(res.rec.step[0].cst[0], MPFR_RNDN),
             mpfr_get_d(res.rec.step[1].cst[0], MPFR_RNDN));
    ck_assert_msg(strstr(buf, want) != NULL, "%s not in\n%s", want, buf);
    free(buf);
    spow_gen_result_clear(&res);
    spow_test_params_clear(&gp.fit);
}
END_TEST

SPOW_CHECK_TESTS("fixedpoint", 0, test_certificate_published, test_certificate_overshoot,
                 test_certificate_degree_two, test_steps, test_joint_beats_greedy, test_refusals,
                 test_json)
