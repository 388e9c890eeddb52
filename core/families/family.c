/* family.c -- the registry of the families the generator can fit. */
#include <string.h>
#include "spow_gen.h"

/* The families the generator can fit.  spow-inspect keeps its own list,
 * which adds the evaluation-only families (inspect/families/). */
static const spow_family *const families[] = { &spow_family_coupled, &spow_family_fixedpoint,
                                                NULL };

const spow_family *const *spow_family_list(void)
{
    return families;
}

const spow_family *spow_family_find(const char *name)
{
    for (int i = 0; families[i] != NULL; i++)
        if (strcmp(families[i]->name, name) == 0)
            return families[i];
    return NULL;
}

void spow_fit_first_interval(mpfr_t a, mpfr_t b, const spow_fit_params *par, mpfr_prec_t prec)
{
    mpfr_t one;
    mpfr_init2(one, prec);
    mpfr_add_ui(one, par->margin, 1, MPFR_RNDN);
    mpfr_div(a, par->lo, one, MPFR_RNDN);
    mpfr_mul(b, par->hi, one, MPFR_RNDN);
    mpfr_clear(one);
}

void spow_family_powers(long *y_power, long *x_power, const spow_recurrence *rec)
{
    if (rec->family->powers) {
        rec->family->powers(y_power, x_power, rec->p_num, rec->p_den);
    } else {
        *y_power = rec->p_den;
        *x_power = rec->p_den - rec->p_num;
    }
}
