/* testutil_gemm_impl.h -- tu_gemm_{f64,f32} and their check of the squares
 * on the small side.
 *
 * Included by testutil.c once per type with TU_T, TU_FN(name), TU_F32 (0 or
 * 1, the counter's index) and TU_CBLAS_GEMM (cblas_?gemm) defined; no
 * include guard on purpose. */

/* A square on the small side: S S^T, S symmetric up to rounding. */
static void TU_FN(check_square)(tu_counter *c, const TU_T *a, const TU_T *b, size_t lda,
                                size_t ldb, size_t m, size_t n, size_t k, TU_T beta)
{
    double num = 0.0, den = 0.0;
    size_t i, j;

    c->squares++;
    if (a != b || lda != ldb || m != n || n != k || beta != 0) {
        c->bad_squares++;
        return;
    }
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++) {
            double v = (double)a[i * lda + j];
            double d = fabs(v - (double)a[j * lda + i]);
            if (d > num)
                num = d;
            if (fabs(v) > den)
                den = fabs(v);
        }
    if (den > 0.0 && num / den > c->square_asym[TU_F32])
        c->square_asym[TU_F32] = num / den;
}

int TU_FN(tu_gemm)(void *ctx, int trans_a, int trans_b, size_t m, size_t n,
                   size_t k, TU_T alpha, const TU_T *a, size_t lda,
                   const TU_T *b, size_t ldb, TU_T beta, TU_T *c, size_t ldc)
{
    tu_counter *cnt = ctx;

    count(cnt, TU_F32, trans_a || trans_b, a, b, c, m, n, k);
    if ((trans_a || trans_b) && !is_rect(cnt, TU_F32, a))
        TU_FN(check_square)(cnt, a, b, lda, ldb, m, n, k, beta);
    if (cnt->fail_at == cnt->calls)
        return 1;
    TU_CBLAS_GEMM(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                  trans_b ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k,
                  alpha, a, (int)lda, b, (int)ldb, beta, c, (int)ldc);
    return 0;
}
