/* t_certify.c -- core/certify.c, the direct sample of |x_K(s)/s^p - 1|:
 * against closed forms (no step: |s^(1-p) - 1|, largest at lo), against the
 * family's certificate (never above it, and close to it: the fit
 * equioscillates), and its refinement of the maximum. */
#include <check.h>
#include "spow_gen.h"
#include "check_main.h"
#include "fit_helper.h"

#define PREC 256

START_TEST(test_no_step_closed_form)
{
    /* with no step x = s, so the error is |s^(1-p) - 1|: for p = 1/2 on
     * [lo, 1] it is largest at s = lo, 1 - sqrt(lo) */
    static const int deg[] = { 2 };
    spow_recurrence rec;
    mpfr_prec_t used;
    spow_test_fit(&rec, 1, 2, 1e-2, deg, 1, PREC, &used);
    mpfr_t err, arg, s, want;
    mpfr_inits2(PREC, err, arg, s, want, (mpfr_ptr)0);
    spow_certify_sample_k(err, arg, &rec, 0, 200);
    mpfr_set_d(want, 1e-2, MPFR_RNDN);
    mpfr_sqrt(want, want, MPFR_RNDN);
    mpfr_ui_sub(want, 1, want, MPFR_RNDN);     /* 0.9 */
    mpfr_sub(want, want, err, MPFR_RNDN);
    ck_assert_msg(mpfr_get_exp(want) < -(PREC - 8) || mpfr_zero_p(want), "%g",
                  mpfr_get_d(want, MPFR_RNDN));
    ck_assert(mpfr_cmp_d(arg, 1e-2) == 0);
    /* one point: s = 1/4 gives |sqrt(1/4) - 1| = 1/2 exactly */
    mpfr_set_d(s, 0.25, MPFR_RNDN);
    spow_certify_rel_err(err, &rec, s, 0);
    ck_assert(mpfr_cmp_d(err, 0.5) == 0);
    mpfr_clears(err, arg, s, want, (mpfr_ptr)0);
    spow_recurrence_clear(&rec);
}
END_TEST

START_TEST(test_under_and_near_certificate)
{
    /* the coupled certificate is exact interval propagation; the sample of
     * the same recurrence may touch it (equioscillation) but not exceed it
     * beyond the working precision, and for a minimax fit it reaches it to
     * within the few percent the refinement leaves */
    static const int deg[] = { 4, 6, 9 };
    const long ps[][2] = { { 1, 2 }, { -1, 4 }, { 0, 1 } };
    for (int i = 0; i < 3; i++) {
        spow_recurrence rec;
        mpfr_prec_t used;
        spow_test_fit(&rec, ps[i][0], ps[i][1], 1e-3, deg, 3, PREC, &used);
        mpfr_t err, arg, slack;
        mpfr_inits2(PREC, err, arg, slack, (mpfr_ptr)0);
        spow_certify_sample(err, arg, &rec, 2000);
        mpfr_mul_d(slack, rec.max_rel_err, 1 + 1e-20, MPFR_RNDU);
        ck_assert_msg(mpfr_cmp(err, slack) <= 0, "p = %ld/%ld: sample above certificate",
                      ps[i][0], ps[i][1]);
        mpfr_mul_d(slack, rec.max_rel_err, 0.95, MPFR_RNDN);
        ck_assert_msg(mpfr_cmp(err, slack) >= 0, "p = %ld/%ld: sample %g, certificate %g",
                      ps[i][0], ps[i][1], mpfr_get_d(err, MPFR_RNDN),
                      mpfr_get_d(rec.max_rel_err, MPFR_RNDN));
        /* the reported argmax is where the error is that large */
        mpfr_t at;
        mpfr_init2(at, PREC);
        spow_certify_rel_err(at, &rec, arg, rec.steps);
        ck_assert(mpfr_equal_p(at, err));
        ck_assert(mpfr_cmp(arg, rec.lo) >= 0 && mpfr_cmp(arg, rec.hi) <= 0);
        mpfr_clear(at);
        /* after each step the error falls */
        mpfr_t prev;
        mpfr_init2(prev, PREC);
        mpfr_set_inf(prev, 1);
        for (int k = 0; k <= rec.steps; k++) {
            spow_certify_sample_k(err, arg, &rec, k, 400);
            ck_assert_msg(mpfr_cmp(err, prev) < 0, "p = %ld/%ld, step %d", ps[i][0], ps[i][1],
                          k);
            mpfr_set(prev, err, MPFR_RNDN);
        }
        mpfr_clears(err, arg, slack, prev, (mpfr_ptr)0);
        spow_recurrence_clear(&rec);
    }
}
END_TEST

SPOW_CHECK_TESTS("certify", 0, test_no_step_closed_form, test_under_and_near_certificate)
