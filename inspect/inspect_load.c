/* inspect_load.c -- where a recurrence comes from: a shipped table (the
 * runtime's registry), a JSON file written by spow-gen, or constants typed on
 * the command line for any family.  Everything is checked here, before any
 * evaluation, and every refusal says what is wrong and where. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "spow_inspect.h"
#include "json_read.h"
#include "families/fixedpoint.h"
#include "spow_cli.h"

static int fail(char *msg, size_t msglen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, msglen, fmt, ap);
    va_end(ap);
    return SPOW_GEN_EARG;
}

static void source_init(spow_inspect_source *src, const char *kind)
{
    memset(src, 0, sizeof *src);
    snprintf(src->kind, sizeof src->kind, "%s", kind);
    src->cert = NAN;
    src->cert_f32 = NAN;
}

void spow_inspect_source_clear(spow_inspect_source *src)
{
    if (src->have_rec)
        spow_recurrence_clear(&src->rec);
    src->have_rec = 0;
}

int spow_inspect_source_gemms(const spow_inspect_source *src)
{
    return spow_report_gemms(&src->rec);
}

/* ---- coupled steps given as doubles (tables and JSON) --------------------- */

typedef struct step_in {
    int degree, baby, blocks, gemms;
    double t_lo, t_hi, alpha, beta;
    const double *ps;
    int scheme, form_k, form_sign;  /* a product form (Sastre's, core/sastre.h, or the
                                     * nested one, core/nested.h), or scheme 0 */
    double form_shift;
    const double *form;
} step_in;

/* Checks the layout against the generator's (the only one spow-gen writes and
 * the runtime reads) and fills rec, which must be initialised and empty. */
static int set_steps(spow_recurrence *rec, const step_in *in, int steps, const char *where,
                     char *msg, size_t msglen)
{
    for (int k = 0; k < steps; k++) {
        const step_in *s = &in[k];
        if (s->degree < 1 || s->degree > SPOW_GEN_MAX_DEGREE)
            return fail(msg, msglen, "%s: step %d: degree %d is outside 1..%d", where, k + 1,
                        s->degree, SPOW_GEN_MAX_DEGREE);
        int baby = spow_cost_best_baby(s->degree);
        if (s->baby != baby || s->blocks != (s->degree + baby - 1) / baby)
            return fail(msg, msglen, "%s: step %d: degree %d is stored with baby %d, blocks %d; "
                        "spow-gen writes baby %d, blocks %d", where, k + 1, s->degree, s->baby,
                        s->blocks, baby, (s->degree + baby - 1) / baby);
        if (!isfinite(s->alpha) || !isfinite(s->beta) || !isfinite(s->t_lo) || !isfinite(s->t_hi))
            return fail(msg, msglen, "%s: step %d: alpha, beta, t_lo and t_hi must be finite",
                        where, k + 1);
        for (int i = 0; i < s->blocks * (s->baby + 1); i++)
            if (!isfinite(s->ps[i]))
                return fail(msg, msglen, "%s: step %d: ps[%d] is not finite", where, k + 1, i);
        if (s->scheme == SPOW_SCHEME_SASTRE) {
            if (s->form_k != spow_sastre_k(s->degree) || s->form_k == 0 ||
                (s->form_sign != 1 && s->form_sign != -1) || !isfinite(s->form_shift))
                return fail(msg, msglen, "%s: step %d: not a Sastre form of degree %d (k %d, "
                            "sign %d)", where, k + 1, s->degree, s->form_k, s->form_sign);
        } else if (s->scheme == SPOW_SCHEME_NESTED) {
            if (s->degree != SPOW_NESTED_DEGREE || s->form_k != 0 ||
                (s->form_sign != 1 && s->form_sign != -1) || !isfinite(s->form_shift))
                return fail(msg, msglen, "%s: step %d: not a nested form (degree %d, k %d, "
                            "sign %d; the nested form has degree %d, no k, sign +1 or -1)",
                            where, k + 1, s->degree, s->form_k, s->form_sign,
                            SPOW_NESTED_DEGREE);
        } else if (s->scheme != SPOW_SCHEME_PS) {
            return fail(msg, msglen, "%s: step %d: unknown scheme %d", where, k + 1, s->scheme);
        }
        if (s->scheme != SPOW_SCHEME_PS && s->form == NULL)
            return fail(msg, msglen, "%s: step %d: the form's coefficients are missing", where,
                        k + 1);
        for (int i = 0; i < spow_form_nform(s->scheme, s->form_k); i++)
            if (!isfinite(s->form[i]))
                return fail(msg, msglen, "%s: step %d: form[%d] is not finite", where, k + 1, i);
    }
    for (int k = 0; k < steps; k++) {
        const step_in *s = &in[k];
        spow_step_mp *st = spow_recurrence_push(rec, s->degree);
        mpfr_set_d(st->t_lo, s->t_lo, MPFR_RNDN);
        mpfr_set_d(st->t_hi, s->t_hi, MPFR_RNDN);
        mpfr_set_d(st->alpha, s->alpha, MPFR_RNDN);
        mpfr_set_d(st->beta, s->beta, MPFR_RNDN);
        for (int i = 0; i < st->blocks * (st->baby + 1); i++)
            mpfr_set_d(st->ps[i], s->ps[i], MPFR_RNDN);
        if (s->scheme != SPOW_SCHEME_PS) {
            /* g is what the form's doubles define, as libspow evaluates it */
            const int nform = spow_form_nform(s->scheme, s->form_k);
            st->scheme = s->scheme;
            st->form_k = s->form_k;
            st->form_sign = s->form_sign;
            st->form_shift = s->form_shift;
            st->form = spow_vec_init(nform, rec->prec);
            for (int i = 0; i < nform; i++)
                mpfr_set_d(st->form[i], s->form[i], MPFR_RNDN);
            spow_form_blocks(st, rec->prec);
        }
        st->gemms = s->gemms > 0 ? s->gemms
                                 : spow_cost_step_scheme(s->degree, st->scheme, k, steps,
                                                         rec->p_num, rec->p_den);
    }
    return 0;
}

/* ---- shipped tables -------------------------------------------------------- */

int spow_inspect_source_table(spow_inspect_source *src, long m, long n, double lo, mpfr_prec_t prec,
                      char *msg, size_t msglen)
{
    source_init(src, "table");
    if (spow_rational_reduce(&m, &n) != 0)
        return fail(msg, msglen, "p = %ld/%ld is not a rational number", m, n);
    const spow_table *t = NULL;
    for (const spow_table *const *l = spow_table_list(); l && *l; l++) {
        long tm = (*l)->p_num, tn = (*l)->p_den;
        if (spow_rational_reduce(&tm, &tn) == 0 && tm == m && tn == n && (*l)->lo == lo) {
            t = *l;
            break;
        }
    }
    if (t == NULL && spow_p_check(m, n) == SPOW_P_OK)
        t = spow_table_find((int)m, (int)n, lo);
    if (t == NULL) {
        char list[512] = "", item[48];
        size_t len = 0;
        for (const spow_table *const *l = spow_table_list(); l && *l; l++) {
            snprintf(item, sizeof item, " %d/%d@%g", (*l)->p_num, (*l)->p_den, (*l)->lo);
            if (strstr(list, item) == NULL && len + strlen(item) + 1 < sizeof list)
                len += (size_t)snprintf(list + len, sizeof list - len, "%s", item);
        }
        return fail(msg, msglen, "no shipped table for p = %ld/%ld covering [%g, 1] (shipped, "
                    "as p@lo:%s); make one with spow-gen --format json and pass --json",
                    m, n, lo, list);
    }
    if (t->version != SPOW_TABLE_VERSION || t->family == NULL || strcmp(t->family, "coupled"))
        return fail(msg, msglen, "shipped table %s is not a version %d coupled table", t->name,
                    SPOW_TABLE_VERSION);
    if (t->steps < 0 || t->steps > SPOW_GEN_MAX_STEPS)
        return fail(msg, msglen, "shipped table %s has %d steps", t->name, t->steps);
    step_in in[SPOW_GEN_MAX_STEPS];
    for (int k = 0; k < t->steps; k++) {
        const spow_step *s = &t->step[k];
        in[k] = (step_in){ s->degree, s->baby, s->blocks, s->gemms, s->t_lo, s->t_hi,
                           s->alpha, s->beta, s->ps, s->scheme, s->form_k, s->form_sign,
                           s->form_shift, s->form };
    }
    mpfr_t mlo, mhi;
    mpfr_inits2(prec, mlo, mhi, (mpfr_ptr)0);
    mpfr_set_d(mlo, t->lo, MPFR_RNDN);
    mpfr_set_d(mhi, t->hi, MPFR_RNDN);
    spow_recurrence_init(&src->rec, &spow_family_coupled, t->p_num, t->p_den, mlo, mhi, prec);
    src->have_rec = 1;
    mpfr_clears(mlo, mhi, (mpfr_ptr)0);
    int rc = set_steps(&src->rec, in, t->steps, t->name, msg, msglen);
    if (rc)
        return rc;
    src->table = t;
    src->have_cert = 1;
    src->cert = t->max_rel_err;
    src->cert_f32 = t->max_rel_err_f32;
    snprintf(src->name, sizeof src->name, "%s", t->name);
    snprintf(src->desc, sizeof src->desc, "shipped table %s (%s)", t->name,
             t->command ? t->command : "no command recorded");
    return 0;
}

/* ---- JSON from spow-gen ----------------------------------------------------- */

static int get_num(double *v, const spow_inspect_json *obj, const char *key, const char *where,
                   char *msg, size_t msglen)
{
    const spow_inspect_json *j = spow_inspect_json_get(obj, key);
    if (j == NULL)
        return fail(msg, msglen, "%s: key \"%s\" is missing", where, key);
    if (j->type != SPOW_INSPECT_JSON_NUMBER)
        return fail(msg, msglen, "%s: \"%s\" (line %d) must be a number", where, key, j->line);
    *v = j->number;
    return 0;
}

static int get_int(long *v, const spow_inspect_json *obj, const char *key, long lo, long hi,
                   const char *where, char *msg, size_t msglen)
{
    double d = 0.0; /* set when rc == 0; the initializer quiets -O3 */
    int rc = get_num(&d, obj, key, where, msg, msglen);
    if (rc)
        return rc;
    if (!(d >= (double)lo && d <= (double)hi) || d != floor(d))
        return fail(msg, msglen, "%s: \"%s\" must be a whole number in %ld..%ld, not %g", where,
                    key, lo, hi, d);
    *v = (long)d;
    return 0;
}

/* arr must be an array of exactly n finite numbers (n < 0: any length <= cap). */
static int get_vec(double *out, int *len, const spow_inspect_json *arr, int n, int cap,
                   const char *what,
                   const char *where, char *msg, size_t msglen)
{
    if (arr == NULL || arr->type != SPOW_INSPECT_JSON_ARRAY)
        return fail(msg, msglen, "%s: %s must be an array", where, what);
    if ((n >= 0 && arr->n != (size_t)n) || arr->n > (size_t)cap)
        return fail(msg, msglen, "%s: %s (line %d) has %zu entries, expected %d", where, what,
                    arr->line, arr->n, n >= 0 ? n : cap);
    for (size_t i = 0; i < arr->n; i++) {
        if (arr->items[i].type != SPOW_INSPECT_JSON_NUMBER || !isfinite(arr->items[i].number))
            return fail(msg, msglen, "%s: %s[%zu] (line %d) must be a finite number", where,
                        what, i, arr->items[i].line);
        out[i] = arr->items[i].number;
    }
    if (len)
        *len = (int)arr->n;
    return 0;
}

/* The product form of a step object, into s with its coefficients in buf:
 * "scheme": "sastre" with "k", "sign", "shift" and "form" (4k + 1 numbers),
 * or "scheme": "nested" with "sign", "shift" and "form" (17 numbers) and no
 * "k".  The degree is checked against the scheme by set_steps. */
static int get_form(step_in *s, double *buf, const spow_inspect_json *st, const char *where,
                    char *msg, size_t msglen)
{
    const spow_inspect_json *sc = spow_inspect_json_get(st, "scheme");
    int scheme = SPOW_SCHEME_PS;
    if (sc->type == SPOW_INSPECT_JSON_STRING && strcmp(sc->string, "sastre") == 0)
        scheme = SPOW_SCHEME_SASTRE;
    else if (sc->type == SPOW_INSPECT_JSON_STRING && strcmp(sc->string, "nested") == 0)
        scheme = SPOW_SCHEME_NESTED;
    else
        return fail(msg, msglen, "%s: \"scheme\" must be \"sastre\" or \"nested\" (the "
                    "schemes besides the default Paterson-Stockmeyer)", where);
    long k = 0, sign;
    int rc;
    if (scheme == SPOW_SCHEME_NESTED && spow_inspect_json_get(st, "k") != NULL)
        return fail(msg, msglen, "%s: a nested form has no \"k\" (that is Sastre's)", where);
    if ((scheme == SPOW_SCHEME_SASTRE && (rc = get_int(&k, st, "k", 2, 4, where, msg, msglen))) ||
        (rc = get_int(&sign, st, "sign", -1, 1, where, msg, msglen)) ||
        (rc = get_num(&s->form_shift, st, "shift", where, msg, msglen)) ||
        (rc = get_vec(buf, NULL, spow_inspect_json_get(st, "form"),
                      spow_form_nform(scheme, (int)k), SPOW_INSPECT_MAX_NFORM, "\"form\"",
                      where, msg, msglen)))
        return rc;
    if (sign == 0)
        return fail(msg, msglen, "%s: \"sign\" must be 1 or -1, not 0", where);
    s->scheme = scheme;
    s->form_k = (int)k;
    s->form_sign = (int)sign;
    s->form = buf;
    return 0;
}

/* A fixed-point table's "constants": one array of one number per step. */
static int read_constants(double *cst, const spow_inspect_json *root, long m, long n, int steps,
                          const char *path, char *msg, size_t msglen)
{
    const char *why = spow_fixedpoint_unsupported(m, n);
    if (why)
        return fail(msg, msglen, "%s: p = %ld/%ld: %s", path, m, n, why);
    const spow_inspect_json *arr = spow_inspect_json_get(root, "constants");
    if (arr == NULL || arr->type != SPOW_INSPECT_JSON_ARRAY || arr->n != (size_t)steps)
        return fail(msg, msglen, "%s: a fixed-point table needs \"constants\", an array of %d "
                    "steps", path, steps);
    for (int k = 0; k < steps; k++) {
        char where[600];
        snprintf(where, sizeof where, "%s: \"constants\" step %d", path, k + 1);
        int rc = get_vec(&cst[k], NULL, &arr->items[k], 1, 1, "the step", where, msg, msglen);
        if (rc)
            return rc;
    }
    return 0;
}

/* The constants joined to steps read from "evaluation", which must be the
 * fixed-point family's: g = 1 - c t^((b-1)/2) in the basis of t itself. */
static int attach_constants(spow_recurrence *rec, const double *cst, const char *path, char *msg,
                            size_t msglen)
{
    const int d = (int)(rec->p_den - 1) / 2;
    mpfr_t *a = spow_vec_init(d + 1, rec->prec);
    int rc = 0;
    for (int k = 0; k < rec->steps && rc == 0; k++) {
        spow_step_mp *st = &rec->step[k];
        const int layout = st->degree == d && st->scheme == SPOW_SCHEME_PS &&
                           mpfr_cmp_ui(st->alpha, 1) == 0 && mpfr_zero_p(st->beta);
        if (layout)
            spow_step_mono_t(a, st, rec->prec);
        if (!layout || mpfr_cmp_d(a[d], -cst[k]) != 0) {
            rc = fail(msg, msglen, "%s: step %d is not the fixed-point step of its constant %g "
                      "(degree %d with alpha 1, beta 0 and leading coefficient -c expected)",
                      path, k + 1, cst[k], d);
            break;
        }
        spow_step_alloc_consts(st, 1, rec->prec);
        mpfr_set_d(st->cst[0], cst[k], MPFR_RNDN);
        st->gemms = spow_fixedpoint_step_gemms(st, k, rec->p_num);
    }
    spow_vec_clear(a, d + 1);
    return rc;
}

static int json_to_source(spow_inspect_source *src, const spow_inspect_json *root, const char *path,
                          mpfr_prec_t prec, char *msg, size_t msglen)
{
    if (root->type != SPOW_INSPECT_JSON_OBJECT)
        return fail(msg, msglen, "%s: the top-level value must be an object (a spow-gen table)",
                    path);
    const spow_inspect_json *fmt = spow_inspect_json_get(root, "format");
    if (fmt && (fmt->type != SPOW_INSPECT_JSON_STRING || strcmp(fmt->string, "spow-table") != 0))
        return fail(msg, msglen, "%s: \"format\" must be \"spow-table\"", path);
    const spow_inspect_json *fam = spow_inspect_json_get(root, "family");
    if (fam == NULL || fam->type != SPOW_INSPECT_JSON_STRING)
        return fail(msg, msglen, "%s: key \"family\" (a string) is missing", path);
    const int fixed = strcmp(fam->string, spow_family_fixedpoint.name) == 0;
    if (!fixed && strcmp(fam->string, "coupled") != 0)
        return fail(msg, msglen, "%s: family \"%s\": spow-gen tables are of the coupled or the "
                    "fixed-point family; evaluate other families with --family", path,
                    fam->string);
    long m = 0, n = 1, steps = 0;
    double lo = 0.0, hi = 0.0;
    int rc;
    if ((rc = get_int(&m, root, "p_num", -1000000, 1000000, path, msg, msglen)) ||
        (rc = get_int(&n, root, "p_den", 1, SPOW_GEN_MAX_DEN, path, msg, msglen)) ||
        (rc = get_int(&steps, root, "steps", 0, SPOW_GEN_MAX_STEPS, path, msg, msglen)) ||
        (rc = get_num(&lo, root, "lo", path, msg, msglen)) ||
        (rc = get_num(&hi, root, "hi", path, msg, msglen)))
        return rc;
    spow_rational_reduce(&m, &n);       /* n >= 1 here */
    if (spow_p_check(m, n) != SPOW_P_OK)
        return fail(msg, msglen, "%s: p = %ld/%ld is outside -2 <= p <= 1", path, m, n);
    if (!(lo > 0) || !(hi > lo) || !isfinite(hi))
        return fail(msg, msglen, "%s: need 0 < lo < hi, finite (lo = %g, hi = %g)", path, lo, hi);
    double cst[SPOW_GEN_MAX_STEPS];
    if (fixed && (rc = read_constants(cst, root, m, n, (int)steps, path, msg, msglen)))
        return rc;
    /* the certificate of the blocks in "evaluation" (what is evaluated here and
     * by the runtime); "max_rel_err" is the larger of it and the monomials' */
    const spow_inspect_json *cert = spow_inspect_json_get(root, "max_rel_err_f64");
    if (cert == NULL || cert->type != SPOW_INSPECT_JSON_NUMBER)
        cert = spow_inspect_json_get(root, "max_rel_err");
    if (cert && cert->type == SPOW_INSPECT_JSON_NUMBER) {
        src->have_cert = 1;
        src->cert = cert->number;
    }
    const spow_inspect_json *c32 = spow_inspect_json_get(root, "max_rel_err_f32");
    if (c32 && c32->type == SPOW_INSPECT_JSON_NUMBER)
        src->cert_f32 = c32->number;
    const spow_inspect_json *name = spow_inspect_json_get(root, "name");
    snprintf(src->name, sizeof src->name, "%s",
             name && name->type == SPOW_INSPECT_JSON_STRING ? name->string : path);
    snprintf(src->desc, sizeof src->desc, "JSON table %s", path);

    mpfr_t mlo, mhi;
    mpfr_inits2(prec, mlo, mhi, (mpfr_ptr)0);
    mpfr_set_d(mlo, lo, MPFR_RNDN);
    mpfr_set_d(mhi, hi, MPFR_RNDN);
    spow_recurrence_init(&src->rec, fixed ? &spow_family_fixedpoint : &spow_family_coupled, m,
                         n, mlo, mhi, prec);
    src->have_rec = 1;
    mpfr_clears(mlo, mhi, (mpfr_ptr)0);

    const spow_inspect_json *ev = spow_inspect_json_get(root, "evaluation");
    const spow_inspect_json *gem = spow_inspect_json_get(root, "step_gemms");
    double gems[SPOW_GEN_MAX_STEPS];
    int have_gems = gem && get_vec(gems, NULL, gem, (int)steps, SPOW_GEN_MAX_STEPS,
                                   "\"step_gemms\"", path, msg, msglen) == 0;
    if (ev != NULL) {
        /* the blocks the runtime evaluates, exactly as stored */
        if (ev->type != SPOW_INSPECT_JSON_ARRAY || ev->n != (size_t)steps)
            return fail(msg, msglen, "%s: \"evaluation\" (line %d) must be an array of %ld "
                        "steps", path, ev->line, steps);
        enum { NPS = SPOW_GEN_MAX_DEGREE * (SPOW_GEN_MAX_DEGREE + 1) };
        double (*ps)[NPS] = malloc((size_t)(steps > 0 ? steps : 1) * sizeof *ps);
        double (*form)[SPOW_INSPECT_MAX_NFORM] = malloc((size_t)(steps > 0 ? steps : 1) * sizeof *form);
        if (ps == NULL || form == NULL) {
            free(ps);
            free(form);
            return fail(msg, msglen, "%s: out of memory", path);
        }
        step_in in[SPOW_GEN_MAX_STEPS];
        rc = 0;
        for (long k = 0; k < steps && rc == 0; k++) {
            const spow_inspect_json *st = &ev->items[k];
            char where[600];
            snprintf(where, sizeof where, "%s: \"evaluation\" step %ld (line %d)", path, k + 1,
                     st->line);
            long d, baby, blocks;
            if (st->type != SPOW_INSPECT_JSON_OBJECT) {
                rc = fail(msg, msglen, "%s: must be an object", where);
                break;
            }
            if ((rc = get_int(&d, st, "degree", 1, SPOW_GEN_MAX_DEGREE, where, msg, msglen)) ||
                (rc = get_int(&baby, st, "baby", 1, SPOW_GEN_MAX_DEGREE, where, msg, msglen)) ||
                (rc = get_int(&blocks, st, "blocks", 1, SPOW_GEN_MAX_DEGREE, where, msg, msglen)))
                break;
            if (blocks * (baby + 1) > NPS) {
                rc = fail(msg, msglen, "%s: %ld blocks of %ld baby steps is not a spow-gen layout",
                          where, blocks, baby);
                break;
            }
            step_in *s = &in[k];
            s->degree = (int)d;
            s->baby = (int)baby;
            s->blocks = (int)blocks;
            s->gemms = have_gems ? (int)gems[k] : 0;
            if ((rc = get_num(&s->t_lo, st, "t_lo", where, msg, msglen)) ||
                (rc = get_num(&s->t_hi, st, "t_hi", where, msg, msglen)) ||
                (rc = get_num(&s->alpha, st, "alpha", where, msg, msglen)) ||
                (rc = get_num(&s->beta, st, "beta", where, msg, msglen)) ||
                (rc = get_vec(ps[k], NULL, spow_inspect_json_get(st, "ps"),
                              (int)(blocks * (baby + 1)),
                              NPS, "\"ps\"", where, msg, msglen)))
                break;
            s->ps = ps[k];
            s->scheme = SPOW_SCHEME_PS;
            s->form_k = s->form_sign = 0;
            s->form_shift = 0.0;
            s->form = NULL;
            if (spow_inspect_json_get(st, "scheme") != NULL)
                rc = get_form(s, form[k], st, where, msg, msglen);
        }
        if (rc == 0)
            rc = set_steps(&src->rec, in, (int)steps, path, msg, msglen);
        if (rc == 0 && fixed)
            rc = attach_constants(&src->rec, cst, path, msg, msglen);
        free(form);
        free(ps);
        return rc;
    }
    if (fixed) {
        /* no evaluation block: the steps from the constants alone */
        mpfr_t *c = spow_vec_init(steps > 0 ? (int)steps : 1, prec);
        for (long k = 0; k < steps; k++)
            mpfr_set_d(c[k], cst[k], MPFR_RNDN);
        spow_fixedpoint_push_steps(&src->rec, c, (int)steps);
        spow_vec_clear(c, steps > 0 ? (int)steps : 1);
        return 0;
    }
    /* no evaluation block (a hand-written table): g from its monomials in t */
    const spow_inspect_json *co = spow_inspect_json_get(root, "coefficients");
    if (co == NULL)
        return fail(msg, msglen, "%s: neither \"evaluation\" nor \"coefficients\" is present",
                    path);
    if (co->type != SPOW_INSPECT_JSON_ARRAY || co->n != (size_t)steps)
        return fail(msg, msglen, "%s: \"coefficients\" (line %d) must be an array of %ld steps",
                    path, co->line, steps);
    mpfr_t *coef[SPOW_GEN_MAX_STEPS];
    int ncoef[SPOW_GEN_MAX_STEPS];
    double buf[SPOW_GEN_MAX_DEGREE + 1];
    rc = 0;
    long made = 0;
    for (; made < steps && rc == 0; made++) {
        char where[600];
        snprintf(where, sizeof where, "%s: \"coefficients\" step %ld", path, made + 1);
        ncoef[made] = 0;
        rc = get_vec(buf, &ncoef[made], &co->items[made], -1, SPOW_GEN_MAX_DEGREE + 1,
                     "the step", where, msg, msglen);
        coef[made] = spow_vec_init(ncoef[made] > 0 ? ncoef[made] : 1, prec);
        for (int i = 0; rc == 0 && i < ncoef[made]; i++)
            mpfr_set_d(coef[made][i], buf[i], MPFR_RNDN);
    }
    if (rc == 0) {
        char why[400];
        rc = spow_coupled_set_mono(&src->rec, coef, ncoef, (int)steps, why, sizeof why);
        if (rc)
            fail(msg, msglen, "%s: %s", path, why);
    }
    for (long k = 0; k < made; k++)
        spow_vec_clear(coef[k], ncoef[k] > 0 ? ncoef[k] : 1);
    return rc;
}

int spow_inspect_source_json(spow_inspect_source *src, const char *path, mpfr_prec_t prec,
                             char *msg,
                     size_t msglen)
{
    source_init(src, "json");
    spow_inspect_json root;
    char err[400];
    int rc = spow_inspect_json_read_file(&root, path, err, sizeof err);
    if (rc) {
        snprintf(msg, msglen, "%s: %s%s", path, rc == SPOW_GEN_EARG ? "malformed JSON: " : "",
                 err);
        return rc;
    }
    rc = json_to_source(src, &root, path, prec, msg, msglen);
    spow_inspect_json_clear(&root);
    return rc;
}

/* ---- constants typed for a family --------------------------------------- */

/* A decimal number, or N/D with both decimals, the whole of s[0..len-1]
 * (spaces around it allowed), into x at x's precision. */
static int parse_number(mpfr_t x, const char *s, size_t len)
{
    while (len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0 || len > 200)
        return -1;
    char buf[256];
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *slash = strchr(buf, '/');
    if (slash)
        *slash = '\0';
    char *e;
    if (buf[0] == '\0')
        return -1;
    mpfr_strtofr(x, buf, &e, 10, MPFR_RNDN);
    if (*e != '\0' || !mpfr_number_p(x))
        return -1;
    if (slash) {
        if (slash[1] == '\0')
            return -1;
        mpfr_t d;
        mpfr_init2(d, mpfr_get_prec(x));
        mpfr_strtofr(d, slash + 1, &e, 10, MPFR_RNDN);
        int bad = *e != '\0' || !mpfr_number_p(d) || mpfr_zero_p(d);
        if (!bad)
            mpfr_div(x, x, d, MPFR_RNDN);
        mpfr_clear(d);
        if (bad)
            return -1;
    }
    return 0;
}

#define MAX_PER_STEP (SPOW_GEN_MAX_DEGREE + 1)

/* Splits text into groups; returns the number of groups, or -1 with msg. */
static int parse_coef(mpfr_t **coef, int *ncoef, const char *text, mpfr_prec_t prec, char *msg,
                      size_t msglen)
{
    int groups = 0;
    const char *p = text;
    for (;;) {
        const char *gend = strchr(p, ';');
        if (gend == NULL)
            gend = p + strlen(p);
        if (groups == SPOW_GEN_MAX_STEPS) {
            fail(msg, msglen, "--coef '%s': more than %d steps", text, SPOW_GEN_MAX_STEPS);
            goto bad;
        }
        coef[groups] = spow_vec_init(MAX_PER_STEP, prec);
        ncoef[groups] = 0;
        groups++;
        const char *q = p;
        for (;;) {
            const char *nend = memchr(q, ',', (size_t)(gend - q));
            if (nend == NULL)
                nend = gend;
            if (ncoef[groups - 1] == MAX_PER_STEP) {
                fail(msg, msglen, "--coef '%s': step %d has more than %d numbers", text, groups,
                     MAX_PER_STEP);
                goto bad;
            }
            if (parse_number(coef[groups - 1][ncoef[groups - 1]], q, (size_t)(nend - q)) != 0) {
                fail(msg, msglen, "--coef '%s': '%.*s' (step %d, number %d) is not a finite "
                     "number (a decimal or N/D)", text, (int)(nend - q), q, groups,
                     ncoef[groups - 1] + 1);
                goto bad;
            }
            ncoef[groups - 1]++;
            if (nend == gend)
                break;
            q = nend + 1;
        }
        if (*gend == '\0')
            return groups;
        p = gend + 1;
    }
bad:
    for (int g = 0; g < groups; g++)
        spow_vec_clear(coef[g], MAX_PER_STEP);
    return -1;
}

int spow_inspect_source_coef(spow_inspect_source *src, const spow_inspect_family *ifam, long m,
                             long n,
                     const char *lo, const char *hi, const char *coef, int steps, mpfr_prec_t prec,
                     char *msg, size_t msglen)
{
    const spow_family *fam = ifam->family;
    source_init(src, "coef");
    if (spow_rational_reduce(&m, &n) != 0)
        return fail(msg, msglen, "p = %ld/%ld is not a rational number", m, n);
    int pub_steps = 0;
    const char *text = coef;
    if (text == NULL) {
        text = ifam->published ? ifam->published(m, n, &pub_steps) : NULL;
        if (text == NULL)
            return fail(msg, msglen, "family %s has no published constants for p = %ld/%ld: "
                        "give them with --coef", fam->name, m, n);
    }
    mpfr_t mlo, mhi;
    mpfr_inits2(prec, mlo, mhi, (mpfr_ptr)0);
    char *e;
    int bad = 0;
    mpfr_strtofr(mlo, lo, &e, 10, MPFR_RNDN);
    if (lo[0] == '\0' || *e != '\0' || !mpfr_number_p(mlo) || mpfr_sgn(mlo) <= 0)
        bad = fail(msg, msglen, "--lo '%s' must be a positive finite number", lo);
    mpfr_strtofr(mhi, hi, &e, 10, MPFR_RNDN);
    if (!bad && (hi[0] == '\0' || *e != '\0' || !mpfr_number_p(mhi) || mpfr_cmp(mhi, mlo) <= 0))
        bad = fail(msg, msglen, "--hi '%s' must be a finite number above --lo", hi);
    if (!bad && (mpfr_cmp_d(mhi, 1e6) > 0 || mpfr_cmp_d(mlo, 1e-12) < 0))
        bad = fail(msg, msglen, "--lo and --hi must lie in [1e-12, 1e6]");
    mpfr_t *c[SPOW_GEN_MAX_STEPS];
    int nc[SPOW_GEN_MAX_STEPS];
    int groups = bad ? -1 : parse_coef(c, nc, text, prec, msg, msglen);
    if (groups < 0) {
        mpfr_clears(mlo, mhi, (mpfr_ptr)0);
        return SPOW_GEN_EARG;
    }
    int K = steps > 0 ? steps : (coef == NULL ? pub_steps : groups);
    int rc = 0;
    if (K < 1 || K > SPOW_GEN_MAX_STEPS)     /* per[] below holds at most that many */
        rc = fail(msg, msglen, "%d steps: the step count must be in 1..%d", K,
                  SPOW_GEN_MAX_STEPS);
    else if (groups > K)
        rc = fail(msg, msglen, "--coef gives %d steps but --steps is %d", groups, K);
    mpfr_t *per[SPOW_GEN_MAX_STEPS];
    int nper[SPOW_GEN_MAX_STEPS];
    for (int k = 0; k < K && rc == 0; k++) {
        per[k] = c[k < groups ? k : groups - 1];      /* the last group repeats */
        nper[k] = nc[k < groups ? k : groups - 1];
    }
    if (rc == 0) {
        spow_recurrence_init(&src->rec, fam, m, n, mlo, mhi, prec);
        src->have_rec = 1;
        char why[400];
        rc = ifam->set_coef(&src->rec, per, nper, K, why, sizeof why);
        if (rc)
            fail(msg, msglen, "%s", why);
    }
    for (int k = 0; k < groups; k++)
        spow_vec_clear(c[k], MAX_PER_STEP);
    mpfr_clears(mlo, mhi, (mpfr_ptr)0);
    if (rc)
        return rc;
    snprintf(src->name, sizeof src->name, "%s_p%s%ld_%ld%s", fam->name, m < 0 ? "m" : "",
             m < 0 ? -m : m, n, coef == NULL ? "_published" : "");
    snprintf(src->desc, sizeof src->desc, "--family %s --p %ld/%ld --coef '%s' --steps %d "
             "--lo %s --hi %s%s", fam->name, m, n, text, K, lo, hi,
             coef == NULL ? " (published constants)" : "");
    return 0;
}
