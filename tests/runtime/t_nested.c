/* t_nested.c -- steps evaluated by the nested product form (spow.h,
 * SPOW_SCHEME_NESTED): with the fixture tests/data/nested_p1_2.c, the
 * p = 1/2, lo = 1e-3 table of degrees 8, 8, 16, steps 1-2 in Sastre's form
 * (k = 2) and step 3 nested (spow-gen --p 1/2 --lo 1e-3 --hi 1.001 --degree
 * 8,8,16 --scheme nested --name nested_p1_2 --format c), and with tables of
 * nested steps with random coefficients made here.
 *
 * References.  The scalar recurrence in long double with every g from its
 * form, term by term in the form's own order (tu_x_form, not ps), at the
 * scale c the runtime reports (stats.norm): U diag(c^p x_K(s_i / c)) V^T
 * from G's prescribed spectrum in double, and from LAPACKE's SVD of the
 * float-rounded G in float (the rounding of the input to float is not the
 * runtime's error; the SVD's own, near 1e-13, is far below float's).  For
 * the fixture also the exact power U S^p V^T, and the table's
 * Paterson-Stockmeyer copy (tu_ps_copy: same polynomials, another order).
 *
 * Tolerances, the rounding model of t_sastre.c and t_apply.c:
 *
 *     rnd(u) = M A k (gemms + 2) u
 *
 * A the scalar map's amplification (tu_amplification), k the long side,
 * gemms the apply's products, u the unit roundoff the steps ran in, M = 1
 * for the fixture; on the small side rnd is divided by smin^2 (its Gram
 * matrix is carried: t_small_side.c).  Then
 *
 *     against the recurrence        rnd(u)
 *     against the exact power       cert + rnd(u)  (cert: max_rel_err, or
 *                                    max_rel_err_f32 with float steps)
 *     form against the PS copy      2 rnd(2^-53)   (both within rnd of the
 *                                    same exact computation)
 *     float, every step in double   rnd(2^-53) + 2^-24 (the result's
 *                                    rounding) instead of rnd(2^-24)
 *
 * For the random forms M is the forms' own cancellation: the largest
 * |g|_abs / |g| over the steps and the singular values they see, |g|_abs
 * the form evaluated with |W| and every coefficient's magnitude (the scale
 * of what its products round), 1.3-1.8 here.  A form read with two
 * coefficients swapped moves the result by 1e-3 or more, far above every
 * tolerance (checked: misread). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_run.h"
#include "form_checks.h"
#include "testutil.h"

#define EPS64 0x1p-53
#define EPS32 0x1p-24
#define SMIN 1e-2

extern const spow_table spow_table_nested_p1_2;

static int count_scheme(const spow_table *t, int scheme)
{
    int k, n = 0;

    for (k = 0; k < t->steps; k++)
        n += t->step[k].scheme == scheme;
    return n;
}

/* ---- Matrices and references ------------------------------------------ */

/* G = 3.5 U diag(s) V^T (rows x cols), s spread from SMIN (normalized),
 * with its prescribed SVD (tc) and that of its float copy (tcf). */
typedef struct ncase {
    size_t rows, cols, n, r, k;
    tu_case tc, tcf;
    double *s, *g, *exact, *exactf, *ref, *out, *out_ps;
    float *gf, *of;
    double amp;
} ncase;

static void ncase_init(ncase *m, const spow_table *t, size_t rows, size_t cols,
                       uint64_t seed)
{
    tu_rng rng = {seed};
    double *sc, *gd;
    size_t i;

    m->rows = rows;
    m->cols = cols;
    m->n = rows * cols;
    m->r = rows < cols ? rows : cols;
    m->k = rows > cols ? rows : cols;
    m->s = malloc(m->r * sizeof *m->s);
    sc = malloc(m->r * sizeof *sc);
    gd = malloc(m->n * sizeof *gd);
    m->g = malloc(m->n * sizeof *m->g);
    m->exact = malloc(m->n * sizeof *m->exact);
    m->exactf = malloc(m->n * sizeof *m->exactf);
    m->ref = malloc(m->n * sizeof *m->ref);
    m->out = malloc(m->n * sizeof *m->out);
    m->out_ps = malloc(m->n * sizeof *m->out_ps);
    m->gf = malloc(m->n * sizeof *m->gf);
    m->of = malloc(m->n * sizeof *m->of);
    ck_assert(m->s && sc && gd && m->g && m->exact && m->exactf && m->ref && m->out
              && m->out_ps && m->gf && m->of);
    tu_spectrum_spread(m->s, m->r, SMIN);
    for (i = 0; i < m->r; i++)
        sc[i] = 3.5 * m->s[i];
    tu_case_init(&m->tc, rows, cols, sc, &rng);
    tu_case_matrix(m->g, cols, &m->tc, 1.0, 1.0);
    for (i = 0; i < m->n; i++) {
        m->gf[i] = (float)m->g[i];
        gd[i] = (double)m->gf[i];
    }
    tu_case_svd(&m->tcf, gd, cols, rows, cols);
    tu_case_power(m->exact, cols, &m->tc, 1.0, 1.0, tu_p(t));
    tu_case_power(m->exactf, cols, &m->tcf, 1.0, 1.0, tu_p(t));
    m->amp = tu_amplification(t, m->s, m->r);
    free(sc);
    free(gd);
}

static void ncase_clear(ncase *m)
{
    tu_case_clear(&m->tc);
    tu_case_clear(&m->tcf);
    free(m->s);
    free(m->g);
    free(m->exact);
    free(m->exactf);
    free(m->ref);
    free(m->out);
    free(m->out_ps);
    free(m->gf);
    free(m->of);
}

/* ref = U diag(c^p x_K(s_i / c)) V^T over tc's SVD, x_K by the forms. */
static void recurrence(double *ref, size_t ldr, const tu_case *tc, const spow_table *t,
                       double c)
{
    double *h = malloc(tc->r * sizeof *h), cp = pow(c, tu_p(t));
    size_t i;

    ck_assert(h != NULL);
    for (i = 0; i < tc->r; i++)
        h[i] = cp * (double)tu_x_form(t, (long double)tc->s[i] / c);
    tu_case_apply(ref, ldr, tc, h);
    free(h);
}

/* rnd(u) of the header. */
static double rounding(const ncase *m, double cancel, long gemms, double u, int small_side)
{
    double r = cancel * m->amp * (double)m->k * (double)(gemms + 2) * u;
    return small_side ? r / (SMIN * SMIN) : r;
}

static const size_t shapes[][2] = {{64, 64}, {120, 40}, {40, 120}, {1, 30}, {30, 1}};
#define NSHAPES ((int)(sizeof shapes / sizeof shapes[0]))
static const int scales[] = {SPOW_SCALE_DEFAULT, SPOW_SCALE_FROBENIUS, SPOW_SCALE_GRAM2,
                             SPOW_SCALE_GRAM4};
#define NSCALES ((int)(sizeof scales / sizeof scales[0]))

/* The f64 apply of t (into out) and, when pc is given, of its
 * Paterson-Stockmeyer copy (into out_ps): errors against the recurrence
 * (returned) and the exact power (*e_exact), and between the two. */
static double check_f64(ncase *m, const spow_table *t, const tu_ps_copy *pc,
                        spow_options *opt, double cancel, const char *what)
{
    const int small = (opt->flags & SPOW_SMALL_SIDE) != 0;
    spow_stats st, st_ps;
    double e, e_exact, diff = 0.0, tol;

    opt->stats = &st;
    ck_assert_int_eq(spow_apply_f64_ex(t, m->rows, m->cols, m->g, m->cols, m->out, m->cols,
                                       opt), SPOW_OK);
    if (!small) /* the products of the table, whatever the scale (P_2 from S under GRAM4) */
        ck_assert_int_eq(st.gemm_calls, t->gemms);
    recurrence(m->ref, m->cols, &m->tc, t, st.norm);
    e = tu_rel_err(m->out, m->cols, m->ref, m->cols, m->rows, m->cols);
    e_exact = tu_rel_err(m->out, m->cols, m->exact, m->cols, m->rows, m->cols);
    tol = rounding(m, cancel, st.gemm_calls, EPS64, small);
    if (pc) {
        opt->stats = &st_ps;
        ck_assert_int_eq(spow_apply_f64_ex(&pc->t, m->rows, m->cols, m->g, m->cols, m->out_ps,
                                           m->cols, opt), SPOW_OK);
        /* one product fewer per Sastre step, two per nested step */
        ck_assert_int_eq(st_ps.gemm_calls - st.gemm_calls,
                         count_scheme(t, SPOW_SCHEME_SASTRE)
                             + 2 * count_scheme(t, SPOW_SCHEME_NESTED));
        diff = tu_rel_err(m->out, m->cols, m->out_ps, m->cols, m->rows, m->cols);
        ck_assert_msg(diff <= 2.0 * tol, "%s: f64 form vs PS %.3g > %.3g", what, diff,
                      2.0 * tol);
        ck_assert_msg(e_exact <= t->max_rel_err + tol, "%s: f64 vs exact %.3g > %.3g", what,
                      e_exact, t->max_rel_err + tol);
    }
    if (getenv("TU_VERBOSE") && pc)
        printf("%-34s f64: recurrence %.2e (tol %.2e), exact %.2e, form - PS %.2e, GEMMs %ld\n",
               what, e, tol, e_exact, diff, st.gemm_calls);
    else if (getenv("TU_VERBOSE"))
        printf("%-34s f64: recurrence %.2e (tol %.2e), GEMMs %ld\n", what, e, tol,
               st.gemm_calls);
    ck_assert_msg(e <= tol, "%s: f64 vs recurrence %.3g > %.3g", what, e, tol);
    opt->stats = NULL;
    return e;
}

/* The f32 apply with opt->f64_steps as set: against the recurrence on the
 * float G's SVD, and (fixture) its exact power. */
static double check_f32(ncase *m, const spow_table *t, spow_options *opt, double cancel,
                        int fixture, const char *what)
{
    const int small = (opt->flags & SPOW_SMALL_SIDE) != 0;
    const int in_double = small ? opt->f64_steps > 0 : opt->f64_steps >= t->steps;
    spow_stats st;
    double e, e_exact, tol, cert;

    opt->stats = &st;
    ck_assert_int_eq(spow_apply_f32_ex(t, m->rows, m->cols, m->gf, m->cols, m->of, m->cols,
                                       opt), SPOW_OK);
    recurrence(m->ref, m->cols, &m->tcf, t, st.norm);
    e = tu_rel_err_f32(m->of, m->cols, m->ref, m->cols, m->rows, m->cols);
    e_exact = tu_rel_err_f32(m->of, m->cols, m->exactf, m->cols, m->rows, m->cols);
    if (in_double)
        tol = rounding(m, cancel, st.gemm_calls, EPS64, small) + EPS32;
    else
        tol = rounding(m, cancel, st.gemm_calls, EPS32, small);
    cert = in_double ? t->max_rel_err : t->max_rel_err_f32;
    if (getenv("TU_VERBOSE") && fixture)
        printf("%-34s f32 f64_steps %d: recurrence %.2e (tol %.2e), exact %.2e\n", what,
               opt->f64_steps, e, tol, e_exact);
    else if (getenv("TU_VERBOSE"))
        printf("%-34s f32 f64_steps %d: recurrence %.2e (tol %.2e)\n", what, opt->f64_steps,
               e, tol);
    ck_assert_msg(e <= tol, "%s f64_steps %d: f32 vs recurrence %.3g > %.3g", what,
                  opt->f64_steps, e, tol);
    if (fixture)
        ck_assert_msg(e_exact <= cert + tol, "%s f64_steps %d: f32 vs exact %.3g > %.3g",
                      what, opt->f64_steps, e_exact, cert + tol);
    opt->stats = NULL;
    return e;
}

/* ---- The fixture ------------------------------------------------------ */

/* _i = (shape * 2 + small side) * NSCALES + scale: double against the
 * recurrence, the exact power and the Paterson-Stockmeyer copy; float with
 * f64_steps 0 (not on the small side: its float Gram matrix is for spectra
 * near 1 only, spow.h), 1 and all steps. */
START_TEST(fixture)
{
    const spow_table *t = &spow_table_nested_p1_2;
    const int shape = _i / (2 * NSCALES), small = (_i / NSCALES) & 1;
    const size_t rows = shapes[shape][0], cols = shapes[shape][1];
    const int nds[3] = {0, 1, t->steps};
    spow_options opt = {0};
    tu_ps_copy pc;
    ncase m;
    char what[64];
    int j;

    snprintf(what, sizeof what, "fixture %zux%zu small %d scale %d", rows, cols, small,
             scales[_i % NSCALES]);
    tu_ps_copy_make(&pc, t);
    ncase_init(&m, t, rows, cols, 700u + (uint64_t)_i);
    opt.flags = small ? SPOW_SMALL_SIDE : 0;
    opt.scale = scales[_i % NSCALES];
    check_f64(&m, t, &pc, &opt, 1.0, what);
    for (j = small ? 1 : 0; j < 3; j++) {
        opt.f64_steps = nds[j];
        check_f32(&m, t, &opt, 1.0, 1, what);
    }
    ncase_clear(&m);
}
END_TEST

/* The layout the cost model gives (tu_step_cost: 4 products for a nested
 * g), and the GEMMs a caller's callback sees, split by step at each Gram
 * product: each step makes its table gemms, the nested one two fewer than
 * by Paterson-Stockmeyer (degree 16: 6), the Sastre ones one fewer; the
 * only transposed small-side products are squares S S^T of a symmetric S
 * (P_2 = W W^T; tu_check_form_gemms). */
START_TEST(gemm_counts)
{
    const spow_table *t = &spow_table_nested_p1_2;

    ck_assert_int_eq(t->step[2].scheme, SPOW_SCHEME_NESTED);
    tu_check_form_gemms(t, 20, 24, 0);
}
END_TEST

/* A batch equals single applies bit for bit (apply_entry_impl.h runs each
 * matrix through the same steps), f64 and f32, on the small side too, in
 * the caller's workspace of spow_workspace_size_*_ex (tu_check_batch). */
START_TEST(batch)
{
    tu_check_batch(&spow_table_nested_p1_2, 1);
}
END_TEST

/* ---- Random forms ----------------------------------------------------- */

/* Two nested steps with random coefficients: all but l_0 in [-0.15, 0.15],
 * l_0 in [0.85, 1.15], so that g stays near 1 and y near s; shift in
 * [-0.25, 0.25], sign as given for the first step and the other for the
 * second.  Step k maps its t-range [0, tmax_k] (tmax_0 = 1, then the
 * largest y^2 the first step reaches on a grid of s in (0, 1]) onto
 * u in [-1, 1].  ps, cheb and mono are zeros: the runtime evaluates the
 * form and never reads them. */
typedef struct rnd_table {
    spow_table t;
    spow_step step[2];
    double form[2][SPOW_NESTED_NFORM];
    double zeros[SPOW_MAX_DEGREE * (SPOW_MAX_DEGREE + 1)];
} rnd_table;

/* y after steps 0..k-1 (k = 0: s). */
static long double rnd_y(const spow_table *t, long double s, int k)
{
    long double y = s;
    int j, i;

    for (j = 0; j < k; j++) {
        long double g = tu_g_form(&t->step[j], y * y), gy = 1.0L;
        for (i = 0; i < t->y_power; i++)
            gy *= g;
        y *= gy;
    }
    return y;
}

static void rnd_build(rnd_table *h, int p_num, int p_den, int sign, tu_rng *rng)
{
    double tmax = 1.0;
    int k, i;

    memset(h, 0, sizeof *h);
    h->t.version = SPOW_TABLE_VERSION;
    h->t.name = "nested_random";
    h->t.family = "coupled";
    h->t.p_num = p_num;
    h->t.p_den = p_den;
    h->t.lo = 1e-3;
    h->t.hi = 1.0;
    h->t.y_power = p_den;
    h->t.x_power = p_den - p_num;
    h->t.step = h->step;
    h->t.max_rel_err = 1.0;
    h->t.max_rel_err_f32 = 1.0;
    h->t.command = "tests/runtime/t_nested.c";
    for (k = 0; k < 2; k++) {
        spow_step *st = &h->step[k];
        st->degree = 16;
        st->baby = 4;
        st->blocks = 4;
        st->t_lo = 0.0;
        st->t_hi = tmax;
        st->alpha = 2.0 / tmax;
        st->beta = -1.0;
        st->ps = st->cheb = st->mono = h->zeros;
        st->max_rel_err = 1.0;
        st->scheme = SPOW_SCHEME_NESTED;
        st->form_k = 0;
        st->form_sign = k ? -sign : sign;
        st->form_shift = 0.5 * (tu_uniform(rng) - 0.5);
        st->form = h->form[k];
        for (i = 0; i < SPOW_NESTED_NFORM; i++)
            h->form[k][i] = 0.3 * (tu_uniform(rng) - 0.5);
        h->form[k][14] += 1.0; /* l_0 */
        h->t.steps = k + 1;
        tmax = 0.0;
        for (i = 1; i <= 1000; i++) {
            long double y = rnd_y(&h->t, i / 1000.0L, k + 1);
            if ((double)(y * y) > tmax)
                tmax = (double)(y * y);
        }
    }
    for (k = 0; k < 2; k++) {
        h->step[k].gemms = tu_step_cost(&h->t, k);
        h->t.gemms += h->step[k].gemms;
    }
}

/* |g|_abs of the header at t: the nested form with |W| and |coefficients|. */
static long double g_abs(const spow_step *st, long double t)
{
    long double v[SPOW_NESTED_NFORM], w, w2, y0, y1, f1, f2;
    int i;

    for (i = 0; i < SPOW_NESTED_NFORM; i++)
        v[i] = fabsl((long double)st->form[i]);
    w = fabsl((long double)st->alpha * t + (long double)st->beta - (long double)st->form_shift);
    w2 = w * w;
    y0 = w2 * (v[0] * w + v[1] * w2);
    y1 = (y0 + v[2] * w + v[3] * w2) * (y0 + v[4] * w2) + v[5] * y0;
    f1 = y1 + v[6] * y0 + v[7] * w + v[8] * w2;
    f2 = y1 + v[9] * y0 + v[10] * w + v[11] * w2;
    return f1 * f2 + v[12] * y0 + v[13] * y1 + v[14] + v[15] * w + v[16] * w2;
}

/* M of the header for singular values s_i / c, c anything from the
 * Frobenius norm down to sigma_max (the scales' range): over the grid of
 * rnd_build, which covers (0, 1]. */
static double cancellation(const spow_table *t)
{
    double m = 1.0;
    int k, i;

    for (k = 0; k < t->steps; k++)
        for (i = 1; i <= 1000; i++) {
            long double y = rnd_y(t, i / 1000.0L, k);
            double r = (double)(g_abs(&t->step[k], y * y) / fabsl(tu_g_form(&t->step[k], y * y)));
            if (r > m)
                m = r;
        }
    return m;
}

static const int rnd_p[][2] = {{1, 2}, {1, 4}, {0, 1}};
#define NRND ((int)(sizeof rnd_p / sizeof rnd_p[0]))

/* _i = p * 2 + (sign -1): double and float (f64_steps 0, or 1 on the small
 * side) against the recurrence of the forms, on a tall and a wide matrix,
 * every scale, rectangular and small side. */
START_TEST(random_forms)
{
    const int pn = rnd_p[_i / 2][0], pd = rnd_p[_i / 2][1], sign = _i % 2 ? -1 : 1;
    static const size_t dims[][2] = {{48, 20}, {20, 48}};
    tu_rng rng = {900u + (uint64_t)_i};
    rnd_table h;
    double cancel;
    int d, small, sc;

    rnd_build(&h, pn, pd, sign, &rng);
    cancel = cancellation(&h.t);
    if (getenv("TU_VERBOSE"))
        printf("random p %d/%d sign %+d: M = %.3g\n", pn, pd, sign, cancel);
    ck_assert_msg(cancel < 10.0, "p = %d/%d: the random forms cancel too much (%.3g)", pn, pd,
                  cancel);
    ck_assert(spow_workspace_size_f64(&h.t, 48, 20) > 0);
    for (d = 0; d < 2; d++)
        for (small = 0; small <= 1; small++)
            for (sc = 0; sc < NSCALES; sc++) {
                spow_options opt = {0};
                ncase m;
                char what[64];
                snprintf(what, sizeof what, "random p %d/%d sign %+d %zux%zu small %d scale %d",
                         pn, pd, sign, dims[d][0], dims[d][1], small, scales[sc]);
                ncase_init(&m, &h.t, dims[d][0], dims[d][1], 40u * (uint64_t)_i + (uint64_t)d);
                opt.flags = small ? SPOW_SMALL_SIDE : 0;
                opt.scale = scales[sc];
                check_f64(&m, &h.t, NULL, &opt, cancel, what);
                opt.f64_steps = small;
                check_f32(&m, &h.t, &opt, cancel, 0, what);
                ncase_clear(&m);
            }
}
END_TEST

/* The reference reads the same form[] order as the runtime, so it must be
 * able to tell: the table with pairs of coefficients swapped (d_0/d_1,
 * f_0/f_1, h_0/h_1, b_2/c_2, a_1/a_2, l_1/l_2) gives a result at least
 * 1000 times the double tolerance away, and the sign flipped too. */
START_TEST(misread)
{
    static const int pairs[][2] = {{6, 7}, {9, 10}, {12, 13}, {3, 4}, {0, 1}, {15, 16}, {-1, -1}};
    tu_rng rng = {4242};
    rnd_table h, w;
    ncase m;
    spow_options opt = {0};
    spow_stats st;
    double cancel, tol, far;
    int i, k;

    rnd_build(&h, 1, 2, 1, &rng);
    cancel = cancellation(&h.t);
    ncase_init(&m, &h.t, 48, 20, 31u);
    check_f64(&m, &h.t, NULL, &opt, cancel, "misread: as is");
    tol = rounding(&m, cancel, h.t.gemms, EPS64, 0);
    opt.stats = &st;
    ck_assert_int_eq(spow_apply_f64_ex(&h.t, m.rows, m.cols, m.g, m.cols, m.out, m.cols, &opt),
                     SPOW_OK);
    for (i = 0; i < (int)(sizeof pairs / sizeof pairs[0]); i++) {
        w = h;
        w.t.step = w.step;
        for (k = 0; k < 2; k++) {
            w.step[k].form = w.form[k];
            if (pairs[i][0] < 0) {
                w.step[k].form_sign = -w.step[k].form_sign;
            } else {
                w.form[k][pairs[i][0]] = h.form[k][pairs[i][1]];
                w.form[k][pairs[i][1]] = h.form[k][pairs[i][0]];
            }
        }
        recurrence(m.ref, m.cols, &m.tc, &w.t, st.norm);
        far = tu_rel_err(m.out, m.cols, m.ref, m.cols, m.rows, m.cols);
        if (getenv("TU_VERBOSE"))
            printf("misread %d: %.3e from the runtime (tol %.3e)\n", i, far, tol);
        ck_assert_msg(far > 1000.0 * tol, "misread %d: only %.3g from the runtime (tol %.3g)",
                      i, far, tol);
    }
    ncase_clear(&m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("nested");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, fixture, 0, NSHAPES * 2 * NSCALES);
    tcase_add_test(tc, gemm_counts);
    tcase_add_test(tc, batch);
    tcase_add_loop_test(tc, random_forms, 0, 2 * NRND);
    tcase_add_test(tc, misread);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
