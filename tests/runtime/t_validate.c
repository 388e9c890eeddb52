/* t_validate.c -- bad input, failing GEMMs and the caller workspace.
 *
 * Every failure must leave out exactly as it was: out is filled with a
 * sentinel before each call and compared bit for bit afterwards. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_run.h"
#include "malloc_count.h"
#include "testutil.h"


#define R 12
#define C 7
#define SENTINEL (-1234.5)

static tu_hand_table hand;
static double g[R * C], out[R * C + 64];
static float gf[R * C], outf[R * C + 64];

static void setup(void)
{
    tu_rng rng = {42};
    int i;

    tu_hand_build(&hand, 1, 4, 3, 2, &rng);
    for (i = 0; i < R * C; i++) {
        g[i] = tu_gauss(&rng);
        gf[i] = (float)g[i];
    }
}

static void fill(void)
{
    int i;
    for (i = 0; i < R * C + 64; i++) {
        out[i] = SENTINEL;
        outf[i] = (float)SENTINEL;
    }
}

static void assert_untouched(const char *what, int code)
{
    int i;
    for (i = 0; i < R * C + 64; i++) {
        ck_assert_msg(out[i] == SENTINEL, "%s (code %d): out[%d] written", what, code, i);
        ck_assert_msg(outf[i] == (float)SENTINEL, "%s (code %d): outf[%d] written", what,
                      code, i);
    }
}

/* Both precisions, same arguments, same expected code. */
static void expect(int code, const spow_table *t, size_t rows, size_t cols,
                   const double *gd, const float *gs, size_t ldg, size_t ldo,
                   const spow_options *opt, const char *what)
{
    int rc;

    fill();
    rc = spow_apply_f64_ex(t, rows, cols, gd, ldg, gd ? out : NULL, ldo, opt);
    ck_assert_msg(rc == code, "%s f64: got %d (%s), want %d", what, rc, spow_strerror(rc), code);
    rc = spow_apply_f32_ex(t, rows, cols, gs, ldg, gs ? outf : NULL, ldo, opt);
    ck_assert_msg(rc == code, "%s f32: got %d (%s), want %d", what, rc, spow_strerror(rc), code);
    assert_untouched(what, code);
}

START_TEST(einval)
{
    spow_options opt = {0};

    expect(SPOW_EINVAL, NULL, R, C, g, gf, C, C, NULL, "NULL table");
    expect(SPOW_EINVAL, &hand.t, R, C, NULL, NULL, C, C, NULL, "NULL g");
    fill();
    ck_assert_int_eq(spow_apply_f64(&hand.t, R, C, g, C, NULL, C), SPOW_EINVAL);
    ck_assert_int_eq(spow_apply_f32(&hand.t, R, C, gf, C, NULL, C), SPOW_EINVAL);
    opt.flags = 4; /* SPOW_NORMALIZED 1 and SPOW_SMALL_SIDE 2 are known */
    expect(SPOW_EINVAL, &hand.t, R, C, g, gf, C, C, &opt, "unknown flag");
    opt.flags = 0;
    opt.f64_steps = -1;
    expect(SPOW_EINVAL, &hand.t, R, C, g, gf, C, C, &opt, "negative f64_steps");
    opt.f64_steps = 0;
    opt.scale = SPOW_SCALE_GRAM4 + 1;
    expect(SPOW_EINVAL, &hand.t, R, C, g, gf, C, C, &opt, "unknown scale");
    opt.scale = -1;
    expect(SPOW_EINVAL, &hand.t, R, C, g, gf, C, C, &opt, "negative scale");
}
END_TEST

/* _i selects one way of breaking a valid table. */
START_TEST(etable)
{
    tu_hand_table h = hand;
    spow_step *st = &h.step[1];
    static const double nan_ps[3] = {1.0, NAN, 0.0};
    const char *what = "";

    h.t.step = h.step;
    switch (_i) {
    case 0: h.t.version = SPOW_TABLE_VERSION + 1; what = "version"; break;
    case 1: h.t.steps = -1; what = "steps < 0"; break;
    case 2: st->degree = 0; what = "degree 0"; break;
    case 3: st->degree = SPOW_MAX_DEGREE + 1; st->baby = 1; st->blocks = st->degree;
            what = "degree too large"; break;
    case 4: st->baby = 0; what = "baby 0"; break;
    case 5: st->baby = st->degree + 1; st->blocks = 1; what = "baby > degree"; break;
    case 6: st->blocks++; what = "blocks != ceil(d / baby)"; break;
    case 7: st->ps = NULL; what = "ps NULL"; break;
    case 8: st->cheb = NULL; what = "cheb NULL"; break;
    case 9: st->mono = NULL; what = "mono NULL"; break;
    case 10: h.t.step = NULL; what = "step NULL"; break;
    case 11: h.t.p_den = 0; what = "p_den 0"; break;
    case 12: h.t.p_den = -4; h.t.p_num = -1; what = "p_den < 0"; break;
    case 13: h.t.y_power = 2; what = "y_power != p_den"; break;
    case 14: h.t.x_power = 4; what = "x_power != p_den - p_num"; break;
    case 15: h.t.p_num = 5; h.t.x_power = -1; what = "p > 1"; break;
    case 16: st->alpha = INFINITY; what = "alpha Inf"; break;
    case 17: st->beta = NAN; what = "beta NaN"; break;
    case 18: st->degree = 2; st->baby = 1; st->blocks = 2; st->ps = nan_ps;
             what = "NaN coefficient"; break;
    case 19: h.t.family = "fixedpoint"; what = "family the runtime does not apply"; break;
    case 20: h.t.family = NULL; what = "family NULL"; break;
    }
    expect(SPOW_ETABLE, &h.t, R, C, g, gf, C, C, NULL, what);
    ck_assert_msg(spow_workspace_size_f64(&h.t, R, C) == 0, "%s: size", what);
    ck_assert_msg(spow_workspace_size_f32(&h.t, R, C) == 0, "%s: size", what);
}
END_TEST

/* A table with a product form broken (or not: want SPOW_OK): SPOW_ETABLE
 * from every entry point, nothing written, workspace size 0. */
static void expect_form(int want, const spow_table *t, const char *what)
{
    static double ob[2 * R * C];
    spow_options opt = {0};
    int i;

    if (want == SPOW_OK) {
        ck_assert_msg(spow_apply_f64(t, R, C, g, C, out, C) == SPOW_OK, "%s f64", what);
        ck_assert_msg(spow_apply_f32(t, R, C, gf, C, outf, C) == SPOW_OK, "%s f32", what);
        ck_assert(spow_workspace_size_f64(t, R, C) > 0);
        return;
    }
    expect(want, t, R, C, g, gf, C, C, NULL, what);
    ck_assert_msg(spow_workspace_size_f64(t, R, C) == 0, "%s: size", what);
    ck_assert_msg(spow_workspace_size_f32(t, R, C) == 0, "%s: size", what);
    /* the batch entry, small side: the same refusal, nothing written */
    opt.flags = SPOW_SMALL_SIDE;
    for (i = 0; i < 2 * R * C; i++)
        ob[i] = SENTINEL;
    ck_assert_int_eq(spow_apply_batch_f64_ex(t, 2, R, C, g, C, 0, ob, C, R * C, &opt), want);
    for (i = 0; i < 2 * R * C; i++)
        ck_assert_msg(ob[i] == SENTINEL, "%s batch: ob[%d] written", what, i);
}

extern const spow_table spow_table_sastre_p1_2;

/* A Sastre step (spow.h) broken one field at a time (_i), in the fixture
 * tests/data/sastre_p1_2.c (first step: degree 8, form_k 2): SPOW_ETABLE
 * from every entry point, nothing written, workspace size 0.  The first
 * cases are the valid table and a valid variant (sign -1), which must pass. */
START_TEST(etable_sastre)
{
    const spow_table *src = &spow_table_sastre_p1_2;
    spow_table t = *src;
    spow_step steps[8];
    double form[4 * 4 + 1];
    spow_step *st = &steps[0];
    const char *what = "";
    int n = 4 * src->step[0].form_k + 1, want = SPOW_ETABLE;

    ck_assert(src->steps <= 8 && src->step[0].scheme == SPOW_SCHEME_SASTRE);
    memcpy(steps, src->step, (size_t)src->steps * sizeof *steps);
    memcpy(form, src->step[0].form, (size_t)n * sizeof *form);
    st->form = form;
    t.step = steps;
    switch (_i) {
    case 0: want = SPOW_OK; what = "the fixture as is"; break;
    case 1: want = SPOW_OK; st->form_sign = -1; what = "sign -1"; break;
    case 2: st->scheme = SPOW_SCHEME_NESTED; what = "scheme nested (degree 8, form_k 2)"; break;
    case 3: st->scheme = -1; what = "scheme -1"; break;
    case 4: st->form_k = 1; what = "form_k 1"; break;
    case 5: st->form_k = 5; what = "form_k 5"; break;
    case 6: st->form_k = 3; what = "degree 8 != 4 form_k (12)"; break;
    case 7: st->form_sign = 0; what = "sign 0"; break;
    case 8: st->form_sign = 2; what = "sign 2"; break;
    case 9: st->form = NULL; what = "form NULL"; break;
    case 10: st->form_shift = NAN; what = "shift NaN"; break;
    case 11: st->form_shift = INFINITY; what = "shift Inf"; break;
    case 12: form[0] = NAN; what = "form[0] NaN"; break;
    case 13: form[n - 1] = -INFINITY; what = "last form entry -Inf"; break;
    case 14: form[3 * st->form_k - 1] = NAN; what = "e NaN"; break;
    }
    expect_form(want, &t, what);
}
END_TEST

extern const spow_table spow_table_nested_p1_2;

/* A nested step (spow.h) broken one field at a time (_i), in the fixture
 * tests/data/nested_p1_2.c (third step: degree 16, form_k 0; the first two
 * are Sastre steps), as etable_sastre.  The first cases are the valid
 * table and valid variants (sign -1, a shift), which must pass. */
START_TEST(etable_nested)
{
    const spow_table *src = &spow_table_nested_p1_2;
    spow_table t = *src;
    spow_step steps[8];
    double form[SPOW_NESTED_NFORM];
    spow_step *st = &steps[2];
    const char *what = "";
    int want = SPOW_ETABLE;

    ck_assert(src->steps == 3 && src->step[2].scheme == SPOW_SCHEME_NESTED);
    memcpy(steps, src->step, (size_t)src->steps * sizeof *steps);
    memcpy(form, src->step[2].form, sizeof form);
    st->form = form;
    t.step = steps;
    switch (_i) {
    case 0: want = SPOW_OK; what = "the fixture as is"; break;
    case 1: want = SPOW_OK; st->form_sign = -1; what = "sign -1"; break;
    case 2: want = SPOW_OK; st->form_shift = 0.25; what = "shift 0.25"; break;
    case 3: st->form_k = 2; what = "form_k 2"; break;
    case 4: st->form_k = 4; what = "form_k 4 (degree 16 = 4 form_k)"; break;
    case 5: st->degree = 12; st->blocks = 3; what = "degree 12"; break;
    case 6: st->degree = 8; st->blocks = 2; what = "degree 8"; break;
    case 7: st->form_sign = 0; what = "sign 0"; break;
    case 8: st->form_sign = 2; what = "sign 2"; break;
    case 9: st->form = NULL; what = "form NULL"; break;
    case 10: st->form_shift = NAN; what = "shift NaN"; break;
    case 11: st->form_shift = -INFINITY; what = "shift -Inf"; break;
    case 12: form[0] = NAN; what = "a_1 NaN"; break;
    case 13: form[SPOW_NESTED_NFORM - 1] = INFINITY; what = "l_2 Inf"; break;
    case 14: form[13] = NAN; what = "h_1 NaN"; break;
    case 15: st->scheme = 3; what = "scheme 3"; break;
    case 16: st->scheme = SPOW_SCHEME_SASTRE; what = "nested step as Sastre (form_k 0)"; break;
    case 17: steps[0].scheme = SPOW_SCHEME_NESTED; what = "Sastre step as nested (degree 8)"; break;
    }
    expect_form(want, &t, what);
}
END_TEST

START_TEST(esize_eld)
{
    expect(SPOW_ESIZE, &hand.t, 0, C, g, gf, C, C, NULL, "rows 0");
    expect(SPOW_ESIZE, &hand.t, R, 0, g, gf, C, C, NULL, "cols 0");
    expect(SPOW_ELD, &hand.t, R, C, g, gf, C - 1, C, NULL, "ldg < cols");
    expect(SPOW_ELD, &hand.t, R, C, g, gf, C, C - 1, NULL, "ldo < cols");
    ck_assert(spow_workspace_size_f64(&hand.t, 0, C) == 0);
    ck_assert(spow_workspace_size_f32(&hand.t, R, 0) == 0);
    ck_assert(spow_workspace_size_f64(NULL, R, C) == 0);
    ck_assert(spow_workspace_size_f32_mixed(&hand.t, R, C, -1) == 0);
}
END_TEST

/* NaN, +Inf, -Inf at the first, a middle and the last entry. */
START_TEST(enonfinite)
{
    static const double bad[3] = {NAN, INFINITY, -INFINITY};
    static const int where[3] = {0, R * C / 2, R * C - 1};
    double gd[R * C];
    float gs[R * C];
    int i, j;

    for (i = 0; i < 3; i++)
        for (j = 0; j < 3; j++) {
            char what[64];
            memcpy(gd, g, sizeof gd);
            memcpy(gs, gf, sizeof gs);
            gd[where[j]] = bad[i];
            gs[where[j]] = (float)bad[i];
            snprintf(what, sizeof what, "%g at %d", bad[i], where[j]);
            expect(SPOW_ENONFINITE, &hand.t, R, C, gd, gs, C, C, NULL, what);
        }
}
END_TEST

/* Sizes whose matrices or workspace cannot be addressed.  The runtime must
 * refuse them before touching g, which is far smaller than claimed. */
START_TEST(eoverflow)
{
    size_t big = SIZE_MAX / 2;
    size_t half = (size_t)1 << (4 * sizeof(size_t)); /* 2^32: rows * cols * 8 fits, * 3 does not */
    long n;
    int rc64, rc32;

    expect(SPOW_EOVERFLOW, &hand.t, big, 4, g, gf, 4, 4, NULL, "extent of g");
    expect(SPOW_EOVERFLOW, &hand.t, 4, big, g, gf, big, big, NULL, "extent, wide");
    fill();
    ck_assert_int_eq(spow_apply_f64_ex(&hand.t, half / 8, half / 2, g, half / 2, out,
                                       half / 2, NULL), SPOW_EOVERFLOW);
    ck_assert(spow_workspace_size_f64(&hand.t, half / 8, half / 2) == 0);
    ck_assert(spow_workspace_size_f64(&hand.t, big, 4) == 0);
    assert_untouched("workspace overflow", SPOW_EOVERFLOW);

    /* Refused before any allocation (calls outside ck_assert, which may
     * allocate for its bookkeeping). */
    tu_mallocs = 0;
    rc64 = spow_apply_f64_ex(&hand.t, half / 8, half / 2, g, half / 2, out, half / 2, NULL);
    rc32 = spow_apply_f32(&hand.t, big, 4, gf, 4, outf, 4);
    n = tu_mallocs;
    ck_assert_int_eq(rc64, SPOW_EOVERFLOW);
    ck_assert_int_eq(rc32, SPOW_EOVERFLOW);
    ck_assert_int_eq(n, 0);

    /* rows x cols = 2^60: the float workspace (three 2^62-byte buffers and
     * the small side) fits, a first step in double does not. */
    if (sizeof(size_t) >= 8) {
        size_t rows = (size_t)1 << (sizeof(size_t) * 5), cols = (size_t)1 << 20;
        spow_options opt = {0};

        opt.f64_steps = 1;
        ck_assert(spow_workspace_size_f32(&hand.t, rows, cols) > 0);
        ck_assert(spow_workspace_size_f32_mixed(&hand.t, rows, cols, 1) == 0);
        fill();
        tu_mallocs = 0;
        rc32 = spow_apply_f32_ex(&hand.t, rows, cols, gf, cols, outf, cols, &opt);
        n = tu_mallocs;
        ck_assert_int_eq(rc32, SPOW_EOVERFLOW);
        ck_assert_int_eq(n, 0);
        assert_untouched("mixed workspace overflow", SPOW_EOVERFLOW);
    }
}
END_TEST

START_TEST(ealias)
{
    double buf[2 * R * C];
    float buff[2 * R * C];
    spow_options opt = {0};
    unsigned char work[64];
    int i, rc;

    for (i = 0; i < R * C; i++) {
        buf[i] = g[i];
        buff[i] = gf[i];
    }
    /* In place, and shifted by one element either way. */
    for (i = -1; i <= 1; i++) {
        size_t off = (size_t)(R * C / 2 + i);
        rc = spow_apply_f64(&hand.t, R, C, buf + R * C / 2, C, buf + off, C);
        ck_assert_int_eq(rc, SPOW_EALIAS);
        rc = spow_apply_f32(&hand.t, R, C, buff + R * C / 2, C, buff + off, C);
        ck_assert_int_eq(rc, SPOW_EALIAS);
    }
    /* out just past the last element of g is fine (ld padding of g excluded). */
    ck_assert_int_eq(spow_apply_f64(&hand.t, R, C, buf, C, buf + R * C, C), SPOW_OK);
    /* The workspace may overlap neither. */
    opt.work = (void *)g;
    opt.work_size = 1;
    fill();
    ck_assert_int_eq(spow_apply_f64_ex(&hand.t, R, C, g, C, out, C, &opt), SPOW_EALIAS);
    assert_untouched("work inside g", SPOW_EALIAS);
    opt.work = (void *)gf;
    ck_assert_int_eq(spow_apply_f32_ex(&hand.t, R, C, gf, C, outf, C, &opt), SPOW_EALIAS);
    assert_untouched("work inside gf", SPOW_EALIAS);
    opt.work = (void *)out;
    opt.work_size = 2 * sizeof(double);
    fill();
    ck_assert_int_eq(spow_apply_f64_ex(&hand.t, R, C, g, C, out + 1, C, &opt), SPOW_EALIAS);
    opt.work = work;
    opt.work_size = sizeof work;
    expect(SPOW_EWORK, &hand.t, R, C, g, gf, C, C, &opt, "work disjoint but small");
}
END_TEST

/* Every GEMM of an apply can fail; each failure must surface as SPOW_EGEMM
 * with out untouched, in double, float and every mixed split. */
/* Every GEMM call failing in turn, in the hand table (_i = 0) and in the
 * nested fixture (_i = 1: the calls inside the Sastre and nested forms). */
START_TEST(egemm)
{
    const spow_table *t = _i ? &spow_table_nested_p1_2 : &hand.t;
    spow_options opt = {0};
    tu_counter cnt = {0};
    long n, total;
    int nd, rc;

    opt.gemm_f64 = tu_gemm_f64;
    opt.gemm_f32 = tu_gemm_f32;
    opt.gemm_ctx = &cnt;
    total = t->gemms;
    for (nd = -1; nd <= t->steps; nd++)
        for (n = 1; n <= total; n++) {
            memset(&cnt, 0, sizeof cnt);
            cnt.fail_at = n;
            fill();
            if (nd < 0) {
                rc = spow_apply_f64_ex(t, R, C, g, C, out, C, &opt);
            } else {
                opt.f64_steps = nd;
                rc = spow_apply_f32_ex(t, R, C, gf, C, outf, C, &opt);
            }
            ck_assert_msg(rc == SPOW_EGEMM, "%s f64_steps %d, failing call %ld: rc %d", t->name,
                          nd, n, rc);
            ck_assert_msg(cnt.calls == n, "apply went on after failing call %ld", n);
            assert_untouched("egemm", rc);
        }
}
END_TEST

/* Allocation failure (the runtime's only malloc) surfaces as SPOW_ENOMEM. */
START_TEST(enomem)
{
    int rc64, rc32;

    fill();
    tu_fail_malloc = 1;
    rc64 = spow_apply_f64(&hand.t, R, C, g, C, out, C);
    rc32 = spow_apply_f32(&hand.t, R, C, gf, C, outf, C);
    tu_fail_malloc = 0;
    ck_assert_int_eq(rc64, SPOW_ENOMEM);
    ck_assert_int_eq(rc32, SPOW_ENOMEM);
    assert_untouched("enomem", SPOW_ENOMEM);
}
END_TEST

START_TEST(strerror_all)
{
    int code, j;
    const char *msg[12];

    for (code = 0; code >= SPOW_ENOBLAS; code--) {
        msg[-code] = spow_strerror(code);
        ck_assert_msg(msg[-code] && strlen(msg[-code]) > 5, "code %d", code);
        for (j = 0; j < -code; j++)
            ck_assert_msg(strcmp(msg[j], msg[-code]) != 0, "codes %d and %d share a message",
                          -j, code);
    }
    ck_assert_ptr_nonnull(spow_strerror(SPOW_ENOBLAS - 1));
    ck_assert_ptr_nonnull(spow_strerror(12345));
    ck_assert_str_ne(spow_strerror(SPOW_ENOBLAS - 1), msg[0]);
}
END_TEST

START_TEST(zero_matrix)
{
    double z[R * C] = {0};
    float zf[R * C] = {0};
    spow_stats stats;
    spow_options opt = {0};
    int i;

    opt.stats = &stats;
    fill();
    ck_assert_int_eq(spow_apply_f64_ex(&hand.t, R, C, z, C, out, C, &opt), SPOW_OK);
    ck_assert_int_eq(stats.gemm_calls, 0);
    ck_assert_int_eq(spow_apply_f32_ex(&hand.t, R, C, zf, C, outf, C, &opt), SPOW_OK);
    for (i = 0; i < R * C; i++) {
        ck_assert(out[i] == 0.0 && !signbit(out[i]));
        ck_assert(outf[i] == 0.0f);
    }
    ck_assert(out[R * C] == SENTINEL); /* nothing past the matrix */
}
END_TEST

/* One apply of hand to g (f32: gf) into out (outf) with opt. */
static int apply_hand(int f32, const spow_options *opt)
{
    return f32 ? spow_apply_f32_ex(&hand.t, R, C, gf, C, outf, C, opt)
               : spow_apply_f64_ex(&hand.t, R, C, g, C, out, C, opt);
}

/* A caller's workspace of need bytes at offsets 0, step, 2 step, ... below
 * 64: need - 1 bytes are SPOW_EWORK with out untouched, and need bytes run
 * without an allocation and give ref (float entries for f32) bit for bit.
 * what names the case. */
static void check_workspace(spow_options *opt, int f32, size_t need, size_t step,
                            const void *ref, const char *what)
{
    const size_t esize = f32 ? sizeof(float) : sizeof(double);
    const unsigned char *got = f32 ? (const void *)outf : (const void *)out;
    unsigned char *mem = malloc(need + 64);
    size_t off;
    int i, rc;

    for (off = 0; off < 64; off += step) {
        opt->work = mem + off;
        opt->work_size = need - 1;
        fill();
        ck_assert_int_eq(apply_hand(f32, opt), SPOW_EWORK);
        assert_untouched("size - 1", SPOW_EWORK);
        opt->work_size = need;
        /* The call outside ck_assert: Check may allocate for its bookkeeping. */
        tu_mallocs = 0;
        rc = apply_hand(f32, opt);
        ck_assert_int_eq(tu_mallocs, 0);
        ck_assert_int_eq(rc, SPOW_OK);
        for (i = 0; i < R * C; i++)
            ck_assert_msg(memcmp(got + i * esize, (const unsigned char *)ref + i * esize,
                                 esize) == 0,
                          "%s offset %zu entry %d", what, off, i);
    }
    free(mem);
    opt->work = NULL;
}

/* The workspace the size query reports is enough at any alignment, one byte
 * less is SPOW_EWORK, and the apply then allocates nothing and gives the
 * same bits as the allocating path. */
START_TEST(caller_workspace)
{
    double ref[R * C];
    float reff[R * C];
    spow_options opt = {0};
    char what[32];
    size_t need;
    int nd, rc;

    ck_assert_int_eq(spow_apply_f64(&hand.t, R, C, g, C, ref, C), SPOW_OK);
    need = spow_workspace_size_f64(&hand.t, R, C);
    ck_assert(need > 0);
    check_workspace(&opt, 0, need, 9, ref, "f64");

    for (nd = 0; nd <= hand.t.steps + 1; nd++) {
        opt.work = NULL;
        opt.f64_steps = nd;
        ck_assert_int_eq(spow_apply_f32_ex(&hand.t, R, C, gf, C, reff, C, &opt), SPOW_OK);
        need = nd == 0 ? spow_workspace_size_f32(&hand.t, R, C)
                       : spow_workspace_size_f32_mixed(&hand.t, R, C, nd);
        ck_assert(need > 0);
        ck_assert(spow_workspace_size_f32_mixed(&hand.t, R, C, nd) == need);
        snprintf(what, sizeof what, "f64_steps %d", nd);
        check_workspace(&opt, 1, need, 13, reff, what);
    }
    /* Without a workspace the runtime does allocate (the wrap counts). */
    opt.work = NULL;
    tu_mallocs = 0;
    rc = spow_apply_f64_ex(&hand.t, R, C, g, C, out, C, &opt);
    ck_assert_int_eq(tu_mallocs, 1);
    ck_assert_int_eq(rc, SPOW_OK);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("validate");
    TCase *tc = tcase_create("core");

    setup();
    tcase_add_test(tc, einval);
    tcase_add_loop_test(tc, etable, 0, 21);
    tcase_add_loop_test(tc, etable_sastre, 0, 15);
    tcase_add_loop_test(tc, etable_nested, 0, 18);
    tcase_add_test(tc, esize_eld);
    tcase_add_test(tc, enonfinite);
    tcase_add_test(tc, eoverflow);
    tcase_add_test(tc, ealias);
    tcase_add_loop_test(tc, egemm, 0, 2);
    tcase_add_test(tc, enomem);
    tcase_add_test(tc, strerror_all);
    tcase_add_test(tc, zero_matrix);
    tcase_add_test(tc, caller_workspace);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
