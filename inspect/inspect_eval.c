/* inspect_eval.c -- the scalar recurrence in double and float, in the order of
 * operations of the matrix evaluation (see inspect_eval_impl.h), so that the
 * float curve of spow-inspect shows the rounding a float apply sees per
 * singular value (not the mixing across singular values inside the GEMMs,
 * which only the matrix check measures). */
#include <stdlib.h>
#include <string.h>
#include "spow_inspect.h"

_Static_assert(SPOW_INSPECT_MAX_NFORM >= 4 * 4 + 1 && SPOW_INSPECT_MAX_NFORM >= SPOW_NESTED_NFORM,
               "spow_inspect_eval_step.form holds every product form");

int spow_inspect_eval_plan_init(spow_inspect_eval_plan *plan, const spow_recurrence *rec)
{
    memset(plan, 0, sizeof *plan);
    plan->m = rec->p_num;
    plan->n = rec->p_den;
    plan->steps = rec->steps;
    if (rec->family == &spow_family_coupled)
        plan->kind = SPOW_INSPECT_EVAL_COUPLED;
    else if (rec->family == spow_inspect_fixedpoint.family || rec->family == &spow_family_fixedpoint)
        plan->kind = (rec->p_num == 1 && rec->p_den == 2) ? SPOW_INSPECT_EVAL_HALF
                                                          : SPOW_INSPECT_EVAL_FIXEDPOINT;
    else if (rec->family == spow_inspect_muon_quintic.family)
        plan->kind = SPOW_INSPECT_EVAL_MUON;
    else
        return SPOW_GEN_EARG;
    plan->step = calloc((size_t)(rec->steps > 0 ? rec->steps : 1), sizeof *plan->step);
    if (plan->step == NULL)
        return SPOW_GEN_ENOMEM;
    for (int k = 0; k < rec->steps; k++) {
        const spow_step_mp *s = &rec->step[k];
        spow_inspect_eval_step *d = &plan->step[k];
        d->degree = s->degree;
        d->baby = s->baby;
        d->blocks = s->blocks;
        d->alpha = mpfr_get_d(s->alpha, MPFR_RNDN);
        d->beta = mpfr_get_d(s->beta, MPFR_RNDN);
        for (int i = 0; i < s->blocks * (s->baby + 1); i++)
            d->ps[i] = mpfr_get_d(s->ps[i], MPFR_RNDN);
        for (int i = 0; i < s->nconst && i < 4; i++)
            d->cst[i] = mpfr_get_d(s->cst[i], MPFR_RNDN);
        d->scheme = s->scheme;
        if (s->scheme != SPOW_SCHEME_PS) {
            d->form_k = s->form_k;
            d->form_sign = s->form_sign;
            d->form_shift = s->form_shift;
            for (int i = 0; i < spow_form_nform(s->scheme, s->form_k); i++)
                d->form[i] = mpfr_get_d(s->form[i], MPFR_RNDN);
        }
        /* the runtime's spow_step_exponents: X and Y are one matrix when
         * p = 0; Y is not updated in the last step */
        if (rec->p_num == 0) {
            d->ey = (int)rec->p_den;
            d->ex = 0;
        } else {
            d->ey = k == rec->steps - 1 ? 0 : (int)rec->p_den;
            d->ex = (int)(rec->p_den - rec->p_num);
        }
    }
    return 0;
}

void spow_inspect_eval_plan_clear(spow_inspect_eval_plan *plan)
{
    free(plan->step);
    plan->step = NULL;
}

#define T double
#define FN(name) name##_f64
#include "inspect_eval_impl.h"
#undef T
#undef FN

#define T float
#define FN(name) name##_f32
#include "inspect_eval_impl.h"
#undef T
#undef FN
