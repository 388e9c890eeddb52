/* t_limits.c -- spow-gen at and past the edges of what it supports: the
 * largest denominator and the most negative p it accepts, the lowest
 * starting precision, the widest interval, the highest degree, and requests
 * beyond them (denominators above 64, p < -2, precision below 64 bits,
 * more than 64 steps or a degree list that long, a step count that can only
 * fit rounding noise).
 *
 * Beyond the limits: a clear refusal (a message, exit 2 for arguments,
 * exit 1 when the fit itself cannot be done), nothing on stdout and no file.
 * At the limits: a certificate that is never wrong.  Each emitted JSON table
 * is re-evaluated here from its monomial coefficients in 256-bit MPFR on a
 * dense log grid of [lo, hi] (as t_cli.c does for one table): the largest
 * |x/s^p - 1| found must not exceed max_rel_err, up to its printing (7
 * significant digits), and must come within a factor 2 of it, so that an
 * inflated certificate does not pass either.  The monomials are what a user
 * of the JSON evaluates; test_limits_certified's degree-16 case and the
 * 16,16 schedule of test_low_precision_start caught spow-gen printing the
 * monomials of the double-rounded blocks while certifying those of the
 * exact fit, up to 0.7% apart in error. */
#include <check.h>
#include <glob.h>
#include <mpfr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check_main.h"
#include "json_keys.h"
#include "spow_spawn.h"
#include "spow_gen.h"

typedef spow_run run;

/* spow-gen with args (NULL-terminated), stdout and stderr captured. */
static run spow_gen(const char *const *args)
{
    return spow_run_program(SPOW_GEN_PATH, args, NULL);
}

static void joined(char *buf, size_t n, const char *const *args)
{
    buf[0] = '\0';
    for (; *args; args++) {
        strncat(buf, *args, n - strlen(buf) - 2);
        strncat(buf, " ", n - strlen(buf) - 1);
    }
}

/* Refused with exit code `code`, a message containing `why`, nothing on
 * stdout and no output file. */
static void expect_refusal(const char *const *args, int code, const char *why)
{
    char path[64], what[512];
    const char *a[96];
    int n = 0;
    snprintf(path, sizeof path, "/tmp/spow-limits-%d.json", (int)getpid());
    for (; args[n]; n++)
        a[n] = args[n];
    a[n++] = "-o";
    a[n++] = path;
    a[n] = NULL;
    joined(what, sizeof what, args);
    run r = spow_gen(a);
    ck_assert_msg(spow_run_exit_code(&r) == code, "'%s': exit %d, want %d (%s)", what, spow_run_exit_code(&r),
                  code, r.err);
    ck_assert_msg(r.out_len == 0, "'%s': wrote to stdout", what);
    ck_assert_msg(strncmp(r.err, "spow-gen: ", 10) == 0 && strstr(r.err, why) != NULL,
                  "'%s': message '%s' does not say '%s'", what, r.err, why);
    struct stat st;
    ck_assert_msg(stat(path, &st) != 0, "'%s': created the output file", what);
    spow_run_free(&r);
}

START_TEST(test_beyond_the_limits)
{
    static char long_list[3 * 65 + 1];
    for (int i = 0; i < 65; i++)
        strcat(long_list, i ? ",2" : "2");
    static const struct {
        const char *args[8];
        const char *why;
    } cases[] = {
        { { "--p", "1/65", NULL }, "denominators above 64" },
        { { "--p", "1/97", NULL }, "denominators above 64" },
        /* a short decimal is m / 10^k: 16 digits make a denominator 10^16 */
        { { "--p", "0.0000000000000001", NULL }, "denominators above 64" },
        { { "--p", "3/64000000000000000000", NULL }, "is too large" },
        { { "--p", "-3", NULL }, "outside -2 <= p <= 1" },
        { { "--p", "-129/64", NULL }, "outside -2 <= p <= 1" },
        { { "--p", "5/4", NULL }, "outside -2 <= p <= 1" },
        { { "--p", "1/2", "--prec", "63", NULL }, "64..8192" },
        { { "--p", "1/2", "--prec", "8193", NULL }, "64..8192" },
        { { "--p", "1/2", "--degree", "17", NULL }, "degree 1..16" },
        { { "--p", "1/2", "--steps", "65", NULL }, "1..64" },
        { { "--p", "1/2", "--degree", long_list, NULL }, "at most 64" },
        { { "--p", "1/2", "--samples", "1000001", NULL }, "16..1000000" },
        { { "--p", "1/2", "--lo", "1e-13", NULL }, "[1e-12, 1e6]" },
        { { "--p", "1/2", "--hi", "1e7", NULL }, "[1e-12, 1e6]" },
        { { "--p", "1/2", "--margin", "1", NULL }, "[0, 1)" },
        { { "--p", "1/2", "--target-err", "1", NULL }, "(0, 1)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_refusal(cases[i].args, 2, cases[i].why);
}
END_TEST

/* Degree 1 converges only linearly, but 64 steps of it still drive the
 * error below anything 8192 bits resolve: every step past that point would
 * be fitted to rounding noise.  Refused (exit 1) after the escalation, in a
 * few seconds. */
START_TEST(test_steps_that_fit_noise)
{
    static const char *const args[] = { "--p", "1/2", "--degree", "1", "--steps", "64", NULL };
    expect_refusal(args, 1, "more steps would fit rounding noise");
}
END_TEST

/* ---- independent evaluation of an emitted table ---- */

typedef struct table_in {
    long m, n;
    int steps, deg[SPOW_GEN_MAX_STEPS];
    double lo, hi, cert, c[SPOW_GEN_MAX_STEPS][SPOW_GEN_MAX_DEGREE + 1];
} table_in;

/* "coefficients": [[c0, c1, ...], ...], ascending powers of t = y^2. */
static void parse_table(table_in *tb, const char *json)
{
    tb->m = (long)spow_test_num(json, "p_num");
    tb->n = (long)spow_test_num(json, "p_den");
    tb->steps = (int)spow_test_num(json, "steps");
    tb->lo = spow_test_num(json, "lo");
    tb->hi = spow_test_num(json, "hi");
    tb->cert = spow_test_num(json, "max_rel_err");
    ck_assert(tb->steps >= 1 && tb->steps <= SPOW_GEN_MAX_STEPS && tb->n >= 1);
    const char *p = strchr(spow_test_key(json, "coefficients"), '[') + 1;
    for (int k = 0; k < tb->steps; k++) {
        p = strchr(p, '[') + 1;
        const char *end = strchr(p, ']');
        int d = 0;
        while (p < end) {
            char *e;
            ck_assert(d <= SPOW_GEN_MAX_DEGREE);
            tb->c[k][d++] = strtod(p, &e);
            p = e;
            while (*p == ',' || *p == ' ')
                p++;
        }
        tb->deg[k] = d - 1;
        p = end + 1;
    }
}

/* max |x_K(s) / s^p - 1| over N log-spaced s in [lo, hi], both ends
 * included, in prec-bit arithmetic. */
static double independent_max(const table_in *tb, int N, mpfr_prec_t prec)
{
    mpfr_t s, x, y, t, g, e, best, lr, pw;
    mpfr_inits2(prec, s, x, y, t, g, e, best, lr, pw, (mpfr_ptr)0);
    mpfr_set_zero(best, 1);
    mpfr_set_d(lr, tb->hi, MPFR_RNDN);
    mpfr_div_d(lr, lr, tb->lo, MPFR_RNDN);
    for (int j = 0; j < N; j++) {
        /* s = lo (hi/lo)^(j/(N-1)) */
        mpfr_set_d(t, (double)j / (N - 1), MPFR_RNDN);
        mpfr_pow(s, lr, t, MPFR_RNDN);
        mpfr_mul_d(s, s, tb->lo, MPFR_RNDN);
        if (j == N - 1)
            mpfr_set_d(s, tb->hi, MPFR_RNDN);
        mpfr_set(x, s, MPFR_RNDN);
        mpfr_set(y, s, MPFR_RNDN);
        for (int k = 0; k < tb->steps; k++) {
            mpfr_sqr(t, y, MPFR_RNDN);
            mpfr_set_d(g, tb->c[k][tb->deg[k]], MPFR_RNDN);
            for (int i = tb->deg[k] - 1; i >= 0; i--) {
                mpfr_mul(g, g, t, MPFR_RNDN);
                mpfr_add_d(g, g, tb->c[k][i], MPFR_RNDN);
            }
            mpfr_pow_si(pw, g, tb->n, MPFR_RNDN);
            mpfr_mul(y, y, pw, MPFR_RNDN);              /* y g^n */
            mpfr_pow_si(pw, g, tb->n - tb->m, MPFR_RNDN);
            mpfr_mul(x, x, pw, MPFR_RNDN);              /* x g^(n-m) */
        }
        /* |x / s^p - 1| with s^p = s^(m/n) */
        mpfr_set_si(t, tb->m, MPFR_RNDN);
        mpfr_div_si(t, t, tb->n, MPFR_RNDN);
        mpfr_pow(e, s, t, MPFR_RNDN);
        mpfr_div(e, x, e, MPFR_RNDN);
        mpfr_sub_ui(e, e, 1, MPFR_RNDN);
        mpfr_abs(e, e, MPFR_RNDN);
        if (!mpfr_number_p(e))
            mpfr_set_inf(e, 1);
        mpfr_max(best, best, e, MPFR_RNDN);
    }
    double r = mpfr_get_d(best, MPFR_RNDU);
    mpfr_clears(s, x, y, t, g, e, best, lr, pw, (mpfr_ptr)0);
    return r;
}

/* Runs spow-gen --format json with args and checks its certificate. */
static void check_certificate(const char *const *args)
{
    const char *a[32];
    char what[512];
    int n = 0;
    for (; args[n]; n++)
        a[n] = args[n];
    a[n++] = "--format";
    a[n++] = "json";
    a[n] = NULL;
    joined(what, sizeof what, args);
    run r = spow_gen(a);
    ck_assert_msg(spow_run_exit_code(&r) == 0, "'%s': exit %d: %s", what, spow_run_exit_code(&r), r.err);
    table_in tb;
    parse_table(&tb, r.out);
    double ind = independent_max(&tb, 20000, 256);
    if (getenv("TU_VERBOSE"))
        printf("%-60s cert %.6e independent %.6e\n", what, tb.cert, ind);
    ck_assert_msg(ind <= tb.cert * (1 + 1e-6), "'%s': error %.9e found above the certificate "
                  "%.6e", what, ind, tb.cert);
    /* The grid holds both ends, where a minimax recurrence attains its
     * largest error or comes close (equioscillation), and is dense enough
     * inside: a certificate twice the error found is inflated. */
    ck_assert_msg(ind >= 0.5 * tb.cert, "'%s': certificate %.6e far above the error found, "
                  "%.6e", what, tb.cert, ind);
    spow_run_free(&r);
}

/* The shipped JSON tables: the monomials users evaluate stay within the
 * max_rel_err printed next to them. */
START_TEST(test_shipped_json)
{
    glob_t gl;
    ck_assert_int_eq(glob(SPOW_TABLES_DIR "/*.json", 0, NULL, &gl), 0);
    ck_assert_msg(gl.gl_pathc >= 2, "no tables in " SPOW_TABLES_DIR);
    for (size_t i = 0; i < gl.gl_pathc; i++) {
        char *json = spow_slurp(gl.gl_pathv[i], NULL);
        ck_assert_ptr_nonnull(json);
        table_in tb;
        parse_table(&tb, json);
        double ind = independent_max(&tb, 4000, 256);
        if (getenv("TU_VERBOSE"))
            printf("%-60s cert %.6e independent %.6e\n", gl.gl_pathv[i], tb.cert, ind);
        ck_assert_msg(ind <= tb.cert * (1 + 1e-6), "%s: error %.9e found above the "
                      "certificate %.6e", gl.gl_pathv[i], ind, tb.cert);
        free(json);
    }
    globfree(&gl);
}
END_TEST

/* The accepted extremes, each with an honest certificate. */
START_TEST(test_limits_certified)
{
    static const char *const cases[][12] = {
        /* the largest denominator: G^64 per step */
        { "--p", "1/64", "--degree", "2", "--steps", "4", NULL },
        /* the most negative p */
        { "--p", "-2", "--degree", "4", "--steps", "4", NULL },
        { "--p", "-127/64", "--degree", "4", "--steps", "3", NULL },
        /* the widest interval: a recurrence far from converged, error near 1 */
        { "--p", "1/2", "--lo", "1e-12", "--degree", "2", "--steps", "3", NULL },
        /* the highest degree */
        { "--p", "0", "--degree", "16", "--steps", "3", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_certificate(cases[i]);
}
END_TEST

/* Starting far below the default 256 bits: the precision is raised until
 * the coefficients stop changing, and the certificate holds whatever the
 * start, for schedules whose late steps resolve errors near 1e-17. */
START_TEST(test_low_precision_start)
{
    static const char *const cases[][12] = {
        { "--p", "1/2", "--prec", "64", "--degree", "4,4,4,6", NULL },
        { "--p", "1/2", "--prec", "64", "--degree", "16", "--steps", "3", NULL },
        { "--p", "-1/4", "--prec", "64", "--degree", "9,9,9", NULL },
        { "--p", "1/3", "--prec", "72", "--lo", "1e-2", "--degree", "16,16", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_certificate(cases[i]);
}
END_TEST

SPOW_CHECK_TESTS("limits", 300, test_beyond_the_limits, test_steps_that_fit_noise,
                 test_shipped_json, test_limits_certified, test_low_precision_start)
