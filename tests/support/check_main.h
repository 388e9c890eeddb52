/* check_main.h -- the main() every test program shares: run one suite. */
#ifndef SPOW_CHECK_MAIN_H
#define SPOW_CHECK_MAIN_H
#include <check.h>
#include <stdlib.h>

#define SPOW_CHECK_MAIN(suite_fn)                                  \
    int main(void)                                                 \
    {                                                              \
        SRunner *sr = srunner_create(suite_fn());                  \
        srunner_run_all(sr, CK_NORMAL);                            \
        int failed = srunner_ntests_failed(sr);                    \
        srunner_free(sr);                                          \
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;               \
    }
#endif
