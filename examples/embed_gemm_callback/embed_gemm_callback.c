/* embed_gemm_callback.c -- libspow inside another optimizer, with its own GEMM.
 *
 * The optimizer owns the matrix multiply (here a plain triple loop standing in
 * for a GPU or an accelerator library) and the memory: spow calls back for
 * every product and works in a buffer the caller allocated once.  The update
 * is U S^(1/2) V^T of a random 96 x 64 "gradient" in float, with the shipped
 * p = 1/2 table, the first step in double (opt.f64_steps, see spow.h).
 *
 * Check without any decomposition: for F = U S^(1/2) V^T, (F F^T)^2 = G G^T.
 *
 * Build: part of the CMake build (target embed-gemm-callback); run it with
 * no arguments.  Exit status 0 when the check passes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "spow.h"

/* The caller's GEMM: C = alpha op(A) op(B) + beta C, row-major, op(X) = X^T
 * when trans_x is set (the BLAS convention spow.h documents). */
typedef struct my_gemm {
    long calls;
} my_gemm;

#define DEFINE_GEMM(name, T)                                                      \
    static int name(void *ctx, int ta, int tb, size_t m, size_t n, size_t k,      \
                    T alpha, const T *a, size_t lda, const T *b, size_t ldb,      \
                    T beta, T *c, size_t ldc)                                     \
    {                                                                             \
        ((my_gemm *)ctx)->calls++;                                                \
        for (size_t i = 0; i < m; i++)                                            \
            for (size_t j = 0; j < n; j++) {                                      \
                double acc = 0;                                                   \
                for (size_t l = 0; l < k; l++)                                    \
                    acc += (double)(ta ? a[l * lda + i] : a[i * lda + l]) *       \
                           (double)(tb ? b[j * ldb + l] : b[l * ldb + j]);        \
                c[i * ldc + j] = (T)(alpha * acc + (beta == 0 ? 0 : beta * c[i * ldc + j])); \
            }                                                                     \
        return 0;                                                                 \
    }
DEFINE_GEMM(my_gemm_f64, double)
DEFINE_GEMM(my_gemm_f32, float)

/* out = x x^T (n x n) for x n x m, in double */
static void gram(double *out, const double *x, size_t n, size_t m)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double acc = 0;
            for (size_t l = 0; l < m; l++)
                acc += x[i * m + l] * x[j * m + l];
            out[i * n + j] = acc;
        }
}

int main(void)
{
    enum { ROWS = 96, COLS = 64 };
    const spow_table *t = spow_table_find(1, 2, 1e-3);
    if (t == NULL) {
        fputs("no shipped table for p = 1/2\n", stderr);
        return 1;
    }
    static float g[ROWS * COLS], f[ROWS * COLS];
    unsigned long long state = 12345;
    for (size_t i = 0; i < ROWS * COLS; i++) {    /* uniform noise in [-1, 1) */
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        g[i] = (float)((double)(state >> 11) / 9007199254740992.0 * 2 - 1);
    }

    my_gemm ctx = { 0 };
    spow_options opt = { 0 };
    spow_stats stats;
    opt.gemm_f64 = my_gemm_f64;     /* the double steps (f64_steps) use this one */
    opt.gemm_f32 = my_gemm_f32;
    opt.gemm_ctx = &ctx;
    opt.f64_steps = 1;
    opt.stats = &stats;
    /* the workspace, once: an optimizer would keep it across iterations */
    opt.work_size = spow_workspace_size_f32_mixed(t, ROWS, COLS, opt.f64_steps);
    opt.work = malloc(opt.work_size);
    if (opt.work == NULL)
        return 1;
    int rc = spow_apply_f32_ex(t, ROWS, COLS, g, COLS, f, COLS, &opt);
    free(opt.work);
    if (rc != SPOW_OK) {
        fprintf(stderr, "spow_apply_f32_ex: %s\n", spow_strerror(rc));
        return 1;
    }

    /* (F F^T)^2 against G G^T, in double */
    static double gd[ROWS * COLS], fd[ROWS * COLS], ggt[ROWS * ROWS], fft[ROWS * ROWS];
    for (size_t i = 0; i < ROWS * COLS; i++) {
        gd[i] = g[i];
        fd[i] = f[i];
    }
    gram(ggt, gd, ROWS, COLS);
    gram(fft, fd, ROWS, COLS);
    double num = 0, den = 0;
    for (size_t i = 0; i < ROWS; i++)
        for (size_t j = 0; j < ROWS; j++) {
            double sq = 0;
            for (size_t l = 0; l < ROWS; l++)
                sq += fft[i * ROWS + l] * fft[l * ROWS + j];
            num += (sq - ggt[i * ROWS + j]) * (sq - ggt[i * ROWS + j]);
            den += ggt[i * ROWS + j] * ggt[i * ROWS + j];
        }
    const double rel = sqrt(num / den);
    printf("table %s: %ld GEMM calls through the callback (table says %d), ||G||_F = %.6g\n",
           t->name, ctx.calls, t->gemms, stats.norm);
    printf("||(F F^T)^2 - G G^T||_F / ||G G^T||_F = %.3e\n", rel);
    /* A uniform random 96 x 64 matrix has no normalized singular value below
     * lo = 1e-3, so the float result is good to the float floor: 1e-4 is a
     * generous bound on the squared-and-squared relative error. */
    return ctx.calls == t->gemms && rel < 1e-4 ? 0 : 1;
}
