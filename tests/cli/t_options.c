/* t_options.c -- cli/options.c: the option loop both programs use (values
 * into their slots whatever the table order, twice/unknown/missing/stray
 * arguments refused with exit status 2, --help/--version/actions), and the
 * number parsers at their edges. */
#include <check.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "spow_cli.h"
#include "check_main.h"

static int usage_calls;
static void usage(FILE *f)
{
    (void)f;
    usage_calls++;
}

static int action_calls;
static int action(void)
{
    action_calls++;
    return 0;
}

static const spow_cli cli = { "t-options", usage };

typedef struct opts {
    const char *a, *bee, *c, *out;
} opts;

/* argv from a NULL-terminated list; getopt is re-initialised for each run */
static int run(opts *o, const char *const *args)
{
    char *argv[16];
    int argc = 0;
    argv[argc++] = "t-options";
    for (; *args; args++)
        argv[argc++] = (char *)*args;
    argv[argc] = NULL;
    memset(o, 0, sizeof *o);
    /* the order of the table is deliberately not alphabetical nor that of
     * the struct: slots are found by index, not by enum arithmetic */
    const spow_cli_option table[] = {
        { "c", &o->c, NULL }, { "list", NULL, action }, { "a", &o->a, NULL },
        { "bee", &o->bee, NULL },
    };
    optind = 0;
    FILE *saved = stderr;
    stderr = fopen("/dev/null", "w");
    int rc = spow_cli_parse(&cli, table, 4, &o->out, argc, argv);
    fclose(stderr);
    stderr = saved;
    return rc;
}

START_TEST(test_values_into_slots)
{
    opts o;
    const char *const args[] = { "--bee", "2", "--a", "x y", "-o", "f.txt", "--c=3", NULL };
    ck_assert_int_eq(run(&o, args), -1);
    ck_assert_str_eq(o.a, "x y");
    ck_assert_str_eq(o.bee, "2");
    ck_assert_str_eq(o.c, "3");
    ck_assert_str_eq(o.out, "f.txt");
    const char *const none[] = { NULL };
    ck_assert_int_eq(run(&o, none), -1);
    ck_assert(o.a == NULL && o.bee == NULL && o.c == NULL && o.out == NULL);
}
END_TEST

START_TEST(test_usage_errors)
{
    static const char *const bad[][4] = {
        { "--a", "1", "--a", "2" },     /* twice */
        { "-o", "x", "-o", "y" },       /* twice */
        { "--nope", NULL },             /* unknown */
        { "--a", NULL },                /* missing value */
        { "-o", NULL },
        { "stray", NULL },              /* positional */
        { "--a", "1", "stray", NULL },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *args[5] = { 0 };
        for (int k = 0; k < 4 && bad[i][k]; k++)
            args[k] = bad[i][k];
        opts o;
        ck_assert_msg(run(&o, args) == 2, "case %zu", i);
    }
}
END_TEST

START_TEST(test_informational)
{
    opts o;
    usage_calls = action_calls = 0;
    const char *const help[] = { "--a", "1", "--help", "--nope", NULL };
    ck_assert_int_eq(run(&o, help), 0);            /* help wins when it comes first */
    ck_assert_int_eq(usage_calls, 1);
    const char *const h[] = { "-h", NULL };
    ck_assert_int_eq(run(&o, h), 0);
    ck_assert_int_eq(usage_calls, 2);
    const char *const list[] = { "--list", NULL };
    ck_assert_int_eq(run(&o, list), 0);
    ck_assert_int_eq(action_calls, 1);
    const char *const late[] = { "--nope", "--list", NULL };
    ck_assert_int_eq(run(&o, late), 2);            /* the error comes first */
    ck_assert_int_eq(action_calls, 1);
}
END_TEST

START_TEST(test_version)
{
    /* "PROGRAM VERSION" on stdout, captured through a temporary file */
    opts o;
    FILE *tmp = tmpfile();
    ck_assert_ptr_nonnull(tmp);
    FILE *saved = stdout;
    stdout = tmp;
    const char *const v[] = { "--version", NULL };
    int rc = run(&o, v);
    fflush(stdout);
    stdout = saved;
    char line[64] = "";
    rewind(tmp);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, tmp));
    fclose(tmp);
    ck_assert_int_eq(rc, 0);
    ck_assert_msg(strncmp(line, "t-options ", 10) == 0 && line[10] >= '0' && line[10] <= '9',
                  "%s", line);
}
END_TEST

START_TEST(test_parse_long)
{
    long v = 7;
    ck_assert(spow_cli_parse_long(&v, "42", 1, 64) == 0 && v == 42);
    ck_assert(spow_cli_parse_long(&v, "-3", -3, 0) == 0 && v == -3);
    ck_assert(spow_cli_parse_long(&v, "64", 1, 64) == 0 && v == 64);
    v = 7;
    const char *bad[] = { "", "65", "0", "4x", "x", "1.5", "99999999999999999999999" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(spow_cli_parse_long(&v, bad[i], 1, 64) == -1 && v == 7, "'%s'", bad[i]);
    ck_assert(spow_cli_parse_long(&v, "9223372036854775807", 0, LONG_MAX) == 0 && v == LONG_MAX);
}
END_TEST

START_TEST(test_parse_double)
{
    double v = 7;
    ck_assert(spow_cli_parse_double(&v, "1e-6") == 0 && v == 1e-6);
    ck_assert(spow_cli_parse_double(&v, "-2.5") == 0 && v == -2.5);
    v = 7;
    const char *bad[] = { "", "inf", "nan", "1e999", "1x", "x", "1e-6 " };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(spow_cli_parse_double(&v, bad[i]) == -1 && v == 7, "'%s'", bad[i]);
}
END_TEST

SPOW_CHECK_TESTS("cli options", 0, test_values_into_slots, test_usage_errors, test_informational,
                 test_version, test_parse_long, test_parse_double)
