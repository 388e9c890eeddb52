/* pipeline.c -- spow-gen's work as one call: the optional degree search, the
 * fit with precision escalation, the three certificates of the coefficients
 * as a user may copy them (blocks rounded to double and to float, monomials
 * in t rounded to double), and the independent dense sample that must never
 * exceed the certificate. */
#include <string.h>
#include "spow_gen.h"

/* The sample may touch the certificate at the equioscillation points; it may
 * not exceed it by more than the rounding of the working precision. */
static int sample_exceeds(const mpfr_t sampled, const mpfr_t cert, mpfr_prec_t prec)
{
    mpfr_t bound;
    mpfr_init2(bound, prec);
    mpfr_mul_2si(bound, cert, -40, MPFR_RNDU);    /* the sample carries >= 64 guard bits */
    mpfr_add(bound, bound, cert, MPFR_RNDU);
    int over = mpfr_cmp(sampled, bound) > 0;
    mpfr_clear(bound);
    return over;
}

void spow_gen_result_clear(spow_gen_result *res)
{
    if (!res->have)
        return;
    spow_recurrence_clear(&res->rec_mono);
    spow_recurrence_clear(&res->rec_f32);
    spow_recurrence_clear(&res->rec_f64);
    spow_recurrence_clear(&res->rec);
    res->have = 0;
}

int spow_gen_table(spow_gen_result *res, const spow_gen_params *par, mpfr_prec_t prec)
{
    const spow_family *fam = par->family;
    res->have = 0;
    if (fam == NULL || par->samples < 2 || prec < SPOW_GEN_MIN_PREC || prec > SPOW_GEN_MAX_PREC)
        return SPOW_GEN_EARG;
    if (par->auto_degree && fam->search_schedule == NULL)
        return SPOW_GEN_EARG;
    spow_fit_params fp = par->fit;      /* shares the caller's mpfr values, read only */
    int degrees[SPOW_GEN_MAX_STEPS];
    int rc = 0;
    if (par->auto_degree) {
        /* 128 bits decide any target above 1e-30; the chosen schedule is then
         * fitted and certified at the full working precision */
        int ndeg = 0;
        rc = fam->search_schedule(degrees, &ndeg, &fp, prec < 128 ? prec : 128);
        if (rc)
            return rc;
        if (ndeg == 0)
            degrees[ndeg++] = 2;    /* p = 1: no step will be fitted */
        fp.degrees = degrees;
        fp.nsteps = ndeg;
        fp.ndegrees = ndeg;
    }
    rc = spow_fit(&res->rec, fam, &fp, prec, &res->prec);
    if (rc)
        return rc;
    spow_recurrence_round(&res->rec_f64, &res->rec, 53);
    spow_recurrence_round(&res->rec_f32, &res->rec, 24);
    spow_recurrence_round_mono(&res->rec_mono, &res->rec, 53);
    res->have = 1;
    /* a certificate that could not be computed (allocation) is no table */
    if ((rc = fam->certify(&res->rec_f64)) != 0 || (rc = fam->certify(&res->rec_f32)) != 0 ||
        (rc = fam->certify(&res->rec_mono)) != 0)
        return rc;
    /* The sample needs the certificate's magnitude plus guard bits, not the
     * escalated working precision (which resolves the exact coefficients'
     * far smaller error): 64 bits beyond -log2(certificate), at least 128. */
    spow_recurrence *r64 = &res->rec_f64;
    long sample_prec = 128;
    if (mpfr_regular_p(r64->max_rel_err) && 64 - mpfr_get_exp(r64->max_rel_err) > sample_prec)
        sample_prec = 64 - mpfr_get_exp(r64->max_rel_err);
    if (sample_prec > (long)res->prec)
        sample_prec = (long)res->prec;
    mpfr_t argmax, sampled;
    mpfr_inits2((mpfr_prec_t)sample_prec, argmax, sampled, (mpfr_ptr)0);
    spow_certify_sample(sampled, argmax, r64, par->samples);
    mpfr_set(r64->sampled_err, sampled, MPFR_RNDN);
    mpfr_clears(argmax, sampled, (mpfr_ptr)0);

    if (!mpfr_number_p(r64->max_rel_err))
        return SPOW_GEN_EDOMAIN;
    if (sample_exceeds(r64->sampled_err, r64->max_rel_err, res->prec))
        return SPOW_GEN_ESAMPLE;    /* cannot happen if the certificate is right */
    return 0;
}

void spow_gen_result_report(spow_report *rep, const spow_gen_result *res, const char *command,
                            const char *name)
{
    rep->rec = &res->rec;
    rep->rec_f64 = &res->rec_f64;
    rep->rec_f32 = &res->rec_f32;
    rep->rec_mono = &res->rec_mono;
    rep->command = command;
    rep->name = name;
    rep->prec = res->prec;
}
