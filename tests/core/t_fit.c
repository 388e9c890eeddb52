/* t_fit.c -- core/fit.c, precision escalation: the accepted fit's doubles
 * do not depend on the starting precision, the precision used is recorded,
 * and an evaluation-only family is refused. */
#include <check.h>
#include "spow_gen.h"
#include "check_main.h"
#include "fit_helper.h"

START_TEST(test_doubles_settle)
{
    /* starting at 64, 256 or 1024 bits gives the same double coefficients:
     * that is what the escalation promises */
    static const int deg[] = { 4, 4, 4, 6 };
    spow_recurrence r64, r256, r1024;
    mpfr_prec_t u64, u256, u1024;
    spow_test_fit(&r64, 1, 2, 1e-3, deg, 4, 64, &u64);
    spow_test_fit(&r256, 1, 2, 1e-3, deg, 4, 256, &u256);
    spow_test_fit(&r1024, 1, 2, 1e-3, deg, 4, 1024, &u1024);
    ck_assert(u64 > 64 && u256 > 256 && u1024 > 1024);     /* at least one refit */
    ck_assert_int_eq(r64.prec, u64);
    ck_assert_int_eq(r256.prec, u256);
    ck_assert(spow_recurrence_same_f64(&r64, &r256));
    ck_assert(spow_recurrence_same_f64(&r256, &r1024));
    spow_recurrence_clear(&r1024);
    spow_recurrence_clear(&r256);
    spow_recurrence_clear(&r64);
}
END_TEST

START_TEST(test_refusals)
{
    static const int deg[] = { 2 };
    spow_fit_params par;
    spow_test_params(&par, 1, 2, 1e-3, deg, 1, 1, 0, 64);
    const spow_family no_fit = { .name = "no-fit", .summary = "test" };
    spow_recurrence rec;
    mpfr_prec_t used = 0;
    ck_assert_int_eq(spow_fit(&rec, &no_fit, &par, 256, &used), SPOW_GEN_ENOFIT);
    ck_assert_int_eq(used, 0);
    /* 64 steps of degree 1 fit rounding noise long before the last step,
     * even at 4x the starting precision */
    static const int one[] = { 1 };
    par.degrees = one;
    par.nsteps = 64;
    ck_assert_int_eq(spow_fit(&rec, &spow_family_coupled, &par, 64, &used), SPOW_GEN_ESTEPS);
    spow_test_params_clear(&par);
}
END_TEST

SPOW_CHECK_TESTS("fit", 0, test_doubles_settle, test_refusals)
