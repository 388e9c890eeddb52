/* t_exponent.c -- spow_p_check, the one statement of which p = m/n the
 * generator supports, at and past every edge. */
#include <check.h>
#include "spow_gen.h"
#include "check_main.h"

START_TEST(test_edges)
{
    static const struct { long m, n; spow_p_status want; } cases[] = {
        { 1, 1, SPOW_P_OK },      { 0, 1, SPOW_P_OK },     { -2, 1, SPOW_P_OK },
        { -128, 64, SPOW_P_OK },  { 63, 64, SPOW_P_OK },   { 1, 64, SPOW_P_OK },
        { 2, 1, SPOW_P_RANGE },   { 65, 64, SPOW_P_RANGE }, { -129, 64, SPOW_P_RANGE },
        { -3, 1, SPOW_P_RANGE },  { 1, 65, SPOW_P_DEN },   { 0, 65, SPOW_P_DEN },
        { 1, 0, SPOW_P_DEN },     { 1, -2, SPOW_P_DEN },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_msg(spow_p_check(cases[i].m, cases[i].n) == cases[i].want, "%ld/%ld",
                      cases[i].m, cases[i].n);
    ck_assert_int_eq(SPOW_GEN_MAX_DEN, 64);     /* the 64 spow-gen --help states */
}
END_TEST

SPOW_CHECK_TESTS("exponent", 0, test_edges)
