/* t_cli.c -- spow-gen as a user runs it: bad input is refused with a message,
 * an exit code, nothing on stdout and no file; output is deterministic; and
 * the JSON it emits, re-evaluated here independently, matches its certificate. */
#include <check.h>
#include <mpfr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check_main.h"
#include "json_keys.h"
#include "spow_spawn.h"

typedef spow_run run;

/* Runs spow-gen with args (NULL-terminated), capturing stdout and stderr. */
static run spow_gen(const char *const *args)
{
    return spow_run_program(SPOW_GEN_PATH, args, NULL);
}

START_TEST(test_bad_input)
{
    static const char *const bad[][8] = {
        { "--p", "1/0", NULL },           { "--p", "abc", NULL },
        { "--p", "1/2", "--lo", "0", NULL }, { "--p", "1/2", "--lo", "-1e-3", NULL },
        { "--p", "1/2", "--lo", "0.5", "--hi", "0.5", NULL },
        { "--p", "1/2", "--lo", "0.6", "--hi", "0.5", NULL },
        { "--p", "1/2", "--steps", "0", NULL },  { "--p", "1/2", "--steps", "-3", NULL },
        { "--p", "1/2", "--steps", "2x", NULL }, { "--p", "1/2", "--bogus", NULL },
        { "--p", "1/2", "--family", "nope", NULL }, { "--p", "1/2", "--degree", "0", NULL },
        { "--p", "1/2", "--degree", "17", NULL },   { "--p", "1/2", "--degree", "2,x", NULL },
        { "--p", "1/2", "--degree", "2,,4", NULL }, { "--p", "3/2", NULL },
        { "--p", "1/2", "--prec", "10", NULL },     { "--p", "1/2", "--format", "xml", NULL },
        { "--p", "1/2", "--steps", "3", "--target-err", "1e-6", NULL },
        { "--p", "1/2", "--margin", "2", NULL },    { "--p", NULL },
        { "--p", "1/2", "--lo", "nan", NULL },      { "--p", "1/2", "--hi", "inf", NULL },
        { "--p", "1/2", "--p", "1/3", NULL },       { "--lo", "1e-3", NULL },
        { "--p", "1/97", NULL },                    { "--p", "1/2", "extra", NULL },
        { "--p", "1/2", "--target-err", "0", NULL }, { "--p", "1/2", "--degree", "auto", "--steps", "3", NULL },
    };
    char path[64];
    snprintf(path, sizeof path, "/tmp/spow-cli-bad-%d.json", (int)getpid());
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        spow_run_refused(SPOW_GEN_PATH, bad[i], path, "spow-gen: ", 20);
}
END_TEST

START_TEST(test_help)
{
    run r = spow_gen((const char *[]){ "--help", NULL });
    ck_assert_int_eq(spow_run_exit_code(&r), 0);
    ck_assert_ptr_nonnull(strstr(r.out, "Usage: spow-gen"));
    ck_assert_ptr_nonnull(strstr(r.out, "--target-err"));
    spow_run_free(&r);
}
END_TEST

/* Fits that certify nothing useful, and an interval past what scaling can
 * reach, are written (they were asked for) but warned about on stderr; a
 * good fit says nothing there. */
START_TEST(test_warnings)
{
    run r = spow_gen((const char *[]){ "--p", "-2", "--degree", "4", "--steps", "3",
                                       "--format", "text", NULL });
    ck_assert_int_eq(spow_run_exit_code(&r), 0);
    ck_assert_msg(strstr(r.err, "warning: the certified max") != NULL, "stderr: '%s'", r.err);
    spow_run_free(&r);
    r = spow_gen((const char *[]){ "--p", "1/2", "--hi", "5", "--degree", "4", "--steps", "3",
                                   "--format", "text", NULL });
    ck_assert_int_eq(spow_run_exit_code(&r), 0);
    ck_assert_msg(strstr(r.err, "warning: --hi 5") != NULL, "stderr: '%s'", r.err);
    spow_run_free(&r);
    r = spow_gen((const char *[]){ "--p", "1/2", "--degree", "4,4,4,6", "--format", "text",
                                   NULL });
    ck_assert_int_eq(spow_run_exit_code(&r), 0);
    ck_assert_msg(r.err[0] == '\0', "a good fit warned: '%s'", r.err);
    spow_run_free(&r);
}
END_TEST

START_TEST(test_deterministic_and_atomic)
{
    const char *fmts[] = { "c", "json", "csv", "text" };
    for (int i = 0; i < 4; i++) {
        run a = spow_gen((const char *[]){ "--p", "-1/4", "--degree", "4,4,6", "--format", fmts[i], NULL });
        run b = spow_gen((const char *[]){ "--p", "-1/4", "--degree", "4,4,6", "--format", fmts[i], NULL });
        ck_assert_int_eq(spow_run_exit_code(&a), 0);
        ck_assert(a.out_len > 100 && a.out_len == b.out_len && memcmp(a.out, b.out, a.out_len) == 0);
        char path[64];
        snprintf(path, sizeof path, "/tmp/spow-cli-ok-%d", (int)getpid());
        run c = spow_gen((const char *[]){ "--p", "-1/4", "--degree", "4,4,6", "--format", fmts[i], "-o", path, NULL });
        ck_assert_int_eq(spow_run_exit_code(&c), 0);
        ck_assert_int_eq((int)c.out_len, 0);
        size_t n;
        char *file = spow_slurp(path, &n);
        ck_assert(file != NULL && n == a.out_len && memcmp(file, a.out, n) == 0);
        free(file);
        unlink(path);
        spow_run_free(&a);
        spow_run_free(&b);
        spow_run_free(&c);
    }
    /* the C output carries the command that made it */
    run c = spow_gen((const char *[]){ "--p", "2/4", "--degree", "4,4,4,6", "--format", "c", NULL });
    ck_assert_ptr_nonnull(strstr(c.out, "Regenerate: spow-gen --family coupled --p 1/2 --lo 1e-3"));
    ck_assert_ptr_nonnull(strstr(c.out, "Cost: 23 GEMM calls"));
    spow_run_free(&c);
}
END_TEST

START_TEST(test_json_independent_evaluation)
{
    run r = spow_gen((const char *[]){ "--p", "1/2", "--lo", "1e-3", "--degree", "2", "--steps", "6", "--format", "json", NULL });
    ck_assert_int_eq(spow_run_exit_code(&r), 0);
    const char *keys[] = { "p_num", "p_den", "lo", "hi", "family", "degree", "steps",
                           "coefficients", "max_rel_err", "step_errors", "gemms" };
    for (int i = 0; i < 11; i++)
        spow_test_key(r.out, keys[i]);
    const long m = (long)spow_test_num(r.out, "p_num"), n = (long)spow_test_num(r.out, "p_den");
    const int K = (int)spow_test_num(r.out, "steps");
    const double cert = spow_test_num(r.out, "max_rel_err");
    ck_assert(m == 1 && n == 2 && K == 6);
    ck_assert_msg(cert <= 3e-8, "certificate %g", cert);

    /* coefficients: [[c0, c1, c2], ...] ascending powers of t */
    double c[6][3];
    const char *p = strchr(spow_test_key(r.out, "coefficients"), '[') + 1;
    for (int k = 0; k < K; k++) {
        p = strchr(p, '[') + 1;
        for (int i = 0; i < 3; i++) {
            char *e;
            c[k][i] = strtod(p, &e);
            p = e + 1;
        }
    }
    /* x, y in 200-bit arithmetic on a dense log grid; the max over the grid can
     * only be below the certificate (up to printing: 7 digits), and the grid is
     * fine enough to come within 2% of it */
    mpfr_t s, x, y, t, g, e, best;
    mpfr_inits2(200, s, x, y, t, g, e, best, (mpfr_ptr)0);
    mpfr_set_zero(best, 1);
    const int N = 40000;
    for (int j = 0; j < N; j++) {
        mpfr_set_d(t, (double)j / (N - 1), MPFR_RNDN);
        mpfr_set_ui(s, 1000, MPFR_RNDN);
        mpfr_pow(s, s, t, MPFR_RNDN);
        mpfr_div_ui(s, s, 1000, MPFR_RNDN);
        mpfr_set(x, s, MPFR_RNDN);
        mpfr_set(y, s, MPFR_RNDN);
        for (int k = 0; k < K; k++) {
            mpfr_sqr(t, y, MPFR_RNDN);
            mpfr_set_d(g, c[k][2], MPFR_RNDN);
            mpfr_mul(g, g, t, MPFR_RNDN);
            mpfr_add_d(g, g, c[k][1], MPFR_RNDN);
            mpfr_mul(g, g, t, MPFR_RNDN);
            mpfr_add_d(g, g, c[k][0], MPFR_RNDN);
            mpfr_sqr(e, g, MPFR_RNDN);
            mpfr_mul(y, y, e, MPFR_RNDN);       /* y g^2 */
            mpfr_mul(x, x, g, MPFR_RNDN);       /* x g   */
        }
        mpfr_sqrt(e, s, MPFR_RNDN);
        mpfr_div(e, x, e, MPFR_RNDN);
        mpfr_sub_ui(e, e, 1, MPFR_RNDN);
        mpfr_abs(e, e, MPFR_RNDN);
        mpfr_max(best, best, e, MPFR_RNDN);
    }
    double ind = mpfr_get_d(best, MPFR_RNDN);
    ck_assert_msg(ind <= cert * (1 + 1e-6) && ind >= 0.98 * cert,
                  "independent max %.7e vs certificate %.7e", ind, cert);
    mpfr_clears(s, x, y, t, g, e, best, (mpfr_ptr)0);
    spow_run_free(&r);
}
END_TEST

SPOW_CHECK_TESTS("cli", 0, test_bad_input, test_help, test_warnings, test_deterministic_and_atomic,
                 test_json_independent_evaluation)
