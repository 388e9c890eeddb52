/* t_rational.c -- parsing and reducing the exponent p. */
#include <check.h>
#include "spow_gen.h"
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
        ck_assert_msg(spow_rational_parse(&m, &n, bad[i]) == SPOW_GEN_EARG, "'%s' accepted", bad[i]);
        ck_assert(m == 99 && n == 99);
    }
}
END_TEST

static Suite *rational_suite(void)
{
    Suite *s = suite_create("rational");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_good);
    tcase_add_test(tc, test_bad);
    suite_add_tcase(s, tc);
    return s;
}

SPOW_CHECK_MAIN(rational_suite)
