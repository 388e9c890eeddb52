/* strerror.c -- one sentence per SPOW_GEN_E* code, for the programs' messages. */
#include "spow_gen.h"

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
        return "the degree search exhausted its budget of fits (--search-budget, default "
               "20000) before any schedule reached the target: give --degree explicitly, "
               "raise --search-budget or relax --target-err / --lo";
    case SPOW_GEN_ENOFIT:
        return "this family is evaluation-only: spow-gen cannot fit it (spow-inspect evaluates "
               "given constants)";
    case SPOW_GEN_EDOMAIN:
        return "the recurrence leaves the domain where it can be certified (y reaches 0)";
    case SPOW_GEN_ESAMPLE:
        return "internal error: the independent dense sample exceeds the certificate";
    case SPOW_GEN_EFORMAT:
        return "--format quintic writes p = 0 tables of degree 2 in every step only "
               "(x <- a x + b x^3 + c x^5): use --p 0 --degree 2";
    case SPOW_GEN_ENOFORM:
        return "a fitted step of degree 8, 12 or 16 has no real Sastre form at any shift "
               "tried (--scheme sastre): use other degrees for that step or "
               "--scheme paterson-stockmeyer";
    default: return "unknown error";
    }
}
