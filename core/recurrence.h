/* recurrence.h -- a recurrence as a list of steps (recurrence.c). */
#ifndef SPOW_GEN_RECURRENCE_H
#define SPOW_GEN_RECURRENCE_H

#include "gen_common.h"

/* One step: g(t) = sum_i cheb[i] T_i(u), u = alpha t + beta.  For the runtime
 * g is also stored as Paterson-Stockmeyer blocks ps[] in the same basis; the
 * blocks (with alpha and beta) are what gets rounded and what is certified. */
/* How a step's g is evaluated (spow_step_mp.scheme, spow_fit_params.scheme);
 * the values are the runtime's (spow.h). */
#define SPOW_SCHEME_PS      0
#define SPOW_SCHEME_SASTRE  1
#define SPOW_SCHEME_NESTED  2

typedef struct spow_step_mp {
    int degree, baby, blocks;
    mpfr_t t_lo, t_hi;      /* t-interval the step was fitted on */
    mpfr_t alpha, beta;
    mpfr_t *ps;             /* blocks * (baby + 1) */
    int gemms;              /* cost model */
    /* certificate after this step */
    mpfr_t err, y_lo, y_hi;
    /* Evaluation-only families (fixedpoint, muon-quintic) have no polynomial
     * g: their steps have degree 0 and an empty ps, and keep the step's
     * constants here, in the family's own order (see fixedpoint.c, muon.c).
     * nconst = 0 and cst = NULL for the coupled family. */
    int nconst;
    mpfr_t *cst;
    /* How the runtime evaluates g: SPOW_SCHEME_PS from the blocks, or by a
     * product form whose doubles are in form (NULL for PS), with its sign
     * and shift: SPOW_SCHEME_SASTRE (sastre.h, 4 form_k + 1 doubles) or
     * SPOW_SCHEME_NESTED (nested.h, 17, form_k 0).  The blocks then hold
     * the polynomial the form defines. */
    int scheme, form_k, form_sign;
    double form_shift;
    mpfr_t *form;
} spow_step_mp;

typedef struct spow_family spow_family;

typedef struct spow_recurrence {
    const spow_family *family;
    long p_num, p_den;
    mpfr_prec_t prec;
    mpfr_t lo, hi;
    int steps, cap;
    spow_step_mp *step;
    mpfr_t max_rel_err;     /* certificate of the coefficients as held */
    mpfr_t sampled_err;     /* dense log-grid sample, refined (never above the certificate) */
} spow_recurrence;

void spow_recurrence_init(spow_recurrence *rec, const spow_family *fam, long p_num, long p_den,
                          const mpfr_t lo, const mpfr_t hi, mpfr_prec_t prec);
void spow_recurrence_clear(spow_recurrence *rec);
/* Appends a step of degree d (coefficients zero); returns it. */
spow_step_mp *spow_recurrence_push(spow_recurrence *rec, int degree);
void spow_recurrence_pop(spow_recurrence *rec);
/* Drops st's Sastre form, if any: g is then evaluated from its blocks. */
void spow_step_drop_form(spow_step_mp *st);
/* Rounds alpha and beta to double and re-expresses the blocks in the new
 * map, so that g(t) is unchanged: a product form's w is then a map of
 * doubles, the one libspow applies. */
void spow_step_round_map(spow_step_mp *st, mpfr_prec_t prec);
/* Gives st room for n constants (zero) at the recurrence's precision. */
void spow_step_alloc_consts(spow_step_mp *st, int n, mpfr_prec_t prec);
/* dst = src with alpha, beta, ps and cst rounded to the given binary format
 * (53 for double, 24 for float); dst must be uninitialised. */
void spow_recurrence_round(spow_recurrence *dst, const spow_recurrence *src, mpfr_prec_t bits);
/* dst = src with g taken from its monomial coefficients in t rounded to the
 * binary format (as a user copies them from the JSON), converted back exactly
 * to blocks; alpha and beta rounded the same way.  dst must be uninitialised. */
void spow_recurrence_round_mono(spow_recurrence *dst, const spow_recurrence *src, mpfr_prec_t bits);
/* 1 when the two recurrences round to the same doubles. */
int spow_recurrence_same_f64(const spow_recurrence *a, const spow_recurrence *b);

/* g(t) of one step, evaluated from the stored blocks. */
void spow_step_eval_g(mpfr_t g, const spow_step_mp *st, const mpfr_t t);
/* Monomial coefficients of g in u (degree+1 entries), from the stored blocks. */
void spow_step_mono_u(mpfr_t *a, const spow_step_mp *st, mpfr_prec_t prec);
/* Monomial coefficients of g in t. */
void spow_step_mono_t(mpfr_t *a, const spow_step_mp *st, mpfr_prec_t prec);
/* Chebyshev coefficients of g in u, from the stored blocks. */
void spow_step_cheb(mpfr_t *c, const spow_step_mp *st, mpfr_prec_t prec);
/* Fills ps from monomial coefficients a[0..degree] of g in t (alpha, beta set). */
void spow_step_set_mono_t(spow_step_mp *st, mpfr_t *const a, mpfr_prec_t prec);
/* Fills baby, blocks and ps from Chebyshev coefficients c[0..degree]. */
void spow_step_set_cheb(spow_step_mp *st, mpfr_t *const c, mpfr_prec_t prec);

#endif /* SPOW_GEN_RECURRENCE_H */
