/* coupled.c -- the coupled (invariant-preserving) family.
 *
 * State per singular value s: x_0 = y_0 = s, and with p = m/n
 *
 *     y_{k+1} = y_k g_k(y_k^2)^n,     x_{k+1} = x_k g_k(y_k^2)^(n-m),
 *
 * so x_k = s^p y_k^(1-p) for every k and the error of x is |y^(1-p) - 1|.
 * Fitting step k is the weighted minimax problem
 *
 *     min over g in P_d of max over y in [a, b] of |y^(1/n) g(y^2) - 1|,
 *
 * (the spread of y g^n is monotone in its value), after which g is scaled so
 * that the error of x after the step is centred.  Certification propagates the
 * exact image interval of y through every step: each step map is continuous,
 * so the image of an interval is the interval between its smallest and largest
 * values, found among the end points and the real roots of the derivative.
 */
#include <stdio.h>
#include <stdlib.h>
#include "spow_gen.h"
#include "search.h"

typedef struct fit_ctx {
    long n;
    mpfr_srcptr alpha, beta;
} fit_ctx;

/* t(u) = (u - beta) / alpha */
static void t_of_u(mpfr_t t, const mpfr_t u, mpfr_srcptr alpha, mpfr_srcptr beta)
{
    mpfr_sub(t, u, beta, MPFR_RNDN);
    mpfr_div(t, t, alpha, MPFR_RNDN);
}

/* w(u) = t^(1/(2n)) = y^(1/n) */
static void fit_weight(mpfr_t w, const mpfr_t u, const void *vctx)
{
    const fit_ctx *c = vctx;
    t_of_u(w, u, c->alpha, c->beta);
    mpfr_rootn_ui(w, w, (unsigned long)(2 * c->n), MPFR_RNDN);
}

/* d/du [t^(1/2n) g] has the sign of  g/(2n) + (u - beta) g'(u),  a polynomial
 * of degree d whose roots are also the critical points of y g(y^2)^n. */
static void critical_poly(mpfr_t *q, mpfr_t *const g, int d, long n, mpfr_srcptr beta)
{
    mpfr_prec_t prec = mpfr_get_prec(q[0]);
    mpfr_t tmp;
    mpfr_init2(tmp, prec);
    for (int i = 0; i <= d; i++) {
        mpfr_div_ui(q[i], g[i], (unsigned long)(2 * n), MPFR_RNDN);
        mpfr_mul_ui(tmp, g[i], (unsigned long)i, MPFR_RNDN);
        mpfr_add(q[i], q[i], tmp, MPFR_RNDN);
        if (i < d) {
            mpfr_mul_ui(tmp, g[i + 1], (unsigned long)(i + 1), MPFR_RNDN);
            mpfr_mul(tmp, tmp, beta, MPFR_RNDN);
            mpfr_sub(q[i], q[i], tmp, MPFR_RNDN);
        }
    }
    mpfr_clear(tmp);
}

static void fit_extremum_poly(mpfr_t *q, mpfr_t *const g, int d, const void *vctx)
{
    const fit_ctx *c = vctx;
    critical_poly(q, g, d, c->n, c->beta);
}

/* y^(1-p) = (y^(n-m))^(1/n) */
static void pow_one_minus_p(mpfr_t r, const mpfr_t y, long m, long n)
{
    mpfr_pow_si(r, y, n - m, MPFR_RNDN);
    mpfr_rootn_ui(r, r, (unsigned long)n, MPFR_RNDN);
}

/* y g(y^2)^n */
static void step_map(mpfr_t r, const spow_step_mp *st, const mpfr_t y, long n)
{
    mpfr_t t;
    mpfr_init2(t, mpfr_get_prec(r));
    mpfr_sqr(t, y, MPFR_RNDN);
    spow_step_eval_g(t, st, t);
    mpfr_pow_ui(t, t, (unsigned long)n, MPFR_RNDN);
    mpfr_mul(r, y, t, MPFR_RNDN);
    mpfr_clear(t);
}

/* [lo_out, hi_out] = image of [a_in, b_in] under the step map; the outputs may
 * alias the inputs. */
static void step_image(mpfr_t lo_out, mpfr_t hi_out, const spow_step_mp *st, const mpfr_t a_in,
                       const mpfr_t b_in, long n, mpfr_prec_t prec)
{
    const int d = st->degree;
    mpfr_t *g = spow_vec_init(d + 1, prec);
    mpfr_t *q = spow_vec_init(d + 1, prec);
    mpfr_t *roots = spow_vec_init(d, prec);
    mpfr_t a, b, ua, ub, y, v;
    mpfr_inits2(prec, a, b, ua, ub, y, v, (mpfr_ptr)0);
    mpfr_set(a, a_in, MPFR_RNDN);
    mpfr_set(b, b_in, MPFR_RNDN);

    spow_step_mono_u(g, st, prec);
    critical_poly(q, g, d, n, st->beta);
    mpfr_sqr(ua, a, MPFR_RNDN);
    mpfr_fma(ua, st->alpha, ua, st->beta, MPFR_RNDN);
    mpfr_sqr(ub, b, MPFR_RNDN);
    mpfr_fma(ub, st->alpha, ub, st->beta, MPFR_RNDN);
    int nr = spow_poly_real_roots(roots, q, d, ua, ub, prec);

    step_map(lo_out, st, a, n);
    mpfr_set(hi_out, lo_out, MPFR_RNDN);
    for (int i = -1; i < nr; i++) {
        if (i < 0) {
            mpfr_set(y, b, MPFR_RNDN);
        } else {
            t_of_u(y, roots[i], st->alpha, st->beta);
            mpfr_sqrt(y, y, MPFR_RNDN);
        }
        step_map(v, st, y, n);
        mpfr_min(lo_out, lo_out, v, MPFR_RNDN);
        mpfr_max(hi_out, hi_out, v, MPFR_RNDN);
    }
    mpfr_clears(a, b, ua, ub, y, v, (mpfr_ptr)0);
    spow_vec_clear(roots, d);
    spow_vec_clear(q, d + 1);
    spow_vec_clear(g, d + 1);
}

/* max |y^(1-p) - 1| over [ylo, yhi]; +Inf when y may reach 0 or below, where
 * x = s^p y^(1-p) no longer holds for a real power. */
static void x_error(mpfr_t err, const mpfr_t ylo, const mpfr_t yhi, long m, long n)
{
    if (mpfr_sgn(ylo) <= 0 || !mpfr_number_p(ylo) || !mpfr_number_p(yhi)) {
        mpfr_set_inf(err, 1);
        return;
    }
    mpfr_t a;
    mpfr_init2(a, mpfr_get_prec(err));
    pow_one_minus_p(a, ylo, m, n);
    mpfr_sub_ui(a, a, 1, MPFR_RNDN);
    pow_one_minus_p(err, yhi, m, n);
    mpfr_sub_ui(err, err, 1, MPFR_RNDN);
    mpfr_abs(a, a, MPFR_RNDN);
    mpfr_abs(err, err, MPFR_RNDN);
    mpfr_max(err, err, a, MPFR_RNDN);
    mpfr_clear(a);
}

/* alpha and beta of the map u = alpha t + beta from [t_lo, t_hi] onto [-1, 1]. */
static void set_interval_map(spow_step_mp *st, mpfr_prec_t prec)
{
    mpfr_t den;
    mpfr_init2(den, prec);
    mpfr_sub(den, st->t_hi, st->t_lo, MPFR_RNDN);
    mpfr_ui_div(st->alpha, 2, den, MPFR_RNDN);
    mpfr_add(st->beta, st->t_hi, st->t_lo, MPFR_RNDN);
    mpfr_div(st->beta, st->beta, den, MPFR_RNDN);
    mpfr_neg(st->beta, st->beta, MPFR_RNDN);
    mpfr_clear(den);
}

/* Fits g for y in [a, b] and scales it so that the error of x is centred. */
static int fit_step(spow_step_mp *st, const mpfr_t a, const mpfr_t b, long m, long n,
                    mpfr_prec_t prec)
{
    const int d = st->degree;
    mpfr_t ya, yb, lam, tmp;
    mpfr_inits2(prec, ya, yb, lam, tmp, (mpfr_ptr)0);

    mpfr_sqr(st->t_lo, a, MPFR_RNDN);
    mpfr_sqr(st->t_hi, b, MPFR_RNDN);
    set_interval_map(st, prec);

    fit_ctx ctx = { n, st->alpha, st->beta };
    spow_remez_problem pb = { d, fit_weight, fit_extremum_poly, &ctx };

    /* Start from Chebyshev extrema in y, where the odd-polynomial problem lives. */
    mpfr_t *ref = spow_vec_init(d + 2, prec);
    mpfr_const_pi(tmp, MPFR_RNDN);
    for (int j = 0; j < d + 2; j++) {
        mpfr_mul_ui(ya, tmp, (unsigned long)j, MPFR_RNDN);
        mpfr_div_ui(ya, ya, (unsigned long)(d + 1), MPFR_RNDN);
        mpfr_cos(ya, ya, MPFR_RNDN);                       /* 1 .. -1 */
        mpfr_sub(yb, b, a, MPFR_RNDN);
        mpfr_mul(ya, ya, yb, MPFR_RNDN);
        mpfr_div_2ui(ya, ya, 1, MPFR_RNDN);
        mpfr_add(yb, a, b, MPFR_RNDN);
        mpfr_div_2ui(yb, yb, 1, MPFR_RNDN);
        mpfr_sub(ya, yb, ya, MPFR_RNDN);                   /* a .. b */
        mpfr_sqr(ya, ya, MPFR_RNDN);
        mpfr_fma(ref[j], st->alpha, ya, st->beta, MPFR_RNDN);
    }
    mpfr_set_si(ref[0], -1, MPFR_RNDN);
    mpfr_set_si(ref[d + 1], 1, MPFR_RNDN);

    spow_remez rz;
    spow_remez_init(&rz, &pb, ref, prec);
    int rc = spow_remez_solve(&rz, 200);
    if (rc == 0) {
        spow_step_set_cheb(st, rz.coef, prec);
        /* centre: lam^(n-m) (ya^(1-p) + yb^(1-p)) = 2 */
        step_image(ya, yb, st, a, b, n, prec);
        pow_one_minus_p(lam, ya, m, n);
        pow_one_minus_p(tmp, yb, m, n);
        mpfr_add(lam, lam, tmp, MPFR_RNDN);
        mpfr_ui_div(lam, 2, lam, MPFR_RNDN);
        mpfr_rootn_ui(lam, lam, (unsigned long)(n - m), MPFR_RNDN);
        for (int i = 0; i < st->blocks * (st->baby + 1); i++)
            mpfr_mul(st->ps[i], st->ps[i], lam, MPFR_RNDN);
    }
    spow_remez_clear(&rz);
    spow_vec_clear(ref, d + 2);
    mpfr_clears(ya, yb, lam, tmp, (mpfr_ptr)0);
    return rc;
}

static int coupled_certify(spow_recurrence *rec)
{
    const long m = rec->p_num, n = rec->p_den;
    mpfr_t a, b;
    mpfr_inits2(rec->prec, a, b, (mpfr_ptr)0);
    mpfr_set(a, rec->lo, MPFR_RNDN);
    mpfr_set(b, rec->hi, MPFR_RNDN);
    x_error(rec->max_rel_err, a, b, m, n);      /* zero steps: x = s */
    for (int k = 0; k < rec->steps; k++) {
        spow_step_mp *st = &rec->step[k];
        step_image(a, b, st, a, b, n, rec->prec);
        mpfr_set(st->y_lo, a, MPFR_RNDN);
        mpfr_set(st->y_hi, b, MPFR_RNDN);
        x_error(st->err, a, b, m, n);
        mpfr_set(rec->max_rel_err, st->err, MPFR_RNDN);
    }
    mpfr_clears(a, b, (mpfr_ptr)0);
    return 0;
}

/* Once the y interval is narrower than 2^-(prec/4) relative, the next fit
 * would resolve its error to only a few bits: refuse rather than emit a step
 * fitted to rounding noise.  (At the default 256 bits this is 5e-20, far
 * below any double or float use.) */
static int converged_below_precision(const mpfr_t a, const mpfr_t b, mpfr_prec_t prec)
{
    mpfr_t w;
    mpfr_init2(w, prec);
    mpfr_sub(w, b, a, MPFR_RNDN);
    mpfr_div(w, w, b, MPFR_RNDN);
    int below = mpfr_cmp_ui_2exp(w, 1, -(long)(prec / 4)) < 0;
    mpfr_clear(w);
    return below;
}

static int degree_of_step(const spow_fit_params *par, int k)
{
    return par->degrees[k < par->ndegrees ? k : par->ndegrees - 1];
}

/* Certificate of the coefficients as they will be emitted (double). */
static void certify_emitted(mpfr_t err, const spow_recurrence *rec)
{
    spow_recurrence r64;
    spow_recurrence_round(&r64, rec, 53);
    coupled_certify(&r64);
    mpfr_set(err, r64.max_rel_err, MPFR_RNDN);
    spow_recurrence_clear(&r64);
}

static int coupled_fit(spow_recurrence *rec, const spow_fit_params *par)
{
    const long m = par->p_num, n = par->p_den;
    const mpfr_prec_t prec = rec->prec;
    if (m == n)
        return coupled_certify(rec);     /* p = 1: the identity, no step */

    mpfr_t a, b, err, err64;
    mpfr_inits2(prec, a, b, err, err64, (mpfr_ptr)0);
    spow_fit_first_interval(a, b, par, prec);

    int rc = 0;
    for (int k = 0;; k++) {
        if (par->nsteps > 0 && k == par->nsteps)
            break;
        if (k == SPOW_GEN_MAX_STEPS) {
            rc = SPOW_GEN_ETARGET;
            break;
        }
        if (converged_below_precision(a, b, prec)) {
            rc = SPOW_GEN_ESTEPS;
            break;
        }
        spow_step_mp *st = spow_recurrence_push(rec, degree_of_step(par, k));
        rc = fit_step(st, a, b, m, n, prec);
        /* the next step is fitted to the form's image */
        const int form = spow_form_scheme(par->scheme, st->degree);
        if (rc == 0 && form == SPOW_SCHEME_NESTED)
            rc = spow_nested_set(st, a, b, n, prec);
        else if (rc == 0 && form == SPOW_SCHEME_SASTRE)
            rc = spow_sastre_set(st, prec);
        if (rc)
            break;
        step_image(a, b, st, a, b, n, prec);
        if (par->nsteps == 0) {
            coupled_certify(rec);
            certify_emitted(err64, rec);
            mpfr_max(err, rec->max_rel_err, err64, MPFR_RNDN);
            if (mpfr_cmp_d(err, par->target_err) <= 0)
                break;
        }
    }
    if (rc == 0) {
        const int K = rec->steps;
        for (int k = 0; k < K; k++)
            rec->step[k].gemms = spow_cost_step_scheme(rec->step[k].degree, rec->step[k].scheme,
                                                       k, K, m, n);
        coupled_certify(rec);
    }
    mpfr_clears(a, b, err, err64, (mpfr_ptr)0);
    return rc;
}

/* ---- one step on a log-ratio (the schedule search, search.c) ------------ */

/* The fit is scale-invariant: with y = lam z, z^(1/n) lam^(1/n) g(lam^2 z^2) is
 * again z^(1/n) times a polynomial of the same degree in z^2, so the minimax
 * error of a step, and after centring the ratio of its image, depend only on
 * the ratio b/a of the y interval.  The search therefore carries one number,
 * u = log(b/a), fitted here on [1, e^u]. */
int spow_coupled_step_logratio(mpfr_t v, int degree, const mpfr_t u, long m, long n,
                               mpfr_prec_t prec)
{
    mpfr_t a, b;
    mpfr_inits2(prec, a, b, (mpfr_ptr)0);
    mpfr_set_ui(a, 1, MPFR_RNDN);
    mpfr_exp(b, u, MPFR_RNDN);
    int rc = SPOW_GEN_ESTEPS;
    if (!converged_below_precision(a, b, prec)) {
        spow_recurrence tmp;
        spow_recurrence_init(&tmp, &spow_family_coupled, m, n, a, b, prec);
        spow_step_mp *st = spow_recurrence_push(&tmp, degree);
        rc = fit_step(st, a, b, m, n, prec);
        if (rc == 0) {
            step_image(a, b, st, a, b, n, prec);
            if (mpfr_sgn(a) <= 0 || !mpfr_number_p(a) || !mpfr_number_p(b)) {
                rc = SPOW_GEN_ECONVERGE;
            } else {
                mpfr_div(b, b, a, MPFR_RNDN);
                mpfr_log(v, b, MPFR_RNDN);
            }
        }
        spow_recurrence_clear(&tmp);
    }
    mpfr_clears(a, b, (mpfr_ptr)0);
    return rc;
}

static int coupled_search(int *degrees, int *nsteps, const spow_fit_params *par, mpfr_prec_t prec)
{
    return spow_search_degrees(degrees, nsteps, par, prec);
}

static void coupled_apply_step(mpfr_t x, mpfr_t y, const spow_recurrence *rec, int k)
{
    const long m = rec->p_num, n = rec->p_den;
    mpfr_t g, gp;
    mpfr_inits2(mpfr_get_prec(y), g, gp, (mpfr_ptr)0);
    mpfr_sqr(g, y, MPFR_RNDN);
    spow_step_eval_g(g, &rec->step[k], g);
    mpfr_pow_ui(gp, g, (unsigned long)n, MPFR_RNDN);
    mpfr_mul(y, y, gp, MPFR_RNDN);
    mpfr_pow_ui(gp, g, (unsigned long)(n - m), MPFR_RNDN);
    mpfr_mul(x, x, gp, MPFR_RNDN);
    mpfr_clears(g, gp, (mpfr_ptr)0);
}

/* ---- a recurrence from typed coefficients (spow-inspect --coef) ---------- */

/* Each g comes as monomials in t; it is stored like a fitted step, in the
 * Chebyshev basis of the t-interval that [lo, hi] reaches at that step (exact
 * image propagation), so that the double and float evaluations see the same
 * blocks the runtime would.  When that interval is degenerate or not finite
 * (a recurrence that collapses or blows up), [0, 1] is used instead: any
 * basis represents g exactly at the working precision. */
int spow_coupled_set_mono(spow_recurrence *rec, mpfr_t *const *coef, const int *ncoef, int nsteps,
                          char *msg, size_t msglen)
{
    const long m = rec->p_num, n = rec->p_den;
    const mpfr_prec_t prec = rec->prec;
    if (spow_p_check(m, n) != SPOW_P_OK) {
        snprintf(msg, msglen, "family coupled needs -2 <= p <= 1 and a denominator <= %d",
                 SPOW_GEN_MAX_DEN);
        return SPOW_GEN_EARG;
    }
    for (int k = 0; k < nsteps; k++)
        if (ncoef[k] < 2 || ncoef[k] > SPOW_GEN_MAX_DEGREE + 1) {
            snprintf(msg, msglen, "family coupled takes the monomial coefficients of g in "
                                  "t = y^2 (degree 1..%d, so 2..%d numbers) per step; step %d "
                                  "has %d",
                     SPOW_GEN_MAX_DEGREE, SPOW_GEN_MAX_DEGREE + 1, k + 1, ncoef[k]);
            return SPOW_GEN_EARG;
        }
    mpfr_t a, b;
    mpfr_inits2(prec, a, b, (mpfr_ptr)0);
    mpfr_set(a, rec->lo, MPFR_RNDN);
    mpfr_set(b, rec->hi, MPFR_RNDN);
    for (int k = 0; k < nsteps; k++) {
        spow_step_mp *st = spow_recurrence_push(rec, ncoef[k] - 1);
        mpfr_sqr(st->t_lo, a, MPFR_RNDN);
        mpfr_sqr(st->t_hi, b, MPFR_RNDN);
        if (!mpfr_number_p(st->t_lo) || !mpfr_number_p(st->t_hi) ||
            mpfr_cmp(st->t_hi, st->t_lo) <= 0 || mpfr_sgn(a) < 0) {
            mpfr_set_ui(st->t_lo, 0, MPFR_RNDN);
            mpfr_set_ui(st->t_hi, 1, MPFR_RNDN);
        }
        set_interval_map(st, prec);
        spow_step_set_mono_t(st, coef[k], prec);
        if (mpfr_number_p(a) && mpfr_number_p(b))
            step_image(a, b, st, a, b, n, prec);
    }
    for (int k = 0; k < nsteps; k++)
        rec->step[k].gemms = spow_cost_step(rec->step[k].degree, k, nsteps, m, n);
    mpfr_clears(a, b, (mpfr_ptr)0);
    return coupled_certify(rec);
}

const spow_family spow_family_coupled = {
    .name = "coupled",
    .summary = "invariant-preserving: y <- y g(y^2)^n, x <- x g(y^2)^(n-m), x = s^p y^(1-p)",
    .fit = coupled_fit,
    .certify = coupled_certify,
    .apply_step = coupled_apply_step,
    .search_schedule = coupled_search,
};
