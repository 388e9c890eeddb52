/* inspect_curve.c -- error curves |x_k(s)/s^p - 1| after every step k, on a
 * log grid that reaches below lo and above hi, in exact (MPFR at the
 * recurrence's precision), double and float arithmetic; their maxima; and
 * where the recurrence blows up.
 *
 * The maximum on [lo, hi] in exact arithmetic is not a grid maximum: every
 * local maximum of a dense log-spaced sample is refined by golden section
 * (spow_certify_sample_k), which is what reproduces a coupled table's
 * certificate.  In double and float the maximum is taken over the same dense
 * sample without refinement: rounding noise has no smooth maximum to refine.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "spow_inspect.h"

const char *const spow_inspect_arith_name[SPOW_INSPECT_NARITH] = { "exact", "double", "float" };
const char *const spow_inspect_arith_key[SPOW_INSPECT_NARITH] = { "exact", "f64", "f32" };

static int too_big(double v, double threshold)
{
    return !isfinite(v) || fabs(v) > threshold;
}

/* s^p for the double s, correctly rounded to double (p = m/n exactly). */
static double pow_p(double s, long m, long n, mpfr_t tmp)
{
    mpfr_set_d(tmp, s, MPFR_RNDN);
    mpfr_pow_si(tmp, tmp, m, MPFR_RNDN);
    mpfr_rootn_ui(tmp, tmp, (unsigned long)n, MPFR_RNDN);
    return mpfr_get_d(tmp, MPFR_RNDN);
}

/* i-th of n log-spaced points from a to b, the ends exact. */
static double log_point(double a, double b, int i, int n)
{
    if (i == 0)
        return a;
    if (i == n - 1)
        return b;
    return a * pow(b / a, (double)i / (double)(n - 1));
}

/* Runs one grid point in the three arithmetics. */
static void run_point(spow_inspect_curves *cv, int i, const spow_recurrence *rec,
                      const spow_inspect_eval_plan *plan, mpfr_t x, mpfr_t y, mpfr_t sp, mpfr_t e)
{
    const int K = rec->steps, n = cv->n;
    const double s = cv->s[i];
    double out64[SPOW_GEN_MAX_STEPS], aux64[SPOW_GEN_MAX_STEPS];
    float out32[SPOW_GEN_MAX_STEPS], aux32[SPOW_GEN_MAX_STEPS];
    spow_inspect_eval_f64(out64, aux64, plan, s);
    spow_inspect_eval_f32(out32, aux32, plan, (float)s);

    mpfr_set_d(x, s, MPFR_RNDN);
    mpfr_set_d(y, s, MPFR_RNDN);
    mpfr_set_d(sp, s, MPFR_RNDN);
    mpfr_pow_si(sp, sp, rec->p_num, MPFR_RNDN);
    mpfr_rootn_ui(sp, sp, (unsigned long)rec->p_den, MPFR_RNDN);
    const double spd = mpfr_get_d(sp, MPFR_RNDN);
    int gone[SPOW_INSPECT_NARITH] = { 0, 0, 0 };
    for (int k = 0; k < K; k++) {
        const size_t at = (size_t)k * (size_t)n + (size_t)i;
        rec->family->apply_step(x, y, rec, k);
        mpfr_div(e, x, sp, MPFR_RNDN);
        mpfr_sub_ui(e, e, 1, MPFR_RNDN);
        mpfr_abs(e, e, MPFR_RNDN);
        cv->err[SPOW_INSPECT_EXACT][at] = mpfr_nan_p(e) ? INFINITY : mpfr_get_d(e, MPFR_RNDN);
        cv->out[SPOW_INSPECT_EXACT][at] = mpfr_get_d(x, MPFR_RNDN);
        if (!mpfr_number_p(x) || !mpfr_number_p(y) || mpfr_cmp_d(x, cv->threshold) > 0 ||
            mpfr_cmp_d(x, -cv->threshold) < 0 || mpfr_cmp_d(y, cv->threshold) > 0 ||
            mpfr_cmp_d(y, -cv->threshold) < 0)
            gone[SPOW_INSPECT_EXACT] = 1;

        double v64 = fabs(out64[k] / spd - 1.0);
        cv->err[SPOW_INSPECT_F64][at] = isnan(v64) ? INFINITY : v64;
        cv->out[SPOW_INSPECT_F64][at] = out64[k];
        if (too_big(out64[k], cv->threshold) || too_big(aux64[k], cv->threshold))
            gone[SPOW_INSPECT_F64] = 1;

        double v32 = fabs((double)out32[k] / spd - 1.0);
        cv->err[SPOW_INSPECT_F32][at] = isnan(v32) ? INFINITY : v32;
        cv->out[SPOW_INSPECT_F32][at] = (double)out32[k];
        if (too_big((double)out32[k], cv->threshold) || too_big((double)aux32[k], cv->threshold))
            gone[SPOW_INSPECT_F32] = 1;

        for (int a = 0; a < SPOW_INSPECT_NARITH; a++)
            cv->div[a][at] = (unsigned char)gone[a];
    }
}

/* Max of the double/float error over a dense sample of [lo, hi]. */
static void dense_max(double *max_in, double *argmax_in, const spow_inspect_eval_plan *plan,
                      const spow_recurrence *rec, int samples, double lo, double hi, int f32)
{
    const int K = rec->steps;
    mpfr_t tmp;
    mpfr_init2(tmp, 64);
    for (int k = 0; k < K; k++) {
        max_in[k] = 0;
        argmax_in[k] = lo;
    }
    for (int i = 0; i < samples; i++) {
        const double s = log_point(lo, hi, i, samples);
        const double sp = pow_p(s, rec->p_num, rec->p_den, tmp);
        double out[SPOW_GEN_MAX_STEPS], aux[SPOW_GEN_MAX_STEPS];
        if (f32) {
            float o[SPOW_GEN_MAX_STEPS], a[SPOW_GEN_MAX_STEPS];
            spow_inspect_eval_f32(o, a, plan, (float)s);
            for (int k = 0; k < K; k++)
                out[k] = (double)o[k];
        } else {
            spow_inspect_eval_f64(out, aux, plan, s);
        }
        for (int k = 0; k < K; k++) {
            double e = fabs(out[k] / sp - 1.0);
            if (isnan(e))
                e = INFINITY;
            if (e > max_in[k]) {
                max_in[k] = e;
                argmax_in[k] = s;
            }
        }
    }
    mpfr_clear(tmp);
}

static int summary_alloc(spow_inspect_arith_summary *sm, int K)
{
    size_t n = (size_t)(K > 0 ? K : 1);
    sm->max_in = calloc(n, sizeof(double));
    sm->argmax_in = calloc(n, sizeof(double));
    sm->max_finite = calloc(n, sizeof(double));
    sm->max_below = calloc(n, sizeof(double));
    sm->max_above = calloc(n, sizeof(double));
    return (sm->max_in && sm->argmax_in && sm->max_finite && sm->max_below && sm->max_above)
               ? 0 : SPOW_GEN_ENOMEM;
}

static void summary_free(spow_inspect_arith_summary *sm)
{
    free(sm->max_in);
    free(sm->argmax_in);
    free(sm->max_finite);
    free(sm->max_below);
    free(sm->max_above);
    memset(sm, 0, sizeof *sm);
}

/* Grid maxima where the state stayed bounded, and the divergence summary. */
static void summarise_grid(spow_inspect_curves *cv, int a)
{
    spow_inspect_arith_summary *sm = &cv->sum[a];
    const int n = cv->n, K = cv->steps;
    for (int k = 0; k < K; k++) {
        sm->max_finite[k] = 0;
        sm->max_below[k] = NAN;
        sm->max_above[k] = NAN;
        for (int i = 0; i < n; i++) {
            const size_t at = (size_t)k * (size_t)n + (size_t)i;
            if (cv->div[a][at])
                continue;
            const double e = cv->err[a][at], s = cv->s[i];
            if (e > sm->max_finite[k])
                sm->max_finite[k] = e;
            if (s < cv->lo && !(e <= sm->max_below[k]))
                sm->max_below[k] = e;
            if (s > cv->hi && !(e <= sm->max_above[k]))
                sm->max_above[k] = e;
        }
    }
    sm->diverges = 0;
    sm->ndiv = 0;
    sm->ndiv_in = 0;
    sm->first_s = NAN;
    sm->first_s_in = NAN;
    sm->first_step = 0;
    if (K == 0)
        return;
    for (int i = 0; i < n; i++) {
        if (!cv->div[a][(size_t)(K - 1) * (size_t)n + (size_t)i])
            continue;
        sm->ndiv++;
        if (cv->s[i] >= cv->lo && cv->s[i] <= cv->hi && sm->ndiv_in++ == 0)
            sm->first_s_in = cv->s[i];
        if (!sm->diverges) {
            sm->diverges = 1;
            sm->first_s = cv->s[i];
            for (int k = 0; k < K; k++)
                if (cv->div[a][(size_t)k * (size_t)n + (size_t)i]) {
                    sm->first_step = k + 1;
                    break;
                }
        }
    }
}

void spow_inspect_curves_clear(spow_inspect_curves *cv)
{
    free(cv->s);
    for (int a = 0; a < SPOW_INSPECT_NARITH; a++) {
        free(cv->err[a]);
        free(cv->out[a]);
        free(cv->div[a]);
        summary_free(&cv->sum[a]);
    }
    memset(cv, 0, sizeof *cv);
}

int spow_inspect_curves_compute(spow_inspect_curves *cv, const spow_recurrence *rec,
                                const spow_inspect_curve_params *par)
{
    memset(cv, 0, sizeof *cv);
    const int n = par->n, K = rec->steps;
    if (n < 2 || K < 1 || K > SPOW_GEN_MAX_STEPS || !(par->s_min > 0) ||
        !(par->s_max > par->s_min) || par->samples < 2)
        return SPOW_GEN_EARG;
    spow_inspect_eval_plan plan;
    int rc = spow_inspect_eval_plan_init(&plan, rec);
    if (rc)
        return rc;
    cv->n = n;
    cv->steps = K;
    cv->lo = mpfr_get_d(rec->lo, MPFR_RNDN);
    cv->hi = mpfr_get_d(rec->hi, MPFR_RNDN);
    cv->threshold = par->threshold;
    cv->exact_samples = par->samples;
    cv->cert_now = NAN;
    const size_t cells = (size_t)K * (size_t)n;
    cv->s = malloc((size_t)n * sizeof *cv->s);
    rc = cv->s ? 0 : SPOW_GEN_ENOMEM;
    for (int a = 0; a < SPOW_INSPECT_NARITH && rc == 0; a++) {
        cv->err[a] = malloc(cells * sizeof(double));
        cv->out[a] = malloc(cells * sizeof(double));
        cv->div[a] = calloc(cells, 1);
        if (!cv->err[a] || !cv->out[a] || !cv->div[a] || summary_alloc(&cv->sum[a], K))
            rc = SPOW_GEN_ENOMEM;
    }
    if (rc) {
        spow_inspect_eval_plan_clear(&plan);
        spow_inspect_curves_clear(cv);
        return rc;
    }

    mpfr_t x, y, sp, e, arg;
    mpfr_inits2(rec->prec, x, y, sp, e, arg, (mpfr_ptr)0);
    for (int i = 0; i < n; i++) {
        cv->s[i] = log_point(par->s_min, par->s_max, i, n);
        run_point(cv, i, rec, &plan, x, y, sp, e);
    }
    for (int a = 0; a < SPOW_INSPECT_NARITH; a++)
        summarise_grid(cv, a);

    /* maxima on [lo, hi]: exact refined, double and float dense */
    for (int k = 0; k < K; k++) {
        spow_certify_sample_k(e, arg, rec, k + 1, par->samples);
        cv->sum[SPOW_INSPECT_EXACT].max_in[k] = mpfr_get_d(e, MPFR_RNDU);
        cv->sum[SPOW_INSPECT_EXACT].argmax_in[k] = mpfr_get_d(arg, MPFR_RNDN);
    }
    dense_max(cv->sum[SPOW_INSPECT_F64].max_in, cv->sum[SPOW_INSPECT_F64].argmax_in, &plan, rec,
              par->samples,
              cv->lo, cv->hi, 0);
    dense_max(cv->sum[SPOW_INSPECT_F32].max_in, cv->sum[SPOW_INSPECT_F32].argmax_in, &plan, rec,
              par->samples,
              cv->lo, cv->hi, 1);

    /* the family's own certificate of these coefficients, when it has one */
    if (rec->family->certify != NULL) {
        spow_recurrence copy;
        spow_recurrence_round(&copy, rec, rec->prec);   /* an exact copy: rec is const */
        if (rec->family->certify(&copy) == 0)
            cv->cert_now = mpfr_get_d(copy.max_rel_err, MPFR_RNDU);
        spow_recurrence_clear(&copy);
    }
    mpfr_clears(x, y, sp, e, arg, (mpfr_ptr)0);
    spow_inspect_eval_plan_clear(&plan);
    return 0;
}
