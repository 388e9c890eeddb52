/* t_no_blas.c -- the contract of a libspow built with SPOW_BLAS=none.
 *
 * Without a BLAS there is no default GEMM: an apply that would need one
 * returns SPOW_ENOBLAS before writing anything or calling a GEMM, and one
 * given callbacks for every precision it uses runs.  (Its accuracy with callbacks is the
 * embed-gemm-callback example's test, which runs in this configuration too.)
 * Plain C: this configuration has neither Check nor LAPACKE. */
#include <stdio.h>
#include <string.h>

#include "spow.h"

static int failures;

#define EXPECT(cond)                                                        \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                     \
        }                                                                   \
    } while (0)

/* The caller's GEMMs.  They count their calls and report failure, passing
 * the call on to the stand-in default GEMMs, whose failure main() checks
 * first: an apply that reaches them has passed the SPOW_ENOBLAS check and
 * returns SPOW_EGEMM, with out untouched (what they would compute is the
 * embed-gemm-callback example's business). */
static long calls_f64, calls_f32;

static int gemm_f64(void *ctx, int ta, int tb, size_t m, size_t n, size_t k,
                    double alpha, const double *a, size_t lda, const double *b,
                    size_t ldb, double beta, double *c, size_t ldc)
{
    calls_f64++;
    return spow_gemm_cblas_f64(ctx, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

static int gemm_f32(void *ctx, int ta, int tb, size_t m, size_t n, size_t k,
                    float alpha, const float *a, size_t lda, const float *b,
                    size_t ldb, float beta, float *c, size_t ldc)
{
    calls_f32++;
    return spow_gemm_cblas_f32(ctx, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

enum { ROWS = 6, COLS = 4, N = ROWS * COLS };

/* Did the applies leave both outputs as they were (every entry still the
 * sentinel)?  No apply here may write either. */
static int untouched(const double *out, const float *outf)
{
    int i;
    for (i = 0; i < N; i++)
        if (out[i] != -7.0 || outf[i] != -7.0f)
            return 0;
    return 1;
}

int main(void)
{
    const spow_table *t = spow_table_find(1, 2, 1e-3);
    double g[N], out[N];
    float gf[N], outf[N];
    spow_options opt;
    int i;

    EXPECT(SPOW_HAVE_DEFAULT_GEMM == 0);
    EXPECT(t != NULL);
    if (t == NULL)
        return 1;
    for (i = 0; i < N; i++) {
        g[i] = (double)((i * 7) % 11) - 5.0;
        gf[i] = (float)g[i];
        out[i] = -7.0;
        outf[i] = -7.0f;
    }

    /* The default GEMMs are absent: every apply without callbacks refuses. */
    EXPECT(spow_apply_f64(t, ROWS, COLS, g, COLS, out, COLS) == SPOW_ENOBLAS);
    EXPECT(untouched(out, outf));
    EXPECT(spow_apply_f32(t, ROWS, COLS, gf, COLS, outf, COLS) == SPOW_ENOBLAS);
    EXPECT(untouched(out, outf));
    EXPECT(strstr(spow_strerror(SPOW_ENOBLAS), "SPOW_BLAS=none") != NULL);
    /* The stand-in default GEMMs fail as spow.h says the default GEMMs fail. */
    EXPECT(spow_gemm_cblas_f64(NULL, 0, 0, 1, 1, 1, 1.0, g, 1, g, 1, 0.0, out, 1) != 0);
    EXPECT(spow_gemm_cblas_f32(NULL, 0, 0, 1, 1, 1, 1.0f, gf, 1, gf, 1, 0.0f, outf, 1) != 0);
    EXPECT(untouched(out, outf));

    /* A callback for each precision the apply uses, no more: then the
     * apply runs and reaches the callbacks. */
    memset(&opt, 0, sizeof opt);
    opt.gemm_f32 = gemm_f32;
    opt.f64_steps = 1;  /* the first step in double needs gemm_f64 too */
    EXPECT(spow_apply_f32_ex(t, ROWS, COLS, gf, COLS, outf, COLS, &opt) == SPOW_ENOBLAS);
    EXPECT(calls_f32 == 0);
    opt.f64_steps = 0;
    EXPECT(spow_apply_f32_ex(t, ROWS, COLS, gf, COLS, outf, COLS, &opt) == SPOW_EGEMM);
    EXPECT(calls_f32 == 1 && calls_f64 == 0);

    memset(&opt, 0, sizeof opt);
    opt.gemm_f32 = gemm_f32;   /* an f64 apply needs gemm_f64 */
    EXPECT(spow_apply_f64_ex(t, ROWS, COLS, g, COLS, out, COLS, &opt) == SPOW_ENOBLAS);
    opt.gemm_f64 = gemm_f64;
    EXPECT(spow_apply_f64_ex(t, ROWS, COLS, g, COLS, out, COLS, &opt) == SPOW_EGEMM);
    EXPECT(calls_f64 == 1 && calls_f32 == 1);

    /* f32 with every step in double: gemm_f64 alone is enough. */
    memset(&opt, 0, sizeof opt);
    opt.gemm_f64 = gemm_f64;
    opt.f64_steps = t->steps;
    EXPECT(spow_apply_f32_ex(t, ROWS, COLS, gf, COLS, outf, COLS, &opt) == SPOW_EGEMM);
    EXPECT(calls_f64 == 2 && calls_f32 == 1);
    EXPECT(untouched(out, outf));

    if (failures == 0)
        printf("SPOW_BLAS=none: applies refuse without callbacks (SPOW_ENOBLAS), call them when given\n");
    return failures == 0 ? 0 : 1;
}
