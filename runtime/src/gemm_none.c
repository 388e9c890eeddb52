/* gemm_none.c -- the default GEMM of a library built with SPOW_BLAS=none
 * (compiled instead of gemm_cblas.c).
 *
 * There is no BLAS to call.  The applies refuse to start without callbacks
 * (SPOW_ENOBLAS, validate.c); these stand-ins exist so that the library
 * exports the same names in every configuration, and fail as spow.h says
 * the default GEMMs fail. */
#include "spow_internal.h"

int spow_gemm_cblas_f64(void *ctx, int trans_a, int trans_b,
                        size_t m, size_t n, size_t k,
                        double alpha, const double *a, size_t lda,
                        const double *b, size_t ldb,
                        double beta, double *c, size_t ldc)
{
    (void)ctx; (void)trans_a; (void)trans_b; (void)m; (void)n; (void)k;
    (void)alpha; (void)a; (void)lda; (void)b; (void)ldb; (void)beta;
    (void)c; (void)ldc;
    return 1;
}

int spow_gemm_cblas_f32(void *ctx, int trans_a, int trans_b,
                        size_t m, size_t n, size_t k,
                        float alpha, const float *a, size_t lda,
                        const float *b, size_t ldb,
                        float beta, float *c, size_t ldc)
{
    (void)ctx; (void)trans_a; (void)trans_b; (void)m; (void)n; (void)k;
    (void)alpha; (void)a; (void)lda; (void)b; (void)ldb; (void)beta;
    (void)c; (void)ldc;
    return 1;
}
