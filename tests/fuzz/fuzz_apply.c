/* fuzz_apply.c -- spow_apply_f64/_f32 and their _ex forms on shipped tables,
 * with shapes, leading dimensions, options and entries taken from the bytes.
 *
 * Input layout (missing bytes read as 0):
 *   0  mode: bit 0 float, bit 1 _ex form, bit 2 caller workspace, bit 3
 *      SPOW_NORMALIZED, bit 4 counting GEMM callback, bit 5 out = g,
 *      bit 6 stats, bit 7 SPOW_SCALE_FROBENIUS (else the default scale)
 *   1  table: index into spow_table_list(), one past the end is NULL
 *   2, 3  rows, cols: byte % 17 (0 is allowed: SPOW_ESIZE)
 *   4, 5  ldg, ldo: cols + byte % 4, or cols - 1 when bit 7 is set
 *   6  f64_steps: byte % 8 - 1
 *   7  workspace size: the size the query gives, plus byte % 5 - 2
 *   8  callback fails at this call (0: never)
 *   9  scale: every entry times 2^(8 * (signed char)byte)
 *   then one byte per entry picking a value (see entry()), with 8 more
 *   bytes for a raw double.
 *
 * Properties, from spow.h: the return code is exactly the one the
 * documented order of checks gives for these arguments (the harness works
 * it out on its own); g is never written; on failure out is untouched,
 * padding included; on success every entry of out is finite (shipped tables
 * have p in [-1/4, 4/5], so c^p stays far inside the range from 2^-1074 to
 * 16 DBL_MAX), the padding of out is untouched, and the GEMM count is the
 * table's (0 for G = 0; the default scale adds no product to a shipped
 * table).  The padding of g holds NaN: reading it would turn
 * into a wrong SPOW_ENONFINITE.  Buffers have exactly their extent, so a
 * sanitizer build sees any access past it. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "spow.h"

static double entry(fuzz_reader *r)
{
    unsigned k = fuzz_byte(r);
    double v;
    int i;

    switch (k % 24) {
    case 0: return 0.0;
    case 1: return -0.0;
    case 2: return 1.0;
    case 3: return -1.0;
    case 4: return DBL_MIN;
    case 5: return 0x1p-1074;
    case 6: return -0x1p-1074;
    case 7: return 0x1p-149;
    case 8: return FLT_MIN;
    case 9: return FLT_MAX;
    case 10: return -FLT_MAX;
    case 11: return DBL_MAX;
    case 12: return -DBL_MAX;
    case 13: return NAN;
    case 14: return INFINITY;
    case 15: return -INFINITY;
    case 16: return 1e-300;
    case 17: return 1e300;
    case 18: /* a raw double, any bit pattern */
        for (i = 0, v = 0.0; i < 8; i++)
            ((unsigned char *)&v)[i] = (unsigned char)fuzz_byte(r);
        return v;
    default: return ((double)(signed char)fuzz_byte(r) + 0.5) / 16.0;
    }
}

typedef struct counter {
    long calls, fail_at;
} counter;

/* Checks the callback contract on every call (C never overlaps A or B),
 * then forwards to a plain triple loop: the harness needs no BLAS. */
#define GEMM_BODY(T)                                                           \
    counter *c = ctx;                                                          \
    size_t i, j, l;                                                            \
    const T *a_end = a + (trans_a ? (k - 1) * lda + m : (m - 1) * lda + k);    \
    const T *b_end = b + (trans_b ? (n - 1) * ldb + k : (k - 1) * ldb + n);    \
    const T *c_end = cc + (m - 1) * ldc + n;                                   \
    FUZZ_CHECK(!(cc < a_end && a < c_end) && !(cc < b_end && b < c_end),      \
               "GEMM output overlaps an input");                               \
    if (++c->calls == c->fail_at)                                              \
        return 1;                                                              \
    for (i = 0; i < m; i++)                                                    \
        for (j = 0; j < n; j++) {                                              \
            T s = 0;                                                           \
            for (l = 0; l < k; l++)                                            \
                s += (trans_a ? a[l * lda + i] : a[i * lda + l])               \
                     * (trans_b ? b[j * ldb + l] : b[l * ldb + j]);            \
            cc[i * ldc + j] = alpha * s + (beta == 0 ? 0 : beta * cc[i * ldc + j]); \
        }                                                                      \
    return 0;

static int gemm64(void *ctx, int trans_a, int trans_b, size_t m, size_t n, size_t k,
                  double alpha, const double *a, size_t lda, const double *b, size_t ldb,
                  double beta, double *cc, size_t ldc)
{
    GEMM_BODY(double)
}

static int gemm32(void *ctx, int trans_a, int trans_b, size_t m, size_t n, size_t k,
                  float alpha, const float *a, size_t lda, const float *b, size_t ldb,
                  float beta, float *cc, size_t ldc)
{
    GEMM_BODY(float)
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_reader rd = {data, size};
    const spow_table *const *list = spow_table_list();
    const spow_table *t;
    unsigned mode = fuzz_byte(&rd), b;
    int ntables = 0, f32 = mode & 1, ex = (mode >> 1) & 1, alias = (mode >> 5) & 1;
    int rc, want, nonfinite = 0, nonzero = 0, f64_steps, scale, wdelta;
    size_t rows, cols, ldg, ldo, ng, no, i, j, esz, need = 0;
    unsigned char *g, *out, *keep_g, *keep_out, *work = NULL;
    spow_options opt = {0};
    spow_stats stats = {-1, -1.0, -1.0};
    counter cnt = {0, 0};

    while (list[ntables])
        ntables++;
    b = fuzz_byte(&rd) % (unsigned)(ntables + 1);
    t = (int)b < ntables ? list[b] : NULL;
    rows = fuzz_byte(&rd) % 17;
    cols = fuzz_byte(&rd) % 17;
    b = fuzz_byte(&rd);
    ldg = (b & 128) && cols > 0 ? cols - 1 : cols + b % 4;
    b = fuzz_byte(&rd);
    ldo = (b & 128) && cols > 0 ? cols - 1 : cols + b % 4;
    f64_steps = (int)(fuzz_byte(&rd) % 8) - 1;
    wdelta = (int)(fuzz_byte(&rd) % 5) - 2;
    cnt.fail_at = fuzz_byte(&rd);
    scale = 8 * (signed char)fuzz_byte(&rd);
    if (alias)
        ldo = ldg;

    /* Exact extents: (rows - 1) ld + cols elements. */
    esz = f32 ? sizeof(float) : sizeof(double);
    ng = rows && cols ? (rows - 1) * ldg + cols : 1;
    no = rows && cols ? (rows - 1) * ldo + cols : 1;
    g = malloc(ng * esz);
    keep_g = malloc(ng * esz);
    out = alias ? g : malloc(no * esz);
    keep_out = malloc(no * esz);
    if (!g || !keep_g || !out || !keep_out)
        abort();
    for (i = 0; i < ng; i++) {
        int in_matrix = rows && cols && (ldg == 0 || i % ldg < cols);
        double v = in_matrix ? ldexp(entry(&rd), scale) : NAN;
        if (f32)
            ((float *)g)[i] = (float)v;
        else
            ((double *)g)[i] = v;
        if (in_matrix) {
            double w = f32 ? (double)((float *)g)[i] : ((double *)g)[i];
            nonfinite |= !isfinite(w);
            nonzero |= w != 0.0;
        }
    }
    if (!alias)
        for (i = 0; i < no; i++) {
            if (f32)
                ((float *)out)[i] = -7.0f;
            else
                ((double *)out)[i] = -7.0;
        }
    memcpy(keep_g, g, ng * esz);
    memcpy(keep_out, out, no * esz);

    if (ex) {
        opt.flags = (mode >> 3) & 1 ? SPOW_NORMALIZED : 0;
        opt.f64_steps = f64_steps;
        opt.scale = (mode >> 7) & 1 ? SPOW_SCALE_FROBENIUS : SPOW_SCALE_DEFAULT;
        if ((mode >> 4) & 1) {
            opt.gemm_f64 = gemm64;
            opt.gemm_f32 = gemm32;
            opt.gemm_ctx = &cnt;
        }
        if ((mode >> 6) & 1)
            opt.stats = &stats;
        if (t && rows && cols) {
            need = !f32 ? spow_workspace_size_f64(t, rows, cols)
                        : spow_workspace_size_f32_mixed(t, rows, cols,
                                                        f64_steps < 0 ? 0 : f64_steps);
            FUZZ_CHECK(need > 0, "workspace query 0 for %zux%zu", rows, cols);
        }
        if ((mode >> 2) & 1) {
            opt.work_size = (size_t)((long)need + wdelta > 1 ? (long)need + wdelta : 1);
            work = malloc(opt.work_size);
            if (!work)
                abort();
            opt.work = work;
        }
    }

    /* The documented order: EINVAL, ETABLE, ESIZE, ELD, EOVERFLOW, EALIAS,
     * ENONFINITE, EWORK, ENOMEM, EGEMM. */
    if (!t || (ex && f64_steps < 0))
        want = SPOW_EINVAL;
    else if (rows == 0 || cols == 0)
        want = SPOW_ESIZE;
    else if (ldg < cols || ldo < cols)
        want = SPOW_ELD;
    else if (alias)
        want = SPOW_EALIAS;
    else if (nonfinite)
        want = SPOW_ENONFINITE;
    else if (opt.work && opt.work_size < need)
        want = SPOW_EWORK;
    else if (opt.gemm_ctx && cnt.fail_at >= 1 && cnt.fail_at <= t->gemms && nonzero)
        want = SPOW_EGEMM;
    else
        want = SPOW_OK;

    if (f32)
        rc = ex ? spow_apply_f32_ex(t, rows, cols, (const float *)g, ldg, (float *)out, ldo, &opt)
                : spow_apply_f32(t, rows, cols, (const float *)g, ldg, (float *)out, ldo);
    else
        rc = ex ? spow_apply_f64_ex(t, rows, cols, (const double *)g, ldg, (double *)out, ldo,
                                    &opt)
                : spow_apply_f64(t, rows, cols, (const double *)g, ldg, (double *)out, ldo);

    FUZZ_CHECK(rc == want, "%s%s %zux%zu ldg %zu ldo %zu table %s: rc %d (%s), want %d (%s)",
               f32 ? "f32" : "f64", ex ? "_ex" : "", rows, cols, ldg, ldo,
               t ? t->name : "NULL", rc, spow_strerror(rc), want, spow_strerror(want));
    if (!alias)
        FUZZ_CHECK(memcmp(g, keep_g, ng * esz) == 0, "g was written");
    if (rc != SPOW_OK) {
        FUZZ_CHECK(memcmp(out, keep_out, no * esz) == 0, "out written on error %d", rc);
    } else {
        for (i = 0; i < rows; i++)
            for (j = 0; j < ldo && (i + 1 < rows || j < cols); j++) {
                size_t at = i * ldo + j;
                double v = f32 ? (double)((float *)out)[at] : ((double *)out)[at];
                if (j < cols)
                    FUZZ_CHECK(isfinite(v), "%s out(%zu,%zu) = %g", t->name, i, j, v);
                else
                    FUZZ_CHECK(v == -7.0, "padding out(%zu,%zu) written", i, j);
            }
        if (opt.gemm_ctx)
            FUZZ_CHECK(cnt.calls == (nonzero ? t->gemms : 0), "%ld GEMM calls, table %d",
                       cnt.calls, t->gemms);
        if (opt.stats)
            FUZZ_CHECK(stats.gemm_calls == (nonzero ? t->gemms : 0) && stats.norm >= 0.0
                           && (stats.norm > 0.0) == (nonzero != 0),
                       "stats: %ld calls, norm %g", stats.gemm_calls, stats.norm);
    }
    free(g);
    free(keep_g);
    if (!alias)
        free(out);
    free(keep_out);
    free(work);
    return 0;
}
