/* t_shape.c -- one cost by shape: the generator's (core/cost.c,
 * spow_cost_shape, which the schedule search weighs) and the runtime's
 * (runtime/src/table_find.c, which spow_table_find_shape weighs) agree on
 * every shipped table, square and 4:1, at several aspects; the 4:1 tables are
 * the cheaper ones at aspect 4. */
#include <check.h>
#include <string.h>
#include "check_main.h"
#include "spow_gen.h"
#include "spow_internal.h"

static int checked;

/* The generator's per-step products and rectangular products from the
 * table's degrees and p, against what the table stores and the runtime's
 * exponents; then the two shape costs, which are sums of the same terms in
 * the same order and so agree exactly. */
static void agree(const spow_table *t)
{
    static const double aspects[] = { 1.0, 1.5, 4.0, 7.25, 100.0 };
    int deg[64];
    ck_assert_int_le(t->steps, 64);
    for (int k = 0; k < t->steps; k++) {
        int ey, ex;
        deg[k] = t->step[k].degree;
        spow_step_exponents(&ey, &ex, t, k);
        ck_assert_int_eq(spow_cost_step(deg[k], k, t->steps, t->p_num, t->p_den),
                         t->step[k].gemms);
        ck_assert_int_eq(spow_cost_step_rect(k, t->steps, t->p_num, t->p_den),
                         1 + (ey != 0) + (ex != 0));
    }
    for (size_t i = 0; i < sizeof aspects / sizeof aspects[0]; i++) {
        const double a = aspects[i];
        const double gen = spow_cost_shape(deg, t->steps, t->p_num, t->p_den, a);
        ck_assert_msg(gen == spow_table_shape_cost(t, a), "%s at aspect %g: %g vs %g", t->name,
                      a, gen, spow_table_shape_cost(t, a));
    }
    ck_assert(spow_cost_shape(deg, t->steps, t->p_num, t->p_den, 1.0) == t->gemms);
    checked++;
}

START_TEST(test_costs_agree_on_every_shipped_table)
{
    checked = 0;
    int nlist = 0;
    for (const spow_table *const *l = spow_table_list(); *l; l++, nlist++)
        agree(*l);
    for (const spow_table *const *l = spow_table_list_shape(); *l; l++)
        agree(*l);
    ck_assert_int_ge(nlist, 24);
    ck_assert_int_ge(checked, nlist + 2);
}
END_TEST

START_TEST(test_shape_tables_are_cheaper_at_4)
{
    /* each ..._a4 table beats the square table of its p and lo at aspect 4
     * (what the search chose it for) and does not at aspect 1 */
    int n = 0;
    for (const spow_table *const *l = spow_table_list_shape(); *l; l++, n++) {
        const spow_table *t = *l, *sq = spow_table_find(t->p_num, t->p_den, t->lo);
        ck_assert_ptr_nonnull(sq);
        ck_assert_msg(strstr(t->name, "_a4") != NULL, "%s", t->name);
        ck_assert(spow_table_shape_cost(t, 4.0) < spow_table_shape_cost(sq, 4.0));
        ck_assert(spow_table_shape_cost(t, 1.0) >= spow_table_shape_cost(sq, 1.0));
        ck_assert(t->max_rel_err <= 1e-6 && t->lo == sq->lo && t->hi == sq->hi);
    }
    ck_assert_int_eq(n, 2);     /* p = 0 and p = 1/2: the others search to the square schedule */
}
END_TEST

SPOW_CHECK_TESTS("shape", 0, test_costs_agree_on_every_shipped_table,
                 test_shape_tables_are_cheaper_at_4)
