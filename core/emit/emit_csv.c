/* emit_csv.c -- one row per step: certificate, y range and g in monomials of t. */
#include "spow_gen.h"

int spow_emit_csv(FILE *f, const spow_report *rep)
{
    const spow_recurrence *r = rep->rec_f64;
    int maxd = 0;
    for (int k = 0; k < r->steps; k++)
        if (r->step[k].degree > maxd)
            maxd = r->step[k].degree;
    fputs("step,degree,gemms,max_rel_err,y_lo,y_hi,t_lo,t_hi", f);
    for (int i = 0; i <= maxd; i++)
        fprintf(f, ",c%d", i);
    fputc('\n', f);
    for (int k = 0; k < r->steps; k++) {
        const spow_step_mp *st = &r->step[k];
        mpfr_t *a = spow_vec_init(st->degree + 1, r->prec);
        spow_step_mono_t(a, st, r->prec);
        mpfr_fprintf(f, "%d,%d,%d,%.6RUe", k + 1, st->degree, st->gemms, st->err);
        fprintf(f, ",%.17g,%.17g,%.17g,%.17g", mpfr_get_d(st->y_lo, MPFR_RNDN),
                mpfr_get_d(st->y_hi, MPFR_RNDN), mpfr_get_d(st->t_lo, MPFR_RNDN),
                mpfr_get_d(st->t_hi, MPFR_RNDN));
        for (int i = 0; i <= maxd; i++) {
            if (i <= st->degree)
                fprintf(f, ",%.17g", mpfr_get_d(a[i], MPFR_RNDN));
            else
                fputc(',', f);
        }
        fputc('\n', f);
        spow_vec_clear(a, st->degree + 1);
    }
    return ferror(f) ? SPOW_GEN_EIO : 0;
}
