/* fixedpoint.c -- the fixed-point family: the Muon^p paper's recurrence
 * form with one constant per step, fitted by spow-gen.
 *
 * For p = a/b with a and b odd, X stays the normalized G and Y iterates
 * towards the fixed point Y^b = X^a:
 *
 *     Y <- Y - c_k (Y^b - X^a),   Y^b = Y (Y^T Y)^((b-1)/2),
 *
 * which is Y g_k(A) + c_k X^a with A = Y^T Y and g_k(t) = 1 - c_k t^((b-1)/2):
 * a polynomial in the Gram matrix, like the coupled family's g, which is
 * how the tables store it (so every reader of tables already evaluates it)
 * plus the constant.  Per singular value s, in the family interface's names
 * (x the output, y the other state): x_0 = y = s, x <- x g_k(x^2) + c_k s^a.
 *
 * Unlike the coupled family, the state after a step is not an interval but
 * a function of s, so neither the fit nor the certificate reduce to one
 * interval: the constants are fitted on a grid (fixedpoint_fit.c) and the
 * error is certified by interval arithmetic (fixedpoint_certify.c).
 *
 * Cost: per step the Gram product, g's Paterson-Stockmeyer products (none
 * for b = 3) and Y g(A); X^a (a > 1: X^T X, its power, one product) once,
 * charged to the first step.  p = 1/3: 2 GEMMs per step.
 *
 * p = 1/2's released form, with two constants per step and no polynomial
 * structure of this kind, is evaluated by spow-inspect's fixedpoint family
 * but not fitted here.
 */
#include <stdio.h>
#include "spow_gen.h"
#include "fixedpoint.h"

const char *spow_fixedpoint_unsupported(long m, long n)
{
    if (m <= 0 || m >= n || !(m & 1) || !(n & 1))
        return "family fixed-point fits p = a/b with a and b odd and 0 < a < b "
               "(Y^b = X^a needs odd powers to stay a product of G's factors)";
    if ((n - 1) / 2 > SPOW_GEN_MAX_DEGREE)
        return "family fixed-point: b - 1 must be at most twice the largest degree of g";
    return NULL;
}

static void fixedpoint_powers(long *y_power, long *x_power, long m, long n)
{
    *y_power = n;
    *x_power = m;
}

void spow_fixedpoint_push_steps(spow_recurrence *rec, mpfr_t *const c, int K)
{
    const long a = rec->p_num, b = rec->p_den;
    const int d = (int)(b - 1) / 2;
    const mpfr_prec_t prec = rec->prec;
    mpfr_t *mono = spow_vec_init(d + 1, prec);
    for (int k = 0; k < K; k++) {
        spow_step_mp *st = spow_recurrence_push(rec, d);
        /* the basis of t itself: 1 - c t^d is then exact in every rounding */
        mpfr_set_si(st->t_lo, -1, MPFR_RNDN);
        mpfr_set_ui(st->t_hi, 1, MPFR_RNDN);
        mpfr_set_ui(st->alpha, 1, MPFR_RNDN);
        mpfr_set_zero(st->beta, 1);
        for (int i = 0; i <= d; i++)
            mpfr_set_zero(mono[i], 1);
        mpfr_set_ui(mono[0], 1, MPFR_RNDN);
        mpfr_neg(mono[d], c[k], MPFR_RNDN);
        spow_step_set_mono_t(st, mono, prec);
        spow_step_alloc_consts(st, 1, prec);
        mpfr_set(st->cst[0], c[k], MPFR_RNDN);
        st->gemms = spow_fixedpoint_step_gemms(st, k, a);
    }
    spow_vec_clear(mono, d + 1);
}

int spow_fixedpoint_step_gemms(const spow_step_mp *st, int k, long a)
{
    int gemms = 1 + (st->baby - 1) + (st->blocks - 1) + 1;
    if (k == 0 && a > 1)
        gemms += 1 + spow_cost_powers((int)(a - 1) / 2, 0) + 1;
    return gemms;
}

static int fixedpoint_fit(spow_recurrence *rec, const spow_fit_params *par)
{
    const int K = par->nsteps;
    if (K < 1 || K > SPOW_GEN_MAX_STEPS || spow_fixedpoint_unsupported(par->p_num, par->p_den))
        return SPOW_GEN_EARG;
    mpfr_t lo, hi;
    mpfr_inits2(rec->prec, lo, hi, (mpfr_ptr)0);
    spow_fit_first_interval(lo, hi, par, rec->prec);
    double c[SPOW_GEN_MAX_STEPS];
    int rc = spow_fixedpoint_fit_constants(c, K, par->p_num, par->p_den, lo, hi, par->greedy,
                                           par->fit_starts);
    mpfr_clears(lo, hi, (mpfr_ptr)0);
    if (rc)
        return rc;
    mpfr_t *cm = spow_vec_init(K, rec->prec);
    for (int k = 0; k < K; k++)
        mpfr_set_d(cm[k], c[k], MPFR_RNDN);
    spow_fixedpoint_push_steps(rec, cm, K);
    spow_vec_clear(cm, K);
    return spow_fixedpoint_certify(rec);
}

/* x <- x g(x^2) + c s^a, with g from the stored blocks as the runtime
 * evaluates it. */
static void fixedpoint_apply_step(mpfr_t x, mpfr_t y, const spow_recurrence *rec, int k)
{
    const spow_step_mp *st = &rec->step[k];
    mpfr_t g, xa;
    mpfr_inits2(mpfr_get_prec(x), g, xa, (mpfr_ptr)0);
    mpfr_sqr(g, x, MPFR_RNDN);
    spow_step_eval_g(g, st, g);
    mpfr_pow_ui(xa, y, (unsigned long)rec->p_num, MPFR_RNDN);
    mpfr_mul(xa, xa, st->cst[0], MPFR_RNDN);
    mpfr_fma(x, x, g, xa, MPFR_RNDN);
    mpfr_clears(g, xa, (mpfr_ptr)0);
}

const spow_family spow_family_fixedpoint = {
    .name = "fixed-point",
    .summary = "Muon^p's form, per-step constants: Y <- Y - c_k (Y^b - X^a), p = a/b, a and b odd",
    .fit = fixedpoint_fit,
    .certify = spow_fixedpoint_certify,
    .apply_step = fixedpoint_apply_step,
    .powers = fixedpoint_powers,
    .unsupported = spow_fixedpoint_unsupported,
    .joint = 1,
};
