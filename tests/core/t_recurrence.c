/* t_recurrence.c -- core/recurrence.c: the stored step (Paterson-Stockmeyer
 * blocks in a Chebyshev basis) against its monomial forms, rounding to
 * double and float, the monomial round trip, and the step list. */
#include <check.h>
#include "spow_gen.h"
#include "check_main.h"
#include "fit_helper.h"

#define PREC 256

/* g(t) by Horner on the monomials in t, written here */
static void horner(mpfr_t r, mpfr_t *a, int d, const mpfr_t t)
{
    mpfr_set(r, a[d], MPFR_RNDN);
    for (int i = d - 1; i >= 0; i--)
        mpfr_fma(r, r, t, a[i], MPFR_RNDN);
}

START_TEST(test_forms_agree)
{
    /* eval_g (from the blocks), the monomials in t and in u describe one g */
    static const int deg[] = { 6, 9 };
    spow_recurrence rec;
    mpfr_prec_t used;
    spow_test_fit(&rec, 1, 3, 1e-3, deg, 2, PREC, &used);
    for (int k = 0; k < rec.steps; k++) {
        const spow_step_mp *st = &rec.step[k];
        mpfr_t *a = spow_vec_init(st->degree + 1, rec.prec);
        mpfr_t *au = spow_vec_init(st->degree + 1, rec.prec);
        spow_step_mono_t(a, st, rec.prec);
        spow_step_mono_u(au, st, rec.prec);
        mpfr_t t, u, g, h, hu;
        mpfr_inits2(rec.prec, t, u, g, h, hu, (mpfr_ptr)0);
        for (int j = 0; j <= 20; j++) {
            /* t across the step's interval */
            mpfr_sub(t, st->t_hi, st->t_lo, MPFR_RNDN);
            mpfr_mul_d(t, t, j / 20.0, MPFR_RNDN);
            mpfr_add(t, t, st->t_lo, MPFR_RNDN);
            mpfr_fma(u, st->alpha, t, st->beta, MPFR_RNDN);
            spow_step_eval_g(g, st, t);
            horner(h, a, st->degree, t);
            horner(hu, au, st->degree, u);
            /* the monomial sums cancel (terms far larger than g on
             * [1e-6, 1]): 2^-100 relative leaves room for 2^156 of
             * cancellation at 256 bits and is still far below a double */
            mpfr_sub(h, h, g, MPFR_RNDN);
            mpfr_sub(hu, hu, g, MPFR_RNDN);
            ck_assert_msg(mpfr_zero_p(h) || mpfr_get_exp(h) - mpfr_get_exp(g) < -100,
                          "step %d, j %d: monomials in t off", k, j);
            ck_assert_msg(mpfr_zero_p(hu) || mpfr_get_exp(hu) - mpfr_get_exp(g) < -100,
                          "step %d, j %d: monomials in u off", k, j);
        }
        mpfr_clears(t, u, g, h, hu, (mpfr_ptr)0);
        spow_vec_clear(au, st->degree + 1);
        spow_vec_clear(a, st->degree + 1);
    }
    spow_recurrence_clear(&rec);
}
END_TEST

START_TEST(test_rounding)
{
    /* round to 53 and 24 bits: every stored number is exactly the double
     * (float) nearest to the original; t_lo, t_hi and the layout are kept */
    static const int deg[] = { 4, 4, 6 };
    spow_recurrence rec, r64, r32, rmono;
    mpfr_prec_t used;
    spow_test_fit(&rec, 1, 2, 1e-3, deg, 3, PREC, &used);
    spow_recurrence_round(&r64, &rec, 53);
    spow_recurrence_round(&r32, &rec, 24);
    spow_recurrence_round_mono(&rmono, &rec, 53);
    ck_assert(spow_recurrence_same_f64(&rec, &r64));
    ck_assert(!spow_recurrence_same_f64(&rec, &r32));
    for (int k = 0; k < rec.steps; k++) {
        const spow_step_mp *s = &rec.step[k], *d = &r64.step[k], *f = &r32.step[k];
        ck_assert(d->degree == s->degree && d->baby == s->baby && d->blocks == s->blocks);
        ck_assert(mpfr_equal_p(d->t_lo, s->t_lo) && mpfr_equal_p(d->t_hi, s->t_hi));
        ck_assert(mpfr_get_d(d->alpha, MPFR_RNDN) == mpfr_get_d(s->alpha, MPFR_RNDN));
        ck_assert(mpfr_cmp_d(d->alpha, mpfr_get_d(s->alpha, MPFR_RNDN)) == 0);
        for (int i = 0; i < s->blocks * (s->baby + 1); i++) {
            ck_assert(mpfr_cmp_d(d->ps[i], mpfr_get_d(s->ps[i], MPFR_RNDN)) == 0);
            ck_assert(mpfr_cmp_d(f->ps[i], (double)mpfr_get_flt(s->ps[i], MPFR_RNDN)) == 0);
        }
        /* the monomial form: its monomials in t round to the doubles of the
         * original's (the trip through the blocks costs ~2^-200 relative,
         * far less than half an ulp of a double) */
        mpfr_t *a = spow_vec_init(s->degree + 1, rec.prec);
        mpfr_t *b = spow_vec_init(s->degree + 1, rec.prec);
        spow_step_mono_t(a, s, rec.prec);
        spow_step_mono_t(b, &rmono.step[k], rec.prec);
        for (int i = 0; i <= s->degree; i++)
            ck_assert_msg(mpfr_get_d(b[i], MPFR_RNDN) == mpfr_get_d(a[i], MPFR_RNDN),
                          "step %d, c%d", k, i);
        spow_vec_clear(b, s->degree + 1);
        spow_vec_clear(a, s->degree + 1);
    }
    spow_recurrence_clear(&rmono);
    spow_recurrence_clear(&r32);
    spow_recurrence_clear(&r64);
    spow_recurrence_clear(&rec);
}
END_TEST

START_TEST(test_step_list)
{
    /* push grows past the initial capacity, pop returns to the same state */
    mpfr_t lo, hi;
    mpfr_inits2(64, lo, hi, (mpfr_ptr)0);
    mpfr_set_d(lo, 0.1, MPFR_RNDN);
    mpfr_set_ui(hi, 1, MPFR_RNDN);
    spow_recurrence rec;
    spow_recurrence_init(&rec, &spow_family_coupled, 1, 2, lo, hi, 64);
    for (int k = 0; k < 20; k++) {
        spow_step_mp *st = spow_recurrence_push(&rec, 1 + k % 16);
        ck_assert_int_eq(st->degree, 1 + k % 16);
        ck_assert_int_eq(st->baby, spow_cost_best_baby(st->degree));
        ck_assert_int_eq(st->blocks, (st->degree + st->baby - 1) / st->baby);
        for (int i = 0; i < st->blocks * (st->baby + 1); i++)
            ck_assert(mpfr_zero_p(st->ps[i]));
    }
    ck_assert_int_eq(rec.steps, 20);
    for (int k = 0; k < 5; k++)
        spow_recurrence_pop(&rec);
    ck_assert_int_eq(rec.steps, 15);
    ck_assert_int_eq(rec.step[14].degree, 15);
    spow_recurrence_clear(&rec);
    mpfr_clears(lo, hi, (mpfr_ptr)0);
}
END_TEST

SPOW_CHECK_TESTS("recurrence", 0, test_forms_agree, test_rounding, test_step_list)
