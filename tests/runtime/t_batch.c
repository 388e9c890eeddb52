/* t_batch.c -- spow_apply_batch_*_ex: equal to the single form bit for bit,
 * and nothing of the batch written when one matrix or argument is bad.
 *
 * Outputs are filled with a sentinel before each call: a failure must leave
 * every entry of every output (and the padding between them) as it was. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_run.h"
#include "malloc_count.h"
#include "testutil.h"


#define NB 5            /* matrices per batch */
#define MAXR 20
#define MAXC 20
#define PADM 7          /* elements between the matrices of a batch */
#define SENTINEL (-1234.5)
#define LD (MAXC + 3)
#define STRIDE (MAXR * LD + PADM)
#define TOTAL (NB * STRIDE)

static double g[TOTAL], out[TOTAL], one[TOTAL];
static float gf[TOTAL], outf[TOTAL], onef[TOTAL];

/* Matrix i: Gaussian, times 2^(3i) and (1 + i/7) so that every matrix has
 * its own norm (the batch must not share one), matrix 2 all zero (the
 * apply without steps inside a batch). */
static void fill_inputs(size_t rows, size_t cols)
{
    tu_rng rng = {7};
    size_t i, r, c;

    for (i = 0; i < TOTAL; i++) {
        g[i] = NAN; /* padding: never read */
        gf[i] = NAN;
    }
    for (i = 0; i < NB; i++)
        for (r = 0; r < rows; r++)
            for (c = 0; c < cols; c++) {
                double v = i == 2 ? 0.0 : ldexp(tu_gauss(&rng), 3 * (int)i) * (1.0 + i / 7.0);
                g[i * STRIDE + r * LD + c] = v;
                gf[i * STRIDE + r * LD + c] = (float)v;
            }
}

static void fill_outputs(void)
{
    size_t i;

    for (i = 0; i < TOTAL; i++) {
        out[i] = one[i] = SENTINEL;
        outf[i] = onef[i] = (float)SENTINEL;
    }
}

static void assert_untouched(const char *what)
{
    size_t i;

    for (i = 0; i < TOTAL; i++) {
        ck_assert_msg(out[i] == SENTINEL, "%s: out[%zu] written", what, i);
        ck_assert_msg(outf[i] == (float)SENTINEL, "%s: outf[%zu] written", what, i);
    }
}

/* Whole buffers compared bit for bit, padding included (memcmp: -0.0 and
 * NaN payloads count). */
static void assert_same(const char *what)
{
    ck_assert_msg(memcmp(out, one, sizeof out) == 0, "%s: f64 batch differs from single", what);
    ck_assert_msg(memcmp(outf, onef, sizeof outf) == 0, "%s: f32 batch differs from single",
                  what);
}

/* _i: table, shape, f64_steps and flags; each batch against NB single
 * calls, and the stats against their sums. */
START_TEST(equals_single)
{
    static const int ps[][2] = {{1, 2}, {0, 1}, {-1, 4}, {1, 1}};
    static const size_t shapes[][2] = {{20, 12}, {9, 17}, {1, 6}};
    const int *p = ps[_i % 4];
    const size_t *sh = shapes[(_i / 4) % 3];
    const spow_table *t = spow_table_find(p[0], p[1], 1e-3);
    spow_options opt = {0};
    spow_stats bs, ss;
    long calls = 0;
    double flops = 0.0, norm = 0.0;
    size_t i;
    char what[96];

    opt.f64_steps = _i % 2;
    opt.flags = _i % 3 == 0 ? SPOW_NORMALIZED : 0;
    snprintf(what, sizeof what, "p = %d/%d, %zux%zu, f64_steps %d, flags %u", p[0], p[1],
             sh[0], sh[1], opt.f64_steps, opt.flags);
    if (p[0] == 1 && p[1] == 1) {
        /* p = 1 is not shipped: a table without GEMMs made by hand. */
        static tu_hand_table h;
        tu_rng rng = {3};
        tu_hand_build(&h, 1, 1, 0, 0, &rng);
        t = &h.t;
    }
    ck_assert_msg(t != NULL, "%s: no table", what);
    fill_inputs(sh[0], sh[1]);
    fill_outputs();
    for (i = 0; i < NB; i++) {
        opt.stats = &ss;
        ck_assert_int_eq(spow_apply_f64_ex(t, sh[0], sh[1], g + i * STRIDE, LD,
                                           one + i * STRIDE, LD, &opt), SPOW_OK);
        calls += ss.gemm_calls;
        flops += ss.flops;
        if (ss.norm > norm)
            norm = ss.norm;
        ck_assert_int_eq(spow_apply_f32_ex(t, sh[0], sh[1], gf + i * STRIDE, LD,
                                           onef + i * STRIDE, LD, &opt), SPOW_OK);
    }
    opt.stats = &bs;
    ck_assert_int_eq(spow_apply_batch_f64_ex(t, NB, sh[0], sh[1], g, LD, STRIDE, out, LD,
                                             STRIDE, &opt), SPOW_OK);
    ck_assert_msg(bs.gemm_calls == calls && bs.flops == flops && bs.norm == norm,
                  "%s: stats %ld %g %g, singles %ld %g %g", what, bs.gemm_calls, bs.flops,
                  bs.norm, calls, flops, norm);
    ck_assert_int_eq(spow_apply_batch_f32_ex(t, NB, sh[0], sh[1], gf, LD, STRIDE, outf, LD,
                                             STRIDE, &opt), SPOW_OK);
    assert_same(what);
}
END_TEST

/* stride_g = 0: one input applied NB times, into a caller workspace; no
 * allocation. */
START_TEST(shared_input)
{
    const spow_table *t = spow_table_find(1, 2, 1e-3);
    spow_options opt = {0};
    size_t bytes = spow_workspace_size_f32_mixed(t, 20, 12, 1), i;
    void *work = malloc(bytes);
    long n;
    int rc64, rc32;

    ck_assert(work != NULL);
    fill_inputs(20, 12);
    fill_outputs();
    opt.work = work;
    opt.work_size = bytes;
    opt.f64_steps = 1;
    for (i = 0; i < NB; i++) {
        ck_assert_int_eq(spow_apply_f64_ex(t, 20, 12, g, LD, one + i * STRIDE, LD, &opt), 0);
        ck_assert_int_eq(spow_apply_f32_ex(t, 20, 12, gf, LD, onef + i * STRIDE, LD, &opt), 0);
    }
    tu_mallocs = 0;
    rc64 = spow_apply_batch_f64_ex(t, NB, 20, 12, g, LD, 0, out, LD, STRIDE, &opt);
    rc32 = spow_apply_batch_f32_ex(t, NB, 20, 12, gf, LD, 0, outf, LD, STRIDE, &opt);
    n = tu_mallocs;
    ck_assert_int_eq(rc64, SPOW_OK);
    ck_assert_int_eq(rc32, SPOW_OK);
    ck_assert_int_eq(n, 0);
    assert_same("stride_g = 0");
    free(work);
}
END_TEST

/* Both precisions, same arguments, same code, nothing written. */
static void expect(int code, const spow_table *t, size_t count, size_t rows, size_t cols,
                   const double *gd, const float *gs, size_t ldg, size_t sg, double *od,
                   float *os, size_t ldo, size_t so, const spow_options *opt, const char *what)
{
    int rc;

    fill_outputs();
    rc = spow_apply_batch_f64_ex(t, count, rows, cols, gd, ldg, sg, od, ldo, so, opt);
    ck_assert_msg(rc == code, "%s f64: got %d (%s), want %d", what, rc, spow_strerror(rc), code);
    rc = spow_apply_batch_f32_ex(t, count, rows, cols, gs, ldg, sg, os, ldo, so, opt);
    ck_assert_msg(rc == code, "%s f32: got %d (%s), want %d", what, rc, spow_strerror(rc), code);
    assert_untouched(what);
}

START_TEST(bad_arguments)
{
    const spow_table *t = spow_table_find(1, 2, 1e-3);
    tu_hand_table h;
    tu_rng rng = {5};
    spow_options opt = {0};
    size_t ext = 19 * LD + 12; /* one 20 x 12 matrix */

    tu_hand_build(&h, 1, 2, 2, 0, &rng);
    h.t.version++;
    fill_inputs(20, 12);
    expect(SPOW_EINVAL, NULL, NB, 20, 12, g, gf, LD, STRIDE, out, outf, LD, STRIDE, NULL,
           "NULL table");
    expect(SPOW_EINVAL, t, NB, 20, 12, g, gf, LD, STRIDE, NULL, NULL, LD, STRIDE, NULL,
           "NULL out");
    opt.flags = 4;
    expect(SPOW_EINVAL, t, NB, 20, 12, g, gf, LD, STRIDE, out, outf, LD, STRIDE, &opt,
           "unknown flag");
    expect(SPOW_ETABLE, &h.t, NB, 20, 12, g, gf, LD, STRIDE, out, outf, LD, STRIDE, NULL,
           "table of another version");
    expect(SPOW_ESIZE, t, 0, 20, 12, g, gf, LD, STRIDE, out, outf, LD, STRIDE, NULL,
           "count 0");
    expect(SPOW_ESIZE, t, NB, 20, 0, g, gf, LD, STRIDE, out, outf, LD, STRIDE, NULL,
           "cols 0");
    expect(SPOW_ELD, t, NB, 20, 12, g, gf, 11, STRIDE, out, outf, LD, STRIDE, NULL,
           "ldg < cols");
    expect(SPOW_EOVERFLOW, t, NB, 20, 12, g, gf, LD, SIZE_MAX / 3, out, outf, LD, STRIDE,
           NULL, "span of the inputs");
    expect(SPOW_EOVERFLOW, t, 3, 20, 12, g, gf, LD, STRIDE, out, outf, LD, SIZE_MAX / 2,
           NULL, "span of the outputs");
    expect(SPOW_EALIAS, t, NB, 20, 12, g, gf, LD, STRIDE, out, outf, LD, ext - 1, NULL,
           "outputs overlap each other");
    /* The outputs' span reaches the inputs': the last output would be g. */
    expect(SPOW_EALIAS, t, 2, 20, 12, g + STRIDE, gf + STRIDE, LD, STRIDE,
           (double *)g, (float *)gf, LD, STRIDE, NULL, "outputs' span overlaps the inputs'");
}
END_TEST

/* A NaN or Inf in any one matrix of the batch (first, middle, last entry
 * of the last matrix too): its code, and no output written. */
START_TEST(bad_matrix)
{
    const spow_table *t = spow_table_find(1, 4, 1e-3);
    static const size_t at[] = {0, 3 * STRIDE + 5 * LD + 4, 4 * STRIDE + 19 * LD + 11};
    size_t k;

    for (k = 0; k < 3; k++) {
        char what[64];
        fill_inputs(20, 12);
        g[at[k]] = k == 1 ? INFINITY : NAN;
        gf[at[k]] = (float)g[at[k]];
        snprintf(what, sizeof what, "non-finite entry at %zu", at[k]);
        expect(SPOW_ENONFINITE, t, NB, 20, 12, g, gf, LD, STRIDE, out, outf, LD, STRIDE,
               NULL, what);
    }
}
END_TEST

START_TEST(work_and_memory)
{
    const spow_table *t = spow_table_find(1, 2, 1e-3);
    spow_options opt = {0};
    size_t bytes = spow_workspace_size_f64(t, 20, 12);
    unsigned char *work = malloc(bytes);
    int rc64, rc32;

    ck_assert(work != NULL);
    fill_inputs(20, 12);
    opt.work = work;
    opt.work_size = spow_workspace_size_f32(t, 20, 12) - 1;
    expect(SPOW_EWORK, t, NB, 20, 12, g, gf, LD, STRIDE, out, outf, LD, STRIDE, &opt,
           "workspace too small");
    /* Matrix 2 is zero and needs no workspace: the failing allocation must
     * still come before matrices 0 and 1 are written. */
    fill_outputs();
    tu_fail_malloc = 1;
    rc64 = spow_apply_batch_f64_ex(t, NB, 20, 12, g, LD, STRIDE, out, LD, STRIDE, NULL);
    rc32 = spow_apply_batch_f32_ex(t, NB, 20, 12, gf, LD, STRIDE, outf, LD, STRIDE, NULL);
    tu_fail_malloc = 0;
    ck_assert_int_eq(rc64, SPOW_ENOMEM);
    ck_assert_int_eq(rc32, SPOW_ENOMEM);
    assert_untouched("allocation fails");
    free(work);
}
END_TEST

/* A GEMM failure inside matrix 3: matrices 0..2 written (as documented),
 * 3 and 4 not. */
START_TEST(gemm_failure)
{
    const spow_table *t = spow_table_find(1, 2, 1e-3);
    tu_counter cnt;
    spow_options opt = {0};
    size_t i;
    int rc;

    fill_inputs(20, 12);
    fill_outputs();
    memset(&cnt, 0, sizeof cnt);
    opt.gemm_f64 = tu_gemm_f64;
    opt.gemm_ctx = &cnt;
    /* matrices 0 and 1 take t->gemms calls each, matrix 2 (zero) none */
    cnt.fail_at = 2L * t->gemms + 3;
    rc = spow_apply_batch_f64_ex(t, NB, 20, 12, g, LD, STRIDE, out, LD, STRIDE, &opt);
    ck_assert_int_eq(rc, SPOW_EGEMM);
    for (i = 0; i < TOTAL; i++) {
        size_t m = i / STRIDE, r = i % STRIDE / LD, c = i % STRIDE % LD;
        int inside = i % STRIDE < 20 * LD && c < 12 && r < 20;
        if (m <= 2 && inside)
            ck_assert_msg(out[i] != SENTINEL, "matrix %zu (%zu, %zu) not written", m, r, c);
        else
            ck_assert_msg(out[i] == SENTINEL, "out[%zu] (matrix %zu) written", i, m);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("batch");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, equals_single, 0, 12);
    tcase_add_test(tc, shared_input);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, bad_matrix);
    tcase_add_test(tc, work_and_memory);
    tcase_add_test(tc, gemm_failure);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
