/* timer.c -- the clock, GEMM wrappers that count, medians. */
#include <stdlib.h>
#include <time.h>

#include "spow.h" /* spow_gemm_is_gram, the default GEMMs */

#include "bench.h"

double bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The flops spow_gemm_cblas_* really executes: n (n + 1) k for the calls
 * its own predicate sends to ?syrk, 2 m n k for the others. */
static double flops_of(int trans_a, int trans_b, size_t m, size_t n, size_t k,
                       const void *a, size_t lda, const void *b, size_t ldb,
                       int beta_is_zero)
{
    if (spow_gemm_is_gram(trans_a, trans_b, m, n, a, lda, b, ldb, beta_is_zero))
        return (double)n * (double)(n + 1) * (double)k;
    return 2.0 * (double)m * (double)n * (double)k;
}

/* Adds one call that started at t0 and did flops to the counter at ctx;
 * passes its return code on. */
static int tally(void *ctx, double t0, int rc, double flops)
{
    bench_counter *cnt = ctx;

    cnt->gemm_s += bench_now() - t0;
    cnt->flops += flops;
    cnt->gemm_calls++;
    return rc;
}

#define TM_T double
#define TM_FN(name) name##_f64
#include "timer_impl.h"
#undef TM_T
#undef TM_FN

#define TM_T float
#define TM_FN(name) name##_f32
#include "timer_impl.h"
#undef TM_T
#undef TM_FN

const spow_gemm_f64_fn bench_gemm_f64 = counting_gemm_f64;
const spow_gemm_f32_fn bench_gemm_f32 = counting_gemm_f32;

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
