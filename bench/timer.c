/* timer.c -- the clock, GEMM wrappers that count, medians. */
#include <limits.h>
#include <stdlib.h>
#include <time.h>

#include <cblas.h>

#include "bench.h"

double bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int fits_int(size_t m, size_t n, size_t k, size_t lda, size_t ldb,
                    size_t ldc)
{
    return m <= INT_MAX && n <= INT_MAX && k <= INT_MAX && lda <= INT_MAX
           && ldb <= INT_MAX && ldc <= INT_MAX;
}

int bench_gemm_f64(void *ctx, int trans_a, int trans_b, size_t m, size_t n,
                   size_t k, double alpha, const double *a, size_t lda,
                   const double *b, size_t ldb, double beta, double *c,
                   size_t ldc)
{
    bench_counter *cnt = ctx;
    double t0;

    if (!fits_int(m, n, k, lda, ldb, ldc))
        return 1;
    t0 = bench_now();
    cblas_dgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k,
                alpha, a, (int)lda, b, (int)ldb, beta, c, (int)ldc);
    cnt->gemm_s += bench_now() - t0;
    cnt->flops += 2.0 * (double)m * (double)n * (double)k;
    cnt->gemm_calls++;
    return 0;
}

int bench_gemm_f32(void *ctx, int trans_a, int trans_b, size_t m, size_t n,
                   size_t k, float alpha, const float *a, size_t lda,
                   const float *b, size_t ldb, float beta, float *c,
                   size_t ldc)
{
    bench_counter *cnt = ctx;
    double t0;

    if (!fits_int(m, n, k, lda, ldb, ldc))
        return 1;
    t0 = bench_now();
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k,
                alpha, a, (int)lda, b, (int)ldb, beta, c, (int)ldc);
    cnt->gemm_s += bench_now() - t0;
    cnt->flops += 2.0 * (double)m * (double)n * (double)k;
    cnt->gemm_calls++;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

double bench_median(double *v, int n)
{
    if (n <= 0)
        return 0.0;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Is this call a Gram product C = alpha A^T A or alpha A A^T (same operand,
 * one side transposed, C not accumulated)?  Then ?syrk computes it exactly
 * as the GEMM contract asks, with half the flops. */
static int is_gram(int trans_a, int trans_b, size_t m, size_t n, const void *a,
                   size_t lda, const void *b, size_t ldb, int beta_zero)
{
    return a == b && lda == ldb && !trans_a != !trans_b && m == n && beta_zero;
}

/* Upper triangle (as ?syrk leaves it) copied to the lower one. */
#define BENCH_MIRROR(c, n, ldc)                                              \
    do {                                                                     \
        size_t i_, j_;                                                       \
        for (i_ = 1; i_ < (n); i_++)                                         \
            for (j_ = 0; j_ < i_; j_++)                                      \
                (c)[i_ * (ldc) + j_] = (c)[j_ * (ldc) + i_];                 \
    } while (0)

int bench_gemm_sym_f64(void *ctx, int trans_a, int trans_b, size_t m, size_t n,
                       size_t k, double alpha, const double *a, size_t lda,
                       const double *b, size_t ldb, double beta, double *c,
                       size_t ldc)
{
    bench_counter *cnt = ctx;
    double t0;

    if (!is_gram(trans_a, trans_b, m, n, a, lda, b, ldb, beta == 0.0))
        return bench_gemm_f64(ctx, trans_a, trans_b, m, n, k, alpha, a, lda, b,
                              ldb, beta, c, ldc);
    if (!fits_int(m, n, k, lda, ldb, ldc))
        return 1;
    t0 = bench_now();
    cblas_dsyrk(CblasRowMajor, CblasUpper, trans_a ? CblasTrans : CblasNoTrans,
                (int)n, (int)k, alpha, a, (int)lda, 0.0, c, (int)ldc);
    BENCH_MIRROR(c, n, ldc);
    cnt->gemm_s += bench_now() - t0;
    cnt->flops += (double)n * (double)(n + 1) * (double)k;
    cnt->gemm_calls++;
    return 0;
}

int bench_gemm_sym_f32(void *ctx, int trans_a, int trans_b, size_t m, size_t n,
                       size_t k, float alpha, const float *a, size_t lda,
                       const float *b, size_t ldb, float beta, float *c,
                       size_t ldc)
{
    bench_counter *cnt = ctx;
    double t0;

    if (!is_gram(trans_a, trans_b, m, n, a, lda, b, ldb, beta == 0.0f))
        return bench_gemm_f32(ctx, trans_a, trans_b, m, n, k, alpha, a, lda, b,
                              ldb, beta, c, ldc);
    if (!fits_int(m, n, k, lda, ldb, ldc))
        return 1;
    t0 = bench_now();
    cblas_ssyrk(CblasRowMajor, CblasUpper, trans_a ? CblasTrans : CblasNoTrans,
                (int)n, (int)k, alpha, a, (int)lda, 0.0f, c, (int)ldc);
    BENCH_MIRROR(c, n, ldc);
    cnt->gemm_s += bench_now() - t0;
    cnt->flops += (double)n * (double)(n + 1) * (double)k;
    cnt->gemm_calls++;
    return 0;
}
