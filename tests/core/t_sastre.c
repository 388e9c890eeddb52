/* t_sastre.c -- core/sastre.c: Sastre's product form of fitted steps.
 *
 * The reference is the form's definition itself, evaluated in MPFR at
 * points (powers of w, y0, the two factors, one product), never the
 * expansion the module stores: the stored blocks, the expansion and the
 * fitted g must all agree with it. */
#include <check.h>
#include "spow_gen.h"
#include "check_main.h"
#include "fit_helper.h"

#define PREC 256

/* g(t) straight from the form's definition at one point. */
static void form_at(mpfr_t g, const spow_step_mp *st, const mpfr_t t)
{
    const int k = st->form_k;
    mpfr_t w, pw[5], y0, f1, f2, tmp;
    mpfr_inits2(PREC, w, y0, f1, f2, tmp, (mpfr_ptr)0);
    mpfr_fma(w, st->alpha, t, st->beta, MPFR_RNDN);
    mpfr_sub_d(w, w, st->form_shift, MPFR_RNDN);
    for (int j = 0; j <= k; j++) {
        mpfr_init2(pw[j], PREC);
        mpfr_pow_ui(pw[j], w, (unsigned long)j, MPFR_RNDN);
    }
    mpfr_t *const a = st->form, *const b = st->form + k, *const l = st->form + 3 * k;
    mpfr_set_zero(y0, 1);
    for (int j = 1; j <= k; j++) {
        mpfr_mul(tmp, a[j - 1], pw[j], MPFR_RNDN);
        mpfr_add(y0, y0, tmp, MPFR_RNDN);
    }
    mpfr_mul(y0, y0, pw[k], MPFR_RNDN);
    mpfr_set(f1, y0, MPFR_RNDN);
    mpfr_mul_si(f2, y0, st->form_sign, MPFR_RNDN);
    for (int j = 1; j <= k; j++) {
        mpfr_mul(tmp, b[j - 1], pw[j], MPFR_RNDN);
        mpfr_add(f1, f1, tmp, MPFR_RNDN);
        if (j >= 2) {
            mpfr_mul(tmp, st->form[2 * k + j - 2], pw[j], MPFR_RNDN);
            mpfr_add(f2, f2, tmp, MPFR_RNDN);
        }
    }
    mpfr_mul(g, f1, f2, MPFR_RNDN);
    mpfr_fma(g, st->form[3 * k - 1], y0, g, MPFR_RNDN);
    for (int j = 0; j <= k; j++) {
        mpfr_mul(tmp, l[j], pw[j], MPFR_RNDN);
        mpfr_add(g, g, tmp, MPFR_RNDN);
        mpfr_clear(pw[j]);
    }
    mpfr_clears(w, y0, f1, f2, tmp, (mpfr_ptr)0);
}

static int is_double(const mpfr_t x)
{
    mpfr_t d;
    mpfr_init2(d, 53);
    mpfr_set(d, x, MPFR_RNDN);
    int same = mpfr_equal_p(d, x);
    mpfr_clear(d);
    return same;
}

START_TEST(test_cost)
{
    ck_assert_int_eq(spow_sastre_k(8), 2);
    ck_assert_int_eq(spow_sastre_k(12), 3);
    ck_assert_int_eq(spow_sastre_k(16), 4);
    ck_assert_int_eq(spow_sastre_k(9), 0);
    ck_assert_int_eq(spow_sastre_k(4), 0);
    ck_assert_int_eq(spow_sastre_products(8), 3);
    ck_assert_int_eq(spow_sastre_products(16), 5);
    ck_assert_int_eq(spow_sastre_nform(3), 13);
    /* one product less than Paterson-Stockmeyer at each of these degrees */
    for (int d = 8; d <= 16; d += 4)
        ck_assert_int_eq(spow_cost_g(d, SPOW_SCHEME_SASTRE) + 1, spow_cost_g(d, SPOW_SCHEME_PS));
    ck_assert_int_eq(spow_cost_g(9, SPOW_SCHEME_SASTRE), spow_cost_g(9, SPOW_SCHEME_PS));
}
END_TEST

START_TEST(test_form_is_the_fitted_g)
{
    /* p = 1/2 on [1e-3, 1], degrees 8, 12, 16: for each fitted step the form
     * exists, is made of doubles, and defines (by its definition, at points
     * across the step's interval) the fitted g up to the rounding of those
     * doubles, and the blocks the step now holds are that polynomial. */
    static const int deg[] = { 8, 12, 16 };
    spow_recurrence rec;
    mpfr_prec_t used;
    spow_test_fit(&rec, 1, 2, 1e-3, deg, 3, PREC, &used);
    for (int k = 0; k < rec.steps; k++) {
        spow_step_mp *st = &rec.step[k];
        mpfr_t *fitted = spow_vec_init(st->degree + 1, PREC);
        spow_step_mono_t(fitted, st, PREC);
        ck_assert_int_eq(spow_sastre_set(st, PREC), 0);
        ck_assert_int_eq(st->scheme, SPOW_SCHEME_SASTRE);
        ck_assert_int_eq(st->form_k, deg[k] / 4);
        ck_assert(st->form_sign == 1 || st->form_sign == -1);
        ck_assert(st->form_shift >= -2 && st->form_shift <= 2);
        ck_assert(st->form_shift * 4 == (double)(long)(st->form_shift * 4));
        ck_assert(is_double(st->alpha) && is_double(st->beta));
        for (int i = 0; i < spow_sastre_nform(st->form_k); i++)
            ck_assert(is_double(st->form[i]));
        mpfr_t t, g_form, g_blocks, g_fit, gmax, diff;
        mpfr_inits2(PREC, t, g_form, g_blocks, g_fit, gmax, diff, (mpfr_ptr)0);
        mpfr_set_zero(gmax, 1);
        mpfr_set_zero(diff, 1);
        for (int i = 0; i <= 200; i++) {
            /* t across the fitted interval */
            mpfr_sub(t, st->t_hi, st->t_lo, MPFR_RNDN);
            mpfr_mul_ui(t, t, (unsigned long)i, MPFR_RNDN);
            mpfr_div_ui(t, t, 200, MPFR_RNDN);
            mpfr_add(t, t, st->t_lo, MPFR_RNDN);
            form_at(g_form, st, t);
            spow_step_eval_g(g_blocks, st, t);
            spow_poly_eval_mono(g_fit, fitted, st->degree, t);
            /* the blocks are the form's polynomial, to the working precision */
            mpfr_sub(g_blocks, g_blocks, g_form, MPFR_RNDN);
            mpfr_abs(g_blocks, g_blocks, MPFR_RNDN);
            ck_assert_msg(mpfr_cmp_d(g_blocks, 1e-60) < 0, "step %d: blocks differ from the form",
                          k + 1);
            mpfr_sub(g_fit, g_fit, g_form, MPFR_RNDN);
            mpfr_abs(g_fit, g_fit, MPFR_RNDN);
            mpfr_max(diff, diff, g_fit, MPFR_RNDN);
            mpfr_abs(g_form, g_form, MPFR_RNDN);
            mpfr_max(gmax, gmax, g_form, MPFR_RNDN);
        }
        /* Rounding the form's coefficients to double moves g by 2^-53 times
         * its largest terms, which after the shift (|w| up to 3) reach 1e3 to
         * 1e4 times g: measured 2.6e-12 (degree 8), 1.2e-11 (12) and 1.4e-17
         * (16, a nearly constant last step).  1e-10 allows for that and is
         * far below every step's error; the certificate covers the form's
         * polynomial exactly anyway (test_fit_with_the_scheme). */
        mpfr_div(diff, diff, gmax, MPFR_RNDN);
        ck_assert_msg(mpfr_cmp_d(diff, 1e-10) < 0, "step %d: form vs fitted g %.3e", k + 1,
                      mpfr_get_d(diff, MPFR_RNDN));
        mpfr_clears(t, g_form, g_blocks, g_fit, gmax, diff, (mpfr_ptr)0);
        spow_vec_clear(fitted, st->degree + 1);
    }
    spow_recurrence_clear(&rec);
}
END_TEST

START_TEST(test_refuses_other_degrees)
{
    static const int deg[] = { 9 };
    spow_recurrence rec;
    mpfr_prec_t used;
    spow_test_fit(&rec, 1, 2, 1e-3, deg, 1, PREC, &used);
    ck_assert_int_eq(spow_sastre_set(&rec.step[0], PREC), SPOW_GEN_EARG);
    ck_assert_int_eq(rec.step[0].scheme, SPOW_SCHEME_PS);
    ck_assert_ptr_null(rec.step[0].form);
    spow_recurrence_clear(&rec);
}
END_TEST


START_TEST(test_fit_with_the_scheme)
{
    /* p = 1/3, 8,8,12 (the search's schedule): one product less per step
     * than the same degrees by Paterson-Stockmeyer, the same certificate to
     * 1e-6 relative (the forms move g by rounding only), a deterministic
     * result, the double rounding a no-op, and the float rounding applied to
     * the form (its certificate is the form's with float coefficients). */
    static const int deg[] = { 8, 8, 12 };
    spow_recurrence sa, ps;
    spow_test_fit_form_and_ps(&sa, &ps, 1, 3, deg, 3, SPOW_SCHEME_SASTRE, PREC);
    for (int k = 0; k < 3; k++) {
        ck_assert_int_eq(sa.step[k].scheme, SPOW_SCHEME_SASTRE);
        ck_assert_int_eq(ps.step[k].scheme, SPOW_SCHEME_PS);
        ck_assert_int_eq(sa.step[k].gemms + 1, ps.step[k].gemms);
    }
    ck_assert_int_eq(spow_report_gemms(&sa) + 3, spow_report_gemms(&ps));
    mpfr_t rel;
    mpfr_init2(rel, PREC);
    mpfr_div(rel, sa.max_rel_err, ps.max_rel_err, MPFR_RNDN);
    mpfr_sub_ui(rel, rel, 1, MPFR_RNDN);
    mpfr_abs(rel, rel, MPFR_RNDN);
    ck_assert_msg(mpfr_cmp_d(rel, 1e-6) < 0, "certificates %.6e vs %.6e",
                  mpfr_get_d(sa.max_rel_err, MPFR_RNDN), mpfr_get_d(ps.max_rel_err, MPFR_RNDN));
    spow_test_form_roundings(&sa, SPOW_SCHEME_SASTRE, 1e-5);
    mpfr_clear(rel);
    spow_recurrence_clear(&ps);
    spow_recurrence_clear(&sa);
}
END_TEST

SPOW_CHECK_TESTS("sastre", 0, test_cost, test_form_is_the_fitted_g, test_refuses_other_degrees,
                 test_fit_with_the_scheme)
