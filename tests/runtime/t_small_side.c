/* t_small_side.c -- SPOW_SMALL_SIDE: the steps on the Gram side, against
 * the exact answer on prescribed spectra and against the rectangular form.
 *
 * Tolerances.  As in t_apply.c, cert + A k (gemms + 2) u with A the
 * scalar map's amplification, with one change: the small side carries the
 * Gram matrix A = Y^T Y from the first step to the last instead of forming
 * it again from Y, so its rounding (k u ||A|| = k u, absolute) is relative
 * to sigma^2, not sigma, and reaches a singular value s as k u / s^2.  So
 * the rounding term is divided by smin^2 (smin the smallest normalized
 * singular value of the case); gemms counts the small side's own products.
 * In double and smin >= 1e-3 that adds at most ~1e-7 (120 x 40, 30
 * products): the test still sees any error of the algorithm, which shows
 * as O(1).  The float runs are compared with U S^p V^T of G rounded to
 * float (dgesdd), as in t_apply.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_run.h"
#include "testutil.h"

#define EPS64 0x1p-53
#define EPS32 0x1p-24

/* Counts GEMMs, and those with the long side as a dimension (rectangular). */
typedef struct rect_counter {
    size_t longer;
    long calls, rect;
} rect_counter;

static void count(rect_counter *rc, size_t m, size_t n, size_t k)
{
    rc->calls++;
    if (m == rc->longer || n == rc->longer || k == rc->longer)
        rc->rect++;
}

static int gemm64(void *ctx, int ta, int tb, size_t m, size_t n, size_t k, double alpha,
                  const double *a, size_t lda, const double *b, size_t ldb, double beta,
                  double *c, size_t ldc)
{
    count(ctx, m, n, k);
    return spow_gemm_cblas_f64(NULL, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

static int gemm32(void *ctx, int ta, int tb, size_t m, size_t n, size_t k, float alpha,
                  const float *a, size_t lda, const float *b, size_t ldb, float beta,
                  float *c, size_t ldc)
{
    count(ctx, m, n, k);
    return spow_gemm_cblas_f32(NULL, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

static const size_t shapes[][2] = {{120, 40}, {40, 120}, {30, 30}, {1, 9}, {9, 1}};
#define NSHAPES (sizeof shapes / sizeof shapes[0])

/* Every shipped table, every shape, normalized singular values in
 * [max(1e-2, lo), 1], in double and in float with the double small side:
 * within tolerance, and two rectangular products (Gram and final) for any
 * number of steps. */
START_TEST(accuracy)
{
    const spow_table *t = spow_table_list()[_i];
    size_t i;

    for (i = 0; i < NSHAPES; i++) {
        size_t rows = shapes[i][0], cols = shapes[i][1];
        size_t k = rows > cols ? rows : cols;
        double smin = t->lo > 1e-2 ? t->lo : 1e-2, amp, tol64, tolf, e64, ef;
        rect_counter cnt = {k, 0, 0};
        spow_options opt = {0};
        tu_spread_case c;
        int rc;

        tu_spread_case_init(&c, tu_p(t), rows, cols, smin, 300u + i);
        opt.flags = SPOW_SMALL_SIDE;
        opt.gemm_f64 = gemm64;
        opt.gemm_f32 = gemm32;
        opt.gemm_ctx = &cnt;
        rc = spow_apply_f64_ex(t, rows, cols, c.g, cols, c.out, cols, &opt);
        ck_assert_int_eq(rc, SPOW_OK);
        amp = tu_amplification(t, c.s, c.r);
        tol64 = t->max_rel_err + amp * (double)k * (double)(cnt.calls + 2) * EPS64 / (smin * smin);
        e64 = tu_rel_err(c.out, cols, c.ref, cols, rows, cols);
        ck_assert_msg(e64 <= tol64, "%s %zux%zu: double %.3g > tol %.3g", t->name, rows, cols,
                      e64, tol64);
        /* square, 1 x n and n x 1: every product has the long side */
        if (c.r > 1 && rows != cols)
            ck_assert_msg(cnt.rect == 2, "%s %zux%zu: %ld rectangular products, not 2", t->name,
                          rows, cols, cnt.rect);

        opt.f64_steps = 1;
        cnt.calls = 0;
        rc = spow_apply_f32_ex(t, rows, cols, c.gf, cols, c.of, cols, &opt);
        ck_assert_int_eq(rc, SPOW_OK);
        tolf = tol64 + amp * EPS32;
        ef = tu_rel_err_f32(c.of, cols, c.reff, cols, rows, cols);
        ck_assert_msg(ef <= tolf, "%s %zux%zu: float, double small side %.3g > tol %.3g", t->name,
                      rows, cols, ef, tolf);
        if (getenv("TU_VERBOSE"))
            printf("%-24s %4zux%-4zu A %-6.3g f64 %.2e/%.2e f32(f64 side) %.2e/%.2e GEMMs %ld\n",
                   t->name, rows, cols, amp, e64, tol64, ef, tolf, cnt.calls);
        tu_spread_case_clear(&c);
    }
}
END_TEST

/* Float all the way (f64_steps = 0) is for spectra near the top of the
 * interval: with smin = 0.3 the u / s^2 term is ~1e-6 and the tolerance
 * above holds in float. */
START_TEST(float_near_top)
{
    const spow_table *t = spow_table_list()[_i];
    size_t rows = 120, cols = 40, k = 120;
    double smin = 0.3 > t->lo ? 0.3 : t->lo, amp, tol, e;
    rect_counter cnt = {k, 0, 0};
    spow_options opt = {0};
    tu_spread_case c;

    tu_spread_case_init(&c, tu_p(t), rows, cols, smin, 400u);
    opt.flags = SPOW_SMALL_SIDE;
    opt.gemm_f32 = gemm32;
    opt.gemm_ctx = &cnt;
    ck_assert_int_eq(spow_apply_f32_ex(t, rows, cols, c.gf, cols, c.of, cols, &opt), SPOW_OK);
    amp = tu_amplification(t, c.s, c.r);
    tol = t->max_rel_err_f32 + amp * (double)k * (double)(cnt.calls + 2) * EPS32 / (smin * smin);
    e = tu_rel_err_f32(c.of, cols, c.reff, cols, rows, cols);
    ck_assert_msg(e <= tol, "%s: float small side %.3g > tol %.3g", t->name, e, tol);
    tu_spread_case_clear(&c);
}
END_TEST

/* A batch on the small side equals single applies bit for bit; the
 * workspace of spow_workspace_size_*_ex is enough and one byte less is
 * SPOW_EWORK; the small side needs less than the rectangular form on a
 * tall input. */
START_TEST(batch_and_workspace)
{
    const spow_table *t = spow_table_find(1, 2, 1e-3);
    size_t rows = 48, cols = 12, n = rows * cols, i, need, need_f32, rect;
    double *g = malloc(3 * n * sizeof *g), *out = malloc(3 * n * sizeof *out);
    double *one = malloc(n * sizeof *one);
    unsigned char *work;
    spow_options opt = {0};
    tu_rng rng = {7};

    for (i = 0; i < 3 * n; i++)
        g[i] = tu_gauss(&rng);
    opt.flags = SPOW_SMALL_SIDE;
    need = spow_workspace_size_f64_ex(t, rows, cols, &opt);
    rect = spow_workspace_size_f64(t, rows, cols);
    ck_assert(need > 0 && need < rect);
    opt.f64_steps = 1; /* the float apply's small side in double */
    need_f32 = spow_workspace_size_f32_ex(t, rows, cols, &opt);
    ck_assert_uint_eq(need_f32, need);
    opt.f64_steps = 0;
    work = malloc(need);
    opt.work = work;
    opt.work_size = need;
    ck_assert_int_eq(spow_apply_batch_f64_ex(t, 3, rows, cols, g, cols, n, out, cols, n, &opt),
                     SPOW_OK);
    for (i = 0; i < 3; i++) {
        ck_assert_int_eq(spow_apply_f64_ex(t, rows, cols, g + i * n, cols, one, cols, &opt),
                         SPOW_OK);
        ck_assert(memcmp(one, out + i * n, n * sizeof *one) == 0);
    }
    opt.work_size = need - 1;
    ck_assert_int_eq(spow_apply_f64_ex(t, rows, cols, g, cols, one, cols, &opt), SPOW_EWORK);
    free(work);
    free(g);
    free(out);
    free(one);
}
END_TEST

/* An unknown flag is SPOW_EINVAL, and the workspace query says 0. */
START_TEST(unknown_flag)
{
    const spow_table *t = spow_table_find(1, 2, 1e-3);
    double g[6] = {1, 2, 3, 4, 5, 6}, out[6] = {0};
    spow_options opt = {0};

    opt.flags = SPOW_SMALL_SIDE | 4u;
    ck_assert_int_eq(spow_apply_f64_ex(t, 3, 2, g, 2, out, 2, &opt), SPOW_EINVAL);
    ck_assert_uint_eq(spow_workspace_size_f64_ex(t, 3, 2, &opt), 0);
    ck_assert(out[0] == 0.0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("small_side");
    TCase *tc = tcase_create("core");
    int n = tu_count(spow_table_list());

    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, accuracy, 0, n);
    tcase_add_loop_test(tc, float_near_top, 0, n);
    if (n > 0) { /* both take the shipped p = 1/2 table */
        tcase_add_test(tc, batch_and_workspace);
        tcase_add_test(tc, unknown_flag);
    }
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
