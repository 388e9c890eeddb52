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

#define SPOW_DEF_MIRROR(name, T)                                             \
    static void name(T *c, size_t n, size_t ldc)                             \
    {                                                                        \
        size_t i0, j0, i, j;                                                 \
        for (i0 = 0; i0 < n; i0 += SPOW_MIRROR_TILE)                         \
            for (j0 = 0; j0 <= i0; j0 += SPOW_MIRROR_TILE)                   \
                for (i = i0; i < n && i < i0 + SPOW_MIRROR_TILE; i++)        \
                    for (j = j0; j < i && j < j0 + SPOW_MIRROR_TILE; j++)    \
                        c[i * ldc + j] = c[j * ldc + i];                     \
    }

SPOW_DEF_MIRROR(mirror_f64, double)
SPOW_DEF_MIRROR(mirror_f32, float)

int spow_gemm_cblas_f64(void *ctx, int trans_a, int trans_b,
                        size_t m, size_t n, size_t k,
                        double alpha, const double *a, size_t lda,
                        const double *b, size_t ldb,
                        double beta, double *c, size_t ldc)
{
    (void)ctx;
    if (!fits_int(m, n, k, lda, ldb, ldc))
        return 1;
    if (spow_gemm_is_gram(trans_a, trans_b, m, n, a, lda, b, ldb, beta == 0.0)) {
        cblas_dsyrk(CblasRowMajor, CblasUpper, trans_a ? CblasTrans : CblasNoTrans,
                    (int)n, (int)k, alpha, a, (int)lda, 0.0, c, (int)ldc);
        mirror_f64(c, n, ldc);
        return 0;
    }
    cblas_dgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k,
                alpha, a, (int)lda, b, (int)ldb, beta, c, (int)ldc);
    return 0;
}

int spow_gemm_cblas_f32(void *ctx, int trans_a, int trans_b,
                        size_t m, size_t n, size_t k,
                        float alpha, const float *a, size_t lda,
                        const float *b, size_t ldb,
                        float beta, float *c, size_t ldc)
{
    (void)ctx;
    if (!fits_int(m, n, k, lda, ldb, ldc))
        return 1;
    if (spow_gemm_is_gram(trans_a, trans_b, m, n, a, lda, b, ldb, beta == 0.0f)) {
        cblas_ssyrk(CblasRowMajor, CblasUpper, trans_a ? CblasTrans : CblasNoTrans,
                    (int)n, (int)k, alpha, a, (int)lda, 0.0f, c, (int)ldc);
        mirror_f32(c, n, ldc);
        return 0;
    }
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k,
                alpha, a, (int)lda, b, (int)ldb, beta, c, (int)ldc);
    return 0;
}
