/* emit_text.c -- a human-readable summary: one line per step, then the
 * certificates of every form of the coefficients. */
#include "spow_gen.h"

int spow_emit_text(FILE *f, const spow_report *rep)
{
    const spow_recurrence *r = rep->rec_f64;
    fprintf(f, "%s: p = %ld/%ld, family %s, s in [%g, %g], %d steps, %d GEMMs\n", rep->name,
            r->p_num, r->p_den, r->family->name, mpfr_get_d(r->lo, MPFR_RNDN),
            mpfr_get_d(r->hi, MPFR_RNDN), r->steps, spow_report_gemms(r));
    fprintf(f, "%4s %6s %6s %12s %24s %24s\n", "step", "degree", "gemms", "max_rel_err", "y_lo",
            "y_hi");
    for (int k = 0; k < r->steps; k++) {
        const spow_step_mp *st = &r->step[k];
        mpfr_fprintf(f, "%4d %6d %6d %12.3RUe", k + 1, st->degree, st->gemms, st->err);
        fprintf(f, " %24.17g %24.17g\n", mpfr_get_d(st->y_lo, MPFR_RNDN),
                mpfr_get_d(st->y_hi, MPFR_RNDN));
    }
    for (int k = 0; k < r->steps; k++) {
        const spow_step_mp *st = &r->step[k];
        if (st->scheme == SPOW_SCHEME_SASTRE)
            fprintf(f, "step %d: g by Sastre's form in %d products, shift %g, sign %+d "
                       "(the double certificate covers the form's doubles)\n",
                    k + 1, spow_sastre_products(st->degree), st->form_shift, st->form_sign);
        else if (st->scheme == SPOW_SCHEME_NESTED)
            fprintf(f, "step %d: g by the nested form in %d products, sign %+d (fitted inside "
                       "the form; the double certificate covers its doubles)\n",
                    k + 1, SPOW_NESTED_PRODUCTS, st->form_sign);
    }
    mpfr_fprintf(f, "certified max |x/s^p - 1|: %.3RUe (double blocks), %.3RUe (double "
                    "monomials), %.3RUe (exact), %.3RUe (float blocks)\n",
                 r->max_rel_err, rep->rec_mono->max_rel_err, rep->rec->max_rel_err,
                 rep->rec_f32->max_rel_err);
    fprintf(f, "independent dense sample: %.3e; working precision %ld bits\n",
            mpfr_get_d(r->sampled_err, MPFR_RNDU), (long)rep->prec);
    return ferror(f) ? SPOW_GEN_EIO : 0;
}
