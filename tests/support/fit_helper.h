/* fit_helper.h -- fit parameters on [lo, 1] and a coupled fit in one call,
 * for the tests that need a real recurrence to work on. */
#ifndef SPOW_FIT_HELPER_H
#define SPOW_FIT_HELPER_H
#include <check.h>
#include "spow_gen.h"

/* p = m/n on [lo, 1] without margin; K steps (0: fewest reaching target)
 * of the degrees deg[0..ndeg-1], the last repeating.  Clear with
 * spow_test_params_clear. */
static inline void spow_test_params(spow_fit_params *par, long m, long n, double lo,
                                    const int *deg, int ndeg, int K, double target,
                                    mpfr_prec_t prec)
{
    mpfr_inits2(prec, par->lo, par->hi, par->margin, (mpfr_ptr)0);
    mpfr_set_d(par->lo, lo, MPFR_RNDN);
    mpfr_set_ui(par->hi, 1, MPFR_RNDN);
    mpfr_set_zero(par->margin, 1);
    par->p_num = m;
    par->p_den = n;
    par->nsteps = K;
    par->degrees = deg;
    par->ndegrees = ndeg;
    par->target_err = target;
    par->scheme = SPOW_SCHEME_PS;
    par->greedy = 0;
    par->fit_starts = 0;
}

static inline void spow_test_params_clear(spow_fit_params *par)
{
    mpfr_clears(par->lo, par->hi, par->margin, (mpfr_ptr)0);
}

/* rec (uninitialised) receives a coupled fit with one step per degree, at
 * prec bits escalated; the precision used goes to *used. */
static inline void spow_test_fit(spow_recurrence *rec, long m, long n, double lo, const int *deg,
                                 int ndeg, mpfr_prec_t prec, mpfr_prec_t *used)
{
    spow_fit_params par;
    spow_test_params(&par, m, n, lo, deg, ndeg, ndeg, 0, prec);
    ck_assert_int_eq(spow_fit(rec, &spow_family_coupled, &par, prec, used), 0);
    spow_test_params_clear(&par);
}

/* The same on [1e-3, 1.001] with an evaluation scheme (SPOW_SCHEME_*),
 * through the fit's precision escalation. */
static inline void spow_test_fit_scheme(spow_recurrence *rec, long m, long n, const int *deg,
                                        int ndeg, int scheme, mpfr_prec_t prec)
{
    spow_fit_params par;
    mpfr_prec_t used;
    spow_test_params(&par, m, n, 1e-3, deg, ndeg, ndeg, 0, prec);
    mpfr_set_d(par.hi, 1.001, MPFR_RNDN);
    par.scheme = scheme;
    ck_assert_int_eq(spow_fit(rec, &spow_family_coupled, &par, prec, &used), 0);
    spow_test_params_clear(&par);
}

/* A product-form scheme's fit (into form) and the Paterson-Stockmeyer fit of
 * the same degrees (into ps): the form's fit is deterministic (fitted twice,
 * the same doubles) and differs from the Paterson-Stockmeyer one. */
static inline void spow_test_fit_form_and_ps(spow_recurrence *form, spow_recurrence *ps, long m,
                                             long n, const int *deg, int ndeg, int scheme,
                                             mpfr_prec_t prec)
{
    spow_recurrence again;
    spow_test_fit_scheme(form, m, n, deg, ndeg, scheme, prec);
    spow_test_fit_scheme(&again, m, n, deg, ndeg, scheme, prec);
    spow_test_fit_scheme(ps, m, n, deg, ndeg, SPOW_SCHEME_PS, prec);
    ck_assert(spow_recurrence_same_f64(form, &again));
    ck_assert(!spow_recurrence_same_f64(form, ps));
    spow_recurrence_clear(&again);
}

/* Rounding a fit whose last step is in a product form: to double changes
 * nothing (the form is made of doubles), to float keeps the form and
 * certifies the form's float coefficients, below f32_bound. */
static inline void spow_test_form_roundings(const spow_recurrence *rec, int last_scheme,
                                            double f32_bound)
{
    spow_recurrence r64, r32;
    spow_recurrence_round(&r64, rec, 53);
    spow_recurrence_round(&r32, rec, 24);
    spow_family_coupled.certify(&r64);
    spow_family_coupled.certify(&r32);
    ck_assert(mpfr_equal_p(r64.max_rel_err, rec->max_rel_err));
    ck_assert_int_eq(r32.step[r32.steps - 1].scheme, last_scheme);
    ck_assert(!mpfr_equal_p(r32.max_rel_err, rec->max_rel_err));
    ck_assert_msg(mpfr_cmp_d(r32.max_rel_err, f32_bound) < 0, "float certificate %.3e",
                  mpfr_get_d(r32.max_rel_err, MPFR_RNDN));
    spow_recurrence_clear(&r32);
    spow_recurrence_clear(&r64);
}
#endif
