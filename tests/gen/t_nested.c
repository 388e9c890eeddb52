/* t_nested.c -- spow-gen --scheme nested as a user runs it: the 20-product
 * table for p = 1/2, its regenerating command, and the refusals. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check_main.h"
#include "spow_spawn.h"

static spow_run spow_gen(const char *const *args)
{
    return spow_run_program(SPOW_GEN_PATH, args, NULL);
}

START_TEST(test_p12_in_20_products)
{
    /* The goal: p = 1/2 at lo = 1e-3 certified <= 1e-6 in at most 20
     * products (the shipped table: 23; --search with Sastre's forms: 21). */
    const char *args[] = { "--p", "1/2", "--lo", "1e-3", "--hi", "1.001", "--degree", "8,8,16",
                           "--scheme", "nested", "--format", "json", NULL };
    spow_run a = spow_gen(args);
    ck_assert_msg(spow_run_exit_code(&a) == 0, "%s", a.err);
    ck_assert_ptr_nonnull(strstr(a.out, "\"name\": \"coupled_p1_2_lo1e-3_nested\""));
    ck_assert_msg(spow_number_after(a.out, "\"gemms\": ") == 20, "%s", a.out);
    const double cert = spow_number_after(a.out, "\"max_rel_err\": ");
    const double f32 = spow_number_after(a.out, "\"max_rel_err_f32\": ");
    ck_assert_msg(cert > 0 && cert <= 1e-6, "certified %g", cert);
    ck_assert_msg(f32 >= cert, "float certificate %g below the double one %g", f32, cert);
    /* two Sastre steps, then the nested one with its 17 coefficients */
    const char *nested = strstr(a.out, "\"scheme\": \"nested\", \"sign\": ");
    ck_assert_ptr_nonnull(nested);
    ck_assert_ptr_null(strstr(nested + 1, "\"scheme\""));
    const char *form = strstr(nested, "\"form\": [");
    ck_assert_ptr_nonnull(form);
    int commas = 0;
    for (const char *c = form; *c && *c != ']'; c++)
        commas += *c == ',';
    ck_assert_int_eq(commas, 16);
    ck_assert_ptr_nonnull(strstr(a.out, "\"scheme\": \"sastre\", \"k\": 2"));

    /* the C table states the scheme and regenerates from its own command */
    const char *c_args[] = { "--p", "1/2", "--lo", "1e-3", "--hi", "1.001", "--degree", "8,8,16",
                             "--scheme", "nested", "--format", "c", NULL };
    spow_run c = spow_gen(c_args);
    ck_assert_msg(spow_run_exit_code(&c) == 0, "%s", c.err);
    ck_assert_ptr_nonnull(strstr(c.out, "SPOW_SCHEME_NESTED, 0, "));
    const char *cmd = "spow-gen --family coupled --p 1/2 --lo 1e-3 --hi 1.001 --degree 8,8,16 "
                      "--scheme nested --steps 3 --prec 256 --margin 0 --samples 2000 --format c";
    ck_assert_msg(strstr(c.out, cmd) != NULL, "%s", c.out);
    const char *again[] = { "--family", "coupled", "--p", "1/2", "--lo", "1e-3", "--hi", "1.001",
                            "--degree", "8,8,16", "--scheme", "nested", "--steps", "3", "--prec",
                            "256", "--margin", "0", "--samples", "2000", "--format", "c", NULL };
    spow_run d = spow_gen(again);
    ck_assert(c.out_len == d.out_len && memcmp(c.out, d.out, c.out_len) == 0);
    spow_run_free(&d);
    spow_run_free(&c);
    spow_run_free(&a);
}
END_TEST

START_TEST(test_refusals)
{
    static const char *const bad[][12] = {
        { "--p", "1/2", "--target-err", "1e-6", "--search", "--scheme", "nested", NULL },
        { "--p", "1/2", "--degree", "auto", "--scheme", "nested", NULL },
        { "--p", "1/2", "--degree", "16", "--scheme", "nest", NULL },
        { "--family", "fixed-point", "--p", "1/3", "--steps", "6", "--scheme", "nested", NULL },
        { "--p", "1/2", "--pareto", "--scheme", "nested", NULL },
    };
    char path[64];
    snprintf(path, sizeof path, "/tmp/spow-nested-bad-%d.out", (int)getpid());
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        spow_run_refused(SPOW_GEN_PATH, bad[i], path, "spow-gen: ", 20);
}
END_TEST

SPOW_CHECK_TESTS("nested-cli", 0, test_p12_in_20_products, test_refusals)
