/* certify.h -- the error of a recurrence sampled the direct way (certify.c). */
#ifndef SPOW_GEN_CERTIFY_H
#define SPOW_GEN_CERTIFY_H

#include "recurrence.h"

/* Dense log-spaced sample of |x_K(s) / s^p - 1| over [lo, hi] through the
 * family's scalar recurrence, every local maximum refined by golden section.
 * npts >= 2. */
void spow_certify_sample(mpfr_t max_err, mpfr_t argmax, const spow_recurrence *rec, int npts);
/* Same after the first ksteps steps (0 <= ksteps <= rec->steps). */
void spow_certify_sample_k(mpfr_t max_err, mpfr_t argmax, const spow_recurrence *rec, int ksteps,
                           int npts);
/* Relative error of x after the recurrence for one s, via apply_step. */
void spow_certify_rel_err(mpfr_t err, const spow_recurrence *rec, const mpfr_t s, int ksteps);

#endif /* SPOW_GEN_CERTIFY_H */
