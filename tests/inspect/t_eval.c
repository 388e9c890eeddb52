/* t_eval.c -- the pieces behind spow-inspect's curves: the double and
 * float scalar evaluation follows the runtime's order of operations exactly,
 * agrees with the exact recurrence, and the curves' maxima and divergence
 * flags are those of an independent evaluation. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "spow_inspect.h"
#include "check_main.h"

#define PREC 256

/* On a diagonal matrix every GEMM of the runtime rounds exactly like the
 * scalar operation it stands for (the zero products add nothing; a single
 * product is alpha times it, rounded once more), so the runtime's diagonal
 * must equal the scalar evaluation bit for bit: that is what "the same
 * operation order" means.  Both ?syrk (the default backend's Gram products
 * and squares) and ?gemm are exercised by the runtime here. */
/* The runtime's diagonal against the scalar evaluation of the same table. */
static void check_runtime_order(const spow_inspect_source *src, const spow_table *t)
{
    spow_inspect_eval_plan plan;
    ck_assert_int_eq(spow_inspect_eval_plan_init(&plan, &src->rec), 0);
    enum { N = 48 };
    static double g[N * N], out[N * N];
    static float gf[N * N], of[N * N];
    memset(g, 0, sizeof g);
    memset(gf, 0, sizeof gf);
    for (int i = 0; i < N; i++) {
        /* spread over [1e-3, 1] after scaling, as floats (so both inputs agree) */
        gf[i * N + i] = (float)pow(10.0, -3.0 * i / (N - 1));
        g[i * N + i] = gf[i * N + i];
    }
    spow_stats st64, st32;
    spow_options o64 = { 0 }, o32 = { 0 };
    o64.flags = o32.flags = SPOW_NORMALIZED;
    o64.scale = o32.scale = SPOW_SCALE_FROBENIUS; /* the scalar model's scaling */
    o64.stats = &st64;
    o32.stats = &st32;
    ck_assert_int_eq(spow_apply_f64_ex(t, N, N, g, N, out, N, &o64), 0);
    ck_assert_int_eq(spow_apply_f32_ex(t, N, N, gf, N, of, N, &o32), 0);
    for (int i = 0; i < N; i++) {
        double o[SPOW_GEN_MAX_STEPS], a[SPOW_GEN_MAX_STEPS];
        float of32[SPOW_GEN_MAX_STEPS], af32[SPOW_GEN_MAX_STEPS];
        const double s = g[i * N + i] / st64.norm;
        spow_inspect_eval_f64(o, a, &plan, s);
        spow_inspect_eval_f32(of32, af32, &plan, (float)(g[i * N + i] / st32.norm));
        ck_assert_msg(o[plan.steps - 1] == out[i * N + i], "%s, s = %g: double scalar %a, "
                      "runtime %a", t->name, s, o[plan.steps - 1], out[i * N + i]);
        ck_assert_msg(of32[plan.steps - 1] == of[i * N + i], "%s, s = %g: float scalar %a, "
                      "runtime %a", t->name, s, (double)of32[plan.steps - 1],
                      (double)of[i * N + i]);
    }
    spow_inspect_eval_plan_clear(&plan);
}

START_TEST(test_runtime_order)
{
    const long ps[][2] = { { 1, 2 }, { 1, 4 }, { 0, 1 }, { -1, 4 }, { 2, 3 } };
    for (size_t c = 0; c < sizeof ps / sizeof ps[0]; c++) {
        spow_inspect_source src;
        char msg[600];
        ck_assert_msg(spow_inspect_source_table(&src, ps[c][0], ps[c][1], 1e-3, PREC, msg,
                                                sizeof msg) == 0,
                      "%s", msg);
        check_runtime_order(&src, src.table);
        spow_inspect_source_clear(&src);
    }
}
END_TEST

/* The same for a table whose steps are Sastre forms (tests/data, written
 * by spow-gen --scheme sastre): read from its JSON by spow-inspect's loader,
 * applied by the runtime from its C form. */
extern const spow_table spow_table_sastre_p1_2;

START_TEST(test_runtime_order_sastre)
{
    spow_inspect_source src;
    char msg[600];
    ck_assert_msg(spow_inspect_source_json(&src, SPOW_SOURCE_DIR "/tests/data/sastre_p1_2.json",
                                           PREC, msg, sizeof msg) == 0, "%s", msg);
    for (int k = 0; k < src.rec.steps; k++)
        ck_assert_int_eq(src.rec.step[k].scheme, SPOW_SCHEME_SASTRE);
    check_runtime_order(&src, &spow_table_sastre_p1_2);
    spow_inspect_source_clear(&src);
}
END_TEST

/* A runtime table over a loaded recurrence's doubles (blocks, Chebyshev and
 * monomial coefficients from its MPFR steps, the form as loaded), for the
 * JSON fixtures that have no C form. */
typedef struct rec_table {
    spow_table t;
    spow_step step[SPOW_GEN_MAX_STEPS];
    double ps[SPOW_GEN_MAX_STEPS][SPOW_GEN_MAX_DEGREE * (SPOW_GEN_MAX_DEGREE + 1)];
    double cheb[SPOW_GEN_MAX_STEPS][SPOW_GEN_MAX_DEGREE + 1];
    double mono[SPOW_GEN_MAX_STEPS][SPOW_GEN_MAX_DEGREE + 1];
    double form[SPOW_GEN_MAX_STEPS][SPOW_INSPECT_MAX_NFORM];
} rec_table;

static void rec_table_init(rec_table *rt, const spow_inspect_source *src, const char *name)
{
    const spow_recurrence *rec = &src->rec;
    memset(rt, 0, sizeof *rt);
    for (int k = 0; k < rec->steps; k++) {
        const spow_step_mp *s = &rec->step[k];
        spow_step *o = &rt->step[k];
        mpfr_t *c = spow_vec_init(s->degree + 1, PREC), *m = spow_vec_init(s->degree + 1, PREC);
        spow_step_cheb(c, s, PREC);
        spow_step_mono_t(m, s, PREC);
        for (int i = 0; i <= s->degree; i++) {
            rt->cheb[k][i] = mpfr_get_d(c[i], MPFR_RNDN);
            rt->mono[k][i] = mpfr_get_d(m[i], MPFR_RNDN);
        }
        spow_vec_clear(c, s->degree + 1);
        spow_vec_clear(m, s->degree + 1);
        for (int i = 0; i < s->blocks * (s->baby + 1); i++)
            rt->ps[k][i] = mpfr_get_d(s->ps[i], MPFR_RNDN);
        for (int i = 0; i < spow_form_nform(s->scheme, s->form_k); i++)
            rt->form[k][i] = mpfr_get_d(s->form[i], MPFR_RNDN);
        *o = (spow_step){ s->degree, s->baby, s->blocks, mpfr_get_d(s->t_lo, MPFR_RNDN),
                          mpfr_get_d(s->t_hi, MPFR_RNDN), mpfr_get_d(s->alpha, MPFR_RNDN),
                          mpfr_get_d(s->beta, MPFR_RNDN), rt->ps[k], rt->cheb[k], rt->mono[k],
                          s->gemms, NAN, NAN, NAN, s->scheme, s->form_k, s->form_sign,
                          s->form_shift, rt->form[k] };
    }
    rt->t = (spow_table){ SPOW_TABLE_VERSION, name, "coupled", (int)rec->p_num, (int)rec->p_den,
                          mpfr_get_d(rec->lo, MPFR_RNDN), mpfr_get_d(rec->hi, MPFR_RNDN),
                          (int)rec->p_den, (int)(rec->p_den - rec->p_num), rec->steps, rt->step,
                          NAN, NAN, spow_inspect_source_gemms(src), NULL };
}

/* The same for tables with a nested step (tests/data, written by spow-gen
 * --scheme nested): nested_p1_2 (degrees 8, 8, 16: Sastre, Sastre,
 * nested), applied by the runtime from its C form, and nested_first_p1_2
 * (16, 8, 8: nested first), applied from a table made here from the loaded
 * doubles. */
extern const spow_table spow_table_nested_p1_2;

START_TEST(test_runtime_order_nested)
{
    static const struct { const char *file; int scheme[3]; } fx[] = {
        { "nested_p1_2.json", { SPOW_SCHEME_SASTRE, SPOW_SCHEME_SASTRE, SPOW_SCHEME_NESTED } },
        { "nested_first_p1_2.json",
          { SPOW_SCHEME_NESTED, SPOW_SCHEME_SASTRE, SPOW_SCHEME_SASTRE } },
    };
    for (size_t f = 0; f < sizeof fx / sizeof fx[0]; f++) {
        spow_inspect_source src;
        char msg[600], path[512];
        snprintf(path, sizeof path, "%s/tests/data/%s", SPOW_SOURCE_DIR, fx[f].file);
        ck_assert_msg(spow_inspect_source_json(&src, path, PREC, msg, sizeof msg) == 0, "%s", msg);
        ck_assert_int_eq(src.rec.steps, 3);
        for (int k = 0; k < 3; k++)
            ck_assert_int_eq(src.rec.step[k].scheme, fx[f].scheme[k]);
        if (f == 0) {
            /* the C and the JSON fixture must be one table */
            const spow_table *t = &spow_table_nested_p1_2;
            for (int k = 0; k < 3; k++) {
                const spow_step *o = &t->step[k];
                const spow_step_mp *s = &src.rec.step[k];
                ck_assert_int_eq(o->scheme, s->scheme);
                for (int i = 0; i < spow_form_nform(s->scheme, s->form_k); i++)
                    ck_assert_msg(o->form[i] == mpfr_get_d(s->form[i], MPFR_RNDN),
                                  "tests/data/nested_p1_2.c and .json differ: step %d form[%d]",
                                  k + 1, i);
            }
            check_runtime_order(&src, t);
        } else {
            static rec_table rt;
            rec_table_init(&rt, &src, "nested_first_p1_2");
            check_runtime_order(&src, &rt.t);
        }
        spow_inspect_source_clear(&src);
    }
}
END_TEST

/* Double and float evaluation against the exact recurrence, where it
 * converges.  After the last step: double within 1e-13 and float within 1e-5
 * relative (a few hundred roundings of 1.1e-16 or 6e-8; the converging
 * recurrence does not amplify them).  Intermediate steps are far from
 * converged and steep: there rounding is amplified up to ~1e4 (measured), so
 * double is held to 1e-9 only. */
START_TEST(test_vs_exact)
{
    struct {
        const char *what;
        int table;
        long m, n;
        const spow_inspect_family *fam;
        double a, b;
    } cases[] = {
        { "table 1/2", 1, 1, 2, NULL, 1e-3, 1 },
        { "table -1/4", 1, -1, 4, NULL, 1e-3, 1 },
        { "table 0", 1, 0, 1, NULL, 1e-3, 1 },
        { "fixedpoint 1/3", 0, 1, 3, &spow_inspect_fixedpoint, 1e-3, 1 },
        { "fixedpoint 3/5", 0, 3, 5, &spow_inspect_fixedpoint, 1e-3, 1 },
        { "fixedpoint 1/2", 0, 1, 2, &spow_inspect_fixedpoint, 0.3, 0.6 },
        { "muon", 0, 0, 1, &spow_inspect_muon_quintic, 1e-3, 1 },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        spow_inspect_source src;
        char msg[600];
        int rc = cases[c].table
                     ? spow_inspect_source_table(&src, cases[c].m, cases[c].n, 1e-3, PREC, msg,
                                                 sizeof msg)
                     : spow_inspect_source_coef(&src, cases[c].fam, cases[c].m, cases[c].n, "1e-3",
                                                "1",
                                        NULL, 0, PREC, msg, sizeof msg);
        ck_assert_msg(rc == 0, "%s: %s", cases[c].what, msg);
        spow_inspect_eval_plan plan;
        ck_assert_int_eq(spow_inspect_eval_plan_init(&plan, &src.rec), 0);
        mpfr_t x, y;
        mpfr_inits2(PREC, x, y, (mpfr_ptr)0);
        double worst64 = 0, worst32 = 0, mid64 = 0;
        for (int j = 0; j <= 200; j++) {
            const double s = cases[c].a * pow(cases[c].b / cases[c].a, j / 200.0);
            double o[SPOW_GEN_MAX_STEPS], aux[SPOW_GEN_MAX_STEPS];
            float of[SPOW_GEN_MAX_STEPS], af[SPOW_GEN_MAX_STEPS];
            spow_inspect_eval_f64(o, aux, &plan, s);
            spow_inspect_eval_f32(of, af, &plan, (float)s);
            mpfr_set_d(x, s, MPFR_RNDN);
            mpfr_set_d(y, s, MPFR_RNDN);
            for (int k = 0; k < src.rec.steps; k++) {
                src.rec.family->apply_step(x, y, &src.rec, k);
                const double ex = mpfr_get_d(x, MPFR_RNDN);
                const double r64 = fabs(o[k] - ex) / fabs(ex);
                const double r32 = fabs((double)of[k] - ex) / fabs(ex);
                mid64 = r64 > mid64 ? r64 : mid64;
                if (k < src.rec.steps - 1)
                    continue;
                worst64 = r64 > worst64 ? r64 : worst64;
                worst32 = r32 > worst32 ? r32 : worst32;
            }
        }
        ck_assert_msg(worst64 <= 1e-13, "%s: double off by %g", cases[c].what, worst64);
        ck_assert_msg(mid64 <= 1e-9, "%s: double off by %g at some step", cases[c].what, mid64);
        ck_assert_msg(worst32 <= 1e-5, "%s: float off by %g", cases[c].what, worst32);
        /* and it does round: float is not silently evaluated in double */
        ck_assert_msg(worst32 > 1e-9, "%s: float agrees to %g", cases[c].what, worst32);
        mpfr_clears(x, y, (mpfr_ptr)0);
        spow_inspect_eval_plan_clear(&plan);
        spow_inspect_source_clear(&src);
    }
}
END_TEST

/* A coupled recurrence typed as monomials of t (here the shipped table's own
 * mono[]) carries the same certificate as the table, to the digits the
 * rounding of the monomials to double leaves. */
START_TEST(test_coupled_from_monomials)
{
    const spow_table *t = spow_table_find(1, 4, 1e-3);
    ck_assert_ptr_nonnull(t);
    char coef[4096] = "";
    size_t len = 0;
    for (int k = 0; k < t->steps; k++)
        for (int i = 0; i <= t->step[k].degree; i++)
            len += (size_t)snprintf(coef + len, sizeof coef - len, "%s%.17g",
                                    i ? "," : (k ? ";" : ""), t->step[k].mono[i]);
    char lo[32], hi[32];
    snprintf(lo, sizeof lo, "%.17g", t->lo);
    snprintf(hi, sizeof hi, "%.17g", t->hi);
    spow_inspect_source src;
    char msg[600];
    ck_assert_msg(spow_inspect_source_coef(&src, &spow_inspect_coupled, 1, 4, lo, hi, coef, 0, PREC,
                                           msg,
                                   sizeof msg) == 0, "%s", msg);
    ck_assert_int_eq(src.rec.steps, t->steps);
    ck_assert_int_eq(spow_inspect_source_gemms(&src), t->gemms);
    spow_recurrence copy;
    spow_recurrence_round(&copy, &src.rec, PREC);
    ck_assert_int_eq(spow_family_coupled.certify(&copy), 0);
    const double cert = mpfr_get_d(copy.max_rel_err, MPFR_RNDN);
    ck_assert_msg(fabs(cert - t->max_rel_err) <= 1e-3 * t->max_rel_err,
                  "monomials certify %.7e, table %.7e", cert, t->max_rel_err);
    spow_recurrence_clear(&copy);
    spow_inspect_source_clear(&src);
}
END_TEST

/* The published p = 1/2 constants: the curves' divergence flags, first
 * diverging s and maxima against a direct MPFR loop written here. */
START_TEST(test_curves_divergence)
{
    spow_inspect_source src;
    char msg[600];
    ck_assert_int_eq(spow_inspect_source_coef(&src, &spow_inspect_fixedpoint, 1, 2, "1e-3", "1",
                                      "3.0,-0.795918", 6, PREC, msg, sizeof msg), 0);
    spow_inspect_curves cv;
    spow_inspect_curve_params par = { 300, 1e-4, 1.05, 1e6, 400 };
    ck_assert_int_eq(spow_inspect_curves_compute(&cv, &src.rec, &par), 0);
    mpfr_t s, y, t, w, c, d, e;
    mpfr_inits2(PREC, s, y, t, w, c, d, e, (mpfr_ptr)0);
    mpfr_set_str(c, "3.0", 10, MPFR_RNDN);
    mpfr_set_str(d, "-0.795918", 10, MPFR_RNDN);
    double first = NAN, grid_max_in = 0;
    int ndiv = 0;
    for (int i = 0; i < cv.n; i++) {
        mpfr_set_d(s, cv.s[i], MPFR_RNDN);
        mpfr_set(y, s, MPFR_RNDN);
        int blown = 0;
        for (int k = 0; k < 6; k++) {
            mpfr_sqr(t, y, MPFR_RNDN);
            mpfr_sqr(t, t, MPFR_RNDN);
            mpfr_sqr(w, s, MPFR_RNDN);
            mpfr_sub(t, t, w, MPFR_RNDN);
            mpfr_mul(w, d, y, MPFR_RNDN);
            mpfr_fma(w, c, s, w, MPFR_RNDN);
            mpfr_mul(t, t, w, MPFR_RNDN);
            mpfr_sub(y, y, t, MPFR_RNDN);
            if (mpfr_cmp_d(y, 1e6) > 0 || mpfr_cmp_d(y, -1e6) < 0)
                blown = 1;          /* and stays so: the flag is "at or before step k" */
            ck_assert_int_eq(cv.div[SPOW_INSPECT_EXACT][(size_t)k * (size_t)cv.n + (size_t)i],
                             blown);
        }
        if (blown && isnan(first))
            first = cv.s[i];
        ndiv += blown;
        mpfr_sqrt(e, s, MPFR_RNDN);
        mpfr_div(e, y, e, MPFR_RNDN);
        mpfr_sub_ui(e, e, 1, MPFR_RNDN);
        mpfr_abs(e, e, MPFR_RNDN);
        const double ed = mpfr_get_d(e, MPFR_RNDN);
        const double got = cv.err[SPOW_INSPECT_EXACT][(size_t)5 * (size_t)cv.n + (size_t)i];
        ck_assert_msg(ed == got || fabs(ed - got) <= 1e-12 * ed, "s = %g: %g vs %g", cv.s[i],
                      got, ed);
        if (cv.s[i] >= 1e-3 && cv.s[i] <= 1 && ed > grid_max_in)
            grid_max_in = ed;
    }
    const spow_inspect_arith_summary *sm = &cv.sum[SPOW_INSPECT_EXACT];
    ck_assert(sm->diverges == (ndiv > 0) && sm->ndiv == ndiv);
    ck_assert_msg(sm->first_s == first, "first diverging s %g vs %g", sm->first_s, first);
    /* the refined maximum on [lo, hi] can only be above every grid value there */
    ck_assert_msg(sm->max_in[5] >= grid_max_in, "%g < %g", sm->max_in[5], grid_max_in);
    mpfr_clears(s, y, t, w, c, d, e, (mpfr_ptr)0);
    spow_inspect_curves_clear(&cv);
    spow_inspect_source_clear(&src);
}
END_TEST

SPOW_CHECK_TESTS("inspect-eval", 600, test_runtime_order, test_runtime_order_sastre,
                 test_runtime_order_nested, test_vs_exact,
                 test_coupled_from_monomials, test_curves_divergence)
