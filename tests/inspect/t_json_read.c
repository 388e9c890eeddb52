/* t_json_read.c -- the strict JSON reader: what it accepts, what it refuses
 * (with the line and column of the fault), and a spow-gen table read back
 * with every number exact. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "json_read.h"
#include "spow.h"
#include "spow_gen.h"
#include "check_main.h"

static int parse(spow_inspect_json *v, const char *text, char *err, size_t n)
{
    return spow_inspect_json_parse(v, text, strlen(text), err, n);
}

START_TEST(test_accepts)
{
    const char *text = " {\"a\": [1, -0.5, 2e3, 1E-2, 0, -0], \"s\": \"x\\n\\\"\\u00e9\\ud83d\\ude00\","
                       " \"t\": true, \"f\": false, \"z\": null, \"o\": {}, \"e\": [],"
                       " \"big\": 1e999, \"d\": 0.10000000000000001}\n";
    spow_inspect_json v;
    char err[200];
    ck_assert_int_eq(parse(&v, text, err, sizeof err), 0);
    ck_assert_int_eq(v.type, SPOW_INSPECT_JSON_OBJECT);
    ck_assert_uint_eq(v.n, 9);
    const spow_inspect_json *a = spow_inspect_json_get(&v, "a");
    ck_assert(a && a->type == SPOW_INSPECT_JSON_ARRAY && a->n == 6);
    const double want[] = { 1, -0.5, 2e3, 1e-2, 0, -0.0 };
    for (int i = 0; i < 6; i++)
        ck_assert(a->items[i].type == SPOW_INSPECT_JSON_NUMBER && a->items[i].number == want[i]);
    ck_assert(signbit(a->items[5].number));
    const spow_inspect_json *s = spow_inspect_json_get(&v, "s");
    ck_assert_str_eq(s->string, "x\n\"\xc3\xa9\xf0\x9f\x98\x80");
    ck_assert_int_eq(spow_inspect_json_get(&v, "t")->type, SPOW_INSPECT_JSON_TRUE);
    ck_assert_int_eq(spow_inspect_json_get(&v, "f")->type, SPOW_INSPECT_JSON_FALSE);
    ck_assert_int_eq(spow_inspect_json_get(&v, "z")->type, SPOW_INSPECT_JSON_NULL);
    ck_assert_uint_eq(spow_inspect_json_get(&v, "o")->n, 0);
    ck_assert_uint_eq(spow_inspect_json_get(&v, "e")->n, 0);
    /* spow-gen writes an infinite error as 1e999 */
    ck_assert(isinf(spow_inspect_json_get(&v, "big")->number));
    ck_assert(spow_inspect_json_get(&v, "d")->number == 0.1);
    ck_assert_ptr_null(spow_inspect_json_get(&v, "missing"));
    ck_assert_ptr_null(spow_inspect_json_get(a, "a"));
    spow_inspect_json_clear(&v);
}
END_TEST

START_TEST(test_refuses)
{
    static const char *const bad[] = {
        "",          "   ",         "{\"a\":1,}",     "[1,]",          "{\"a\" 1}",
        "{a:1}",     "01",          "1.",             ".5",            "-",
        "1e",        "+1",          "\"abc",          "\"\\x\"",       "\"\\u12\"",
        "\"\\ud800\"", "\"\\udc00x\"", "\"a\\u0000b\"", "tru",           "nul",
        "NaN",       "Infinity",    "[1] 2",          "{\"a\":1,\"a\":2}", "\"a\tb\"",
        "// c\n1",   "[1 2]",       "{\"a\":1 \"b\":2}", "[",           "{",
        "{\"a\":}",  "'a'",         "[1,,2]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        spow_inspect_json v;
        char err[200] = "";
        int rc = parse(&v, bad[i], err, sizeof err);
        ck_assert_msg(rc == SPOW_GEN_EARG, "accepted '%s'", bad[i]);
        ck_assert_msg(strncmp(err, "line ", 5) == 0 && strstr(err, "column") && strlen(err) > 22,
                      "'%s': unclear message '%s'", bad[i], err);
        ck_assert_int_eq(v.type, SPOW_INSPECT_JSON_NULL);   /* nothing left to clear */
    }
}
END_TEST

START_TEST(test_position)
{
    spow_inspect_json v;
    char err[200];
    ck_assert_int_eq(parse(&v, "{\n  \"a\": 1,\n  \"b\": ]\n}", err, sizeof err), SPOW_GEN_EARG);
    ck_assert_msg(strncmp(err, "line 3, column 8:", 17) == 0, "%s", err);
    ck_assert_int_eq(parse(&v, "[1,\n2,\n", err, sizeof err), SPOW_GEN_EARG);
    ck_assert_msg(strncmp(err, "line 3, column 1:", 17) == 0, "%s", err);
}
END_TEST

START_TEST(test_depth)
{
    char deep[300];
    int n = SPOW_INSPECT_JSON_MAX_DEPTH + 1;
    for (int i = 0; i < n; i++)
        deep[i] = '[';
    for (int i = 0; i < n; i++)
        deep[n + i] = ']';
    deep[2 * n] = '\0';
    spow_inspect_json v;
    char err[200];
    ck_assert_int_eq(parse(&v, deep, err, sizeof err), SPOW_GEN_EARG);
    ck_assert_ptr_nonnull(strstr(err, "nesting"));
    deep[0] = ' ';
    deep[2 * n - 1] = ' ';       /* one level less: accepted */
    ck_assert_int_eq(parse(&v, deep, err, sizeof err), 0);
    spow_inspect_json_clear(&v);
}
END_TEST

START_TEST(test_file)
{
    spow_inspect_json v;
    char err[200];
    ck_assert_int_eq(spow_inspect_json_read_file(&v, "/nonexistent/x.json", err, sizeof err),
                     SPOW_GEN_EIO);
    ck_assert_ptr_nonnull(strstr(err, "cannot open"));

    /* a shipped table read back: every number of its evaluation blocks must be
     * the double the compiled C table holds (the JSON prints 17 digits) */
    const char *path = SPOW_TABLES_DIR "/coupled_p1_2_lo1e-3.json";
    ck_assert_int_eq(spow_inspect_json_read_file(&v, path, err, sizeof err), 0);
    const spow_table *t = NULL;
    for (const spow_table *const *l = spow_table_list(); *l; l++)
        if (strcmp((*l)->name, spow_inspect_json_get(&v, "name")->string) == 0)
            t = *l;
    ck_assert_ptr_nonnull(t);
    const spow_inspect_json *ev = spow_inspect_json_get(&v, "evaluation");
    ck_assert(ev && ev->type == SPOW_INSPECT_JSON_ARRAY && ev->n == (size_t)t->steps);
    for (int k = 0; k < t->steps; k++) {
        const spow_inspect_json *st = &ev->items[k];
        const spow_inspect_json *ps = spow_inspect_json_get(st, "ps");
        ck_assert(ps && ps->n == (size_t)(t->step[k].blocks * (t->step[k].baby + 1)));
        for (size_t i = 0; i < ps->n; i++)
            ck_assert_msg(ps->items[i].number == t->step[k].ps[i], "step %d ps[%zu]: %a vs %a",
                          k, i, ps->items[i].number, t->step[k].ps[i]);
        ck_assert(spow_inspect_json_get(st, "alpha")->number == t->step[k].alpha);
        ck_assert(spow_inspect_json_get(st, "beta")->number == t->step[k].beta);
    }
    ck_assert_str_eq(spow_inspect_json_get(&v, "family")->string, "coupled");
    spow_inspect_json_clear(&v);
}
END_TEST

SPOW_CHECK_TESTS("json-read", 0, test_accepts, test_refuses, test_position, test_depth, test_file)
