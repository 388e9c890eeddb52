/* family.h -- the family interface, the generator's registry (family.c),
 * the coupled family (coupled.c) and the fixed-point family (fixedpoint*.c). */
#ifndef SPOW_GEN_FAMILY_H
#define SPOW_GEN_FAMILY_H

#include "recurrence.h"

typedef struct spow_fit_params {
    long p_num, p_den;
    mpfr_t lo, hi;          /* certified interval */
    mpfr_t margin;          /* first fitted interval is [lo/(1+margin), hi (1+margin)] */
    int nsteps;             /* fixed step count, or 0 with target_err */
    const int *degrees;     /* per-step degree; the last repeats */
    int ndegrees;
    double target_err;      /* > 0: fewest steps with certificate <= target_err */
    int scheme;             /* SPOW_SCHEME_PS (0), SPOW_SCHEME_SASTRE: the steps of
                             * degree 8, 12 and 16 by Sastre's form (sastre.h), or
                             * SPOW_SCHEME_NESTED: as Sastre, but 16 by the nested
                             * form (nested.h) */
    int greedy;             /* joint families: 1 keeps the greedy per-step fit */
    int fit_starts;         /* joint families: starts of the joint search, 0 default */
} spow_fit_params;

struct spow_family {
    const char *name;
    const char *summary;
    /* Fits rec (initialised, empty) at rec->prec.  NULL for the
     * evaluation-only families that spow-inspect registers (spow_fit then
     * returns SPOW_GEN_ENOFIT). */
    int (*fit)(spow_recurrence *rec, const spow_fit_params *par);
    /* Certifies rec in place: per-step err, y_lo, y_hi and max_rel_err.
     * NULL when the family has no certificate (evaluation-only families). */
    int (*certify)(spow_recurrence *rec);
    /* One step of the scalar recurrence on the state (x, y), in place.  In
     * every family x is the output (x_K approximates s^p) and y the other
     * state; both start at s.  For the fixed-point family this means x is
     * the paper's Y and y its X (= s, never changed). */
    void (*apply_step)(mpfr_t x, mpfr_t y, const spow_recurrence *rec, int k);
    /* The cheapest per-step degree schedule (GEMM count) whose error is at
     * most par->target_err, into degrees[0..*nsteps-1]; NULL if the family
     * cannot search. */
    int (*search_schedule)(int *degrees, int *nsteps, const spow_fit_params *par,
                           mpfr_prec_t prec);
    /* The table's y_power and x_power (spow.h); NULL for the coupled
     * family's n and n - m. */
    void (*powers)(long *y_power, long *x_power, long m, long n);
    /* NULL when the family fits every p the generator supports; else NULL
     * for a p = m/n it fits and a one-line reason for one it does not. */
    const char *(*unsupported)(long m, long n);
    /* 1: the fit is joint over a given number of steps (--steps K), with no
     * degree schedule, target error or evaluation scheme to choose. */
    int joint;
};

const spow_family *spow_family_find(const char *name);
/* Every family, NULL-terminated. */
const spow_family *const *spow_family_list(void);
/* The interval a family fits its first step on: [lo/(1+margin),
 * hi (1+margin)] of par, at prec. */
void spow_fit_first_interval(mpfr_t a, mpfr_t b, const spow_fit_params *par, mpfr_prec_t prec);
/* y_power and x_power of rec's table (spow.h). */
void spow_family_powers(long *y_power, long *x_power, const spow_recurrence *rec);
extern const spow_family spow_family_coupled;
/* The Muon^p paper's recurrence with per-step constants (fixedpoint.c). */
extern const spow_family spow_family_fixedpoint;
/* Builds a coupled rec (initialised with p, lo, hi and prec, no steps) from
 * g of every step given as monomial coefficients in t, ascending:
 * coef[k][0..ncoef[k]-1] for step k of nsteps.  Sets every step's GEMM count
 * and certifies.  On a bad count or an unsupported p returns SPOW_GEN_EARG
 * with a one-line reason in msg; rec must still be cleared. */
int spow_coupled_set_mono(spow_recurrence *rec, mpfr_t *const *coef, const int *ncoef, int nsteps,
                          char *msg, size_t msglen);

#endif /* SPOW_GEN_FAMILY_H */
