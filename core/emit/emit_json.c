/* emit_json.c -- the table as one JSON object, for PyTorch, JAX and friends.
 *
 * Keys p_num, p_den, lo, hi, family, degree, steps, coefficients (monomials of
 * t = y^2, ascending, one array per step), max_rel_err, step_errors and gemms
 * are a contract; the rest adds the evaluation data the C runtime uses.
 * max_rel_err certifies both double forms: the monomials in "coefficients"
 * and the Paterson-Stockmeyer blocks in "evaluation" (each also on its own).
 * A fixed-point table (family "fixed-point") adds "constants", each step's
 * c (its g is 1 - c t^d, so c is also minus the last coefficient); its
 * y_power and x_power are b and a of p = a/b, and its "y_intervals" enclose
 * y_k / s^p.  A step evaluated by Sastre's form (--scheme sastre) adds "scheme": "sastre",
 * "k", "sign", "shift" and "form" (sastre.h) to its "evaluation" entry; its
 * blocks, cheb and coefficients hold the polynomial the form defines.  A
 * degree-16 step by the nested form (--scheme nested) adds "scheme":
 * "nested", "sign", "shift" and "form" (17 entries, nested.h), no "k".
 * Numbers are printed with 17 significant digits, so every double round-trips.
 */
#include "spow_gen.h"

static void put_num(FILE *f, const mpfr_t x)
{
    fprintf(f, "%.17g", mpfr_get_d(x, MPFR_RNDN));
}

static void put_err(FILE *f, const mpfr_t x)
{
    if (mpfr_inf_p(x))
        fputs("1e999", f);      /* JSON has no infinity; parsers read this as one */
    else
        mpfr_fprintf(f, "%.6RUe", x);   /* rounded up: a printed bound stays a bound */
}

static void put_num_member(FILE *f, const char *key, const mpfr_t x)
{
    fprintf(f, ", \"%s\": ", key);
    put_num(f, x);
}

static void put_vec(FILE *f, mpfr_t *v, int n)
{
    fputc('[', f);
    for (int i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        put_num(f, v[i]);
    }
    fputc(']', f);
}

int spow_emit_json(FILE *f, const spow_report *rep)
{
    const spow_recurrence *r = rep->rec_f64;
    const mpfr_prec_t prec = r->prec;
    const int K = r->steps;

    fputs("{\n  \"format\": \"spow-table\",\n  \"version\": 1,\n  \"name\": ", f);
    spow_json_put_string(f, rep->name);
    fputs(",\n  \"command\": ", f);
    spow_json_put_string(f, rep->command);
    spow_json_put_problem(f, r->family->name, r->p_num, r->p_den, mpfr_get_d(r->lo, MPFR_RNDN),
                          mpfr_get_d(r->hi, MPFR_RNDN));
    long y_power, x_power;
    spow_family_powers(&y_power, &x_power, r);
    fprintf(f, ",\n  \"y_power\": %ld,\n  \"x_power\": %ld,\n  \"steps\": %d,\n  \"degree\": [",
            y_power, x_power, K);
    for (int k = 0; k < K; k++)
        fprintf(f, "%s%d", k ? ", " : "", r->step[k].degree);
    fputs("],\n  \"coefficients\": [", f);
    for (int k = 0; k < K; k++) {
        /* The monomials max_rel_err certifies: those of rec_mono (the exact
         * ones rounded to double), not those of the rounded blocks, which
         * differ by up to 1e-5 near t = 1 for degrees 12 and 16. */
        mpfr_t *a = spow_vec_init(r->step[k].degree + 1, prec);
        spow_step_mono_t(a, &rep->rec_mono->step[k], prec);
        fputs(k ? ",\n    " : "\n    ", f);
        put_vec(f, a, r->step[k].degree + 1);
        spow_vec_clear(a, r->step[k].degree + 1);
    }
    int nconst = 0;
    for (int k = 0; k < K; k++)
        nconst |= r->step[k].nconst;
    if (nconst) {
        fputs(K ? "\n  ],\n  \"constants\": [" : "],\n  \"constants\": [", f);
        for (int k = 0; k < K; k++) {
            fputs(k ? ", " : "", f);
            put_vec(f, r->step[k].cst, r->step[k].nconst);
        }
        fputs("]", f);
    } else {
        fputs(K ? "\n  ]" : "]", f);
    }
    mpfr_t head;
    mpfr_init2(head, prec);
    spow_report_max_err(head, rep);
    fputs(",\n  \"max_rel_err\": ", f);
    put_err(f, head);
    mpfr_clear(head);
    fputs(",\n  \"max_rel_err_exact\": ", f);
    put_err(f, rep->rec->max_rel_err);
    fputs(",\n  \"max_rel_err_f64\": ", f);
    put_err(f, r->max_rel_err);
    fputs(",\n  \"max_rel_err_mono_f64\": ", f);
    put_err(f, rep->rec_mono->max_rel_err);
    fputs(",\n  \"max_rel_err_f32\": ", f);
    put_err(f, rep->rec_f32->max_rel_err);
    fputs(",\n  \"sampled_max_rel_err\": ", f);
    put_err(f, r->sampled_err);
    fputs(",\n  \"step_errors\": [", f);
    for (int k = 0; k < K; k++) {
        fputs(k ? ", " : "", f);
        put_err(f, r->step[k].err);
    }
    fputs("],\n  \"y_intervals\": [", f);
    for (int k = 0; k < K; k++) {
        fputs(k ? ", [" : "[", f);
        put_num(f, r->step[k].y_lo);
        fputs(", ", f);
        put_num(f, r->step[k].y_hi);
        fputc(']', f);
    }
    fputs("],\n  \"step_gemms\": [", f);
    for (int k = 0; k < K; k++)
        fprintf(f, "%s%d", k ? ", " : "", r->step[k].gemms);
    fprintf(f, "],\n  \"gemms\": %d,\n  \"prec\": %ld,\n  \"evaluation\": [",
            spow_report_gemms(r), (long)rep->prec);
    for (int k = 0; k < K; k++) {
        const spow_step_mp *st = &r->step[k];
        mpfr_t *c = spow_vec_init(st->degree + 1, prec);
        spow_step_cheb(c, st, prec);
        fprintf(f, "%s\n    {\"degree\": %d, \"baby\": %d, \"blocks\": %d",
                k ? "," : "", st->degree, st->baby, st->blocks);
        put_num_member(f, "t_lo", st->t_lo);
        put_num_member(f, "t_hi", st->t_hi);
        put_num_member(f, "alpha", st->alpha);
        put_num_member(f, "beta", st->beta);
        fputs(",\n     \"ps\": ", f);
        put_vec(f, st->ps, st->blocks * (st->baby + 1));
        fputs(",\n     \"cheb\": ", f);
        put_vec(f, c, st->degree + 1);
        if (st->scheme == SPOW_SCHEME_SASTRE) {
            fprintf(f, ",\n     \"scheme\": \"sastre\", \"k\": %d, \"sign\": %d, "
                       "\"shift\": %.17g,\n     \"form\": ",
                    st->form_k, st->form_sign, st->form_shift);
            put_vec(f, st->form, spow_sastre_nform(st->form_k));
        } else if (st->scheme == SPOW_SCHEME_NESTED) {
            fprintf(f, ",\n     \"scheme\": \"nested\", \"sign\": %d, \"shift\": %.17g,"
                       "\n     \"form\": ", st->form_sign, st->form_shift);
            put_vec(f, st->form, SPOW_NESTED_NFORM);
        }
        fputc('}', f);
        spow_vec_clear(c, st->degree + 1);
    }
    fputs(K ? "\n  ]\n}\n" : "]\n}\n", f);
    return ferror(f) ? SPOW_GEN_EIO : 0;
}
