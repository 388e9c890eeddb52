/* t_rational.c -- parsing and reducing the exponent p. */
#include <check.h>
#include <limits.h>
#include <string.h>
#include "spow_cli.h"
#include "check_main.h"

START_TEST(test_good)
{
    static const struct { const char *s; long m, n; } cases[] = {
        { "1/2", 1, 2 },  { "-1/4", -1, 4 }, { "0", 0, 1 },    { "3/5", 3, 5 },
        { "2/4", 1, 2 },  { "6/-8", -3, 4 }, { "0.25", 1, 4 }, { "-0.5", -1, 2 },
        { "1", 1, 1 },    { "0/7", 0, 1 },   { "+2/6", 1, 3 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long m = 99, n = 99;
        ck_assert_msg(spow_rational_parse(&m, &n, cases[i].s) == 0, "'%s' refused", cases[i].s);
        ck_assert_msg(m == cases[i].m && n == cases[i].n, "'%s' -> %ld/%ld, want %ld/%ld",
                      cases[i].s, m, n, cases[i].m, cases[i].n);
    }
}
END_TEST

START_TEST(test_bad)
{
    static const char *bad[] = { "", "1/0", "abc", "1/2x", "/2", "1/", " 1/2", "1//2", "1.5.2",
                                 "0x10", "1e-1", "nan", "99999999999999999999999/2", "1/-0" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long m = 99, n = 99;
        ck_assert_msg(spow_rational_parse(&m, &n, bad[i]) == -1, "'%s' accepted", bad[i]);
        ck_assert(m == 99 && n == 99);
    }
}
END_TEST

START_TEST(test_reduce)
{
    static const struct { long m, n, rm, rn; } cases[] = {
        { 6, 8, 3, 4 },   { 6, -8, -3, 4 }, { -6, -8, 3, 4 }, { 0, 5, 0, 1 }, { 0, -5, 0, 1 },
        { 7, 1, 7, 1 },   { LONG_MAX, LONG_MAX, 1, 1 },        { 1, -1, -1, 1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long m = cases[i].m, n = cases[i].n;
        ck_assert_int_eq(spow_rational_reduce(&m, &n), 0);
        ck_assert_msg(m == cases[i].rm && n == cases[i].rn, "%ld/%ld -> %ld/%ld", cases[i].m,
                      cases[i].n, m, n);
    }
    static const long bad[][2] = { { 1, 0 }, { 0, 0 }, { LONG_MIN, 1 }, { 1, LONG_MIN } };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long m = bad[i][0], n = bad[i][1];
        ck_assert_int_eq(spow_rational_reduce(&m, &n), -1);
        ck_assert(m == bad[i][0] && n == bad[i][1]);
    }
}
END_TEST

/* A new user typing a huge denominator is told it is too large, not that it
 * is no number. */
START_TEST(test_why)
{
    static const char *large[] = { "1/99999999999999999999", "99999999999999999999",
                                   "-99999999999999999999/3", "0.99999999999999999999" };
    static const char *junk[] = { "", "abc", "1/0", "1/", "/2", "1/2x", "1e-1", "1/-0" };
    for (size_t i = 0; i < sizeof large / sizeof large[0]; i++) {
        long m, n;
        ck_assert_int_eq(spow_rational_parse(&m, &n, large[i]), -1);
        ck_assert_msg(strstr(spow_rational_why(large[i]), "too large") != NULL, "'%s': %s",
                      large[i], spow_rational_why(large[i]));
    }
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++)
        ck_assert_msg(strstr(spow_rational_why(junk[i]), "not a rational") != NULL, "'%s': %s",
                      junk[i], spow_rational_why(junk[i]));
}
END_TEST

SPOW_CHECK_TESTS("rational", 0, test_good, test_bad, test_reduce, test_why)
