/* fit.c -- fit with precision escalation (Ziv): refit at a higher working
 * precision until the emitted (double) coefficients no longer change. */
#include "spow_gen.h"

static int fit_at(spow_recurrence *rec, const spow_family *fam, const spow_fit_params *par,
                  mpfr_prec_t prec)
{
    spow_recurrence_init(rec, fam, par->p_num, par->p_den, par->lo, par->hi, prec);
    int rc = fam->fit(rec, par);
    if (rc)
        spow_recurrence_clear(rec);
    return rc;
}

static int needs_more_precision(int rc)
{
    return rc == SPOW_GEN_ECONVERGE || rc == SPOW_GEN_ESTEPS;
}

int spow_fit(spow_recurrence *rec, const spow_family *fam, const spow_fit_params *par,
             mpfr_prec_t prec, mpfr_prec_t *used_prec)
{
    spow_recurrence prev;
    int rc;
    if (fam->fit == NULL)
        return SPOW_GEN_ENOFIT;
    /* A joint family fits its constants in double: a higher working
     * precision cannot change them, so there is nothing to escalate. */
    if (fam->joint) {
        rc = fit_at(rec, fam, par, prec);
        if (rc == 0)
            *used_prec = prec;
        return rc;
    }
    /* A Remez solve fails, or the family refuses another step, when the error
     * level is below what prec resolves (late steps, high degrees): that too
     * is a call for more precision. */
    /* at most 4x the requested precision: a request that needs more (many
     * steps of high degree) is refused quickly with advice, not after an
     * hour of 8192-bit fits */
    const mpfr_prec_t cap = 4 * prec < SPOW_GEN_MAX_PREC ? 4 * prec : SPOW_GEN_MAX_PREC;
    while (needs_more_precision(rc = fit_at(&prev, fam, par, prec)) && 2 * prec <= cap)
        prec *= 2;
    if (rc)
        return rc;
    for (;;) {
        mpfr_prec_t next = prec + prec / 2;
        if (next > SPOW_GEN_MAX_PREC) {
            spow_recurrence_clear(&prev);
            return SPOW_GEN_EPREC;
        }
        rc = fit_at(rec, fam, par, next);
        if (needs_more_precision(rc)) {
            /* resolved at prec but not at next: an edge case of the escalation;
             * refuse rather than compare against a fit that failed */
            spow_recurrence_clear(&prev);
            return rc;
        }
        if (rc) {
            spow_recurrence_clear(&prev);
            return rc;
        }
        int same = spow_recurrence_same_f64(&prev, rec);
        spow_recurrence_clear(&prev);
        if (same) {
            *used_prec = next;
            return 0;
        }
        prev = *rec;
        prec = next;
    }
}
