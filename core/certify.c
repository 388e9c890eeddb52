/* certify.c -- the error of a recurrence sampled the direct way: run the scalar
 * recurrence on (x, y) for many s and compare x with s^p.
 *
 * This is independent of a family's own certificate (the coupled family
 * propagates exact intervals), so the two check each other: the sample may
 * never exceed the certificate.
 */
#include "spow_gen.h"

void spow_certify_rel_err(mpfr_t err, const spow_recurrence *rec, const mpfr_t s, int ksteps)
{
    mpfr_prec_t prec = mpfr_get_prec(err);
    mpfr_t x, y, sp;
    mpfr_inits2(prec, x, y, sp, (mpfr_ptr)0);
    mpfr_set(x, s, MPFR_RNDN);
    mpfr_set(y, s, MPFR_RNDN);
    for (int k = 0; k < ksteps; k++)
        rec->family->apply_step(x, y, rec, k);
    /* s^p = (s^m)^(1/n), exact up to the working precision for any rational p */
    mpfr_pow_si(sp, s, rec->p_num, MPFR_RNDN);
    mpfr_rootn_ui(sp, sp, (unsigned long)rec->p_den, MPFR_RNDN);
    mpfr_div(err, x, sp, MPFR_RNDN);
    mpfr_sub_ui(err, err, 1, MPFR_RNDN);
    mpfr_abs(err, err, MPFR_RNDN);
    if (mpfr_nan_p(err))
        mpfr_set_inf(err, 1);
    mpfr_clears(x, y, sp, (mpfr_ptr)0);
}

/* s = lo (hi/lo)^v for v in [0, 1] */
static void s_at(mpfr_t s, const spow_recurrence *rec, const mpfr_t v)
{
    mpfr_t r;
    mpfr_init2(r, mpfr_get_prec(s));
    mpfr_div(r, rec->hi, rec->lo, MPFR_RNDN);
    mpfr_pow(r, r, v, MPFR_RNDN);
    mpfr_mul(s, rec->lo, r, MPFR_RNDN);
    mpfr_clear(r);
}

static void err_at_v(mpfr_t e, const spow_recurrence *rec, int ksteps, const mpfr_t v)
{
    mpfr_t s;
    mpfr_init2(s, mpfr_get_prec(e));
    s_at(s, rec, v);
    spow_certify_rel_err(e, rec, s, ksteps);
    mpfr_clear(s);
}

/* Golden-section search for the maximum of err on [a, b] (log coordinate v). */
static void refine_max(mpfr_t best, mpfr_t vbest, const spow_recurrence *rec, int ksteps,
                       const mpfr_t a0, const mpfr_t b0)
{
    mpfr_prec_t prec = mpfr_get_prec(best);
    mpfr_t a, b, c, d, fc, fd, r;
    mpfr_inits2(prec, a, b, c, d, fc, fd, r, (mpfr_ptr)0);
    mpfr_set(a, a0, MPFR_RNDN);
    mpfr_set(b, b0, MPFR_RNDN);
    mpfr_sqrt_ui(r, 5, MPFR_RNDN);                   /* r = (sqrt 5 - 1) / 2 */
    mpfr_sub_ui(r, r, 1, MPFR_RNDN);
    mpfr_div_2ui(r, r, 1, MPFR_RNDN);
#define SPLIT(dst, from, to, frac)                     \
    do {                                               \
        mpfr_sub(dst, to, from, MPFR_RNDN);            \
        mpfr_mul(dst, dst, frac, MPFR_RNDN);           \
        mpfr_add(dst, from, dst, MPFR_RNDN);           \
    } while (0)
    SPLIT(c, b, a, r);
    SPLIT(d, a, b, r);
    err_at_v(fc, rec, ksteps, c);
    err_at_v(fd, rec, ksteps, d);
    /* 60 shrinks by 0.618 leave the bracket ~1e-13 of a grid cell: the value,
     * flat at a maximum, is then exact to far more digits than it is printed */
    for (int it = 0; it < 60; it++) {
        if (mpfr_cmp(fc, fd) >= 0) {
            mpfr_swap(b, d);
            mpfr_swap(d, c);
            mpfr_swap(fd, fc);
            SPLIT(c, b, a, r);
            err_at_v(fc, rec, ksteps, c);
        } else {
            mpfr_swap(a, c);
            mpfr_swap(c, d);
            mpfr_swap(fc, fd);
            SPLIT(d, a, b, r);
            err_at_v(fd, rec, ksteps, d);
        }
    }
#undef SPLIT
    if (mpfr_cmp(fc, fd) >= 0) {
        mpfr_set(best, fc, MPFR_RNDN);
        mpfr_set(vbest, c, MPFR_RNDN);
    } else {
        mpfr_set(best, fd, MPFR_RNDN);
        mpfr_set(vbest, d, MPFR_RNDN);
    }
    mpfr_clears(a, b, c, d, fc, fd, r, (mpfr_ptr)0);
}

void spow_certify_sample(mpfr_t max_err, mpfr_t argmax, const spow_recurrence *rec, int npts)
{
    spow_certify_sample_k(max_err, argmax, rec, rec->steps, npts);
}

void spow_certify_sample_k(mpfr_t max_err, mpfr_t argmax, const spow_recurrence *rec, int ksteps,
                           int npts)
{
    mpfr_prec_t prec = mpfr_get_prec(max_err);
    mpfr_t *v = spow_vec_init(npts, prec);
    mpfr_t *e = spow_vec_init(npts, prec);
    mpfr_t best, vbest;
    mpfr_inits2(prec, best, vbest, (mpfr_ptr)0);

    for (int i = 0; i < npts; i++) {
        mpfr_set_ui(v[i], (unsigned long)i, MPFR_RNDN);
        mpfr_div_ui(v[i], v[i], (unsigned long)(npts - 1), MPFR_RNDN);
        err_at_v(e[i], rec, ksteps, v[i]);
    }
    mpfr_set_zero(max_err, 1);
    mpfr_set_zero(vbest, 1);
    for (int i = 0; i < npts; i++) {
        int left_ok = i == 0 || mpfr_cmp(e[i], e[i - 1]) >= 0;
        int right_ok = i == npts - 1 || mpfr_cmp(e[i], e[i + 1]) >= 0;
        if (!left_ok || !right_ok)
            continue;
        mpfr_set(best, e[i], MPFR_RNDN);
        mpfr_set(vbest, v[i], MPFR_RNDN);
        if (i > 0 && i < npts - 1) {
            refine_max(best, vbest, rec, ksteps, v[i - 1], v[i + 1]);
            if (mpfr_cmp(best, e[i]) < 0) {     /* keep the grid point if it was better */
                mpfr_set(best, e[i], MPFR_RNDN);
                mpfr_set(vbest, v[i], MPFR_RNDN);
            }
        }
        if (mpfr_cmp(best, max_err) > 0) {
            mpfr_set(max_err, best, MPFR_RNDN);
            s_at(argmax, rec, vbest);
        }
    }
    mpfr_clears(best, vbest, (mpfr_ptr)0);
    spow_vec_clear(e, npts);
    spow_vec_clear(v, npts);
}
