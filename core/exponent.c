/* exponent.c -- which exponents p = m/n the generator supports: the range
 * spow-gen --help states (-2 <= p <= 1), and denominators up to
 * SPOW_GEN_MAX_DEN, beyond which the powers G^n would cost more than the
 * rest of the recurrence.  spow-gen, the coupled family and spow-inspect
 * all ask here. */
#include "spow_gen.h"

spow_p_status spow_p_check(long m, long n)
{
    if (n < 1 || n > SPOW_GEN_MAX_DEN)
        return SPOW_P_DEN;
    if (m > n || m < -2 * n)
        return SPOW_P_RANGE;
    return SPOW_P_OK;
}
