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

#include <check.h>

#include "check_run.h"
#include "form_checks.h"
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
 * the same step by Paterson-Stockmeyer, in the copy's count too; squares
 * (P_2 = W W^T, P_4 = P_2 P_2^T) are passed as S S^T of a symmetric S
 * (tu_check_form_gemms). */
START_TEST(gemm_counts)
{
    const spow_table *t = &spow_table_sastre_p1_2;
    int k;

    for (k = 0; k < t->steps; k++)
        ck_assert_int_eq(t->step[k].scheme, SPOW_SCHEME_SASTRE);
    tu_check_form_gemms(t, 21, 24, 1);
}
END_TEST

/* A batch equals single applies bit for bit (apply_entry_impl.h runs each
 * matrix through the same steps), on the small side too; the caller's
 * workspace of spow_workspace_size_f64_ex suffices (tu_check_batch). */
START_TEST(batch)
{
    tu_check_batch(&spow_table_sastre_p1_2, 0);
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
