/* gen_common.h -- the generator core's limits and error codes (strerror.c).
 *
 * Conventions follow MPFR: output arguments first, precision passed
 * explicitly, init/clear pairs, return codes (0 on success, a negative
 * SPOW_GEN_E* on failure) rather than aborts.  The one exception is MPFR's
 * own: memory comes from GMP's allocator (every mpfr_init2, and
 * spow_vec_init and the step lists through the same functions), which
 * reports exhaustion and stops the program. */
#ifndef SPOW_GEN_COMMON_H
#define SPOW_GEN_COMMON_H

#include <stdio.h>
#include <mpfr.h>

#define SPOW_GEN_MAX_DEGREE 16   /* == SPOW_MAX_DEGREE of runtime/include/spow.h, checked
                                  * at compile time in emit/emit_c.c */
#define SPOW_GEN_MAX_STEPS  64
#define SPOW_GEN_MAX_DEN    64
#define SPOW_GEN_MIN_PREC   64
#define SPOW_GEN_MAX_PREC   8192

#define SPOW_GEN_OK          0
#define SPOW_GEN_EARG       -1   /* malformed or out-of-range argument */
#define SPOW_GEN_ENOMEM     -2
#define SPOW_GEN_ECONVERGE  -3   /* Remez did not converge */
#define SPOW_GEN_EPREC      -4   /* coefficients did not stabilise under precision escalation */
#define SPOW_GEN_ETARGET    -5   /* --target-err not reached within SPOW_GEN_MAX_STEPS */
#define SPOW_GEN_EIO        -6   /* an emitter's stream reported an error */
#define SPOW_GEN_ENOFIT     -7   /* the family is evaluation-only: it cannot be fitted */
#define SPOW_GEN_ESTEPS     -8   /* converged below the working precision: more steps fit noise */
#define SPOW_GEN_ESEARCH    -9   /* --degree auto exhausted its budget of fits */
#define SPOW_GEN_EDOMAIN   -10   /* the recurrence leaves the certifiable domain (y reaches 0) */
#define SPOW_GEN_ESAMPLE   -11   /* the dense sample exceeds the certificate (a bug: refused) */
#define SPOW_GEN_EFORMAT   -12   /* the table cannot be written in the requested format */
#define SPOW_GEN_ENOFORM   -13   /* a step's g has no real Sastre form (--scheme sastre) */

const char *spow_gen_strerror(int code);

#endif /* SPOW_GEN_COMMON_H */
