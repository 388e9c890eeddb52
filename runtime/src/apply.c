/* apply.c -- spow_apply_*: validate, scale, run the steps, rescale. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spow_internal.h"

/* Elements accumulated in double per pass when forming a block B_j: small
 * enough for the stack, long enough for the inner loops to vectorise. */
#define SPOW_CHUNK 512

/* c^p = f[0] f[1] f[2] (1 when normalized), c = r 2^e.  2^(e p) is split as
 * 2^E 2^(rem/n) with E, rem from integer division so that no rounding of
 * e p is amplified, and 2^E goes half into each of f[0], f[1] so that
 * neither overflows when c^p itself is representable; f[2] = 1.
 *
 * Only p < -1.9 on a subnormal G (or a hand-made table with |p| in the
 * hundreds) takes c^p past 2^2044, where a half can become Inf or 0 and a
 * zero x then gives 0 * Inf = NaN.  There the result is 0 or +-Inf for
 * every x in range anyway, so the exponent is clamped and split three ways,
 * each factor finite and nonzero: no NaN, and +-Inf exactly where the true
 * entry is beyond the double range. */
static void result_scale(double f[3], const spow_table *t, const spow_scale *sc,
                         unsigned flags)
{
    long long ep = (long long)sc->e * t->p_num;
    long long n = t->p_den, big = ep / n, rem = ep % n, b0, b1;
    double p = (double)t->p_num / (double)t->p_den, m;
    int me;

    f[0] = f[1] = f[2] = 1.0;
    if (flags & SPOW_NORMALIZED)
        return;
    if (rem < 0) { /* floor, not truncation */
        rem += n;
        big--;
    }
    m = pow(sc->r, p) * exp2((double)rem / (double)n);
    if (!(m > 0.0 && m <= DBL_MAX)) {
        /* r^p itself out of range: |p| far beyond the generator's [-2, 1]. */
        double q = p * log2(sc->r) + (double)rem / (double)n, qi = floor(q);
        m = exp2(q - qi);
        big += (long long)qi;
    } else if (big >= -2044 && big <= 2044) {
        f[0] = ldexp(m, (int)(big / 2));
        f[1] = ldexp(1.0, (int)(big - big / 2));
        if (f[0] > 0.0 && f[0] <= DBL_MAX)
            return;
    }
    m = frexp(m, &me);
    big += me;
    /* Past 3 * 1022 every nonzero double x already gives 0 or Inf. */
    if (big > 3066)
        big = 3066;
    if (big < -3066)
        big = -3066;
    b0 = big / 3;
    b1 = (big - b0) / 2;
    f[0] = ldexp(m, (int)b0);
    f[1] = ldexp(1.0, (int)b1);
    f[2] = ldexp(1.0, (int)(big - b0 - b1));
}

/* Element conversions with a rescaling (convert_impl.h): G / c into the
 * first phase (float G may go into a double phase), the double phase into
 * the float one, and the result times c^p. */
#define SPOW_DT double
#define SPOW_ST double
#define SPOW_CONV convert_dd
#include "convert_impl.h"
#undef SPOW_DT
#undef SPOW_ST
#undef SPOW_CONV

#define SPOW_DT float
#define SPOW_ST float
#define SPOW_CONV convert_ff
#include "convert_impl.h"
#undef SPOW_DT
#undef SPOW_ST
#undef SPOW_CONV

#define SPOW_DT double
#define SPOW_ST float
#define SPOW_CONV convert_df
#include "convert_impl.h"
#undef SPOW_DT
#undef SPOW_ST
#undef SPOW_CONV

#define SPOW_DT float
#define SPOW_ST double
#define SPOW_CONV convert_fd
#include "convert_impl.h"
#undef SPOW_DT
#undef SPOW_ST
#undef SPOW_CONV

/* The factors that load G / c with convert_*: 2^-e in two halves, then / r. */
static void load_factors(double f[3], const spow_scale *sc)
{
    f[0] = ldexp(1.0, -sc->e / 2);
    f[1] = ldexp(1.0, -sc->e - (-sc->e / 2));
    f[2] = 1.0;
}

static const double unit[3] = {1.0, 1.0, 1.0};

/* Adds one apply to the running stats: its GEMMs, and its scale c if that
 * is the largest so far. */
static void tally(spow_stats *acc, long calls, double flops, const spow_scale *sc)
{
    double c = ldexp(sc->r, sc->e);

    acc->gemm_calls += calls;
    acc->flops += flops;
    if (c > acc->norm)
        acc->norm = c;
}

/* The Gram bound the first step finds (apply_impl.h's scaled_start), or 0
 * for the Frobenius scaling alone; SPOW_SCALE_DEFAULT is SPOW_SCALE_GRAM4. */
static int gram_scale(const spow_options *opt)
{
    if (opt->scale == SPOW_SCALE_FROBENIUS)
        return 0;
    return opt->scale == SPOW_SCALE_DEFAULT ? SPOW_SCALE_GRAM4 : opt->scale;
}

/* c = ||G||_F / w for the w the first step found. */
static spow_scale rescaled(const spow_scale *sc, double w)
{
    spow_scale c = *sc;

    c.r /= w;
    return c;
}

/* Does this apply run the steps?  Not for G = 0, p = 1 or a table
 * without steps (apply_impl.h's trivial). */
static int needs_steps(const spow_table *t, const spow_scale *sc)
{
    return sc->r != 0.0 && t->x_power != 0 && t->steps != 0;
}

/* The caller's workspace, or a fresh one; aligned start in *base. */
static int get_work(void **mem, unsigned char **base, const spow_options *opt,
                    size_t bytes)
{
    unsigned char *p;

    *mem = NULL;
    if (opt->work) {
        if (opt->work_size < bytes)
            return SPOW_EWORK;
        p = opt->work;
    } else {
        *mem = malloc(bytes);
        if (!*mem)
            return SPOW_ENOMEM;
        p = *mem;
    }
    *base = p + (SPOW_ALIGN - (uintptr_t)p % SPOW_ALIGN) % SPOW_ALIGN;
    return SPOW_OK;
}

/* The steps, and the cases without GEMMs, per element type (apply_impl.h). */
#define SPOW_T double
#define SPOW_FN(name) name##_f64
#define SPOW_GEMM_FN spow_gemm_f64_fn
#define SPOW_CONVERT convert_dd
#include "apply_impl.h"
#undef SPOW_T
#undef SPOW_FN
#undef SPOW_GEMM_FN
#undef SPOW_CONVERT

#define SPOW_T float
#define SPOW_FN(name) name##_f32
#define SPOW_GEMM_FN spow_gemm_f32_fn
#define SPOW_CONVERT convert_ff
#include "apply_impl.h"
#undef SPOW_T
#undef SPOW_FN
#undef SPOW_GEMM_FN
#undef SPOW_CONVERT

/* The double state of steps [0, k1) at *base, to be scaled in its first
 * step as opt asks. */
static void start_f64(state_f64 *st, unsigned char **base, const spow_table *t, int k1,
                      size_t rows, size_t cols, const spow_options *opt)
{
    init_f64(st, base, t, 0, k1, rows, cols, (opt->flags & SPOW_SMALL_SIDE) != 0,
             opt->gemm_f64 ? opt->gemm_f64 : spow_gemm_cblas_f64, opt->gemm_ctx);
    st->scale = gram_scale(opt);
}

/* One validated apply that needs the steps, into the workspace at base:
 * G / c, the steps, times c^p.  Adds its GEMMs to *acc.  g and out are
 * float when f32; the first spow_double_steps steps run in double (all of
 * them for a double apply), the rest in float. */
static int run_one(const spow_table *t, size_t rows, size_t cols, int f32,
                   const void *g, size_t ldg, void *out, size_t ldo,
                   const spow_options *opt, const spow_scale *sc,
                   unsigned char *base, spow_stats *acc)
{
    state_f64 sd;
    state_f32 sf;
    spow_scale c;
    double f[3];
    int rc = SPOW_OK, nd;

    nd = spow_double_steps(t, f32, opt);
    /* The double part of the workspace comes first, as counted by
     * spow_workspace_total. */
    sd.calls = sf.calls = 0;
    sd.flops = sf.flops = 0.0;
    if (nd > 0) {
        start_f64(&sd, &base, t, nd, rows, cols, opt);
        load_factors(f, sc);
        if (f32)
            convert_df(sd.y, cols, g, ldg, rows, cols, f, sc->r);
        else
            convert_dd(sd.y, cols, g, ldg, rows, cols, f, sc->r);
        rc = run_f64(&sd, t, 0, nd);
    }
    if (rc == SPOW_OK && nd < t->steps) {
        init_f32(&sf, &base, t, nd, t->steps, rows, cols,
                 (opt->flags & SPOW_SMALL_SIDE) != 0,
                 opt->gemm_f32 ? opt->gemm_f32 : spow_gemm_cblas_f32, opt->gemm_ctx);
        if (nd > 0) {
            sf.xw = sd.xw;
            convert_fd(sf.y, cols, sd.y, cols, rows, cols, unit, 1.0);
            if (sd.x != sd.y) {
                sf.x = sf.rect[1];
                convert_fd(sf.x, cols, sd.x, cols, rows, cols, unit, 1.0);
            } else
                sf.x = sf.y;
        } else {
            sf.scale = gram_scale(opt);
            load_factors(f, sc);
            convert_ff(sf.y, cols, g, ldg, rows, cols, f, sc->r);
        }
        rc = run_f32(&sf, t, nd, t->steps);
    }
    if (rc == SPOW_OK) {
        /* The result is X for the coupled recurrence, Y for a fixed point. */
        int fixed = spow_fixed_point(t);
        c = rescaled(sc, nd > 0 ? sd.scaled_by : sf.scaled_by);
        result_scale(f, t, &c, opt->flags);
        if (nd < t->steps)
            convert_ff(out, ldo, fixed ? sf.y : sf.x, cols, rows, cols, f, 1.0);
        else if (f32)
            convert_fd(out, ldo, fixed ? sd.y : sd.x, cols, rows, cols, f, 1.0);
        else
            convert_dd(out, ldo, fixed ? sd.y : sd.x, cols, rows, cols, f, 1.0);
        tally(acc, sd.calls + sf.calls, sd.flops + sf.flops, &c);
    }
    return rc;
}

static const spow_options default_options;

/* The public entry points, per element type (apply_entry_impl.h). */
#define SPOW_T double
#define SPOW_FN(name) name##_f64
#define SPOW_FN_EX(name) name##_f64_ex
#define SPOW_IS_F32 0
#include "apply_entry_impl.h"
#undef SPOW_T
#undef SPOW_FN
#undef SPOW_FN_EX
#undef SPOW_IS_F32

#define SPOW_T float
#define SPOW_FN(name) name##_f32
#define SPOW_FN_EX(name) name##_f32_ex
#define SPOW_IS_F32 1
#include "apply_entry_impl.h"
#undef SPOW_T
#undef SPOW_FN
#undef SPOW_FN_EX
#undef SPOW_IS_F32
