/* gemm_cblas.c -- the default GEMM: CBLAS, row-major.
 *
 * A product of one matrix with its own transpose (a == b, exactly one side
 * transposed, beta = 0) is symmetric by the GEMM contract itself, so it goes
 * to ?syrk: half the flops, then the upper triangle is copied to the lower
 * one.  The runtime passes Gram matrices and the squares of its symmetric
 * small-side matrices that way (apply_impl.h). */
#include <limits.h>

#include <cblas.h>

#include "spow_internal.h"

/* CBLAS takes int dimensions; larger ones are refused rather than truncated. */
static int fits_int(size_t m, size_t n, size_t k, size_t lda, size_t ldb,
                    size_t ldc)
{
    return m <= INT_MAX && n <= INT_MAX && k <= INT_MAX && lda <= INT_MAX
           && ldb <= INT_MAX && ldc <= INT_MAX;
}

int spow_gemm_is_gram(int trans_a, int trans_b, size_t m, size_t n,
                      const void *a, size_t lda, const void *b, size_t ldb,
                      int beta_is_zero)
{
    return a == b && lda == ldb && !trans_a != !trans_b && m == n
           && beta_is_zero;
}

/* Tiles, so that the strided side of the copy stays in the cache and the
 * TLB: in a one-off timing of tiles 8..64 at n = 1024 (AVX2, float), 8 was
 * fastest, 0.6 ms against 1.7 for 64. */
#define SPOW_MIRROR_TILE 8

#define SPOW_T double
#define SPOW_FN(name) name##_f64
#define SPOW_CBLAS_GEMM cblas_dgemm
#define SPOW_CBLAS_SYRK cblas_dsyrk
#include "gemm_cblas_impl.h"
#undef SPOW_T
#undef SPOW_FN
#undef SPOW_CBLAS_GEMM
#undef SPOW_CBLAS_SYRK

#define SPOW_T float
#define SPOW_FN(name) name##_f32
#define SPOW_CBLAS_GEMM cblas_sgemm
#define SPOW_CBLAS_SYRK cblas_ssyrk
#include "gemm_cblas_impl.h"
#undef SPOW_T
#undef SPOW_FN
#undef SPOW_CBLAS_GEMM
#undef SPOW_CBLAS_SYRK
