/* strerror.c -- messages for the SPOW_E* codes. */
#include "spow_internal.h"

const char *spow_strerror(int code)
{
    switch (code) {
    case SPOW_OK:
        return "success";
    case SPOW_EINVAL:
        return "invalid argument: NULL table, input or output, or bad options";
    case SPOW_ESIZE:
        return "rows, cols or the batch count is zero";
    case SPOW_ELD:
        return "leading dimension smaller than the number of columns";
    case SPOW_ENONFINITE:
        return "the input contains NaN or Inf";
    case SPOW_ETABLE:
        return "table malformed, of another version or family, or for p > 1";
    case SPOW_ENOMEM:
        return "out of memory";
    case SPOW_EOVERFLOW:
        return "a matrix or workspace size does not fit in size_t";
    case SPOW_EWORK:
        return "caller workspace too small";
    case SPOW_EGEMM:
        return "the GEMM callback reported an error";
    case SPOW_EALIAS:
        return "output overlaps the input, or the workspace overlaps either";
    case SPOW_ENOBLAS:
        return "no GEMM callback given, and libspow was built without a BLAS "
               "(SPOW_BLAS=none): pass gemm_f64/gemm_f32 in spow_options";
    default:
        return "unknown spow error code";
    }
}
