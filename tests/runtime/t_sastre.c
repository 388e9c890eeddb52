/* t_sastre.c -- steps evaluated by Sastre's product form (spow.h,
 * SPOW_SCHEME_SASTRE), with the fixture tests/data/sastre_p1_2.c: the
 * p = 1/2, lo = 1e-3 table of degrees 8, 12, 12 with a form on every step
 * (written by spow-gen --p 1/2 --lo 1e-3 --hi 1.001 --degree 8,12,12
 * --scheme sastre --name sastre_p1_2, --format c and json).
 *
 * The table's ps/cheb/mono hold the exact polynomial of its forms (rounded
 * to double per coefficient), so the same table with scheme = 0 on a copy of
 * its steps (tu_ps_copy) evaluates the same g by Paterson-Stockmeyer: one
 * polynomial, two orders of operations.
 *
 * Tolerances.  Against the exact power of G (from its prescribed spectrum)
 * and, in float, LAPACKE's SVD power of G rounded to float (tu_spread_case),
 * as t_apply.c:
 *
 *     tol = cert + A k (gemms + 2) u + D,
 *
 * cert the table's max_rel_err (max_rel_err_f32 in float), A the scalar
 * map's amplification (tu_amplification), k the long side, gemms the
 * apply's products and u the unit roundoff (t_apply.c derives it); on the
 * small side the rounding term is divided by smin^2 (t_small_side.c).  D
 * is 0: spow-gen certifies the polynomial the forms' doubles define.
 *
 * Against the Paterson-Stockmeyer copy: both are the same exact computation,
 * each within A k (gemms + 2) u of it, so they differ by at most twice
 * that (no cert, no D: same polynomial; the rounding of ps from the exact
 * form polynomial, 1 ulp per coefficient, is inside the same model). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_run.h"
#include "testutil.h"

#define EPS64 0x1p-53
#define EPS32 0x1p-24
#define FIXTURE_D 0.0

extern const spow_table spow_table_sastre_p1_2;

static int sastre_steps(const spow_table *t)
{
    int k, n = 0;

    for (k = 0; k < t->steps; k++)
        n += t->step[k].scheme == SPOW_SCHEME_SASTRE;
    return n;
}

typedef struct mcase {
    tu_spread_case m;       /* G, its float copy, the references */
    size_t k;               /* the long side */
    double *out_ps;         /* the same apply by Paterson-Stockmeyer */
    float *of_ps;
    double amp, smin;
} mcase;

/* G = 3.5 U diag(s) V^T, s spread from smin (normalized): the exact power
 * of G and the SVD power of G rounded to float (tu_spread_case). */
static void mcase_init(mcase *c, const spow_table *t, size_t rows, size_t cols,
                       double smin, uint64_t seed)
{
    tu_spread_case_init(&c->m, tu_p(t), rows, cols, smin, seed);
    c->k = rows > cols ? rows : cols;
    c->smin = smin;
    c->out_ps = malloc(c->m.n * sizeof *c->out_ps);
    c->of_ps = malloc(c->m.n * sizeof *c->of_ps);
    ck_assert(c->out_ps && c->of_ps);
    c->amp = tu_amplification(t, c->m.s, c->m.r);
}

static void mcase_clear(mcase *c)
{
    tu_spread_case_clear(&c->m);
    free(c->out_ps);
    free(c->of_ps);
}

/* Applies the table and its Paterson-Stockmeyer copy, double (into out and
 * out_ps) or float (of and of_ps), with opt; the form saves one product per
 * Sastre step whatever the path. */
static void apply_form_and_ps(mcase *c, const spow_table *t, const tu_ps_copy *pc,
                              spow_options *opt, int f32, spow_stats *st, spow_stats *st_ps)
{
    const size_t rows = c->m.rows, cols = c->m.cols;
    const spow_table *tab[2] = { t, &pc->t };
    spow_stats *stats[2] = { st, st_ps };
    int i;

    for (i = 0; i < 2; i++) {
        opt->stats = stats[i];
        if (f32)
            ck_assert_int_eq(spow_apply_f32_ex(tab[i], rows, cols, c->m.gf, cols,
                                               i ? c->of_ps : c->m.of, cols, opt), SPOW_OK);
        else
            ck_assert_int_eq(spow_apply_f64_ex(tab[i], rows, cols, c->m.g, cols,
                                               i ? c->out_ps : c->m.out, cols, opt), SPOW_OK);
    }
    ck_assert_int_eq(st_ps->gemm_calls - st->gemm_calls, sastre_steps(t));
}

/* The rounding term A k (gemms + 2) u, over smin^2 on the small side. */
static double rounding(const mcase *c, long gemms, double u, int small_side)
{
    double r = c->amp * (double)c->k * (double)(gemms + 2) * u;
    return small_side ? r / (c->smin * c->smin) : r;
}

static const size_t shapes[][2] = {{64, 64}, {120, 40}, {40, 120}, {1, 30}, {30, 1}};
#define NSHAPES (sizeof shapes / sizeof shapes[0])

/* _i = shape * 4 + variant: variant bit 0 the small side, bit 1 the
 * Frobenius scaling (else the default Gram bound, where P_2 comes from S).
 * Double, float, float with one and with all steps in double: within the
 * certificate of the SVD's answer, and next to the Paterson-Stockmeyer copy
 * of the same table. */
START_TEST(accuracy)
{
    const spow_table *t = &spow_table_sastre_p1_2;
    size_t rows = shapes[_i / 4][0], cols = shapes[_i / 4][1];
    int small = _i & 1, frob = (_i >> 1) & 1, nds[3], j;
    tu_ps_copy pc;
    mcase c;
    spow_options opt = {0};
    spow_stats st, st_ps;
    double e, e_ps, diff, tol, tol_ps;

    tu_ps_copy_make(&pc, t);
    mcase_init(&c, t, rows, cols, 1e-2, 500u + (uint64_t)_i);
    opt.flags = small ? SPOW_SMALL_SIDE : 0;
    opt.scale = frob ? SPOW_SCALE_FROBENIUS : SPOW_SCALE_DEFAULT;
    apply_form_and_ps(&c, t, &pc, &opt, 0, &st, &st_ps);
    e = tu_rel_err(c.m.out, cols, c.m.ref, cols, rows, cols);
    e_ps = tu_rel_err(c.out_ps, cols, c.m.ref, cols, rows, cols);
    diff = tu_rel_err(c.m.out, cols, c.out_ps, cols, rows, cols);
    tol = t->max_rel_err + rounding(&c, st.gemm_calls, EPS64, small) + FIXTURE_D;
    tol_ps = 2.0 * rounding(&c, st_ps.gemm_calls, EPS64, small);
    if (getenv("TU_VERBOSE"))
        printf("%3zux%-3zu small %d frob %d A %.3g: f64 form %.3e PS %.3e (tol %.3e), "
               "form - PS %.3e (tol %.3e), GEMMs %ld / %ld\n", rows, cols, small, frob, c.amp,
               e, e_ps, tol, diff, tol_ps, st.gemm_calls, st_ps.gemm_calls);
    ck_assert_msg(e <= tol, "%zux%zu small %d frob %d: double %.3g > tol %.3g", rows, cols,
                  small, frob, e, tol);
    ck_assert_msg(diff <= tol_ps, "%zux%zu small %d frob %d: form vs PS %.3g > %.3g", rows,
                  cols, small, frob, diff, tol_ps);

    /* float: f64_steps 0 (not on the small side: its Gram matrix in float is
     * for spectra near 1 only, spow.h), 1 and all steps */
    nds[0] = 0;
    nds[1] = 1;
    nds[2] = t->steps;
    for (j = small ? 1 : 0; j < 3; j++) {
        int nd = nds[j];
        double tolf;
        opt.f64_steps = nd;
        apply_form_and_ps(&c, t, &pc, &opt, 1, &st, &st_ps);
        e = tu_rel_err_f32(c.m.of, cols, c.m.reff, cols, rows, cols);
        /* everything in double (small side, or f64_steps = all): the double
         * tolerance plus one float rounding of the result */
        if (small || nd == t->steps)
            tolf = t->max_rel_err + rounding(&c, st.gemm_calls, EPS64, small) + FIXTURE_D
                   + EPS32;
        else
            tolf = t->max_rel_err_f32 + rounding(&c, st.gemm_calls, EPS32, 0) + FIXTURE_D;
        if (getenv("TU_VERBOSE"))
            printf("%3zux%-3zu small %d frob %d f64_steps %d: f32 form %.3e (tol %.3e)\n",
                   rows, cols, small, frob, nd, e, tolf);
        ck_assert_msg(e <= tolf, "%zux%zu small %d frob %d f64_steps %d: float %.3g > %.3g",
                      rows, cols, small, frob, nd, e, tolf);
    }
    mcase_clear(&c);
}
END_TEST

/* The GEMMs, counted by the callback and split by step at each Gram
 * product: each step makes its table gemms, which the cost model gives
 * independently (tu_step_cost: k + 1 products for a form), one fewer than
 * the same step by Paterson-Stockmeyer; squares (P_2 = W W^T, P_4 = P_2 P_2^T)
 * are passed as S S^T of a symmetric S. */
START_TEST(gemm_counts)
{
    const spow_table *t = &spow_table_sastre_p1_2;
    static const size_t dims[][2] = {{20, 8}, {8, 20}, {9, 9}};
    tu_ps_copy pc;
    size_t d, i;
    int k, nd, sum = 0;

    tu_ps_copy_make(&pc, t);
    for (k = 0; k < t->steps; k++) {
        ck_assert_int_eq(t->step[k].scheme, SPOW_SCHEME_SASTRE);
        ck_assert_int_eq(t->step[k].gemms, tu_step_cost(t, k));
        ck_assert_int_eq(pc.step[k].gemms - t->step[k].gemms, 1);
        sum += t->step[k].gemms;
    }
    ck_assert_int_eq(sum, t->gemms);
    ck_assert_int_eq(t->gemms, 21);
    ck_assert_int_eq(pc.t.gemms, 24);
    for (d = 0; d < 3; d++)
        for (nd = -1; nd <= t->steps; nd++) {
            size_t rows = dims[d][0], cols = dims[d][1];
            double g[180], o[180];
            float gf[180], of[180];
            tu_rng rng = {d};
            tu_counter cnt = {0}, cnt_ps = {0};
            spow_options opt = {0};

            for (i = 0; i < rows * cols; i++) {
                g[i] = tu_gauss(&rng);
                gf[i] = (float)g[i];
            }
            opt.gemm_f64 = tu_gemm_f64;
            opt.gemm_f32 = tu_gemm_f32;
            opt.f64_steps = nd < 0 ? 0 : nd;
            opt.gemm_ctx = &cnt;
            if (nd < 0)
                ck_assert_int_eq(spow_apply_f64_ex(t, rows, cols, g, cols, o, cols, &opt), 0);
            else
                ck_assert_int_eq(spow_apply_f32_ex(t, rows, cols, gf, cols, of, cols, &opt), 0);
            opt.gemm_ctx = &cnt_ps;
            if (nd < 0)
                ck_assert_int_eq(spow_apply_f64_ex(&pc.t, rows, cols, g, cols, o, cols, &opt), 0);
            else
                ck_assert_int_eq(spow_apply_f32_ex(&pc.t, rows, cols, gf, cols, of, cols, &opt),
                                 0);
            ck_assert_int_eq(cnt.calls, t->gemms);
            ck_assert_int_eq(cnt_ps.calls, pc.t.gemms);
            ck_assert_int_eq(cnt.steps_seen, t->steps);
            for (k = 0; k < t->steps; k++) {
                ck_assert_int_eq(cnt.per_step[k], t->step[k].gemms);
                ck_assert_int_eq(cnt_ps.per_step[k] - cnt.per_step[k], 1);
            }
            ck_assert_int_eq(cnt.bad_squares, 0);
            /* as t_apply.c: at most a few eps of max |S| from symmetric */
            ck_assert_msg(cnt.square_asym[0] <= 1e-13 && cnt.square_asym[1] <= 1e-5,
                          "%zux%zu f64_steps %d: asym %.3g / %.3g", rows, cols, nd,
                          cnt.square_asym[0], cnt.square_asym[1]);
        }
}
END_TEST

/* A batch equals single applies bit for bit (apply_entry_impl.h runs each
 * matrix through the same steps), on the small side too; the caller's
 * workspace of spow_workspace_size_f64_ex suffices. */
START_TEST(batch)
{
    const spow_table *t = &spow_table_sastre_p1_2;
    enum { B = 3, R = 24, C = 10 };
    double g[B * R * C], o[B * R * C], one[R * C];
    tu_rng rng = {77};
    spow_options opt = {0};
    size_t i, b;
    int small;

    for (i = 0; i < B * R * C; i++)
        g[i] = tu_gauss(&rng);
    for (small = 0; small <= 1; small++) {
        size_t bytes;
        void *work;
        opt.flags = small ? SPOW_SMALL_SIDE : 0;
        opt.work = NULL;
        opt.work_size = 0;
        bytes = spow_workspace_size_f64_ex(t, R, C, &opt);
        ck_assert(bytes > 0);
        work = malloc(bytes);
        opt.work = work;
        opt.work_size = bytes;
        ck_assert_int_eq(spow_apply_batch_f64_ex(t, B, R, C, g, C, R * C, o, C, R * C, &opt),
                         SPOW_OK);
        for (b = 0; b < B; b++) {
            ck_assert_int_eq(spow_apply_f64_ex(t, R, C, g + b * R * C, C, one, C, &opt),
                             SPOW_OK);
            ck_assert_msg(memcmp(one, o + b * R * C, sizeof one) == 0,
                          "small %d: batch matrix %zu differs from its single apply", small, b);
        }
        free(work);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sastre");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, accuracy, 0, (int)NSHAPES * 4);
    tcase_add_test(tc, gemm_counts);
    tcase_add_test(tc, batch);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
