/* t_hostile.c -- inputs at the edges of floating point and of the API:
 * subnormal and near-overflow entries, degenerate spectra, exact zeros,
 * padding full of NaN, extreme leading dimensions and in-place calls.
 *
 * What is already covered elsewhere is not repeated: NaN and +-Inf entries,
 * sizes and workspaces that overflow size_t, overlapping buffers (return
 * codes) and a zero matrix are in t_validate.c; scale factors 1e-300 to
 * DBL_MAX and float entries up to 2/3 FLT_MAX on full-rank matrices, and
 * rank-deficient inputs, in t_apply.c.
 *
 * Tolerances follow t_apply.c: the certificate of the table plus rounding,
 * A k (gemms + 2) u, with A the amplification of the scalar map at the
 * singular values of the case (tu_amplification; large only near s = 1,
 * which every rank-one case sits at).  References are exact where the case
 * has a closed form (rank one, equal singular values, a single entry) and
 * LAPACKE_dgesdd of the matrix the runtime is actually given otherwise. */
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_run.h"
#include "testutil.h"

#define EPS64 0x1p-53
#define EPS32 0x1p-24

/* The table spow_table_find gives for this p at lo = 1e-3 (one per p). */
static int is_default_table(const spow_table *t)
{
    return t->lo <= 1e-3 && spow_table_find(t->p_num, t->p_den, 1e-3) == t;
}

/* one(t, rows, cols, d) for the three shapes, if table i is its p's
 * default (the others are skipped: one table per p is enough here). */
static void on_default_shapes(int i, const size_t (*shapes)[2],
                              void (*one)(const spow_table *, size_t, size_t, unsigned))
{
    const spow_table *t = spow_table_list()[i];
    unsigned d;

    if (is_default_table(t))
        for (d = 0; d < 3; d++)
            one(t, shapes[d][0], shapes[d][1], d);
}

static double tol64(const spow_table *t, double amp, size_t k)
{
    return t->max_rel_err + amp * (double)k * (t->gemms + 2) * EPS64;
}

static double tol32(const spow_table *t, double amp, size_t k)
{
    return t->max_rel_err_f32 + amp * (double)k * (t->gemms + 2) * EPS32;
}

/* Float steps k.. on a rank-deficient G: rounding leaves noise of about
 * k eps32 (one k-term dot product) in the directions of the zero singular
 * values, where no exact zero protects it, and the float steps multiply it
 * by up to G_nd (nd = the steps run in double).  Noise in Y also reaches X
 * through the Gram products, which G_nd does not count: over 150 random
 * rank-one matrices per table (40x25, 25x40, 33x33, 20x13, 64x64; Gaussian
 * and +-1 factors), err / (k eps32 G_nd) reached 12 all in float (p = 3/4,
 * 2/3 and 3/5 above 6, the others below 3) and 2.7 with one double step
 * (build/tools/spow-rank1-measure).  The factor 32 leaves a margin
 * of 2.7 over that, on top of the full-rank budget. */
static double tol32_rank_deficient(const spow_table *t, double amp, size_t k, int nd)
{
    return tol32(t, amp, k) + 32.0 * (double)k * EPS32 * tu_null_gain(t, nd);
}

static size_t max_dim(size_t a, size_t b)
{
    return a > b ? a : b;
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        abort();
    return p;
}

/* Frees the n buffers of a case. */
static void free_all(void *const *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        free(p[i]);
}

/* One packed apply of t to the rows x cols matrix g, double or (f32)
 * float, through the plain entry point (opt NULL) or the _ex one.  It must
 * succeed with a finite result within tol of ref (relative Frobenius
 * error).  The printf-style what names the case in the messages. */
static void expect_close(const spow_table *t, size_t rows, size_t cols, int f32,
                         const spow_options *opt, const void *g, void *o, const double *ref,
                         double tol, const char *what, ...)
{
    char name[160];
    va_list ap;
    double err;
    size_t i;
    int rc;

    va_start(ap, what);
    vsnprintf(name, sizeof name, what, ap);
    va_end(ap);
    if (f32)
        rc = opt ? spow_apply_f32_ex(t, rows, cols, g, cols, o, cols, opt)
                 : spow_apply_f32(t, rows, cols, g, cols, o, cols);
    else
        rc = opt ? spow_apply_f64_ex(t, rows, cols, g, cols, o, cols, opt)
                 : spow_apply_f64(t, rows, cols, g, cols, o, cols);
    ck_assert_msg(rc == SPOW_OK, "%s: %s", name, spow_strerror(rc));
    for (i = 0; i < rows * cols; i++)
        ck_assert_msg(isfinite(f32 ? ((const float *)o)[i] : ((const double *)o)[i]),
                      "%s: non-finite output", name);
    err = f32 ? tu_rel_err_f32(o, cols, ref, cols, rows, cols)
              : tu_rel_err(o, cols, ref, cols, rows, cols);
    ck_assert_msg(err <= tol, "%s: err %.3g > tol %.3g", name, err, tol);
}

/* ---- subnormal input ------------------------------------------------- */

/* Every entry subnormal: G = 2^-sh G0 with ||G0||_F = 1.  The runtime scales
 * by a power of two first, so it sees G0 up to the rounding G0 suffered on
 * the subnormal grid; the reference is the power of the matrix actually
 * passed, 2^(-sh p) F(2^sh G) (the scaling by 2^sh is exact).  sh = 1040
 * (double) and 130 (float) keep 30 and 16 bits of each entry: enough to
 * leave the spectrum inside [lo, 1]. */
START_TEST(subnormal_matrix)
{
    const spow_table *t = spow_table_list()[_i];
    static const size_t shapes[][2] = {{24, 10}, {10, 24}};
    size_t d;

    if (!is_default_table(t))
        return;
    for (d = 0; d < 2; d++) {
        size_t rows = shapes[d][0], cols = shapes[d][1], n = rows * cols, r = 10, i;
        double s[10], *g0 = xmalloc(n * sizeof *g0), *g = xmalloc(n * sizeof *g);
        double *ref = xmalloc(n * sizeof *ref), *o = xmalloc(n * sizeof *o), amax = 0.0;
        float *gf = xmalloc(n * sizeof *gf), *of = xmalloc(n * sizeof *of);
        double p = tu_p(t), amp;
        tu_rng rng = {500u + d};
        tu_case tc;
        spow_options opt = {0};

        tu_spectrum_spread(s, r, 1e-2);
        tu_case_init(&tc, rows, cols, s, &rng);
        tu_case_matrix(g0, cols, &tc, 1.0, 1.0);
        amp = tu_amplification(t, s, r);

        for (i = 0; i < n; i++) {
            g[i] = ldexp(g0[i], -1040);
            if (fabs(g[i]) > amax)
                amax = fabs(g[i]);
        }
        ck_assert(amax < DBL_MIN); /* the case is what it claims */
        for (i = 0; i < n; i++)
            o[i] = ldexp(g[i], 1040);
        tu_svd_power(ref, cols, o, cols, rows, cols, p, 0.0);
        for (i = 0; i < n; i++)
            ref[i] *= exp2(-1040.0 * p);
        expect_close(t, rows, cols, 0, NULL, g, o, ref, tol64(t, amp, max_dim(rows, cols)),
                     "%s %zux%zu subnormal double", t->name, rows, cols);

        for (i = 0, amax = 0.0; i < n; i++) {
            gf[i] = (float)ldexp(g0[i], -130);
            if (fabsf(gf[i]) > amax)
                amax = fabsf(gf[i]);
        }
        ck_assert(amax < FLT_MIN);
        for (i = 0; i < n; i++)
            o[i] = ldexp((double)gf[i], 130);
        tu_svd_power(ref, cols, o, cols, rows, cols, p, 0.0);
        for (i = 0; i < n; i++)
            ref[i] *= exp2(-130.0 * p);
        expect_close(t, rows, cols, 1, NULL, gf, of, ref, tol32(t, amp, max_dim(rows, cols)),
                     "%s %zux%zu subnormal float", t->name, rows, cols);
        /* All steps in double: the float input is widened before scaling. */
        opt.f64_steps = t->steps;
        expect_close(t, rows, cols, 1, &opt, gf, of, ref,
                     tol64(t, amp, max_dim(rows, cols)) + EPS32,
                     "%s %zux%zu subnormal float, double steps", t->name, rows, cols);

        tu_case_clear(&tc);
        free_all((void *[]){g0, g, ref, o, gf, of}, 6);
    }
}
END_TEST

/* Subnormal entries next to normal ones: two extra columns of entries near
 * 2^-1060 beside a well-conditioned 24 x 10 block.  They add singular values
 * around 1e-318 relative, far below lo: uncertified, and the promise for
 * them is only that they come out finite and as small as the input gave
 * them (x_K(s) <= s times the gain of the steps).  So the reference drops
 * singular values below 1e-200 of the largest; the result must match it
 * to the usual tolerance whatever p is (for p <= 0 the exact pseudo-power
 * would map them to s^p, which no iteration started at s can reach). */
START_TEST(subnormal_columns)
{
    const spow_table *t = spow_table_list()[_i];
    size_t rows = 24, cols = 12, n = rows * cols, i, j;
    double s[10], *g0 = xmalloc(24 * 10 * sizeof *g0), *g = xmalloc(n * sizeof *g);
    double *ref = xmalloc(n * sizeof *ref), *o = xmalloc(n * sizeof *o);
    tu_rng rng = {77};
    tu_case tc;

    if (!is_default_table(t))
        goto done;
    tu_spectrum_spread(s, 10, 1e-2);
    tu_case_init(&tc, 24, 10, s, &rng);
    tu_case_matrix(g0, 10, &tc, 1.0, 1.0);
    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++)
            g[i * cols + j] = j < 10 ? g0[i * 10 + j]
                                     : ldexp(tu_gauss(&rng), -1060); /* subnormal */
    tu_svd_power(ref, cols, g, cols, rows, cols, tu_p(t), 1e-200);
    expect_close(t, rows, cols, 0, NULL, g, o, ref, tol64(t, tu_amplification(t, s, 10), rows),
                 "%s: subnormal columns", t->name);
    tu_case_clear(&tc);
done:
    free_all((void *[]){g0, g, ref, o}, 4);
}
END_TEST

/* One nonzero entry, the smallest subnormal: G = 2^-1074 e_i e_j^T, whose
 * only singular value normalizes to exactly 1.  out = 2^(-1074 p) e_i e_j^T
 * (2^37 for p = -1/4), every other entry exactly 0 (zero rows and columns
 * stay zero: see zero_rows_and_columns).  Same with 2^-149 in float. */
START_TEST(smallest_subnormal_entry)
{
    const spow_table *t = spow_table_list()[_i];
    enum { R = 7, C = 5, I0 = 3, J0 = 2 };
    double g[R * C] = {0}, o[R * C], p = tu_p(t), want, one = 1.0, amp, tol;
    float gf[R * C] = {0}, of[R * C];
    spow_options opt = {0};
    int i, nd;

    if (!is_default_table(t))
        return;
    amp = tu_amplification(t, &one, 1);
    g[I0 * C + J0] = 0x1p-1074;
    ck_assert(g[I0 * C + J0] > 0.0);
    ck_assert_int_eq(spow_apply_f64(t, R, C, g, C, o, C), SPOW_OK);
    want = exp2(-1074.0 * p);
    tol = tol64(t, amp, R);
    for (i = 0; i < R * C; i++) {
        if (i == I0 * C + J0)
            ck_assert_msg(fabs(o[i] / want - 1.0) <= tol, "%s: 2^-1074 -> %.17g, want %.17g",
                          t->name, o[i], want);
        else
            ck_assert_msg(o[i] == 0.0, "%s: entry %d is %g, want 0", t->name, i, o[i]);
    }

    gf[I0 * C + J0] = 0x1p-149f;
    want = exp2(-149.0 * p);
    for (nd = 0; nd <= t->steps; nd += t->steps) {
        opt.f64_steps = nd;
        ck_assert_int_eq(spow_apply_f32_ex(t, R, C, gf, C, of, C, &opt), SPOW_OK);
        tol = nd ? tol64(t, amp, R) + EPS32 : tol32(t, amp, R);
        for (i = 0; i < R * C; i++) {
            if (i == I0 * C + J0)
                ck_assert_msg(fabs(of[i] / want - 1.0) <= tol,
                              "%s f64_steps %d: 2^-149 -> %.9g, want %.9g", t->name, nd,
                              (double)of[i], want);
            else
                ck_assert_msg(of[i] == 0.0f, "%s: float entry %d is %g", t->name, i,
                              (double)of[i]);
        }
    }
}
END_TEST

/* ---- degenerate spectra ---------------------------------------------- */

/* All singular values equal: G = c Q with Q = U V^T a partial isometry, so
 * out = c^p Q.  After the Frobenius scaling every singular value sits at
 * 1/sqrt(r) (0.2, 0.18 here): inside [lo, 1] as long as r <= 1/lo^2. */
static void equal_case(const spow_table *t, size_t rows, size_t cols, unsigned d)
{
    size_t n = rows * cols, r = rows < cols ? rows : cols, i;
    double s[40], *g = xmalloc(n * sizeof *g), *ref = xmalloc(n * sizeof *ref);
    double *o = xmalloc(n * sizeof *o), *gr = xmalloc(n * sizeof *gr), amp;
    float *gf = xmalloc(n * sizeof *gf), *of = xmalloc(n * sizeof *of);
    tu_rng rng = {600u + d};
    tu_case tc;

    for (i = 0; i < r; i++)
        s[i] = 1.0;
    amp = tu_amplification(t, s, r);
    tu_case_init(&tc, rows, cols, s, &rng);
    tu_case_matrix(g, cols, &tc, 3.0, 1.0);
    tu_case_power(ref, cols, &tc, 3.0, 1.0, tu_p(t));
    expect_close(t, rows, cols, 0, NULL, g, o, ref, tol64(t, amp, max_dim(rows, cols)),
                 "%s %zux%zu equal s", t->name, rows, cols);

    /* Float: against the power of the float-rounded G, whose singular
     * values are no longer exactly equal. */
    for (i = 0; i < n; i++) {
        gf[i] = (float)g[i];
        gr[i] = gf[i];
    }
    tu_svd_power(ref, cols, gr, cols, rows, cols, tu_p(t), 0.0);
    expect_close(t, rows, cols, 1, NULL, gf, of, ref, tol32(t, amp, max_dim(rows, cols)),
                 "%s %zux%zu equal s, float", t->name, rows, cols);
    tu_case_clear(&tc);
    free_all((void *[]){g, ref, o, gr, gf, of}, 6);
}

START_TEST(equal_singular_values)
{
    static const size_t shapes[][2] = {{40, 25}, {25, 40}, {32, 32}};

    on_default_shapes(_i, shapes, equal_case);
}
END_TEST

/* Rank one, exactly: G_ij = a_i b_j 2^-20 with small integers a_i, b_j (some
 * zero), exact in float and double.  Its one singular value sigma =
 * |a| |b| 2^-20 normalizes to 1, so out = sigma^(p-1) G. */
static void rank_one_case(const spow_table *t, size_t rows, size_t cols, unsigned d)
{
    size_t n = rows * cols, i, j;
    double a[40], b[40], na = 0.0, nb = 0.0, sigma, one = 1.0, amp, err, tol, alpha;
    double *g = xmalloc(n * sizeof *g), *ref = xmalloc(n * sizeof *ref);
    double *o = xmalloc(n * sizeof *o);
    float *gf = xmalloc(n * sizeof *gf), *of = xmalloc(n * sizeof *of);
    tu_rng rng = {700u + d};
    spow_options opt = {0};

    for (i = 0; i < rows; i++) {
        a[i] = floor(2048.0 * (tu_uniform(&rng) - 0.5));
        na += a[i] * a[i];
    }
    for (j = 0; j < cols; j++) {
        b[j] = floor(2048.0 * (tu_uniform(&rng) - 0.5));
        nb += b[j] * b[j];
    }
    sigma = sqrt(na) * sqrt(nb) * 0x1p-20;
    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++) {
            g[i * cols + j] = a[i] * b[j] * 0x1p-20;
            gf[i * cols + j] = (float)g[i * cols + j];
            ref[i * cols + j] = pow(sigma, tu_p(t) - 1.0) * g[i * cols + j];
        }
    amp = tu_amplification(t, &one, 1);
    expect_close(t, rows, cols, 0, NULL, g, o, ref, tol64(t, amp, max_dim(rows, cols)),
                 "%s %zux%zu rank 1", t->name, rows, cols);
    /* Float: the component along u v^T is certified like any singular
     * value; the rest is rounding noise in the null space, amplified
     * (tol32_rank_deficient).  Double steps shrink the amplification. */
    ck_assert_int_eq(spow_apply_f32(t, rows, cols, gf, cols, of, cols), SPOW_OK);
    for (i = 0, alpha = 0.0; i < rows; i++)
        for (j = 0; j < cols; j++)
            alpha += a[i] / sqrt(na) * (double)of[i * cols + j] * b[j] / sqrt(nb);
    err = fabs(alpha / pow(sigma, tu_p(t)) - 1.0);
    tol = tol32(t, amp, max_dim(rows, cols));
    ck_assert_msg(err <= tol, "%s %zux%zu rank 1 float, u^T out v: err %.3g > tol %.3g",
                  t->name, rows, cols, err, tol);
    err = tu_rel_err_f32(of, cols, ref, cols, rows, cols);
    tol = tol32_rank_deficient(t, amp, max_dim(rows, cols), 0);
    ck_assert_msg(err <= tol, "%s %zux%zu rank 1 float: err %.3g > tol %.3g", t->name,
                  rows, cols, err, tol);
    opt.f64_steps = 1;
    expect_close(t, rows, cols, 1, &opt, gf, of, ref,
                 tol32_rank_deficient(t, amp, max_dim(rows, cols), 1),
                 "%s %zux%zu rank 1 float, one double step", t->name, rows, cols);
    if (getenv("TU_VERBOSE"))
        printf("%-22s rank 1 %zux%zu G_0 %.3g G_1 %.3g\n", t->name, rows, cols,
               tu_null_gain(t, 0), tu_null_gain(t, 1));
    free_all((void *[]){g, ref, o, gf, of}, 5);
}

START_TEST(rank_one)
{
    static const size_t shapes[][2] = {{40, 25}, {25, 40}, {33, 33}};

    on_default_shapes(_i, shapes, rank_one_case);
}
END_TEST

/* ---- exact zeros ----------------------------------------------------- */

/* A zero row of G is a zero row of every iterate: Y <- Y M keeps it (right
 * side), and on the left side it gives a zero row and column of the Gram
 * matrix, which every polynomial in it keeps (0 * x = 0 exactly, and no
 * iterate is infinite).  Columns likewise.  So out has exactly the zero rows
 * and columns of G, and elsewhere the power of the nonzero block M, zero
 * singular values mapped to 0.  _i picks the table; the four cases cover
 * both Gram sides, full rank and rank-deficient. */
START_TEST(zero_rows_and_columns)
{
    const spow_table *t = spow_table_list()[_i];
    static const struct {
        size_t rows, cols, nr, nc;      /* G, and its nonzero block M */
        int zero_rows;                  /* else zero columns */
    } cases[] = {
        {30, 12, 27, 12, 1}, /* tall, full rank */
        {30, 12, 30, 9, 0},  /* tall, rank 9 of 12 */
        {12, 30, 9, 30, 1},  /* wide, rank 9 of 12 */
        {12, 30, 12, 27, 0}, /* wide, full rank */
    };
    size_t c;

    if (!is_default_table(t))
        return;
    for (c = 0; c < 4; c++) {
        size_t rows = cases[c].rows, cols = cases[c].cols, nr = cases[c].nr, nc = cases[c].nc;
        size_t n = rows * cols, r = nr < nc ? nr : nc, i, j, mi, mj;
        size_t zero[3] = {0, 0, 0};
        double s[30], *m = xmalloc(nr * nc * sizeof *m), *mp = xmalloc(nr * nc * sizeof *mp);
        double *mr = xmalloc(nr * nc * sizeof *mr), *g = xmalloc(n * sizeof *g);
        double *ref = xmalloc(n * sizeof *ref), *reff = xmalloc(n * sizeof *reff);
        double *o = xmalloc(n * sizeof *o), *mpf = xmalloc(nr * nc * sizeof *mpf);
        float *gf = xmalloc(n * sizeof *gf), *of = xmalloc(n * sizeof *of);
        unsigned char *z = xmalloc(n);
        tu_rng rng = {800u + c};
        tu_case tc;
        double amp;

        zero[1] = (cases[c].zero_rows ? rows : cols) / 2;
        zero[2] = (cases[c].zero_rows ? rows : cols) - 1;
        tu_spectrum_spread(s, r, 1e-2);
        amp = tu_amplification(t, s, r);
        tu_case_init(&tc, nr, nc, s, &rng);
        tu_case_matrix(m, nc, &tc, 2.0, 1.0);
        tu_case_power(mp, nc, &tc, 2.0, 1.0, tu_p(t));
        for (i = 0; i < nr * nc; i++)
            mr[i] = (float)m[i];
        tu_svd_power(mpf, nc, mr, nc, nr, nc, tu_p(t), 0.0);
        for (i = 0, mi = 0; i < rows; i++) {
            int zr = cases[c].zero_rows && (i == zero[0] || i == zero[1] || i == zero[2]);
            for (j = 0, mj = 0; j < cols; j++) {
                int zc = !cases[c].zero_rows && (j == zero[0] || j == zero[1] || j == zero[2]);
                z[i * cols + j] = (unsigned char)(zr || zc);
                g[i * cols + j] = z[i * cols + j] ? 0.0 : m[mi * nc + mj];
                ref[i * cols + j] = z[i * cols + j] ? 0.0 : mp[mi * nc + mj];
                reff[i * cols + j] = z[i * cols + j] ? 0.0 : mpf[mi * nc + mj];
                gf[i * cols + j] = (float)g[i * cols + j];
                if (!zc)
                    mj++;
            }
            if (!zr)
                mi++;
        }
        expect_close(t, rows, cols, 0, NULL, g, o, ref, tol64(t, amp, max_dim(rows, cols)),
                     "%s case %zu (%zux%zu)", t->name, c, rows, cols);
        expect_close(t, rows, cols, 1, NULL, gf, of, reff, tol32(t, amp, max_dim(rows, cols)),
                     "%s case %zu (%zux%zu) float", t->name, c, rows, cols);
        for (i = 0; i < n; i++)
            if (z[i]) {
                ck_assert_msg(o[i] == 0.0, "%s case %zu: out(%zu,%zu) = %g", t->name, c,
                              i / cols, i % cols, o[i]);
                ck_assert_msg(of[i] == 0.0f, "%s case %zu: float out(%zu,%zu) = %g", t->name,
                              c, i / cols, i % cols, (double)of[i]);
            }
        tu_case_clear(&tc);
        free_all((void *[]){m, mp, mr, g, ref, reff, o, mpf, gf, of, z}, 11);
    }
}
END_TEST

/* ---- near overflow --------------------------------------------------- */

/* Every entry +-FLT_MAX (float) or +-DBL_MAX (double), signs s_i t_j: rank
 * one with ||G||_F = max sqrt(rows cols), beyond the type's range.  The norm
 * is accumulated in double around a power of two, so nothing overflows;
 * out = ||G||^(p-1) G, i.e. entries +-exp(p log max + (p-1)/2 log(rows cols)),
 * formed through the logarithm (not in long double, which valgrind runs
 * with a double's range). */
START_TEST(max_entries)
{
    const spow_table *t = spow_table_list()[_i];
    enum { R = 20, C = 13 };
    double g[R * C], o[R * C], ref[R * C], reff[R * C], one = 1.0, amp;
    double p = tu_p(t), half_log_rc = 0.5 * log((double)(R * C)), v64, v32;
    float gf[R * C], of[R * C];
    spow_options opt = {0};
    tu_rng rng = {900};
    int sr[R], sc[C], i, j, nd;

    if (!is_default_table(t))
        return;
    for (i = 0; i < R; i++)
        sr[i] = tu_uniform(&rng) < 0.5 ? -1 : 1;
    for (j = 0; j < C; j++)
        sc[j] = tu_uniform(&rng) < 0.5 ? -1 : 1;
    v64 = exp(p * log(DBL_MAX) + (p - 1.0) * half_log_rc);
    v32 = exp(p * log((double)FLT_MAX) + (p - 1.0) * half_log_rc);
    for (i = 0; i < R; i++)
        for (j = 0; j < C; j++) {
            g[i * C + j] = sr[i] * sc[j] * DBL_MAX;
            gf[i * C + j] = (float)(sr[i] * sc[j]) * FLT_MAX;
            ref[i * C + j] = sr[i] * sc[j] * v64;
            reff[i * C + j] = sr[i] * sc[j] * v32;
        }
    amp = tu_amplification(t, &one, 1);
    expect_close(t, R, C, 0, NULL, g, o, ref, tol64(t, amp, R), "%s DBL_MAX entries", t->name);
    for (nd = 0; nd <= t->steps; nd += t->steps) {
        opt.f64_steps = nd;
        /* Rank one: the float run carries the null-space noise of rank_one. */
        expect_close(t, R, C, 1, &opt, gf, of, reff,
                     nd ? tol64(t, amp, R) + EPS32 : tol32_rank_deficient(t, amp, R, 0),
                     "%s FLT_MAX entries, f64_steps %d", t->name, nd);
    }
}
END_TEST

/* One entry at the top of the range among O(1) entries: sigma_1 ~ FLT_MAX,
 * the rest ~1, which normalize to ~1e-38, far below lo.  Those are not
 * certified (see subnormal_columns): they come out negligible, so out is
 * FLT_MAX^p e_i e_j^T up to O(1/FLT_MAX) -- for every p, also p <= 0 where
 * the exact power would keep them at s^p.  No overflow, no NaN. */
START_TEST(one_huge_entry)
{
    const spow_table *t = spow_table_list()[_i];
    enum { R = 16, C = 11, I0 = 5, J0 = 7 };
    double g[R * C], o[R * C], ref[R * C], one = 1.0, amp, p = tu_p(t);
    float gf[R * C], of[R * C];
    tu_rng rng = {901};
    int i;

    if (!is_default_table(t))
        return;
    amp = tu_amplification(t, &one, 1);
    for (i = 0; i < R * C; i++) {
        g[i] = tu_gauss(&rng);
        gf[i] = (float)g[i];
        ref[i] = 0.0;
    }
    g[I0 * C + J0] = DBL_MAX;
    ref[I0 * C + J0] = pow(DBL_MAX, p);
    expect_close(t, R, C, 0, NULL, g, o, ref, tol64(t, amp, R), "%s one DBL_MAX entry",
                 t->name);

    gf[I0 * C + J0] = FLT_MAX;
    ref[I0 * C + J0] = pow((double)FLT_MAX, p);
    expect_close(t, R, C, 1, NULL, gf, of, ref, tol32(t, amp, R), "%s one FLT_MAX entry",
                 t->name);
}
END_TEST

/* c^p beyond the double range.  The generator allows p down to -2, and a
 * p = -2 table on a subnormal G needs c^-2 > 2^2044: the exact result is
 * beyond DBL_MAX wherever it is nonzero.  Such entries must come out +-Inf
 * (IEEE overflow) and the zero ones 0, never NaN.  Shipped tables cannot
 * get there (p >= -1/4: c^p <= 2^269 in double, 2^38 in float).  A hand
 * table with p = -10^6 (no steps) takes r^p itself out of range: c^p
 * underflows, out is 0. */
START_TEST(result_out_of_range)
{
    tu_rng rng = {31};
    tu_hand_table h;
    double g[4 * 3] = {0}, o[4 * 3];
    float gf[4 * 3] = {0}, of[4 * 3];
    spow_table big;
    int i, steps;

    for (steps = 0; steps <= 2; steps += 2) {
        tu_hand_build(&h, -2, 1, steps, 0, &rng);
        memset(g, 0, sizeof g);
        g[4] = 0x1p-1074;
        ck_assert_int_eq(spow_apply_f64(&h.t, 4, 3, g, 3, o, 3), SPOW_OK);
        for (i = 0; i < 12; i++)
            ck_assert_msg(i == 4 ? o[i] == INFINITY : o[i] == 0.0,
                          "p = -2, %d steps: out[%d] = %g", steps, i, o[i]);
        /* Diagonal 1e-200: c^-2 ~ 1e400, finite factors, overflowing result. */
        g[4] = 0.0;
        g[0] = g[4] = g[8] = 1e-200;
        ck_assert_int_eq(spow_apply_f64(&h.t, 4, 3, g, 3, o, 3), SPOW_OK);
        for (i = 0; i < 12; i++)
            ck_assert_msg(i % 4 == 0 ? isinf(o[i]) && o[i] > 0 : o[i] == 0.0,
                          "p = -2, %d steps, diagonal: out[%d] = %g", steps, i, o[i]);
        /* Float: c^-2 = 2^298 is a double but not a float. */
        memset(gf, 0, sizeof gf);
        gf[4] = 0x1p-149f;
        ck_assert_int_eq(spow_apply_f32(&h.t, 4, 3, gf, 3, of, 3), SPOW_OK);
        for (i = 0; i < 12; i++)
            ck_assert_msg(i == 4 ? of[i] == INFINITY : of[i] == 0.0f,
                          "p = -2 float, %d steps: out[%d] = %g", steps, i, (double)of[i]);
    }

    tu_hand_build(&h, 1, 2, 0, 0, &rng);
    big = h.t;
    big.p_num = -1000000;
    big.p_den = 1;
    big.y_power = 1;
    big.x_power = 1000001;
    memset(g, 0, sizeof g);
    g[0] = g[4] = 1024.0;
    ck_assert_int_eq(spow_apply_f64(&big, 4, 3, g, 3, o, 3), SPOW_OK);
    for (i = 0; i < 12; i++)
        ck_assert_msg(o[i] == 0.0, "p = -10^6: out[%d] = %g", i, o[i]);
}
END_TEST

/* ---- layout ---------------------------------------------------------- */

/* Padding between cols and ld is not part of G: NaN and Inf there must not
 * be read (SPOW_ENONFINITE would be wrong) and the padding of out is not
 * written.  Bitwise the same result as the packed call. */
START_TEST(nonfinite_padding)
{
    const spow_table *t = spow_table_find(1, 2, 1e-3);
    enum { R = 9, C = 6, LD = 9 };
    double g[R * LD], gp[R * C], o[R * LD], op[R * C];
    float gf[R * LD], gfp[R * C], of[R * LD], ofp[R * C];
    tu_rng rng = {41};
    int i, j;

    ck_assert_ptr_nonnull(t);
    for (i = 0; i < R; i++)
        for (j = 0; j < LD; j++) {
            double v = j == C ? NAN : j == C + 1 ? INFINITY : j > C ? -INFINITY : tu_gauss(&rng);
            g[i * LD + j] = v;
            gf[i * LD + j] = (float)v;
            o[i * LD + j] = -5.0;
            of[i * LD + j] = -5.0f;
            if (j < C) {
                gp[i * C + j] = v;
                gfp[i * C + j] = (float)v;
            }
        }
    ck_assert_int_eq(spow_apply_f64(t, R, C, g, LD, o, LD), SPOW_OK);
    ck_assert_int_eq(spow_apply_f64(t, R, C, gp, C, op, C), SPOW_OK);
    ck_assert_int_eq(spow_apply_f32(t, R, C, gf, LD, of, LD), SPOW_OK);
    ck_assert_int_eq(spow_apply_f32(t, R, C, gfp, C, ofp, C), SPOW_OK);
    for (i = 0; i < R; i++)
        for (j = 0; j < LD; j++) {
            double want = j < C ? op[i * C + j] : -5.0;
            float wantf = j < C ? ofp[i * C + j] : -5.0f;
            ck_assert_msg(memcmp(&o[i * LD + j], &want, sizeof want) == 0,
                          "(%d,%d): %g vs %g", i, j, o[i * LD + j], want);
            ck_assert_msg(memcmp(&of[i * LD + j], &wantf, sizeof wantf) == 0,
                          "float (%d,%d): %g vs %g", i, j, (double)of[i * LD + j],
                          (double)wantf);
        }
}
END_TEST

/* One row: ld is never used to step, so any ld >= cols is valid, SIZE_MAX
 * included (the extent is cols elements, computed without overflow). */
START_TEST(one_row_any_ld)
{
    const spow_table *t = spow_table_find(1, 3, 1e-3);
    double g[9], o[9], ref[9];
    float gf[9], of[9], reff[9];
    tu_rng rng = {43};
    int i;

    ck_assert_ptr_nonnull(t);
    for (i = 0; i < 9; i++) {
        g[i] = tu_gauss(&rng);
        gf[i] = (float)g[i];
    }
    ck_assert_int_eq(spow_apply_f64(t, 1, 9, g, 9, ref, 9), SPOW_OK);
    ck_assert_int_eq(spow_apply_f64(t, 1, 9, g, SIZE_MAX, o, SIZE_MAX), SPOW_OK);
    ck_assert(memcmp(o, ref, sizeof o) == 0);
    ck_assert_int_eq(spow_apply_f32(t, 1, 9, gf, 9, reff, 9), SPOW_OK);
    ck_assert_int_eq(spow_apply_f32(t, 1, 9, gf, SIZE_MAX, of, SIZE_MAX), SPOW_OK);
    ck_assert(memcmp(of, reff, sizeof of) == 0);
    /* Two rows with ld = SIZE_MAX do not fit in memory. */
    ck_assert_int_eq(spow_apply_f64(t, 2, 9, g, SIZE_MAX, o, 9), SPOW_EOVERFLOW);
}
END_TEST

/* In place (out == g) is refused with SPOW_EALIAS, and g is left exactly as
 * it was.  The check compares extents, first to last element, so two
 * interleaved views of one buffer (rows of g and of out alternating) are
 * refused too, although they share no element: documented, conservative. */
START_TEST(in_place_refused)
{
    const spow_table *t = spow_table_find(1, 2, 1e-3);
    enum { R = 8, C = 5 };
    double g[R * 2 * C], keep[R * 2 * C];
    float gf[R * 2 * C], keepf[R * 2 * C];
    unsigned char work[1 << 16];
    spow_options opt = {0};
    tu_rng rng = {47};
    int i;

    ck_assert_ptr_nonnull(t);
    ck_assert(spow_workspace_size_f64(t, R, C) <= sizeof work);
    for (i = 0; i < R * 2 * C; i++) {
        g[i] = keep[i] = tu_gauss(&rng);
        gf[i] = keepf[i] = (float)g[i];
    }
    ck_assert_int_eq(spow_apply_f64(t, R, C, g, C, g, C), SPOW_EALIAS);
    ck_assert_int_eq(spow_apply_f32(t, R, C, gf, C, gf, C), SPOW_EALIAS);
    opt.work = work;
    opt.work_size = sizeof work;
    ck_assert_int_eq(spow_apply_f64_ex(t, R, C, g, C, g, C, &opt), SPOW_EALIAS);
    ck_assert_int_eq(spow_apply_f32_ex(t, R, C, gf, C, gf, C, &opt), SPOW_EALIAS);
    /* Interleaved: g in the even half-rows, out in the odd ones. */
    ck_assert_int_eq(spow_apply_f64(t, R, C, g, 2 * C, g + C, 2 * C), SPOW_EALIAS);
    ck_assert_int_eq(spow_apply_f32(t, R, C, gf, 2 * C, gf + C, 2 * C), SPOW_EALIAS);
    ck_assert(memcmp(g, keep, sizeof g) == 0);
    ck_assert(memcmp(gf, keepf, sizeof gf) == 0);
}
END_TEST

int main(void)
{
    const TTest *const per_table[] = {subnormal_matrix, subnormal_columns,
                                      smallest_subnormal_entry, equal_singular_values,
                                      rank_one, zero_rows_and_columns, max_entries,
                                      one_huge_entry};
    Suite *s = suite_create("hostile");
    TCase *tc = tcase_create("core");
    int count = tu_count(spow_table_list());
    size_t i;

    tcase_set_timeout(tc, 300);
    if (count > 0) {
        for (i = 0; i < sizeof per_table / sizeof per_table[0]; i++)
            tcase_add_loop_test(tc, per_table[i], 0, count);
        tcase_add_test(tc, nonfinite_padding);
        tcase_add_test(tc, one_row_any_ld);
        tcase_add_test(tc, in_place_refused);
    }
    tcase_add_test(tc, result_out_of_range);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
