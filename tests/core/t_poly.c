/* t_poly.c -- basis conversions, evaluation and real roots against direct
 * computation in MPFR. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include "spow_gen.h"
#include "check_main.h"

#define PREC 200

/* deterministic pseudo-random coefficients in [-1, 1] */
static double rnd(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return ((*state >> 8) & 0xffff) / 32767.5 - 1.0;
}

START_TEST(test_cheb_mono_roundtrip)
{
    unsigned st = 7;
    for (int d = 0; d <= 16; d++) {
        mpfr_t *c = spow_vec_init(d + 1, PREC), *a = spow_vec_init(d + 1, PREC);
        mpfr_t *c2 = spow_vec_init(d + 1, PREC);
        for (int i = 0; i <= d; i++)
            mpfr_set_d(c[i], rnd(&st), MPFR_RNDN);
        spow_poly_cheb_to_mono(a, c, d, PREC);
        spow_poly_mono_to_cheb(c2, a, d, PREC);
        for (int i = 0; i <= d; i++) {
            mpfr_sub(c2[i], c2[i], c[i], MPFR_RNDN);
            ck_assert_msg(mpfr_cmpabs_ui(c2[i], 0) == 0 ||
                              mpfr_get_exp(c2[i]) < -PREC + 30,
                          "degree %d coefficient %d does not round-trip", d, i);
        }
        /* Clenshaw and Horner agree, and T_d(cos x) = cos(d x) at one point */
        mpfr_t u, v1, v2;
        mpfr_inits2(PREC, u, v1, v2, (mpfr_ptr)0);
        mpfr_set_d(u, 0.3, MPFR_RNDN);
        spow_poly_eval_cheb(v1, c, d, u);
        spow_poly_eval_mono(v2, a, d, u);
        mpfr_sub(v1, v1, v2, MPFR_RNDN);
        ck_assert_msg(mpfr_zero_p(v1) || mpfr_get_exp(v1) < -PREC + 30,
                      "Clenshaw and Horner differ at degree %d", d);
        mpfr_clears(u, v1, v2, (mpfr_ptr)0);
        spow_vec_clear(c, d + 1);
        spow_vec_clear(a, d + 1);
        spow_vec_clear(c2, d + 1);
    }
}
END_TEST

START_TEST(test_chebyshev_identity)
{
    /* T_7(cos x) = cos(7 x) */
    mpfr_t *c = spow_vec_init(8, PREC);
    mpfr_t x, u, v, ref;
    mpfr_inits2(PREC, x, u, v, ref, (mpfr_ptr)0);
    mpfr_set_ui(c[7], 1, MPFR_RNDN);
    mpfr_set_d(x, 0.7, MPFR_RNDN);
    mpfr_cos(u, x, MPFR_RNDN);
    spow_poly_eval_cheb(v, c, 7, u);
    mpfr_mul_ui(x, x, 7, MPFR_RNDN);
    mpfr_cos(ref, x, MPFR_RNDN);
    mpfr_sub(v, v, ref, MPFR_RNDN);
    ck_assert(mpfr_get_exp(v) < -PREC + 10);
    mpfr_clears(x, u, v, ref, (mpfr_ptr)0);
    spow_vec_clear(c, 8);
}
END_TEST

START_TEST(test_real_roots_known)
{
    /* prod (x - r_i) with close and spread roots, some outside (-1, 1) */
    const double r[] = { -0.9, -0.3, -0.2999, 0.1, 0.5, 0.8, 1.5, -2.0 };
    const int d = 8;
    mpfr_t *a = spow_vec_init(d + 1, PREC);
    mpfr_t *roots = spow_vec_init(d, PREC);
    mpfr_set_ui(a[0], 1, MPFR_RNDN);
    for (int k = 0; k < d; k++) {            /* multiply by (x - r_k) */
        for (int i = k + 1; i >= 1; i--) {
            mpfr_mul_d(a[i], a[i], -r[k], MPFR_RNDN);
            mpfr_add(a[i], a[i], a[i - 1], MPFR_RNDN);
        }
        mpfr_mul_d(a[0], a[0], -r[k], MPFR_RNDN);
    }
    mpfr_t lo, hi;
    mpfr_inits2(PREC, lo, hi, (mpfr_ptr)0);
    mpfr_set_si(lo, -1, MPFR_RNDN);
    mpfr_set_si(hi, 1, MPFR_RNDN);
    int n = spow_poly_real_roots(roots, a, d, lo, hi, PREC);
    const double want[] = { -0.9, -0.3, -0.2999, 0.1, 0.5, 0.8 };
    ck_assert_int_eq(n, 6);
    /* the coefficients carry ~200-bit rounding, so the simple roots move by
     * about 2^-200 times the conditioning: 1e-40 is generous and still strict */
    for (int i = 0; i < n; i++) {
        mpfr_sub_d(lo, roots[i], want[i], MPFR_RNDN);
        ck_assert_msg(mpfr_cmpabs_ui(lo, 0) == 0 || (mpfr_get_d(lo, MPFR_RNDN) < 1e-40 &&
                                                         mpfr_get_d(lo, MPFR_RNDN) > -1e-40),
                      "root %d: got %.17g want %.17g", i, mpfr_get_d(roots[i], MPFR_RNDN),
                      want[i]);
    }
    mpfr_clears(lo, hi, (mpfr_ptr)0);
    spow_vec_clear(a, d + 1);
    spow_vec_clear(roots, d);
}
END_TEST

SPOW_CHECK_TESTS("poly", 0, test_cheb_mono_roundtrip, test_chebyshev_identity,
                 test_real_roots_known)
