/* muon.c -- Muon's Newton-Schulz quintic (p = 0), for evaluation only.
 *
 *     A = Y Y^T,   B = b A + c A^2,   Y <- a Y + B Y,
 *
 * per singular value y <- a y + b y^3 + c y^5, starting at y = s; the output
 * approximates s^0 = 1.  Muon uses (a, b, c) = (3.4445, -4.7750, 2.0315) for 5
 * steps; any per-step triples (e.g. Polar Express's) are accepted.  The state
 * is one matrix, so x and y of the family interface are kept equal.
 *
 * GEMM count: Y Y^T, A^2 and B Y, 3 per step (15 for Muon's 5 steps).
 */
#include <stdio.h>
#include "spow_inspect.h"

#define MUON_GEMMS_PER_STEP 3

static int muon_set_coef(spow_recurrence *rec, mpfr_t *const *coef, const int *ncoef, int nsteps,
                         char *msg, size_t msglen)
{
    if (rec->p_num != 0) {
        snprintf(msg, msglen, "family muon-quintic computes the polar factor: p must be 0, "
                              "not %ld/%ld", rec->p_num, rec->p_den);
        return SPOW_GEN_EARG;
    }
    for (int k = 0; k < nsteps; k++)
        if (ncoef[k] != 3) {
            snprintf(msg, msglen, "family muon-quintic takes three constants (a, b, c) per step; "
                                  "step %d has %d", k + 1, ncoef[k]);
            return SPOW_GEN_EARG;
        }
    for (int k = 0; k < nsteps; k++) {
        spow_step_mp *st = spow_recurrence_push(rec, 0);
        spow_step_alloc_consts(st, 3, rec->prec);
        for (int i = 0; i < 3; i++)
            mpfr_set(st->cst[i], coef[k][i], MPFR_RNDN);
        st->gemms = MUON_GEMMS_PER_STEP;
    }
    return 0;
}

static void muon_apply_step(mpfr_t x, mpfr_t y, const spow_recurrence *rec, int k)
{
    const spow_step_mp *st = &rec->step[k];
    mpfr_t t, g;
    mpfr_inits2(mpfr_get_prec(x), t, g, (mpfr_ptr)0);
    mpfr_sqr(t, x, MPFR_RNDN);
    mpfr_fma(g, st->cst[2], t, st->cst[1], MPFR_RNDN);   /* b + c t */
    mpfr_fma(g, g, t, st->cst[0], MPFR_RNDN);            /* a + t (b + c t) */
    mpfr_mul(x, x, g, MPFR_RNDN);
    mpfr_set(y, x, MPFR_RNDN);
    mpfr_clears(t, g, (mpfr_ptr)0);
}

static const char *muon_published(long m, long n, int *steps)
{
    (void)n;
    if (m != 0)
        return NULL;
    *steps = 5;
    return "3.4445,-4.7750,2.0315";
}

static const spow_family muon_quintic_family = {
    .name = "muon-quintic",
    .summary = "Muon's quintic (evaluation only): Y <- a Y + b (YY^T) Y + c (YY^T)^2 Y, p = 0",
    .apply_step = muon_apply_step,    /* evaluation only: no fit, certificate or search */
};

const spow_inspect_family spow_inspect_muon_quintic = { &muon_quintic_family, muon_set_coef,
                                                        muon_published };
