/* family.c -- the registry of recurrence families and the error strings. */
#include <string.h>
#include "spow_gen.h"

/* The families the generator can fit.  spow-inspect keeps its own list,
 * which adds the evaluation-only families (inspect/families/). */
static const spow_family *const families[] = { &spow_family_coupled, NULL };

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

const char *spow_gen_strerror(int code)
{
    switch (code) {
    case SPOW_GEN_OK: return "success";
    case SPOW_GEN_EARG: return "malformed or out-of-range argument";
    case SPOW_GEN_ENOMEM: return "out of memory";
    case SPOW_GEN_ECONVERGE:
        return "the Remez exchange did not converge (even at 4x --prec): its error level "
               "is below what the working precision resolves; use fewer steps, lower "
               "degrees or a larger --prec";
    case SPOW_GEN_EPREC: return "coefficients did not stabilise up to the maximum working precision";
    case SPOW_GEN_ETARGET: return "target error not reached within the maximum number of steps";
    case SPOW_GEN_EIO: return "could not write the output";
    case SPOW_GEN_ESTEPS:
        return "the recurrence converges below what the working precision resolves "
               "(escalated up to 4x --prec) before the last step: more steps would fit "
               "rounding noise; use fewer steps or a larger --prec";
    case SPOW_GEN_ESEARCH:
        return "the degree search exhausted its budget of 20000 fits: give --degree "
               "explicitly or relax --target-err / --lo";
    case SPOW_GEN_ENOFIT:
        return "this family is evaluation-only: spow-gen cannot fit it (spow-inspect evaluates "
               "given constants)";
    case SPOW_GEN_EDOMAIN:
        return "the recurrence leaves the domain where it can be certified (y reaches 0)";
    case SPOW_GEN_ESAMPLE:
        return "internal error: the independent dense sample exceeds the certificate";
    default: return "unknown error";
    }
}
