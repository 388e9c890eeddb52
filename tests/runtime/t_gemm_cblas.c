/* t_gemm_cblas.c -- the default GEMMs against a naive triple loop in long
 * double.
 *
 * The backend routes A^T A and A A^T (same pointer and leading dimension,
 * one side transposed, beta = 0) to ?syrk and mirrors the triangle; every
 * other call, including a == b with beta != 0 or without a transposition,
 * must stay a plain GEMM.  Each case checks the whole C, both triangles,
 * and that the padding between rows (ldc > n) is left alone. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <check.h>

#include "check_run.h"
#include "testutil.h"

#define PAD 3           /* extra columns of every leading dimension */
#define SENTINEL -7.25  /* what the padding of C holds before and after */

typedef struct gcase {
    int ta, tb;
    size_t m, n, k;
    int same;           /* b = a (then lda == ldb) */
    double alpha, beta;
} gcase;

static const gcase cases[] = {
    {1, 0, 17, 17, 40, 1, 1.0, 0.0},    /* A^T A: syrk */
    {0, 1, 17, 17, 40, 1, 2.0, 0.0},    /* A A^T: syrk */
    {0, 1, 65, 65, 9, 1, -0.5, 0.0},    /* syrk, more than one mirror tile */
    {1, 0, 130, 130, 7, 1, 1.0, 0.0},   /* syrk, tiles not a multiple of n */
    {0, 1, 17, 17, 17, 1, 1.0, -1.0},   /* beta != 0, C not symmetric: GEMM */
    {0, 0, 17, 17, 17, 1, 1.0, 0.0},    /* A A, A not symmetric: GEMM */
    {1, 1, 17, 17, 17, 1, 1.0, 0.0},    /* A^T A^T: GEMM */
    {1, 0, 17, 17, 40, 0, 1.0, 0.0},    /* A^T B, B != A: GEMM */
    {0, 0, 23, 11, 5, 0, 1.5, 0.5},     /* rectangular GEMM */
};
#define NCASES ((int)(sizeof cases / sizeof cases[0]))

/* op(X)[i][j] of a row-major X with leading dimension ld. */
static double at(const double *x, size_t ld, int trans, size_t i, size_t j)
{
    return trans ? x[j * ld + i] : x[i * ld + j];
}

/* Rows x cols of op(X) are stored as (trans ? cols x rows : rows x cols). */
static size_t stored_rows(int trans, size_t rows, size_t cols)
{
    return trans ? cols : rows;
}

START_TEST(default_gemm_matches_naive)
{
    const gcase *gc = &cases[_i % NCASES];
    int f32 = _i >= NCASES;
    size_t m = gc->m, n = gc->n, k = gc->k;
    size_t ra = stored_rows(gc->ta, m, k), ca = gc->ta ? m : k;
    size_t rb = stored_rows(gc->tb, k, n), cb = gc->tb ? k : n;
    size_t lda = ca + PAD, ldb = gc->same ? lda : cb + PAD, ldc = n + PAD, i, j, q;
    double *a = malloc(ra * lda * sizeof *a), *b = gc->same ? a : malloc(rb * ldb * sizeof *b);
    double *c = malloc(m * ldc * sizeof *c), *ref = malloc(m * n * sizeof *ref);
    float *af = malloc(ra * lda * sizeof *af), *bf = gc->same ? af : malloc(rb * ldb * sizeof *bf);
    float *cf = malloc(m * ldc * sizeof *cf);
    tu_rng rng = {77u + (unsigned)_i};
    double tol, worst = 0.0, scale = 0.0;

    ck_assert_msg(gc->same == 0 || (ra == rb && ca == cb), "case %d: a == b needs equal shapes",
                  _i);
    for (i = 0; i < ra * lda; i++) {
        a[i] = tu_gauss(&rng);
        af[i] = (float)a[i];
        a[i] = af[i]; /* both runs see the same values */
    }
    if (!gc->same)
        for (i = 0; i < rb * ldb; i++) {
            bf[i] = (float)tu_gauss(&rng);
            b[i] = bf[i];
        }
    for (i = 0; i < m * ldc; i++) {
        cf[i] = i % ldc >= n ? (float)SENTINEL : (float)tu_gauss(&rng);
        c[i] = cf[i];
    }
    for (i = 0; i < m; i++)
        for (j = 0; j < n; j++) {
            long double s = 0.0L, sa = 0.0L;
            for (q = 0; q < k; q++) {
                long double p = (long double)at(a, lda, gc->ta, i, q) * at(b, ldb, gc->tb, q, j);
                s += p;
                sa += fabsl(p);
            }
            ref[i * n + j] = (double)(gc->alpha * s + gc->beta * c[i * ldc + j]);
            scale = fmax(scale, (double)(fabs(gc->alpha) * sa + fabs(gc->beta * c[i * ldc + j])));
        }

    if (f32)
        ck_assert_int_eq(spow_gemm_cblas_f32(NULL, gc->ta, gc->tb, m, n, k, (float)gc->alpha, af,
                                             lda, bf, ldb, (float)gc->beta, cf, ldc), 0);
    else
        ck_assert_int_eq(spow_gemm_cblas_f64(NULL, gc->ta, gc->tb, m, n, k, gc->alpha, a, lda, b,
                                             ldb, gc->beta, c, ldc), 0);
    for (i = 0; i < m; i++)
        for (j = 0; j < ldc; j++) {
            double v = f32 ? (double)cf[i * ldc + j] : c[i * ldc + j];
            if (j >= n) {
                ck_assert_msg(v == SENTINEL, "case %d %s: padding C[%zu][%zu] written", _i,
                              f32 ? "f32" : "f64", i, j);
                continue;
            }
            worst = fmax(worst, fabs(v - ref[i * n + j]));
        }
    /* A k-term dot product is within k eps of the sum of |terms| (plus one
     * rounding for alpha and one for beta C). */
    tol = (double)(k + 2) * (f32 ? 0x1p-24 : 0x1p-53) * scale;
    ck_assert_msg(worst <= tol, "case %d %s (ta %d tb %d same %d beta %g): max error %.3g > %.3g",
                  _i, f32 ? "f32" : "f64", gc->ta, gc->tb, gc->same, gc->beta, worst, tol);
    free(a);
    free(c);
    free(ref);
    free(af);
    free(cf);
    if (!gc->same) {
        free(b);
        free(bf);
    }
}
END_TEST

/* The Gram path writes an exactly symmetric C (the mirror copies bits). */
START_TEST(gram_is_exactly_symmetric)
{
    enum { N = 70, K = 33 };
    static double a[K * N], c[N * N];
    static float af[K * N], cf[N * N];
    tu_rng rng = {5};
    size_t i, j;

    for (i = 0; i < K * N; i++) {
        a[i] = tu_gauss(&rng);
        af[i] = (float)a[i];
    }
    ck_assert_int_eq(spow_gemm_cblas_f64(NULL, 1, 0, N, N, K, 1.0, a, N, a, N, 0.0, c, N), 0);
    ck_assert_int_eq(spow_gemm_cblas_f32(NULL, 1, 0, N, N, K, 1.0f, af, N, af, N, 0.0f, cf, N),
                     0);
    for (i = 0; i < N; i++)
        for (j = 0; j < i; j++) {
            ck_assert_msg(c[i * N + j] == c[j * N + i], "f64 C[%zu][%zu] != C[%zu][%zu]", i, j,
                          j, i);
            ck_assert_msg(cf[i * N + j] == cf[j * N + i], "f32 C[%zu][%zu] != C[%zu][%zu]", i,
                          j, j, i);
        }
}
END_TEST

/* Sizes past INT_MAX are refused before anything is read or written. */
START_TEST(sizes_beyond_int_are_refused)
{
    size_t big = (size_t)INT_MAX + 1;

    ck_assert_int_eq(spow_gemm_cblas_f64(NULL, 0, 0, big, 1, 1, 1.0, NULL, 1, NULL, 1, 0.0, NULL,
                                         1), 1);
    ck_assert_int_eq(spow_gemm_cblas_f32(NULL, 1, 0, 4, 4, 4, 1.0f, NULL, big, NULL, big, 0.0f,
                                         NULL, 4), 1);
    ck_assert_int_eq(spow_gemm_cblas_f32(NULL, 0, 0, 4, 4, 4, 1.0f, NULL, 4, NULL, 4, 0.0f, NULL,
                                         big), 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gemm_cblas");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, default_gemm_matches_naive, 0, 2 * NCASES);
    tcase_add_test(tc, gram_is_exactly_symmetric);
    tcase_add_test(tc, sizes_beyond_int_are_refused);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
