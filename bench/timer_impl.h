/* timer_impl.h -- counting_gemm_{f64,f32}, behind bench_gemm_{f64,f32}.
 * Included by timer.c once per type with TM_T and TM_FN(name) defined; no
 * include guard on purpose. */

static int TM_FN(counting_gemm)(void *ctx, int trans_a, int trans_b, size_t m, size_t n,
                                size_t k, TM_T alpha, const TM_T *a, size_t lda,
                                const TM_T *b, size_t ldb, TM_T beta, TM_T *c,
                                size_t ldc)
{
    double t0 = bench_now();

    return tally(ctx, t0, TM_FN(spow_gemm_cblas)(NULL, trans_a, trans_b, m, n, k, alpha, a,
                                                 lda, b, ldb, beta, c, ldc),
                 flops_of(trans_a, trans_b, m, n, k, a, lda, b, ldb, beta == 0));
}
