/* check_run.h -- the end of every runtime test's main(): run the suite,
 * exit status 0 when nothing failed.  C99 (the runtime tests' standard). */
#ifndef SPOW_CHECK_RUN_H
#define SPOW_CHECK_RUN_H

#include <check.h>

static int tu_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int nf;

    srunner_run_all(sr, CK_NORMAL);
    nf = srunner_ntests_failed(sr);
    srunner_free(sr);
    return nf == 0 ? 0 : 1;
}

#endif /* SPOW_CHECK_RUN_H */
