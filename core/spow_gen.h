/* spow_gen.h -- the offline generator's multiprecision core: fit, certify
 * and emit recurrences.  One header per module; this one includes them all.
 *
 *   gen_common.h      limits and error codes (strerror.c)
 *   exponent.h        which p = m/n the generator supports
 *   poly.h            polynomials with MPFR coefficients
 *   remez.h           the Remez exchange
 *   recurrence.h      a recurrence as Paterson-Stockmeyer steps, rounding
 *   sastre.h          Sastre's product form of a step's g
 *   cost.h            the GEMM cost model
 *   families/family.h the family interface, registry, the coupled family
 *   certify.h         the error sampled the direct way
 *   fit.h             fitting with precision escalation
 *   emit/emit.h       output formats (C, JSON, CSV, text)
 *   pipeline.h        spow_gen_table: all of the above in spow-gen's order
 */
#ifndef SPOW_GEN_H
#define SPOW_GEN_H

#include "gen_common.h"
#include "exponent.h"
#include "poly.h"
#include "remez.h"
#include "recurrence.h"
#include "sastre.h"
#include "nested.h"
#include "cost.h"
#include "families/family.h"
#include "certify.h"
#include "fit.h"
#include "emit/emit.h"
#include "pipeline.h"
#include "search.h"
#include "design.h"

#endif /* SPOW_GEN_H */
