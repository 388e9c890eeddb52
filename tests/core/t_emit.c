/* t_emit.c -- core/emit/: every format by name, what each writes read back
 * with code written here (the C hex floats and the CSV numbers are the
 * doubles of the certified recurrence, exactly), JSON string escaping, the
 * headline certificate, and a failing stream reported as SPOW_GEN_EIO. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "spow_gen.h"
#include "check_main.h"
#include "fit_helper.h"

typedef struct fixture {
    spow_recurrence rec, r64, r32, rmono;
    spow_report rep;
} fixture;

static void fixture_init(fixture *fx)
{
    static const int deg[] = { 2, 4 };
    mpfr_prec_t used;
    spow_test_fit(&fx->rec, -1, 4, 1e-2, deg, 2, 128, &used);
    spow_recurrence_round(&fx->r64, &fx->rec, 53);
    spow_recurrence_round(&fx->r32, &fx->rec, 24);
    spow_recurrence_round_mono(&fx->rmono, &fx->rec, 53);
    spow_family_coupled.certify(&fx->r64);
    spow_family_coupled.certify(&fx->r32);
    spow_family_coupled.certify(&fx->rmono);
    fx->rep = (spow_report){ &fx->rec, &fx->r64, &fx->r32, &fx->rmono, "spow-gen --test",
                             "t_emit_pm1_4", used };
}

/* One fit for every test (still reachable at exit, so not a leak). */
static const fixture *shared(void)
{
    static fixture fx;
    static int ready;
    if (!ready)
        fixture_init(&fx);
    ready = 1;
    return &fx;
}

static char *emit(const char *format, const spow_report *rep)
{
    const spow_emitter *e = spow_emitter_find(format);
    ck_assert_ptr_nonnull(e);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(e->emit(f, rep), 0);
    fclose(f);
    ck_assert(len > 0 && strlen(buf) == len);
    return buf;
}

START_TEST(test_registry)
{
    const char *names[] = { "c", "json", "csv", "text" };
    int (*fns[])(FILE *, const spow_report *) = { spow_emit_c, spow_emit_json, spow_emit_csv,
                                                  spow_emit_text };
    for (int i = 0; i < 4; i++)
        ck_assert(spow_emitter_find(names[i])->emit == fns[i]);
    ck_assert_ptr_null(spow_emitter_find("xml"));
    ck_assert_ptr_null(spow_emitter_find(""));
    ck_assert_ptr_null(spow_emitter_find("JSON"));
}
END_TEST

START_TEST(test_c_hex_floats)
{
    /* every ps[] of the C table, parsed back, is the double block */
    const fixture *fx = shared();
    char *c = emit("c", &fx->rep);
    ck_assert_ptr_nonnull(strstr(c, "const spow_table spow_table_t_emit_pm1_4"));
    ck_assert_ptr_nonnull(strstr(c, "spow-gen --test"));
    for (int k = 0; k < fx->r64.steps; k++) {
        const spow_step_mp *st = &fx->r64.step[k];
        char decl[64];
        snprintf(decl, sizeof decl, "double ps%d[", k);
        const char *p = strstr(c, decl);
        ck_assert_msg(p != NULL, "no ps array for step %d", k);
        p = strchr(p, '{') + 1;
        for (int i = 0; i < st->blocks * (st->baby + 1); i++) {
            char *end;
            double v = strtod(p, &end);
            ck_assert_msg(end != p, "step %d, ps[%d] unreadable", k, i);
            ck_assert_msg(mpfr_cmp_d(st->ps[i], v) == 0, "step %d, ps[%d]", k, i);
            p = end + strspn(end, ", \n");
        }
        ck_assert_int_eq(*p, '}');
    }
    free(c);
}
END_TEST

START_TEST(test_csv_monomials)
{
    /* a header, one row per step, c_i the doubles of g's monomials in t */
    const fixture *fx = shared();
    char *csv = emit("csv", &fx->rep);
    ck_assert(strncmp(csv, "step,degree,gemms,max_rel_err,y_lo,y_hi,t_lo,t_hi,c0,", 53) == 0);
    const char *row = strchr(csv, '\n') + 1;
    for (int k = 0; k < fx->r64.steps; k++) {
        const spow_step_mp *st = &fx->r64.step[k];
        ck_assert_int_eq(atoi(row), k + 1);
        const char *p = row;
        for (int col = 0; col < 8; col++)
            p = strchr(p, ',') + 1;
        mpfr_t *a = spow_vec_init(st->degree + 1, fx->r64.prec);
        spow_step_mono_t(a, st, fx->r64.prec);
        for (int i = 0; i <= st->degree; i++) {
            char *end;
            ck_assert(strtod(p, &end) == mpfr_get_d(a[i], MPFR_RNDN));
            p = end + 1;
        }
        spow_vec_clear(a, st->degree + 1);
        row = strchr(row, '\n') + 1;
    }
    ck_assert_int_eq(*row, '\0');
    free(csv);
}
END_TEST

START_TEST(test_json_and_text)
{
    const fixture *fx = shared();
    /* the headline certificate is the larger of the two double forms */
    mpfr_t head;
    mpfr_init2(head, fx->r64.prec);
    spow_report_max_err(head, &fx->rep);
    ck_assert(mpfr_cmp(head, fx->r64.max_rel_err) >= 0 &&
              mpfr_cmp(head, fx->rmono.max_rel_err) >= 0);
    ck_assert(mpfr_equal_p(head, fx->r64.max_rel_err) ||
              mpfr_equal_p(head, fx->rmono.max_rel_err));
    mpfr_clear(head);
    char *json = emit("json", &fx->rep);
    ck_assert_ptr_nonnull(strstr(json, "\"name\": \"t_emit_pm1_4\""));
    ck_assert_ptr_nonnull(strstr(json, "\"family\": \"coupled\""));
    free(json);
    char *text = emit("text", &fx->rep);
    char first[200];
    snprintf(first, sizeof first, "t_emit_pm1_4: p = -1/4, family coupled, s in [0.01, 1], 2 "
                                  "steps, %d GEMMs\n", spow_report_gemms(&fx->r64));
    ck_assert(strncmp(text, first, strlen(first)) == 0);
    ck_assert_ptr_nonnull(strstr(text, "certified max |x/s^p - 1|: "));
    free(text);
}
END_TEST

START_TEST(test_json_string)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    spow_json_put_string(f, "a\"b\\c\n\x01z");
    fclose(f);
    ck_assert_str_eq(buf, "\"a\\\"b\\\\c\\u000a\\u0001z\"");
    free(buf);
}
END_TEST

START_TEST(test_stream_error)
{
    /* a stream that refuses every write: each format says SPOW_GEN_EIO */
    const fixture *fx = shared();
    const char *names[] = { "c", "json", "csv", "text" };
    for (int i = 0; i < 4; i++) {
        FILE *f = fopen("/dev/null", "r");
        ck_assert_int_eq(spow_emitter_find(names[i])->emit(f, &fx->rep), SPOW_GEN_EIO);
        fclose(f);
    }
}
END_TEST

/* Reads n numbers after the first '[' or '{' following key in text. */
static void read_numbers(double *v, int n, const char *text, const char *key)
{
    const char *p = strstr(text, key);
    ck_assert_msg(p != NULL, "no %s", key);
    p += strlen(key);
    p += strcspn(p, "[{") + 1;
    for (int i = 0; i < n; i++) {
        char *end;
        v[i] = strtod(p, &end);
        ck_assert_msg(end != p, "%s[%d] unreadable", key, i);
        p = end + strspn(end, ", \n");
    }
}

START_TEST(test_sastre_forms)
{
    /* p = 1/2, degrees 2, 8 with --scheme sastre: the degree-8 step carries
     * its form, in C (the appended spow_step fields, the form's doubles in
     * hex) and JSON (the "scheme", "k", "sign", "shift", "form" keys), both
     * reading back as the form's doubles; the degree-2 step spells out the
     * Paterson-Stockmeyer scheme in C, so the table compiles without
     * missing-field warnings, and has no form keys in JSON. */
    static const int deg[] = { 2, 8 };
    spow_fit_params par;
    mpfr_prec_t used;
    fixture fx;
    spow_test_params(&par, 1, 2, 1e-3, deg, 2, 2, 0, 128);
    par.scheme = SPOW_SCHEME_SASTRE;
    ck_assert_int_eq(spow_fit(&fx.rec, &spow_family_coupled, &par, 128, &used), 0);
    spow_test_params_clear(&par);
    spow_recurrence_round(&fx.r64, &fx.rec, 53);
    spow_recurrence_round(&fx.r32, &fx.rec, 24);
    spow_recurrence_round_mono(&fx.rmono, &fx.rec, 53);
    fx.rep = (spow_report){ &fx.rec, &fx.r64, &fx.r32, &fx.rmono, "spow-gen --test",
                            "t_emit_sastre", used };
    const spow_step_mp *st = &fx.r64.step[1];
    ck_assert_int_eq(fx.r64.step[0].scheme, SPOW_SCHEME_PS);
    ck_assert_int_eq(st->scheme, SPOW_SCHEME_SASTRE);
    const int nf = spow_sastre_nform(st->form_k);
    double v[4 * 4 + 1];
    char *c = emit("c", &fx.rep), *j = emit("json", &fx.rep);
    char want[160];
    snprintf(want, sizeof want, "SPOW_SCHEME_SASTRE, %d, %d, %a, form1", st->form_k,
             st->form_sign, st->form_shift);
    ck_assert_msg(strstr(c, want) != NULL, "C: no \"%s\"", want);
    ck_assert_ptr_nonnull(strstr(c, "SPOW_SCHEME_PS, 0, 0, 0.0, 0 }"));
    ck_assert_ptr_null(strstr(c, "form0"));
    read_numbers(v, nf, c, "double form1[");
    for (int i = 0; i < nf; i++)
        ck_assert_msg(mpfr_cmp_d(st->form[i], v[i]) == 0, "C form[%d]", i);
    snprintf(want, sizeof want, "\"scheme\": \"sastre\", \"k\": %d, \"sign\": %d, ",
             st->form_k, st->form_sign);
    ck_assert_msg(strstr(j, want) != NULL, "JSON: no %s", want);
    /* one form in the JSON: the degree-2 step has none */
    ck_assert_ptr_null(strstr(strstr(j, "\"form\"") + 1, "\"form\""));
    read_numbers(v, nf, j, "\"form\"");
    for (int i = 0; i < nf; i++)
        ck_assert_msg(mpfr_cmp_d(st->form[i], v[i]) == 0, "JSON form[%d]", i);
    free(j);
    free(c);
    spow_recurrence_clear(&fx.rmono);
    spow_recurrence_clear(&fx.r32);
    spow_recurrence_clear(&fx.r64);
    spow_recurrence_clear(&fx.rec);
}
END_TEST

SPOW_CHECK_TESTS("emit", 0, test_registry, test_c_hex_floats, test_csv_monomials,
                 test_json_and_text, test_json_string, test_stream_error, test_sastre_forms)
