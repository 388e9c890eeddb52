/* fit.h -- fitting with precision escalation (fit.c). */
#ifndef SPOW_GEN_FIT_H
#define SPOW_GEN_FIT_H

#include "families/family.h"

/* Fits at prec, then at larger precisions until the coefficients stop
 * changing in double (Ziv); rec must be uninitialised and receives the fit.
 * *used_prec is the precision of the accepted fit. */
int spow_fit(spow_recurrence *rec, const spow_family *fam, const spow_fit_params *par,
             mpfr_prec_t prec, mpfr_prec_t *used_prec);

#endif /* SPOW_GEN_FIT_H */
