/* t_remez.c -- the Remez exchange against closed forms and the equioscillation
 * theorem. */
#include <check.h>
#include <stdio.h>
#include "spow_gen.h"
#include "check_main.h"
#include "fit_helper.h"

#define PREC 256

/* Fits one coupled step of degree d for p = m/n on [lo, 1]. */
static void fit_one(spow_recurrence *rec, long m, long n, int d, double lo)
{
    mpfr_prec_t used;
    spow_test_fit(rec, m, n, lo, &d, 1, PREC, &used);
}

START_TEST(test_closed_form_cubic)
{
    /* The optimal odd cubic y (c0 + c1 y^2) for |. - 1| on [l, u] equioscillates at
     * l, y* and u with y*^2 = (u^2 + u l + l^2) / 3; with gamma = 2 / (2 y*^3 + l u (l + u)):
     * c1 = -gamma, c0 = gamma (u^2 + u l + l^2), E = (2 y*^3 - l u (l+u)) / (2 y*^3 + l u (l+u)). */
    const double los[] = { 1e-3, 1e-2, 0.1, 0.5 };
    for (int i = 0; i < 4; i++) {
        spow_recurrence rec;
        fit_one(&rec, 0, 1, 1, los[i]);
        mpfr_t l, u, ys, lu, gam, e, c0, c1, diff;
        mpfr_inits2(PREC, l, u, ys, lu, gam, e, c0, c1, diff, (mpfr_ptr)0);
        mpfr_set(l, rec.lo, MPFR_RNDN);
        mpfr_set_ui(u, 1, MPFR_RNDN);
        mpfr_mul(c0, u, u, MPFR_RNDN);
        mpfr_fma(c0, u, l, c0, MPFR_RNDN);
        mpfr_fma(c0, l, l, c0, MPFR_RNDN);            /* u^2 + ul + l^2 */
        mpfr_div_ui(ys, c0, 3, MPFR_RNDN);
        mpfr_sqrt(ys, ys, MPFR_RNDN);
        mpfr_pow_ui(ys, ys, 3, MPFR_RNDN);
        mpfr_mul_2ui(ys, ys, 1, MPFR_RNDN);           /* 2 y*^3 */
        mpfr_add(lu, l, u, MPFR_RNDN);
        mpfr_mul(lu, lu, l, MPFR_RNDN);
        mpfr_mul(lu, lu, u, MPFR_RNDN);               /* l u (l + u) */
        mpfr_add(gam, ys, lu, MPFR_RNDN);
        mpfr_sub(e, ys, lu, MPFR_RNDN);
        mpfr_div(e, e, gam, MPFR_RNDN);
        mpfr_ui_div(gam, 2, gam, MPFR_RNDN);
        mpfr_mul(c0, c0, gam, MPFR_RNDN);
        mpfr_neg(c1, gam, MPFR_RNDN);

        mpfr_t *a = spow_vec_init(2, PREC);
        spow_step_mono_t(a, &rec.step[0], PREC);
        mpfr_sub(diff, rec.max_rel_err, e, MPFR_RNDN);
        ck_assert_msg(mpfr_get_d(diff, MPFR_RNDN) < 1e-40 && mpfr_get_d(diff, MPFR_RNDN) > -1e-40,
                      "lo = %g: E = %.20g, closed form %.20g", los[i],
                      mpfr_get_d(rec.max_rel_err, MPFR_RNDN), mpfr_get_d(e, MPFR_RNDN));
        mpfr_sub(diff, a[0], c0, MPFR_RNDN);
        ck_assert_msg(mpfr_cmpabs(diff, c0) < 0 && mpfr_get_exp(diff) < -130,
                      "lo = %g: c0 = %.20g, closed form %.20g", los[i],
                      mpfr_get_d(a[0], MPFR_RNDN), mpfr_get_d(c0, MPFR_RNDN));
        mpfr_sub(diff, a[1], c1, MPFR_RNDN);
        ck_assert_msg(mpfr_get_exp(diff) < -130, "lo = %g: c1 = %.20g, closed form %.20g",
                      los[i], mpfr_get_d(a[1], MPFR_RNDN), mpfr_get_d(c1, MPFR_RNDN));
        spow_vec_clear(a, 2);
        mpfr_clears(l, u, ys, lu, gam, e, c0, c1, diff, (mpfr_ptr)0);
        spow_recurrence_clear(&rec);
    }
}
END_TEST

/* The Polar Express problem as a bare Remez problem: min over odd quintics
 * y g(y^2) of max |y g(y^2) - 1| on [lo, 1], written here independently of
 * the coupled family: t = y^2 = (u + 1) (1 - lo^2) / 2 + lo^2, weight y. */
typedef struct { mpfr_t tlo, h; } pe_ctx;

static void pe_t(mpfr_t t, const mpfr_t u, const pe_ctx *c)
{
    mpfr_add_ui(t, u, 1, MPFR_RNDN);
    mpfr_mul(t, t, c->h, MPFR_RNDN);
    mpfr_add(t, t, c->tlo, MPFR_RNDN);
}

static void pe_weight(mpfr_t w, const mpfr_t u, const void *ctx)
{
    pe_t(w, u, ctx);
    mpfr_sqrt(w, w, MPFR_RNDN);
}

/* d/du [sqrt(t) g(u)] ~ g h / 2 + t g'(u) */
static void pe_extremum(mpfr_t *q, mpfr_t *const g, int d, const void *vctx)
{
    const pe_ctx *c = vctx;
    mpfr_t tmp, t0;
    mpfr_inits2(mpfr_get_prec(q[0]), tmp, t0, (mpfr_ptr)0);
    mpfr_add(t0, c->h, c->tlo, MPFR_RNDN);                /* t = h u + (h + tlo) */
    for (int i = 0; i <= d; i++) {
        mpfr_mul(q[i], g[i], c->h, MPFR_RNDN);
        mpfr_div_2ui(q[i], q[i], 1, MPFR_RNDN);
        mpfr_mul_ui(tmp, g[i], (unsigned long)i, MPFR_RNDN);
        mpfr_mul(tmp, tmp, c->h, MPFR_RNDN);
        mpfr_add(q[i], q[i], tmp, MPFR_RNDN);
        if (i < d) {
            mpfr_mul_ui(tmp, g[i + 1], (unsigned long)(i + 1), MPFR_RNDN);
            mpfr_mul(tmp, tmp, t0, MPFR_RNDN);
            mpfr_add(q[i], q[i], tmp, MPFR_RNDN);
        }
    }
    mpfr_clears(tmp, t0, (mpfr_ptr)0);
}

START_TEST(test_quintic_equioscillates)
{
    const int d = 2;
    pe_ctx ctx;
    mpfr_inits2(PREC, ctx.tlo, ctx.h, (mpfr_ptr)0);
    mpfr_set_d(ctx.tlo, 1e-3, MPFR_RNDN);
    mpfr_sqr(ctx.tlo, ctx.tlo, MPFR_RNDN);      /* t = y^2 for the same lo as the coupled fit */
    mpfr_ui_sub(ctx.h, 1, ctx.tlo, MPFR_RNDN);
    mpfr_div_2ui(ctx.h, ctx.h, 1, MPFR_RNDN);
    spow_remez_problem pb = { d, pe_weight, pe_extremum, &ctx };
    mpfr_t *ref = spow_vec_init(d + 2, PREC);
    for (int j = 0; j < d + 2; j++)      /* a deliberately naive start: equispaced in u */
        mpfr_set_d(ref[j], -1.0 + 2.0 * j / (d + 1), MPFR_RNDN);
    spow_remez rz;
    spow_remez_init(&rz, &pb, ref, PREC);
    ck_assert_int_eq(spow_remez_solve(&rz, 100), 0);

    /* d + 2 points where |error| equals the level, with alternating signs */
    mpfr_t *pts = spow_vec_init(d + 2, PREC);
    ck_assert_int_eq(spow_remez_alternation(pts, &rz), d + 2);
    mpfr_t e, w, rel;
    mpfr_inits2(PREC, e, w, rel, (mpfr_ptr)0);
    int prev = 0;
    for (int j = 0; j < d + 2; j++) {
        pe_weight(w, pts[j], &ctx);
        spow_poly_eval_cheb(e, rz.coef, d, pts[j]);
        mpfr_mul(e, e, w, MPFR_RNDN);
        mpfr_sub_ui(e, e, 1, MPFR_RNDN);
        int sg = mpfr_sgn(e);
        ck_assert_msg(sg != 0 && sg != prev, "point %d does not alternate", j);
        prev = sg;
        mpfr_abs(rel, e, MPFR_RNDN);
        mpfr_sub(rel, rel, rz.level, MPFR_RNDN);
        mpfr_div(rel, rel, rz.level, MPFR_RNDN);
        ck_assert_msg(mpfr_get_d(rel, MPFR_RNDN) < 1e-25 && mpfr_get_d(rel, MPFR_RNDN) > -1e-25,
                      "point %d: |e| differs from the level by %g", j, mpfr_get_d(rel, MPFR_RNDN));
    }
    /* the end points are alternation points (the error is largest at y = lo) */
    ck_assert(mpfr_cmp_si(pts[0], -1) == 0 && mpfr_cmp_si(pts[d + 1], 1) == 0);
    /* and nowhere on a dense grid is the error above the level */
    for (int i = 0; i <= 20000; i++) {
        mpfr_t u;
        mpfr_init2(u, PREC);
        mpfr_set_d(u, -1.0 + 2.0 * i / 20000, MPFR_RNDN);
        pe_weight(w, u, &ctx);
        spow_poly_eval_cheb(e, rz.coef, d, u);
        mpfr_mul(e, e, w, MPFR_RNDN);
        mpfr_sub_ui(e, e, 1, MPFR_RNDN);
        mpfr_abs(e, e, MPFR_RNDN);
        mpfr_div(rel, e, rz.level, MPFR_RNDN);
        mpfr_sub_ui(rel, rel, 1, MPFR_RNDN);     /* in MPFR: 1 + 1e-25 is 1 in double */
        ck_assert_msg(mpfr_cmp_d(rel, 1e-25) <= 0, "u = %.17g: |e| / level - 1 = %.6g",
                      mpfr_get_d(u, MPFR_RNDN), mpfr_get_d(rel, MPFR_RNDN));
        mpfr_clear(u);
    }

    /* the coupled family's first p = 0, d = 2 step solves the same problem */
    spow_recurrence rec;
    fit_one(&rec, 0, 1, 2, 1e-3);
    /* Remez stops once max |e| is within 2^-(prec/3) ~ 3e-26 of the level, and
     * the coupled certificate is the true max of its own solve: 1e-20 apart. */
    mpfr_sub(rel, rec.max_rel_err, rz.level, MPFR_RNDN);
    mpfr_div(rel, rel, rz.level, MPFR_RNDN);
    ck_assert_msg(mpfr_get_d(rel, MPFR_RNDN) < 1e-20 && mpfr_get_d(rel, MPFR_RNDN) > -1e-20,
                  "coupled step %.20g vs Polar Express %.20g (relative gap %g)",
                  mpfr_get_d(rec.max_rel_err, MPFR_RNDN), mpfr_get_d(rz.level, MPFR_RNDN),
                  mpfr_get_d(rel, MPFR_RNDN));
    spow_recurrence_clear(&rec);

    mpfr_clears(e, w, rel, ctx.tlo, ctx.h, (mpfr_ptr)0);
    spow_vec_clear(pts, d + 2);
    spow_vec_clear(ref, d + 2);
    spow_remez_clear(&rz);
}
END_TEST

SPOW_CHECK_TESTS("remez", 0, test_closed_form_cubic, test_quintic_equioscillates)
