/* gemm_none_impl.h -- the failing stand-in spow_gemm_cblas_{f64,f32}.
 *
 * Included by gemm_none.c once per type, with SPOW_T and SPOW_FN(name)
 * defined; no include guard on purpose. */

int SPOW_FN(spow_gemm_cblas)(void *ctx, int trans_a, int trans_b,
                             size_t m, size_t n, size_t k,
                             SPOW_T alpha, const SPOW_T *a, size_t lda,
                             const SPOW_T *b, size_t ldb,
                             SPOW_T beta, SPOW_T *c, size_t ldc)
{
    (void)ctx; (void)trans_a; (void)trans_b; (void)m; (void)n; (void)k;
    (void)alpha; (void)a; (void)lda; (void)b; (void)ldb; (void)beta;
    (void)c; (void)ldc;
    return 1;
}
