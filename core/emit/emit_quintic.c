/* emit_quintic.c -- a p = 0 table of degree 2 as per-step quintic triples.
 *
 * For p = 0 the coupled step is x <- x g(x^2) with g(t) = a + b t + c t^2,
 * i.e. x <- a x + b x^3 + c x^5: the form of Newton-Schulz iterations in
 * existing Muon code, which takes one (a, b, c) per step.  The triples are
 * the monomial coefficients rounded to double, whose certificate is
 * max_rel_err_mono_f64 of the JSON output.  Lines starting with '#' carry
 * the provenance; the rest is a list literal that Python, JSON and numpy
 * read as an (steps, 3) array.
 */
#include "spow_gen.h"

int spow_emit_quintic_fits(const spow_recurrence *r)
{
    if (r->p_num != 0)
        return 0;
    for (int k = 0; k < r->steps; k++)
        if (r->step[k].degree != 2)
            return 0;
    return 1;
}

int spow_emit_quintic(FILE *f, const spow_report *rep)
{
    const spow_recurrence *r = rep->rec_mono;
    if (!spow_emit_quintic_fits(r))
        return SPOW_GEN_EFORMAT;
    fprintf(f, "# %s\n", rep->command);
    mpfr_fprintf(f, "# %s: x <- a x + b x^3 + c x^5 per step; certified max |x - 1| = %.6RUe\n",
                 rep->name, r->max_rel_err);
    mpfr_fprintf(f, "# for singular values in [%.17Rg, %.17Rg] after scaling (double coefficients)\n",
                 r->lo, r->hi);
    fputc('[', f);
    for (int k = 0; k < r->steps; k++) {
        mpfr_t *a = spow_vec_init(3, r->prec);
        spow_step_mono_t(a, &r->step[k], r->prec);
        fprintf(f, "%s[%.17g, %.17g, %.17g]", k ? ",\n " : "", mpfr_get_d(a[0], MPFR_RNDN),
                mpfr_get_d(a[1], MPFR_RNDN), mpfr_get_d(a[2], MPFR_RNDN));
        spow_vec_clear(a, 3);
    }
    fputs("]\n", f);
    return ferror(f) ? SPOW_GEN_EIO : 0;
}
