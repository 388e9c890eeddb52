/* t_search.c -- the schedule search (search.c) and the design search and
 * front (design.c): scale invariance of a step, cheapest against exhaustive
 * enumeration with ordinary fits, the budget path, deep intervals, the front. */
#include <check.h>
#include <math.h>
#include <mpfr.h>
#include <stdio.h>
#include "check_main.h"
#include "cost_helper.h"
#include "spow_gen.h"

static void params(spow_fit_params *par, long m, long n, double lo, double hi, double target)
{
    mpfr_inits2(128, par->lo, par->hi, par->margin, (mpfr_ptr)0);
    mpfr_set_d(par->lo, lo, MPFR_RNDN);
    mpfr_set_d(par->hi, hi, MPFR_RNDN);
    mpfr_set_ui(par->margin, 0, MPFR_RNDN);
    par->p_num = m;
    par->p_den = n;
    par->nsteps = 0;
    par->degrees = NULL;
    par->ndegrees = 0;
    par->target_err = target;
    par->scheme = SPOW_SCHEME_PS;
}

static void params_clear(spow_fit_params *par)
{
    mpfr_clears(par->lo, par->hi, par->margin, (mpfr_ptr)0);
}

/* Certificate of a schedule fitted the ordinary way (spow_fit from 256 bits,
 * or one fit at 128 bits when !escalate, enough for errors above 1e-10),
 * exact coefficients: what the search's error stands for. */
static double fitted_err_at(const spow_fit_params *par, const int *deg, int K, int escalate)
{
    spow_fit_params fp = *par;
    fp.nsteps = K;
    fp.degrees = deg;
    fp.ndegrees = K;
    fp.target_err = 0;
    spow_recurrence rec;
    mpfr_prec_t used;
    if (escalate) {
        ck_assert_int_eq(spow_fit(&rec, &spow_family_coupled, &fp, 256, &used), 0);
    } else {
        spow_recurrence_init(&rec, &spow_family_coupled, par->p_num, par->p_den, par->lo,
                             par->hi, 128);
        ck_assert_int_eq(spow_family_coupled.fit(&rec, &fp), 0);
    }
    double e = mpfr_get_d(rec.max_rel_err, MPFR_RNDU);
    spow_recurrence_clear(&rec);
    return e;
}

static double fitted_err(const spow_fit_params *par, const int *deg, int K)
{
    return fitted_err_at(par, deg, K, 1);
}

START_TEST(test_step_depends_on_ratio_only)
{
    /* One step fitted by the family on [a, b] and on [2a, 2b] leaves the same
     * image ratio as the search's step on u = log(b/a). */
    static const long ps[][2] = { { 1, 2 }, { 0, 1 }, { -1, 4 }, { 2, 3 } };
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        for (int d = 2; d <= 9; d += 7) {
            mpfr_t u, v, w;
            mpfr_inits2(256, u, v, w, (mpfr_ptr)0);
            mpfr_set_ui(u, 1000, MPFR_RNDN);
            mpfr_log(u, u, MPFR_RNDN);
            ck_assert_int_eq(spow_coupled_step_logratio(v, d, u, ps[i][0], ps[i][1], 256), 0);
            for (double scale = 1; scale <= 2; scale++) {
                spow_fit_params par;
                params(&par, ps[i][0], ps[i][1], 1e-3 * scale, scale, 0);
                par.nsteps = 1;
                par.degrees = &d;
                par.ndegrees = 1;
                spow_recurrence rec;
                spow_recurrence_init(&rec, &spow_family_coupled, ps[i][0], ps[i][1], par.lo,
                                     par.hi, 256);
                ck_assert_int_eq(spow_family_coupled.fit(&rec, &par), 0);
                mpfr_div(w, rec.step[0].y_hi, rec.step[0].y_lo, MPFR_RNDN);
                mpfr_log(w, w, MPFR_RNDN);
                mpfr_sub(w, w, v, MPFR_RNDN);
                mpfr_div(w, w, v, MPFR_RNDN);
                /* both are fits of the same problem in different coordinates;
                 * each stops at the Remez exchange's levelling tolerance and
                 * its extremum search, not at the working precision (4e-18
                 * seen), so 1e-15: still far below what any target resolves,
                 * while a ratio that depended on the scale would differ at
                 * order one */
                ck_assert_msg(mpfr_cmp_d(w, 1e-15) < 0 && mpfr_cmp_d(w, -1e-15) > 0,
                              "p = %ld/%ld, degree %d, scale %g: ratios differ by %g", ps[i][0],
                              ps[i][1], d, scale, mpfr_get_d(w, MPFR_RNDN));
                spow_recurrence_clear(&rec);
                params_clear(&par);
            }
            mpfr_clears(u, v, w, (mpfr_ptr)0);
        }
    }
}
END_TEST

/* Every schedule over the search's degrees costing less than `below` at the
 * aspect (spow_cost_shape; aspect 1: products), in lexicographic order;
 * calls back on each. */
static const int degs[] = { 1, 2, 4, 6, 9, 12, 16 };

static void enumerate(int *deg, int K, double below, long m, long n, double aspect,
                      void (*visit)(const int *, int, void *), void *ctx)
{
    if (K > 0 && spow_cost_shape(deg, K, m, n, aspect) < below)
        visit(deg, K, ctx);
    if (K == 6)
        return;
    for (int i = 0; i < 7; i++) {
        deg[K] = degs[i];
        /* a step that is not last costs at least what it costs as last */
        if (spow_cost_shape(deg, K + 1, m, n, aspect) < below)
            enumerate(deg, K + 1, below, m, n, aspect, visit, ctx);
    }
}

typedef struct exhaust_ctx {
    const spow_fit_params *par;
    int checked;
} exhaust_ctx;

static void refuse_cheaper(const int *deg, int K, void *vctx)
{
    exhaust_ctx *c = vctx;
    double e = fitted_err_at(c->par, deg, K, 0);
    c->checked++;
    ck_assert_msg(e > c->par->target_err, "a cheaper schedule (%d steps, %d products) reaches "
                                          "%g: %g", K,
                  spow_test_gemms(deg, K, c->par->p_num, c->par->p_den),
                  c->par->target_err, e);
}

START_TEST(test_cheapest_against_every_cheaper_schedule)
{
    /* The reference is brute force with the family's own fit: every schedule
     * cheaper than the search's must miss the target, and the search's must
     * reach it.  Cheaper in products (aspect 1), and in flops at aspect 4
     * (rectangular products weigh 4, spow_cost_shape). */
    static const struct { long m, n; double lo, target; long aspect; int looked; } cases[] = {
        { 1, 2, 1e-2, 1e-3, 1, 10 }, { 0, 1, 1e-2, 1e-4, 1, 10 }, { -1, 4, 1e-2, 1e-2, 1, 10 },
        { 1, 2, 1e-2, 1e-3, 4, 3 },  { 0, 1, 1e-2, 1e-4, 4, 3 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        spow_fit_params par;
        params(&par, cases[i].m, cases[i].n, cases[i].lo, 1, cases[i].target);
        spow_search s;
        spow_schedule best;
        spow_search_init(&s, &spow_space_coupled_ps, &par, 128);
        ck_assert_int_eq(spow_search_set_aspect(&s, cases[i].aspect, 1), 0);
        ck_assert_int_eq(spow_search_run(&best, &s, par.target_err, NULL), 0);
        ck_assert_int_eq(best.cost, spow_test_gemms(best.degree, best.nsteps, par.p_num, par.p_den));
        /* whole numbers of products: exact in double */
        ck_assert(best.flops == spow_cost_shape(best.degree, best.nsteps, par.p_num, par.p_den,
                                                (double)cases[i].aspect));
        ck_assert(fitted_err(&par, best.degree, best.nsteps) <= par.target_err);
        int deg[8];
        exhaust_ctx c = { &par, 0 };
        enumerate(deg, 0, best.flops, par.p_num, par.p_den, (double)cases[i].aspect,
                  refuse_cheaper, &c);
        ck_assert_int_gt(c.checked, cases[i].looked);   /* the enumeration did look */
        spow_search_clear(&s);
        params_clear(&par);
    }
}
END_TEST

START_TEST(test_shape_schedules)
{
    /* the shipped 4:1 schedules (tables/regenerate.sh) at lo = 1e-3, and the
     * square ones they replace, which cost more at aspect 4 */
    static const struct { long m, n; int K, deg[5], Ksq, sq[5]; } shipped[] = {
        { 1, 2, 3, { 9, 9, 12 }, 4, { 4, 4, 4, 6 } },
        { 0, 1, 3, { 9, 16, 16 }, 5, { 2, 4, 4, 4, 4 } },
    };
    for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
        spow_fit_params par;
        params(&par, shipped[i].m, shipped[i].n, 1e-3, 1.001, 1e-6);
        spow_search s;
        spow_schedule best;
        spow_search_init(&s, &spow_space_coupled_ps, &par, 128);
        ck_assert_int_eq(spow_search_set_aspect(&s, 4, 1), 0);
        ck_assert_int_eq(spow_search_run(&best, &s, par.target_err, NULL), 0);
        ck_assert_int_eq(best.nsteps, shipped[i].K);
        for (int k = 0; k < best.nsteps; k++)
            ck_assert_int_eq(best.degree[k], shipped[i].deg[k]);
        ck_assert(best.flops < spow_cost_shape(shipped[i].sq, shipped[i].Ksq, shipped[i].m,
                                               shipped[i].n, 4.0));
        spow_search_clear(&s);
        params_clear(&par);
    }
    /* aspects the sweep cannot weigh */
    spow_fit_params par;
    params(&par, 1, 2, 1e-3, 1, 1e-6);
    spow_search s;
    spow_search_init(&s, &spow_space_coupled_ps, &par, 128);
    ck_assert_int_eq(spow_search_set_aspect(&s, 1, 2), SPOW_GEN_EARG);
    ck_assert_int_eq(spow_search_set_aspect(&s, 5, 0), SPOW_GEN_EARG);
    ck_assert_int_eq(spow_search_set_aspect(&s, 1000, SPOW_SEARCH_MAX_ASPECT_DEN + 1),
                     SPOW_GEN_EARG);
    spow_search_clear(&s);
    params_clear(&par);
}
END_TEST

START_TEST(test_shipped_schedules)
{
    /* two of tables/regenerate.sh's schedules, found once by the exhaustive
     * branch and bound this search replaced */
    static const struct { long m, n; double lo; int K, deg[5]; } cases[] = {
        { 1, 3, 1e-3, 3, { 9, 9, 12 } }, { 0, 1, 1e-2, 4, { 2, 4, 4, 4 } },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        spow_fit_params par;
        params(&par, cases[i].m, cases[i].n, cases[i].lo, 1.001, 1e-6);
        int deg[SPOW_GEN_MAX_STEPS], K;
        ck_assert_int_eq(spow_family_coupled.search_schedule(deg, &K, &par, 128), 0);
        ck_assert_int_eq(K, cases[i].K);
        for (int k = 0; k < K; k++)
            ck_assert_int_eq(deg[k], cases[i].deg[k]);
        params_clear(&par);
    }
}
END_TEST

START_TEST(test_budget_keeps_best_so_far)
{
    spow_fit_params par;
    params(&par, 1, 2, 1e-3, 1, 1e-6);
    spow_search s;
    spow_schedule full;
    spow_search_init(&s, &spow_space_coupled_ps, &par, 128);
    ck_assert_int_eq(spow_search_run(&full, &s, 1e-6, NULL), 0);
    const long needed = s.fitted;
    /* the same search again is free: every fit comes from the cache */
    spow_schedule again;
    spow_search_opts one = { 1, NULL };
    ck_assert_int_eq(spow_search_run(&again, &s, 1e-6, &one), 0);
    ck_assert_int_eq(s.fitted, needed);
    ck_assert_int_eq(again.cost, full.cost);
    spow_search_clear(&s);

    int partial = 0, nothing = 0;
    for (long budget = 1; budget < needed; budget += needed / 10 + 1) {
        spow_schedule b;
        spow_search_opts opt = { budget, NULL };
        spow_search_init(&s, &spow_space_coupled_ps, &par, 128);
        int rc = spow_search_run(&b, &s, 1e-6, &opt);
        ck_assert_int_eq(rc, SPOW_GEN_ESEARCH);
        ck_assert_int_le(s.fitted, budget);
        if (b.nsteps == 0) {
            nothing++;
        } else {
            /* a best-so-far is a real schedule: no cheaper than the optimum,
             * its cost as stated, its error within the target after an
             * ordinary fit */
            partial++;
            ck_assert_int_ge(b.cost, full.cost);
            ck_assert_int_eq(b.cost, spow_test_gemms(b.degree, b.nsteps, 1, 2));
            ck_assert(fitted_err(&par, b.degree, b.nsteps) <= 1e-6);
        }
        spow_search_clear(&s);
    }
    ck_assert_int_gt(nothing, 0);
    ck_assert_int_gt(partial, 0);

    /* through the design search: the best so far is returned as a result */
    spow_schedule b;
    const spow_search_space *sp;
    FILE *log = tmpfile();
    ck_assert_ptr_nonnull(log);
    /* (the Paterson-Stockmeyer space alone: `needed` counts its fits) */
    ck_assert_int_eq(spow_design_choose_shape(&b, &sp, NULL, SPOW_SCHEME_PS, &par, 128,
                                              needed - 1, 1, 1, log), 0);
    ck_assert_ptr_eq(sp, &spow_space_coupled_ps);
    ck_assert_int_ge(b.cost, full.cost);
    ck_assert(ftell(log) > 0);      /* and the user was told */
    fclose(log);
    ck_assert_int_eq(spow_design_choose_shape(&b, &sp, NULL, SPOW_SCHEME_PS, &par, 128, 1, 1, 1,
                                              NULL), SPOW_GEN_ESEARCH);
    ck_assert_int_eq(spow_design_choose(&b, &sp, NULL, &par, 128, 1, NULL), SPOW_GEN_ESEARCH);
    params_clear(&par);
}
END_TEST

START_TEST(test_deep_interval)
{
    /* lo = 1e-6, where the old exhaustive search gave up: the schedule found
     * certifies the target once fitted and certified the ordinary way, and no
     * all-equal schedule is cheaper. */
    spow_fit_params par;
    params(&par, 1, 2, 1e-6, 1, 1e-6);
    spow_schedule b;
    const spow_search_space *sp;
    ck_assert_int_eq(spow_design_choose(&b, &sp, "coupled", &par, 128, 0, NULL), 0);
    double cert;
    ck_assert_int_eq(spow_design_certify(&cert, sp, &par, &b, 256), 0);
    ck_assert_msg(cert <= 1e-6, "certified %g", cert);
    for (int i = 0; i < 7; i++) {
        for (int K = 1; K <= 12; K++) {
            int deg[12];
            for (int k = 0; k < K; k++)
                deg[k] = degs[i];
            if (spow_test_gemms(deg, K, 1, 2) >= b.cost)
                break;
            ck_assert_msg(fitted_err_at(&par, deg, K, 0) > 1e-6, "degree %d x %d beats the search",
                          degs[i], K);
        }
    }
    params_clear(&par);
}
END_TEST

START_TEST(test_front)
{
    spow_fit_params par;
    params(&par, 1, 3, 1e-2, 1, 0);
    spow_front_point pts[SPOW_FRONT_NPOINTS];
    spow_design_front(pts, &par, 128, 256, 0, NULL);
    for (int k = 0; k < SPOW_FRONT_NPOINTS; k++) {
        ck_assert_int_eq(pts[k].rc, 0);
        ck_assert(pts[k].certified <= pts[k].target);
        ck_assert(fabs(pts[k].target - pow(10, -(k + 1))) < 1e-3 * pts[k].target);
        if (k > 0) {
            /* a tighter target never costs less; an equal cost means the same design */
            ck_assert_int_ge(pts[k].sch.cost, pts[k - 1].sch.cost);
            if (pts[k].sch.cost == pts[k - 1].sch.cost)
                ck_assert(pts[k].certified <= pts[k - 1].certified * (1 + 1e-12));
        }
    }
    params_clear(&par);
}
END_TEST

SPOW_CHECK_TESTS("search", 0, test_step_depends_on_ratio_only,
                 test_cheapest_against_every_cheaper_schedule, test_shape_schedules,
                 test_shipped_schedules,
                 test_budget_keeps_best_so_far, test_deep_interval, test_front)
