/* pipeline.h -- spow-gen's whole pipeline as one call (pipeline.c). */
#ifndef SPOW_GEN_PIPELINE_H
#define SPOW_GEN_PIPELINE_H

#include "families/family.h"
#include "emit/emit.h"

typedef struct spow_gen_params {
    const spow_family *family;
    spow_fit_params fit;        /* p, interval, margin, steps or target, degrees */
    int auto_degree;            /* first search the cheapest degree schedule reaching
                                 * fit.target_err (fit.degrees is then ignored) */
    int samples;                /* points of the independent dense check, >= 2 */
} spow_gen_params;

typedef struct spow_gen_result {
    spow_recurrence rec;        /* as fitted, at the working precision */
    spow_recurrence rec_f64;    /* blocks rounded to double, certified and sampled */
    spow_recurrence rec_f32;    /* blocks rounded to float, certified */
    spow_recurrence rec_mono;   /* monomials in t rounded to double, certified */
    mpfr_prec_t prec;           /* the working precision the escalation accepted */
    int have;                   /* the recurrences above are initialised */
} spow_gen_result;

/* spow-gen's work: fits par->family at prec (escalated until the double
 * coefficients stop changing), certifies the three rounded forms and checks
 * the double blocks' certificate against an independent dense sample.
 * Returns 0, or a SPOW_GEN_E* code: SPOW_GEN_EDOMAIN and SPOW_GEN_ESAMPLE
 * come with res holding what was certified.  res must be cleared either way. */
int spow_gen_table(spow_gen_result *res, const spow_gen_params *par, mpfr_prec_t prec);
void spow_gen_result_clear(spow_gen_result *res);
/* The emitters' view of a result (rep points into res). */
void spow_gen_result_report(spow_report *rep, const spow_gen_result *res, const char *command,
                            const char *name);

#endif /* SPOW_GEN_PIPELINE_H */
