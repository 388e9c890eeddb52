/* gemm_cblas_impl.h -- spow_gemm_cblas_{f64,f32} and their mirror copy.
 *
 * Included by gemm_cblas.c once per type, with SPOW_T, SPOW_FN(name),
 * SPOW_CBLAS_GEMM and SPOW_CBLAS_SYRK (cblas_?gemm, cblas_?syrk) defined;
 * no include guard on purpose. */

static void SPOW_FN(mirror)(SPOW_T *c, size_t n, size_t ldc)
{
    size_t i0, j0, i, j;

    for (i0 = 0; i0 < n; i0 += SPOW_MIRROR_TILE)
        for (j0 = 0; j0 <= i0; j0 += SPOW_MIRROR_TILE)
            for (i = i0; i < n && i < i0 + SPOW_MIRROR_TILE; i++)
                for (j = j0; j < i && j < j0 + SPOW_MIRROR_TILE; j++)
                    c[i * ldc + j] = c[j * ldc + i];
}

int SPOW_FN(spow_gemm_cblas)(void *ctx, int trans_a, int trans_b,
                             size_t m, size_t n, size_t k,
                             SPOW_T alpha, const SPOW_T *a, size_t lda,
                             const SPOW_T *b, size_t ldb,
                             SPOW_T beta, SPOW_T *c, size_t ldc)
{
    (void)ctx;
    if (!fits_int(m, n, k, lda, ldb, ldc))
        return 1;
    if (spow_gemm_is_gram(trans_a, trans_b, m, n, a, lda, b, ldb, beta == 0)) {
        SPOW_CBLAS_SYRK(CblasRowMajor, CblasUpper, trans_a ? CblasTrans : CblasNoTrans,
                        (int)n, (int)k, alpha, a, (int)lda, 0, c, (int)ldc);
        SPOW_FN(mirror)(c, n, ldc);
        return 0;
    }
    SPOW_CBLAS_GEMM(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                    trans_b ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k,
                    alpha, a, (int)lda, b, (int)ldb, beta, c, (int)ldc);
    return 0;
}
