/* check_main.h -- the main() every test program of core/, gen/, inspect/
 * and cli/ shares: its tests in one test case, run, exit status 1 if any
 * failed.
 *
 *   SPOW_CHECK_TESTS("poly", 0, test_a, test_b)
 *
 * The second argument is the test case's timeout in seconds (0: Check's
 * default, which the ctest rule sets through CK_DEFAULT_TIMEOUT). */
#ifndef SPOW_CHECK_MAIN_H
#define SPOW_CHECK_MAIN_H
#include <check.h>
#include <stdlib.h>

static inline int spow_check_run(const char *name, double timeout, const TTest *const *tests,
                                 size_t n)
{
    Suite *s = suite_create(name);
    TCase *tc = tcase_create("core");
    if (timeout > 0)
        tcase_set_timeout(tc, timeout);
    for (size_t i = 0; i < n; i++)
        tcase_add_test(tc, tests[i]);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#define SPOW_CHECK_TESTS(name, timeout, ...)                                          \
    int main(void)                                                                    \
    {                                                                                 \
        const TTest *const tests[] = { __VA_ARGS__ };                                 \
        return spow_check_run(name, timeout, tests, sizeof tests / sizeof tests[0]); \
    }
#endif
