/* gemm_cblas.c -- the default GEMM: CBLAS, row-major. */
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

int spow_gemm_cblas_f64(void *ctx, int trans_a, int trans_b,
                        size_t m, size_t n, size_t k,
                        double alpha, const double *a, size_t lda,
                        const double *b, size_t ldb,
                        double beta, double *c, size_t ldc)
{
    (void)ctx;
    if (!fits_int(m, n, k, lda, ldb, ldc))
        return 1;
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
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k,
                alpha, a, (int)lda, b, (int)ldb, beta, c, (int)ldc);
    return 0;
}
