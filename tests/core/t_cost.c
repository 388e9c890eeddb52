/* t_cost.c -- the GEMM cost model against the counts worked out by hand in
 * docs/mathematics.md section 5 (Paterson-Stockmeyer products and whole schedules). */
#include <check.h>
#include "spow_gen.h"
#include "check_main.h"
#include "cost_helper.h"

START_TEST(test_ps_products)
{
    /* d = 2: T^2; 4: T^2 and one Horner step; 6: three; 9: four */
    const int want[] = { 0, 0, 1, 2, 2, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6 };
    for (int d = 1; d <= 16; d++)
        ck_assert_msg(spow_cost_ps(d, spow_cost_best_baby(d)) == want[d],
                      "degree %d: %d products, want %d", d,
                      spow_cost_ps(d, spow_cost_best_baby(d)), want[d]);
}
END_TEST

START_TEST(test_design_schedules)
{
    /* docs/mathematics.md section 5: p = 1/2 in 21 GEMMs (6,9,9) and 23 (4,4,4,6); p = 0 in 18 (4,4,4,9) */
    ck_assert_int_eq(spow_test_gemms((int[]){ 6, 9, 9 }, 3, 1, 2), 21);
    ck_assert_int_eq(spow_test_gemms((int[]){ 4, 4, 4, 6 }, 4, 1, 2), 23);
    ck_assert_int_eq(spow_test_gemms((int[]){ 4, 4, 4, 9 }, 4, 0, 1), 18);
    /* degree 2 throughout for p = 1/2: 5 per step, 3 in the last */
    ck_assert_int_eq(spow_test_gemms((int[]){ 2, 2, 2, 2, 2, 2 }, 6, 1, 2), 28);
}
END_TEST

START_TEST(test_powers)
{
    ck_assert_int_eq(spow_cost_powers(2, 1), 1);   /* p = 1/2: G^2 */
    ck_assert_int_eq(spow_cost_powers(4, 3), 3);   /* p = 1/4: G^2, G^4, G^3 */
    ck_assert_int_eq(spow_cost_powers(4, 5), 3);   /* p = -1/4: G^2, G^4, G^5 */
    ck_assert_int_eq(spow_cost_powers(0, 5), 3);   /* last step of p = -1/4 */
    ck_assert_int_eq(spow_cost_powers(1, 1), 0);
    ck_assert_int_eq(spow_cost_powers(8, 9), 4);
}
END_TEST

SPOW_CHECK_TESTS("cost", 0, test_ps_products, test_design_schedules, test_powers)
