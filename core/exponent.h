/* exponent.h -- the exponents p = m/n the generator supports (exponent.c). */
#ifndef SPOW_GEN_EXPONENT_H
#define SPOW_GEN_EXPONENT_H

#include "gen_common.h"

typedef enum spow_p_status {
    SPOW_P_OK = 0,
    SPOW_P_DEN,         /* denominator above SPOW_GEN_MAX_DEN */
    SPOW_P_RANGE        /* outside -2 <= p <= 1 */
} spow_p_status;

/* Whether p = m/n (lowest terms, n > 0) is one the generator, its families
 * and spow-inspect support; the one place this rule is written. */
spow_p_status spow_p_check(long m, long n);

#endif /* SPOW_GEN_EXPONENT_H */
