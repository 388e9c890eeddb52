/* gemm_none.c -- the default GEMM of a library built with SPOW_BLAS=none
 * (compiled instead of gemm_cblas.c).
 *
 * There is no BLAS to call.  The applies refuse to start without callbacks
 * (SPOW_ENOBLAS, validate.c); these stand-ins exist so that the library
 * exports the same names in every configuration, and fail as spow.h says
 * the default GEMMs fail. */
#include "spow_internal.h"

#define SPOW_IMPL "gemm_none_impl.h"
#include "both_types.h"
