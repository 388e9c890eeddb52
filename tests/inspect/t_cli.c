/* t_cli.c -- spow-inspect as a user runs it: it reproduces the shipped
 * tables' certificates, reports the published fixed-point constants as a
 * direct MPFR loop written here sees them, counts GEMMs as its cost model
 * says, refuses bad input clearly, and still writes the plot data without
 * gnuplot. */
#include <check.h>
#include <math.h>
#include <mpfr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "json_read.h"
#include "check_main.h"
#include "spow_spawn.h"

typedef spow_run run;

static run spawn(const char *prog, const char *const *args, const char *path_env)
{
    return spow_run_program(prog, args, path_env);
}

static run inspect(const char *const *args)
{
    return spawn(SPOW_INSPECT_PATH, args, NULL);
}


/* The JSON report of a successful run. */
static void report(spow_inspect_json *j, const run *r)
{
    char err[300];
    ck_assert_msg(spow_run_exit_code(r) == 0, "exit %d: %s", spow_run_exit_code(r), r->err);
    ck_assert_msg(spow_inspect_json_parse(j, r->out, r->out_len, err, sizeof err) == 0, "%s", err);
}

static double num(const spow_inspect_json *o, const char *key)
{
    const spow_inspect_json *v = spow_inspect_json_get(o, key);
    ck_assert_msg(v && v->type == SPOW_INSPECT_JSON_NUMBER, "key %s", key);
    return v->number;
}

static double last(const spow_inspect_json *o, const char *key)
{
    const spow_inspect_json *v = spow_inspect_json_get(o, key);
    ck_assert_msg(v && v->type == SPOW_INSPECT_JSON_ARRAY && v->n > 0, "key %s", key);
    return v->items[v->n - 1].number;
}

/* "key": number in a JSON file, read with strstr (not our reader). */
static double file_key(const char *path, const char *key)
{
    char pat[64];
    char *text = spow_slurp(path, NULL);
    ck_assert_msg(text != NULL, "cannot read %s", path);
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(text, pat);
    ck_assert_msg(p != NULL, "%s: no %s", path, key);
    double v = strtod(p + strlen(pat), NULL);
    free(text);
    return v;
}

/* The same in a shipped table (tables/). */
static double table_key(const char *file, const char *key)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", SPOW_TABLES_DIR, file);
    return file_key(path, key);
}

START_TEST(test_certificate)
{
    /* exact mode must reproduce the certificate spow-gen wrote into each
     * table (of the double blocks the runtime evaluates) to 3 digits; the
     * golden-section refinement in fact reaches the printed 7 */
    const struct { const char *p, *lo, *file; } t[] = {
        { "1/2", "1e-3", "coupled_p1_2_lo1e-3.json" },
        { "1/4", "1e-3", "coupled_p1_4_lo1e-3.json" },
        { "-1/4", "1e-3", "coupled_pm1_4_lo1e-3.json" },
        { "0", "1e-3", "coupled_p0_1_lo1e-3.json" },
        { "1/2", "1e-2", "coupled_p1_2_lo1e-2.json" },
        { "2/3", "1e-2", "coupled_p2_3_lo1e-2.json" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        const double cert = table_key(t[i].file, "max_rel_err_f64");
        char path[512];
        snprintf(path, sizeof path, "%s/%s", SPOW_TABLES_DIR, t[i].file);
        const char *const a1[] = { "--table", t[i].p, "--lo", t[i].lo, "--format", "json",
                                   "--grid", "40", NULL };
        const char *const a2[] = { "--json", path, "--format", "json", "--grid", "40", NULL };
        const char *const *args[] = { a1, a2 };
        for (int w = 0; w < 2; w++) {
            run r = inspect(args[w]);
            spow_inspect_json j;
            report(&j, &r);
            const double got = num(&j, "max_err_interval");
            ck_assert_msg(fabs(got - cert) <= 1e-3 * cert, "%s via %s: %.7e vs certificate %.7e",
                          t[i].file, w ? "--json" : "--table", got, cert);
            ck_assert(fabs(num(&j, "certificate") - cert) <= 1e-6 * cert);
            spow_inspect_json_clear(&j);
            spow_run_free(&r);
        }
    }
}
END_TEST

/* y after each step of the released p = 1/2 form from y = x = s. */
static int direct_half(mpfr_t err, double sd, int K)
{
    mpfr_t s, y, t, w, v, c, d;
    mpfr_inits2(256, s, y, t, w, v, c, d, (mpfr_ptr)0);
    mpfr_set_str(c, "3.0", 10, MPFR_RNDN);
    mpfr_set_str(d, "-0.795918", 10, MPFR_RNDN);
    mpfr_set_d(s, sd, MPFR_RNDN);
    mpfr_set(y, s, MPFR_RNDN);
    int blown = 0;
    for (int k = 0; k < K; k++) {
        mpfr_mul(t, y, y, MPFR_RNDN);
        mpfr_mul(t, t, t, MPFR_RNDN);
        mpfr_mul(w, s, s, MPFR_RNDN);
        mpfr_sub(t, t, w, MPFR_RNDN);          /* y^4 - x^2 */
        mpfr_mul(w, c, s, MPFR_RNDN);
        mpfr_mul(v, d, y, MPFR_RNDN);
        mpfr_add(w, w, v, MPFR_RNDN);          /* c x + d y */
        mpfr_mul(t, t, w, MPFR_RNDN);
        mpfr_sub(y, y, t, MPFR_RNDN);
        if (mpfr_cmp_d(y, 1e6) > 0 || mpfr_cmp_d(y, -1e6) < 0)
            blown = 1;
    }
    mpfr_sqrt(t, s, MPFR_RNDN);
    mpfr_div(err, y, t, MPFR_RNDN);
    mpfr_sub_ui(err, err, 1, MPFR_RNDN);
    mpfr_abs(err, err, MPFR_RNDN);
    mpfr_clears(s, y, t, w, v, c, d, (mpfr_ptr)0);
    return blown;
}

/* A shipped table with one Chebyshev block entry set to 1e308 cannot be
 * evaluated, and one with a smaller certificate than its coefficients earn
 * does not reproduce it: both exit 1 with a message on stderr. */
START_TEST(test_broken_table_fails)
{
    char src[600], line[4096];
    snprintf(src, sizeof src, "%s/coupled_p1_2_lo1e-3.json", SPOW_TABLES_DIR);
    static const struct { const char *from, *to, *says; } edits[] = {
        { "\"ps\": [0.46129993499116762,", "\"ps\": [1e308,", "cannot be evaluated" },
        { "\"max_rel_err_f64\": 5.287484e-07,", "\"max_rel_err_f64\": 1.0e-07,", "does not reproduce" },
    };
    for (size_t e = 0; e < sizeof edits / sizeof edits[0]; e++) {
        char path[] = "/tmp/spow-t-broken-XXXXXX";
        int fd = mkstemp(path);
        ck_assert_int_ge(fd, 0);
        FILE *in = fopen(src, "r"), *out = fdopen(fd, "w");
        ck_assert_ptr_nonnull(in);
        int hit = 0;
        while (fgets(line, sizeof line, in)) {
            char *at = strstr(line, edits[e].from);
            if (at && !hit) {
                fprintf(out, "%.*s%s%s", (int)(at - line), line, edits[e].to,
                        at + strlen(edits[e].from));
                hit = 1;
            } else {
                fputs(line, out);
            }
        }
        fclose(in);
        fclose(out);
        ck_assert_msg(hit, "edit %zu did not apply to %s", e, src);
        const char *args[] = { "--json", path, NULL };
        run r = inspect(args);
        remove(path);
        ck_assert_int_eq(spow_run_exit_code(&r), 1);
        ck_assert_msg(strstr(r.err, edits[e].says) != NULL, "stderr: '%s'", r.err);
        spow_run_free(&r);
    }
}
END_TEST

START_TEST(test_published_half)
{
    const char *const args[] = { "--family", "fixedpoint", "--p", "1/2", "--coef", "3.0,-0.795918",
                                 "--steps", "6", "--format", "json", "--grid", "250", NULL };
    run r = inspect(args);
    spow_inspect_json j;
    report(&j, &r);
    ck_assert_int_eq((int)num(&j, "gemms"), 19);     /* X X^T once, then 3 per step */
    const spow_inspect_json *curves = spow_inspect_json_get(&j, "curves");
    const spow_inspect_json *s = spow_inspect_json_get(curves, "s");
    const spow_inspect_json *e = spow_inspect_json_get(curves, "err_exact");
    ck_assert(s && e && e->n == 6);
    const spow_inspect_json *e6 = &e->items[5];
    mpfr_t err;
    mpfr_init2(err, 256);
    double first = NAN, worst_in = 0;
    for (size_t i = 0; i < s->n; i++) {
        const double sd = s->items[i].number;
        int blown = direct_half(err, sd, 6);
        if (blown && isnan(first))
            first = sd;
        const double want = mpfr_get_d(err, MPFR_RNDN), got = e6->items[i].number;
        /* 7 significant digits are printed */
        ck_assert_msg(fabs(got - want) <= 1e-6 * want || (isinf(got) && isinf(want)),
                      "s = %.17g: reported %.7e, direct loop %.7e", sd, got, want);
        if (sd >= 1e-3 && sd <= 1 && want > worst_in)
            worst_in = want;
    }
    const spow_inspect_json *ex = spow_inspect_json_get(&j, "exact");
    ck_assert_int_eq(spow_inspect_json_get(ex, "diverges")->type,
                     isnan(first) ? SPOW_INSPECT_JSON_FALSE
                                                                       : SPOW_INSPECT_JSON_TRUE);
    if (!isnan(first))
        ck_assert_msg(num(ex, "first_diverging_s") == first, "first diverging s %.17g vs %.17g",
                      num(ex, "first_diverging_s"), first);
    /* and it is inside [lo, hi] = [1e-3, 1], which the report must say */
    ck_assert(first >= 1e-3 && first <= 1);
    ck_assert_int_eq(spow_inspect_json_get(ex, "diverges_in_interval")->type,
                     SPOW_INSPECT_JSON_TRUE);
    ck_assert(num(ex, "first_diverging_s_in_interval") == first);
    /* the refined maximum on [lo, hi]: at least the grid's, and it is where
     * the direct loop says it is */
    const double max_in = last(ex, "max_err_interval"), at = last(ex, "argmax_interval");
    ck_assert(max_in >= worst_in * (1 - 1e-6));
    direct_half(err, at, 6);
    ck_assert_msg(fabs(mpfr_get_d(err, MPFR_RNDN) - max_in) <= 1e-6 * max_in,
                  "max %.7e at s = %.17g, direct loop there %.7e", max_in, at,
                  mpfr_get_d(err, MPFR_RNDN));
    mpfr_clear(err);
    spow_inspect_json_clear(&j);
    spow_run_free(&r);
}
END_TEST

START_TEST(test_matrix_gemms)
{
    /* the GEMM calls actually made on a matrix (runtime, or the family's CBLAS
     * form) equal the cost model the curves and the docs use */
    const char *const cases[][12] = {
        { "--table", "1/2", NULL },
        { "--table", "-1/4", NULL },
        { "--family", "fixedpoint", "--p", "1/3", NULL },
        { "--family", "fixedpoint", "--p", "3/5", NULL },
        { "--family", "fixedpoint", "--p", "1/7", NULL },
        { "--family", "fixedpoint", "--p", "1/2", NULL },
        { "--family", "muon-quintic", "--p", "0", NULL },
        { "--family", "coupled", "--p", "0", "--coef", "3.4445,-4.7750,2.0315", "--steps", "5",
          NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *args[24];
        int n = 0;
        for (; cases[i][n]; n++)
            args[n] = cases[i][n];
        const char *tail[] = { "--matrix", i % 2 ? "40x64" : "64x40", "--format", "json", "--grid",
                               "20", "--samples", "64", NULL };
        for (int k = 0; tail[k]; k++)
            args[n++] = tail[k];
        args[n] = NULL;
        run r = inspect(args);
        spow_inspect_json j;
        report(&j, &r);
        const spow_inspect_json *mx = spow_inspect_json_get(&j, "matrix");
        const spow_inspect_json *calls = spow_inspect_json_get(mx, "gemm_calls");
        const int gemms = (int)num(&j, "gemms");
        ck_assert_msg((int)num(calls, "f64") == gemms && (int)num(calls, "f32") == gemms,
                      "case %zu: %g/%g calls, model %d", i, num(calls, "f64"), num(calls, "f32"),
                      gemms);
        spow_inspect_json_clear(&j);
        spow_run_free(&r);
    }
}
END_TEST

/* The per-singular-value errors of the JSON report j of a run with
 * --matrix 96x64 or 64x96 (64 singular values), what naming it in messages:
 * in double the matrix result is the exact scalar curve plus rounding,
 * within 1% + 1e-9 of it (double rounding in ~25 GEMMs is ~1e-13, far below
 * both); in float the certificate plus the float floor (docs/runtime.md: a
 * few 1e-6 for a matrix of this size); the double maximum on [lo, hi]
 * within 1% of the certificate. */
static void check_matrix_errors(const spow_inspect_json *j, const char *what)
{
    const spow_inspect_json *mx = spow_inspect_json_get(j, "matrix");
    const spow_inspect_json *sv = spow_inspect_json_get(mx, "s");
    const spow_inspect_json *e64 = spow_inspect_json_get(mx, "err_f64");
    const spow_inspect_json *e32 = spow_inspect_json_get(mx, "err_f32");
    const spow_inspect_json *sc = spow_inspect_json_get(mx, "err_scalar_exact");
    ck_assert(sv && e64 && e32 && sc && sv->n == 64 && e64->n == 64);
    const double cert = num(j, "certificate");
    for (size_t i = 0; i < sv->n; i++) {
        const double a = e64->items[i].number, b = sc->items[i].number;
        ck_assert_msg(fabs(a - b) <= 1e-2 * b + 1e-9, "%s, s = %g: matrix %g, scalar %g", what,
                      sv->items[i].number, a, b);
        ck_assert_msg(e32->items[i].number <= cert + 2e-5, "%s, s = %g: float %g", what,
                      sv->items[i].number, e32->items[i].number);
    }
    ck_assert(num(spow_inspect_json_get(mx, "max_err_interval"), "f64") <= 1.01 * cert);
}

START_TEST(test_matrix_accuracy)
{
    /* the shipped p = 1/2 table on a 96 x 64 matrix (check_matrix_errors) */
    const char *const args[] = { "--table", "1/2", "--matrix", "96x64", "--seed", "7", "--format",
                                 "json", "--grid", "20", NULL };
    run r = inspect(args);
    spow_inspect_json j;
    report(&j, &r);
    check_matrix_errors(&j, "table 1/2");
    spow_inspect_json_clear(&j);
    spow_run_free(&r);
}
END_TEST

START_TEST(test_bad_input)
{
    char dir[] = "/tmp/spow-insp-badXXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    const char *files[][2] = {
        { "trailing.json", "{\"family\": \"coupled\", \"p_num\": 1,}" },
        { "truncated.json", "{\"family\": \"coupled\", \"p_num\": 1, \"p_den\": 2, \"steps\": [" },
        { "array.json", "[1, 2, 3]" },
        { "family.json", "{\"family\": \"fixedpoint\", \"p_num\": 1, \"p_den\": 3}" },
        { "nokey.json", "{\"family\": \"coupled\", \"p_num\": 1, \"p_den\": 2, \"lo\": 1e-3}" },
        { "ps.json", "{\"family\": \"coupled\", \"p_num\": 1, \"p_den\": 2, \"steps\": 1, \"lo\": "
                     "1e-3, \"hi\": 1, \"evaluation\": [{\"degree\": 2, \"baby\": 2, \"blocks\": "
                     "1, \"t_lo\": 0, \"t_hi\": 1, \"alpha\": 2, \"beta\": -1, \"ps\": [1, 2]}]}" },
        { "empty.json", "" },
    };
    char paths[7][300];
    for (int i = 0; i < 7; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", dir, files[i][0]);
        FILE *f = fopen(paths[i], "w");
        ck_assert_ptr_nonnull(f);
        fputs(files[i][1], f);
        fclose(f);
    }
    char missing[300];
    snprintf(missing, sizeof missing, "%s/missing.json", dir);
    const char *fp = "fixedpoint";
    const char *const bad[][10] = {
        { NULL },
        { "--family", "nope", "--p", "1/2", NULL },
        { "--family", fp, NULL },
        { "--family", fp, "--p", "1/2", "--coef", "3.0", NULL },
        { "--family", fp, "--p", "1/2", "--coef", "3.0,-0.8,1", NULL },
        { "--family", fp, "--p", "1/2", "--coef", "3.0,,1", NULL },
        { "--family", fp, "--p", "1/2", "--coef", "3.0,abc", NULL },
        { "--family", fp, "--p", "1/2", "--coef", "", NULL },
        { "--family", fp, "--p", "1/3", "--coef", "1/0", NULL },
        { "--family", fp, "--p", "1/3", "--coef", "0.66;", NULL },
        { "--family", fp, "--p", "1/3", "--coef", "0.5;0.4;0.3", "--steps", "2", NULL },
        { "--family", fp, "--p", "1/3", "--coef", "nan", NULL },
        { "--family", fp, "--p", "1/4", NULL },
        { "--family", fp, "--p", "2/3", "--coef", "0.5", NULL },
        { "--family", "muon-quintic", "--p", "1/2", "--coef", "1,2,3", NULL },
        { "--family", "coupled", "--p", "1/2", "--coef", "1", NULL },
        { "--family", "coupled", "--p", "1/2", NULL },
        { "--family", fp, "--p", "1/3", "--steps", "0", NULL },
        { "--family", fp, "--p", "1/3", "--lo", "0", NULL },
        { "--family", fp, "--p", "abc", NULL },
        { "--json", paths[0], NULL },  { "--json", paths[1], NULL }, { "--json", paths[2], NULL },
        { "--json", paths[3], NULL },  { "--json", paths[4], NULL }, { "--json", paths[5], NULL },
        { "--json", paths[6], NULL },  { "--json", missing, NULL },
        { "--json", paths[0], "--lo", "1e-3", NULL },
        { "--table", "1/7", NULL },    { "--table", "x", NULL },
        { "--table", "1/2", "--json", paths[0], NULL },
        { "--table", "1/2", "--format", "xml", NULL },
        { "--table", "1/2", "--plot", "x.pdf", NULL },
        { "--table", "1/2", "--plot-by", "step", NULL },
        { "--table", "1/2", "--matrix", "0x5", NULL },
        { "--table", "1/2", "--matrix", "5", NULL },
        { "--table", "1/2", "--seed", "3", NULL },
        { "--table", "1/2", "--grid", "1", NULL },
        { "--table", "1/2", "--s-min", "2", NULL },
        { "--table", "1/2", "--bogus", NULL },
        { "--table", "1/2", "extra", NULL },
        { "--table", "1/2", "--table", "1/3", NULL },
    };
    char out[300];
    snprintf(out, sizeof out, "%s/out.txt", dir);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        spow_run_refused(SPOW_INSPECT_PATH, bad[i], out, "spow-inspect: ", 30);
    /* the messages name the problem */
    const struct { int i; const char *needle; } say[] = {
        { 1, "unknown family 'nope'" }, { 3, "two constants" }, { 5, "'' (step 1, number 2)" },
        { 10, "3 steps but --steps is 2" }, { 20, "trailing comma" }, { 24, "\"steps\"" },
        { 25, "expected 3" }, { 27, "cannot open" }, { 22, "object" },
    };
    for (size_t k = 0; k < sizeof say / sizeof say[0]; k++) {
        const char *args[16];
        int n = 0;
        for (; bad[say[k].i][n]; n++)
            args[n] = bad[say[k].i][n];
        args[n] = NULL;
        run r = inspect(args);
        ck_assert_msg(strstr(r.err, say[k].needle) != NULL, "case %d: '%s' lacks '%s'", say[k].i,
                      r.err, say[k].needle);
        spow_run_free(&r);
    }
    for (int i = 0; i < 7; i++)
        unlink(paths[i]);
    rmdir(dir);
}
END_TEST

static int has_gnuplot(void)
{
    const char *path = getenv("PATH");
    char buf[1024];
    while (path && *path) {
        const char *e = strchr(path, ':');
        size_t n = e ? (size_t)(e - path) : strlen(path);
        snprintf(buf, sizeof buf, "%.*s/gnuplot", (int)n, path);
        if (access(buf, X_OK) == 0)
            return 1;
        path = e ? e + 1 : NULL;
    }
    return 0;
}

START_TEST(test_plot)
{
    char dir[] = "/tmp/spow-insp-plotXXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char png[300], csv[300], gp[300], svg[300], svgcsv[300], svggp[300];
    snprintf(png, sizeof png, "%s/curves.png", dir);
    snprintf(csv, sizeof csv, "%s/curves.csv", dir);
    snprintf(gp, sizeof gp, "%s/curves.gp", dir);
    snprintf(svg, sizeof svg, "%s/arith.svg", dir);
    snprintf(svgcsv, sizeof svgcsv, "%s/arith.csv", dir);
    snprintf(svggp, sizeof svggp, "%s/arith.gp", dir);
    const char *const args[] = { "--family", "muon-quintic", "--p", "0", "--grid", "30",
                                 "--plot", png, NULL };

    /* without gnuplot: a clear message, exit 1, the report, the data and the
     * script written, no figure */
    run r = spawn(SPOW_INSPECT_PATH, args, "/nonexistent-spow-dir");
    ck_assert_int_eq(spow_run_exit_code(&r), 1);
    ck_assert_msg(strstr(r.err, "gnuplot not found") && strstr(r.err, csv), "%s", r.err);
    ck_assert(r.out_len > 100);
    size_t n;
    char *data = spow_slurp(csv, &n);
    ck_assert_ptr_nonnull(data);
    ck_assert(strncmp(data, "step,s,in_interval,err_exact,err_f64,err_f32,", 45) == 0);
    int rows = 0;
    for (size_t i = 0; i < n; i++)
        rows += data[i] == '\n';
    ck_assert_int_eq(rows, 1 + 5 * 30);                   /* header + steps x grid */
    free(data);
    struct stat st;
    ck_assert(stat(gp, &st) == 0 && st.st_size > 100);
    ck_assert(stat(png, &st) != 0);
    spow_run_free(&r);

    if (has_gnuplot()) {
        r = inspect(args);
        ck_assert_msg(spow_run_exit_code(&r) == 0, "%s", r.err);
        char *img = spow_slurp(png, &n);
        ck_assert(img && n > 1000 && memcmp(img, "\x89PNG", 4) == 0);
        free(img);
        spow_run_free(&r);
        const char *const a2[] = { "--table", "1/4", "--grid", "30", "--plot", svg, "--plot-by",
                                   "arith", NULL };
        r = inspect(a2);
        ck_assert_msg(spow_run_exit_code(&r) == 0, "%s", r.err);
        img = spow_slurp(svg, &n);
        ck_assert(img && strstr(img, "<svg") != NULL);
        free(img);
        spow_run_free(&r);
        unlink(svg);
        unlink(svgcsv);
        unlink(svggp);
    } else {
        fprintf(stderr, "t-inspect-cli: gnuplot not on PATH, drawing not tested\n");
    }
    unlink(png);
    unlink(csv);
    unlink(gp);
    rmdir(dir);
}
END_TEST

START_TEST(test_outputs)
{
    /* deterministic, and -o holds exactly what stdout would */
    const char *fmts[] = { "text", "csv", "json" };
    char path[64];
    snprintf(path, sizeof path, "/tmp/spow-insp-o-%d", (int)getpid());
    for (int i = 0; i < 3; i++) {
        const char *const a[] = { "--family", "fixedpoint", "--p", "1/3", "--grid", "50",
                                  "--format", fmts[i], NULL };
        const char *const b[] = { "--family", "fixedpoint", "--p", "1/3", "--grid", "50",
                                  "--format", fmts[i], "-o", path, NULL };
        run x = inspect(a), y = inspect(a), z = inspect(b);
        ck_assert_int_eq(spow_run_exit_code(&x), 0);
        ck_assert(x.out_len > 100 && x.out_len == y.out_len && !memcmp(x.out, y.out, x.out_len));
        ck_assert_int_eq(spow_run_exit_code(&z), 0);
        ck_assert_int_eq((int)z.out_len, 0);
        size_t n;
        char *file = spow_slurp(path, &n);
        ck_assert(file && n == x.out_len && !memcmp(file, x.out, n));
        free(file);
        unlink(path);
        spow_run_free(&x);
        spow_run_free(&y);
        spow_run_free(&z);
    }
    /* --matrix switches the CSV to one row per singular value */
    const char *const m[] = { "--table", "1/2", "--grid", "10", "--matrix", "20x10", "--format",
                              "csv", NULL };
    run r = inspect(m);
    ck_assert_int_eq(spow_run_exit_code(&r), 0);
    ck_assert(strncmp(r.out, "i,s,in_interval,err_f64,err_f32,err_scalar_exact\n", 48) == 0);
    spow_run_free(&r);
    const char *const h[] = { "--help", NULL };
    r = inspect(h);
    ck_assert(spow_run_exit_code(&r) == 0 && strstr(r.out, "Usage: spow-inspect") &&
              strstr(r.out, "--coef"));
    spow_run_free(&r);
}
END_TEST

START_TEST(test_spowgen_refuses)
{
    /* the evaluation-only families are spow-inspect's: spow-gen does not
     * list them, refuses them as a usage error and says where they are */
    const char *const args[] = { "--family", "fixedpoint", "--p", "1/3", NULL };
    run r = spawn(SPOW_GEN_PATH, args, NULL);
    ck_assert_int_eq(spow_run_exit_code(&r), 2);
    ck_assert_int_eq((int)r.out_len, 0);
    ck_assert_msg(strstr(r.err, "evaluation-only") && strstr(r.err, "spow-inspect"), "%s", r.err);
    spow_run_free(&r);
    const char *const list[] = { "--list-families", NULL };
    r = spawn(SPOW_GEN_PATH, list, NULL);
    ck_assert(strstr(r.out, "coupled") && !strstr(r.out, "fixedpoint") &&
              !strstr(r.out, "muon-quintic"));
    spow_run_free(&r);
    r = spawn(SPOW_INSPECT_PATH, list, NULL);
    ck_assert(strstr(r.out, "coupled") && strstr(r.out, "fixedpoint") &&
              strstr(r.out, "muon-quintic"));
    spow_run_free(&r);
}
END_TEST

/* ---- tables with a nested step (spow.h, SPOW_SCHEME_NESTED) ------------- */

/* The fixtures tests/data/nested_p1_2.json (spow-gen --p 1/2 --lo 1e-3 --hi
 * 1.001 --degree 8,8,16 --scheme nested: Sastre, Sastre, nested) and
 * nested_first_p1_2.json (--degree 16,8,8: the nested step first). */
static void data_path(char *path, size_t len, const char *file)
{
    snprintf(path, len, "%s/tests/data/%s", SPOW_SOURCE_DIR, file);
}

/* A copy of src in a fresh temporary file (name into path) with each edit's
 * first occurrence, in order, replaced; every edit must apply. */
static void edited_copy(char *path, const char *src, const char *const (*edit)[2], int nedit)
{
    char *text = spow_slurp(src, NULL);
    ck_assert_msg(text != NULL, "cannot read %s", src);
    for (int e = 0; e < nedit; e++) {
        char *at = strstr(text, edit[e][0]);
        ck_assert_msg(at != NULL, "edit '%s' does not apply to %s", edit[e][0], src);
        size_t head = (size_t)(at - text), from = strlen(edit[e][0]), to = strlen(edit[e][1]);
        char *out = malloc(strlen(text) - from + to + 1);
        ck_assert_ptr_nonnull(out);
        memcpy(out, text, head);
        memcpy(out + head, edit[e][1], to);
        strcpy(out + head + to, at + from);
        free(text);
        text = out;
    }
    strcpy(path, "/tmp/spow-t-nested-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    free(text);
}

START_TEST(test_nested_certificate)
{
    /* the exact maximum and the recomputed certificate of a table with a
     * nested step are the generator's max_rel_err_f64 (the certificate of
     * the blocks in "evaluation", the one spow-inspect carries; max_rel_err
     * is the larger of it and the monomials', 8.372783e-07 against
     * 8.370416e-07 in nested_p1_2.json) to its 7 printed digits: spow-gen
     * prints the bound rounded up, spow-inspect to nearest, so they differ
     * by at most one unit of the 7th digit, never downwards */
    const char *const files[] = { "nested_p1_2.json", "nested_first_p1_2.json" };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        data_path(path, sizeof path, files[i]);
        const double cert = file_key(path, "max_rel_err_f64");
        ck_assert_msg(file_key(path, "max_rel_err") >= cert, "%s: max_rel_err below %g", files[i],
                      cert);
        const double unit = pow(10.0, floor(log10(cert)) - 6);
        const char *const args[] = { "--json", path, "--format", "json", NULL };
        run r = inspect(args);
        spow_inspect_json j;
        report(&j, &r);
        ck_assert(num(&j, "certificate") == cert);
        const double found[] = { num(&j, "max_err_interval"), num(&j, "certificate_recomputed") };
        for (int w = 0; w < 2; w++)
            ck_assert_msg(found[w] <= cert && cert - found[w] <= 1.001 * unit,
                          "%s: %s %.7e vs certificate %.7e", files[i],
                          w ? "recomputed" : "exact maximum", found[w], cert);
        /* double follows exact at the last step; the nested step is
         * evaluated, not its blocks */
        const double f64 = last(spow_inspect_json_get(&j, "f64"), "max_err_interval");
        ck_assert_msg(fabs(f64 - cert) <= 1e-3 * cert, "%s: double %g", files[i], f64);
        spow_inspect_json_clear(&j);
        spow_run_free(&r);
    }
}
END_TEST

START_TEST(test_nested_refused)
{
    /* a tampered coefficient of the nested form no longer earns the table's
     * certificate, and malformed nested entries are refused, each with a
     * message saying what is wrong (exit 1 and 2 as for other tables) */
    static const struct {
        const char *const edit[2][2];
        int nedit, code;
        const char *says;
    } cases[] = {
        { { { "\"form\": [0.14845786680411832,", "\"form\": [0.1485," } }, 1, 1,
          "does not reproduce" },
        { { { "\"scheme\": \"nested\", \"sign\": 1,", "\"scheme\": \"nested\", \"k\": 4, \"sign\": 1," } },
          1, 2, "a nested form has no \"k\"" },
        { { { "\"scheme\": \"nested\", \"sign\": 1,", "\"scheme\": \"nested\", \"sign\": 0," } },
          1, 2, "\"sign\" must be 1 or -1" },
        { { { "\"scheme\": \"nested\", \"sign\": 1,", "\"scheme\": \"nested\", \"sign\": -2," } },
          1, 2, "\"sign\" must be a whole number in -1..1" },
        { { { "\"scheme\": \"nested\"", "\"scheme\": \"nest\"" } }, 1, 2,
          "must be \"sastre\" or \"nested\"" },
        { { { "\"form\": [0.14845786680411832, ", "\"form\": [" } }, 1, 2,
          "\"form\" (line 46) has 16 entries, expected 17" },
        { { { "\"form\": [0.14845786680411832,", "\"form\": [1e999," } }, 1, 2,
          "\"form\"[0] (line 46) must be a finite number" },
        /* the first step (degree 8) made nested, its form 17 numbers long */
        { { { "\"scheme\": \"sastre\", \"k\": 2,", "\"scheme\": \"nested\"," },
            { "\"form\": [10.115758512546543,", "\"form\": [1, 2, 3, 4, 5, 6, 7, 8, 10.115758512546543," } },
          2, 2, "step 1: not a nested form (degree 8" },
    };
    char src[512];
    data_path(src, sizeof src, "nested_p1_2.json");
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char path[64];
        edited_copy(path, src, cases[c].edit, cases[c].nedit);
        const char *args[] = { "--json", path, NULL };
        run r = inspect(args);
        remove(path);
        ck_assert_msg(spow_run_exit_code(&r) == cases[c].code, "case %zu: exit %d, stderr '%s'", c,
                      spow_run_exit_code(&r), r.err);
        ck_assert_msg(strstr(r.err, cases[c].says) != NULL, "case %zu: stderr '%s'", c, r.err);
        spow_run_free(&r);
    }
}
END_TEST

START_TEST(test_nested_matrix)
{
    /* libspow applies the tables (the nested step by its 4 products) to a
     * matrix: the GEMM calls are the cost model's and the per-value errors
     * against LAPACKE's SVD the exact scalar curve's, as for the shipped
     * tables (check_matrix_errors) */
    const char *const files[] = { "nested_p1_2.json", "nested_first_p1_2.json" };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        data_path(path, sizeof path, files[i]);
        const char *const args[] = { "--json", path, "--matrix", i ? "64x96" : "96x64", "--seed",
                                     "7", "--format", "json", "--grid", "20", NULL };
        run r = inspect(args);
        spow_inspect_json j;
        report(&j, &r);
        ck_assert_int_eq((int)num(&j, "gemms"), 20);
        const spow_inspect_json *mx = spow_inspect_json_get(&j, "matrix");
        const spow_inspect_json *calls = spow_inspect_json_get(mx, "gemm_calls");
        ck_assert(strstr(spow_inspect_json_get(mx, "engine")->string, "libspow") != NULL);
        ck_assert((int)num(calls, "f64") == 20 && (int)num(calls, "f32") == 20);
        check_matrix_errors(&j, files[i]);
        spow_inspect_json_clear(&j);
        spow_run_free(&r);
    }
}
END_TEST

SPOW_CHECK_TESTS("inspect", 900, test_certificate, test_broken_table_fails, test_published_half, test_matrix_gemms,
                 test_matrix_accuracy, test_bad_input, test_plot, test_outputs,
                 test_spowgen_refuses, test_nested_certificate, test_nested_refused,
                 test_nested_matrix)
