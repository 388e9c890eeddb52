/* registry.c -- the families spow-inspect evaluates: the generator's coupled
 * family (typed constants are g's monomials in t) and the evaluation-only
 * families of this folder, which the generator does not know. */
#include <string.h>
#include "spow_inspect.h"

const spow_inspect_family spow_inspect_coupled = {
    &spow_family_coupled,
    spow_coupled_set_mono,
    NULL,                       /* no published constants */
};

static const spow_inspect_family *const families[] = {
    &spow_inspect_coupled, &spow_inspect_fixedpoint, &spow_inspect_muon_quintic, NULL,
};

const spow_inspect_family *const *spow_inspect_family_list(void)
{
    return families;
}

const spow_inspect_family *spow_inspect_family_find(const char *name)
{
    /* spow-gen's name for the fitted form: the same constants, typed */
    if (strcmp(name, spow_family_fixedpoint.name) == 0)
        return &spow_inspect_fixedpoint;
    for (int i = 0; families[i] != NULL; i++)
        if (strcmp(families[i]->family->name, name) == 0)
            return families[i];
    return NULL;
}
