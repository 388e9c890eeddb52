/* t_nested.c -- core/nested.c: the nested 4-product form of degree-16 steps.
 *
 * The reference is the form's definition (y0, y1, the two factors, one
 * product each) evaluated in MPFR at points, never the expansion the module
 * stores; the minimax claim is checked against the unconstrained fit of the
 * same schedule, which no polynomial of degree 16 can beat. */
#include <check.h>
#include <math.h>
#include "spow_gen.h"
#include "random.h"
#include "check_main.h"
#include "fit_helper.h"

#define PREC 256

/* The form at one point w, straight from its definition (spow.h's order). */
static void form_at_w(mpfr_t g, int sign, mpfr_t *const v, const mpfr_t w)
{
    mpfr_t w2, y0, y1, p, q, tmp;
    mpfr_inits2(PREC, w2, y0, y1, p, q, tmp, (mpfr_ptr)0);
    mpfr_sqr(w2, w, MPFR_RNDN);
    mpfr_mul(y0, v[0], w, MPFR_RNDN);              /* y0 = w2 (a1 w + a2 w2) */
    mpfr_fma(y0, v[1], w2, y0, MPFR_RNDN);
    mpfr_mul(y0, y0, w2, MPFR_RNDN);
    mpfr_fma(p, v[2], w, y0, MPFR_RNDN);           /* y0 + b1 w + b2 w2 */
    mpfr_fma(p, v[3], w2, p, MPFR_RNDN);
    mpfr_fma(q, v[4], w2, y0, MPFR_RNDN);          /* y0 + c2 w2 */
    mpfr_mul(y1, p, q, MPFR_RNDN);
    mpfr_fma(y1, v[5], y0, y1, MPFR_RNDN);
    mpfr_fma(p, v[6], y0, y1, MPFR_RNDN);          /* y1 + d0 y0 + d1 w + d2 w2 */
    mpfr_fma(p, v[7], w, p, MPFR_RNDN);
    mpfr_fma(p, v[8], w2, p, MPFR_RNDN);
    mpfr_mul_si(q, y1, sign, MPFR_RNDN);           /* sign y1 + f0 y0 + f1 w + f2 w2 */
    mpfr_fma(q, v[9], y0, q, MPFR_RNDN);
    mpfr_fma(q, v[10], w, q, MPFR_RNDN);
    mpfr_fma(q, v[11], w2, q, MPFR_RNDN);
    mpfr_mul(g, p, q, MPFR_RNDN);
    mpfr_fma(g, v[12], y0, g, MPFR_RNDN);          /* + h0 y0 + h1 y1 + l0 + l1 w + l2 w2 */
    mpfr_fma(g, v[13], y1, g, MPFR_RNDN);
    mpfr_add(g, g, v[14], MPFR_RNDN);
    mpfr_fma(g, v[15], w, g, MPFR_RNDN);
    mpfr_fma(g, v[16], w2, g, MPFR_RNDN);
    mpfr_clears(w2, y0, y1, p, q, tmp, (mpfr_ptr)0);
}

/* max over [t_lo, t_hi] (201 points) of |g from the blocks - the form| /
 * max |form|: the blocks must be the form's polynomial. */
static double blocks_vs_form(const spow_step_mp *st)
{
    mpfr_t t, w, g_form, g_blocks, gmax, diff;
    mpfr_inits2(PREC, t, w, g_form, g_blocks, gmax, diff, (mpfr_ptr)0);
    mpfr_set_zero(gmax, 1);
    mpfr_set_zero(diff, 1);
    for (int i = 0; i <= 200; i++) {
        mpfr_sub(t, st->t_hi, st->t_lo, MPFR_RNDN);
        mpfr_mul_ui(t, t, (unsigned long)i, MPFR_RNDN);
        mpfr_div_ui(t, t, 200, MPFR_RNDN);
        mpfr_add(t, t, st->t_lo, MPFR_RNDN);
        mpfr_fma(w, st->alpha, t, st->beta, MPFR_RNDN);
        mpfr_sub_d(w, w, st->form_shift, MPFR_RNDN);
        form_at_w(g_form, st->form_sign, st->form, w);
        spow_step_eval_g(g_blocks, st, t);
        mpfr_sub(g_blocks, g_blocks, g_form, MPFR_RNDN);
        mpfr_abs(g_blocks, g_blocks, MPFR_RNDN);
        mpfr_max(diff, diff, g_blocks, MPFR_RNDN);
        mpfr_abs(g_form, g_form, MPFR_RNDN);
        mpfr_max(gmax, gmax, g_form, MPFR_RNDN);
    }
    mpfr_div(diff, diff, gmax, MPFR_RNDN);
    const double r = mpfr_get_d(diff, MPFR_RNDN);
    mpfr_clears(t, w, g_form, g_blocks, gmax, diff, (mpfr_ptr)0);
    return r;
}

START_TEST(test_cost)
{
    ck_assert_int_eq(spow_cost_g(16, SPOW_SCHEME_NESTED), 4);
    ck_assert_int_eq(spow_cost_g(16, SPOW_SCHEME_SASTRE), 5);
    ck_assert_int_eq(spow_cost_g(16, SPOW_SCHEME_PS), 6);
    /* the other degrees as --scheme sastre has them */
    ck_assert_int_eq(spow_cost_g(8, SPOW_SCHEME_NESTED), spow_cost_g(8, SPOW_SCHEME_SASTRE));
    ck_assert_int_eq(spow_cost_g(12, SPOW_SCHEME_NESTED), spow_cost_g(12, SPOW_SCHEME_SASTRE));
    ck_assert_int_eq(spow_cost_g(9, SPOW_SCHEME_NESTED), spow_cost_g(9, SPOW_SCHEME_PS));
    ck_assert_int_eq(spow_form_nform(SPOW_SCHEME_NESTED, 0), 17);
    ck_assert_int_eq(spow_form_nform(SPOW_SCHEME_SASTRE, 3), 13);
    ck_assert_int_eq(spow_form_nform(SPOW_SCHEME_PS, 0), 0);
}
END_TEST

START_TEST(test_expansion_is_the_form)
{
    /* Pseudo-random forms of both signs: the monomials spow_nested_poly_w
     * expands to, evaluated at points of [-3, 3], equal the definition to
     * the working precision, and the double evaluation the fit uses agrees
     * to double rounding (relative to the largest term: the coefficients
     * are O(1) and |w| <= 3, so terms reach 3^16 times them). */
    uint64_t rng = 12345;
    mpfr_t *v = spow_vec_init(17, PREC), *g = spow_vec_init(17, PREC);
    mpfr_t w, a, b;
    mpfr_inits2(PREC, w, a, b, (mpfr_ptr)0);
    for (int trial = 0; trial < 20; trial++) {
        const int sign = trial % 2 ? -1 : 1;
        double vd[17];
        for (int j = 0; j < 17; j++) {
            vd[j] = spow_uniform_pm1(&rng);
            mpfr_set_d(v[j], vd[j], MPFR_RNDN);
        }
        spow_nested_poly_w(g, sign, v, PREC);
        for (int i = 0; i <= 60; i++) {
            const double wd = -3.0 + 0.1 * i;
            mpfr_set_d(w, wd, MPFR_RNDN);
            form_at_w(a, sign, v, w);
            spow_poly_eval_mono(b, g, 16, w);
            mpfr_sub(b, b, a, MPFR_RNDN);
            ck_assert_msg(mpfr_cmp_d(b, 1e-50) < 0 && mpfr_cmp_d(b, -1e-50) > 0,
                          "trial %d, w %g: expansion off by %.3e", trial, wd,
                          mpfr_get_d(b, MPFR_RNDN));
            const double scale = pow(3.0, 16) * 16;
            ck_assert_msg(fabs(spow_nested_eval_d(vd, sign, wd) - mpfr_get_d(a, MPFR_RNDN)) <
                              1e-13 * scale,
                          "trial %d, w %g: double evaluation", trial, wd);
        }
    }
    mpfr_clears(w, a, b, (mpfr_ptr)0);
    spow_vec_clear(g, 17);
    spow_vec_clear(v, 17);
}
END_TEST

START_TEST(test_refuses_other_degrees)
{
    static const int deg[] = { 12 };
    spow_recurrence rec;
    mpfr_prec_t used;
    spow_test_fit(&rec, 1, 2, 1e-3, deg, 1, PREC, &used);
    mpfr_t a, b;
    mpfr_inits2(PREC, a, b, (mpfr_ptr)0);
    mpfr_set_d(a, 0.5, MPFR_RNDN);
    mpfr_set_d(b, 1.5, MPFR_RNDN);
    ck_assert_int_eq(spow_nested_set(&rec.step[0], a, b, 2, PREC), SPOW_GEN_EARG);
    ck_assert_int_eq(rec.step[0].scheme, SPOW_SCHEME_PS);
    ck_assert_ptr_null(rec.step[0].form);
    mpfr_clears(a, b, (mpfr_ptr)0);
    spow_recurrence_clear(&rec);
}
END_TEST

START_TEST(test_fit_p12_in_20_products)
{
    /* p = 1/2 on [1e-3, 1.001], 8,8,16: Sastre's forms for the degree-8
     * steps and the nested form for the last, 20 products, certified below
     * 1e-6 (the goal; measured 8.37e-7).  The nested step cannot
     * beat the unconstrained degree-16 minimax (Paterson-Stockmeyer), the
     * result is deterministic, rounding to double changes nothing and
     * rounding to float keeps the form (certified 8.7e-7 then). */
    static const int deg[] = { 8, 8, 16 };
    spow_recurrence na, ps;
    spow_test_fit_form_and_ps(&na, &ps, 1, 2, deg, 3, SPOW_SCHEME_NESTED, PREC);
    ck_assert_int_eq(spow_report_gemms(&na), 20);
    ck_assert_int_eq(na.step[0].scheme, SPOW_SCHEME_SASTRE);
    ck_assert_int_eq(na.step[1].scheme, SPOW_SCHEME_SASTRE);
    const spow_step_mp *st = &na.step[2];
    ck_assert_int_eq(st->scheme, SPOW_SCHEME_NESTED);
    ck_assert_int_eq(st->form_k, 0);
    ck_assert(st->form_sign == 1 || st->form_sign == -1);
    ck_assert(st->form_shift == -1.0 || st->form_shift == 0.0 || st->form_shift == 1.0);
    for (int j = 0; j < 17; j++)      /* doubles, as libspow evaluates them */
        ck_assert(mpfr_cmp_d(st->form[j], mpfr_get_d(st->form[j], MPFR_RNDN)) == 0);
    const double off = blocks_vs_form(st);
    ck_assert_msg(off < 1e-60, "blocks vs the form: %.3e", off);
    ck_assert_msg(mpfr_cmp_d(na.max_rel_err, 1e-6) < 0, "certified %.6e",
                  mpfr_get_d(na.max_rel_err, MPFR_RNDN));
    /* the two degree-8 steps differ by the Sastre forms' rounding only, far
     * below the last step's error */
    ck_assert_msg(mpfr_cmp(na.max_rel_err, ps.max_rel_err) >= 0,
                  "nested %.6e below the unconstrained minimax %.6e",
                  mpfr_get_d(na.max_rel_err, MPFR_RNDN), mpfr_get_d(ps.max_rel_err, MPFR_RNDN));
    spow_test_form_roundings(&na, SPOW_SCHEME_NESTED, 2e-6);
    spow_recurrence_clear(&ps);
    spow_recurrence_clear(&na);
}
END_TEST

SPOW_CHECK_TESTS("nested", 0, test_cost, test_expansion_is_the_form, test_refuses_other_degrees,
                 test_fit_p12_in_20_products)
