/* t_table_find.c -- spow_table_find and spow_table_find_shape against a
 * brute-force search.
 *
 * The oracle compares fractions by cross-multiplication (no reduction), so
 * it shares no code path with the runtime's gcd. */
#include <limits.h>
#include <math.h>
#include <stdio.h>

#include <check.h>

#include "check_run.h"
#include "testutil.h"

static int same_p(long long m1, long long n1, long long m2, long long n2)
{
    return n1 != 0 && n2 != 0 && m1 * n2 == m2 * n1;
}

static const spow_table *oracle(int m, int n, double lo)
{
    const spow_table *const *l, *best = NULL;

    for (l = spow_table_list(); *l; l++)
        if (same_p(m, n, (*l)->p_num, (*l)->p_den) && (*l)->lo <= lo && (*l)->hi >= 1.0
            && (!best || (*l)->max_rel_err < best->max_rel_err))
            best = *l;
    return best;
}

/* The shape cost of spow.h from the recurrence's definition: every step
 * forms one Gram matrix; p = 0 then updates the one matrix X = Y, other p
 * update X, and Y except in the last step. */
static double oracle_cost(const spow_table *t, double a)
{
    double cost = 0.0;
    int k;

    for (k = 0; k < t->steps; k++) {
        int rect = t->p_num == 0 ? 2 : k == t->steps - 1 ? 2 : 3;
        cost += a * rect + (t->step[k].gemms - rect);
    }
    return cost;
}

/* Over the shipped lists (the square tables and the 4:1 ones; with
 * max_err finite also the target ones), certificates at most max_err. */
static const spow_table *oracle_target(int m, int n, double lo, double a, double max_err)
{
    const spow_table *const *lists[3], *const *l, *best = NULL;
    int li;

    lists[0] = spow_table_list();
    lists[1] = spow_table_list_shape();
    lists[2] = isinf(max_err) ? NULL : spow_table_list_target();
    for (li = 0; li < 3; li++)
        for (l = lists[li]; l && *l; l++) {
            double c = oracle_cost(*l, a), cb = best ? oracle_cost(best, a) : 0.0;
            if (same_p(m, n, (*l)->p_num, (*l)->p_den) && (*l)->lo <= lo && (*l)->hi >= 1.0
                && (*l)->max_rel_err <= max_err
                && (!best || c < cb || (c == cb && (*l)->max_rel_err < best->max_rel_err)))
                best = *l;
        }
    return best;
}

static const spow_table *oracle_shape(int m, int n, double lo, double a)
{
    return oracle_target(m, n, lo, a, INFINITY);
}

static const char *name(const spow_table *t)
{
    return t ? t->name : "(none)";
}

START_TEST(every_shipped_table_is_found)
{
    const spow_table *const *l;

    for (l = spow_table_list(); *l; l++) {
        const spow_table *t = *l, *f = spow_table_find(t->p_num, t->p_den, t->lo);
        ck_assert_msg(f != NULL, "%s not found for its own p and lo", t->name);
        ck_assert_msg(same_p(f->p_num, f->p_den, t->p_num, t->p_den), "%s -> %s", t->name,
                      f->name);
        ck_assert_msg(f->max_rel_err <= t->max_rel_err, "%s -> %s, less accurate", t->name,
                      f->name);
        ck_assert_msg(f == spow_table_find(-t->p_num, -t->p_den, t->lo), "%s: -m/-n",
                      t->name);
        ck_assert_msg(f == spow_table_find(3 * t->p_num, 3 * t->p_den, t->lo), "%s: 3m/3n",
                      t->name);
        /* Shipped tables are reduced and carry consistent powers. */
        ck_assert_msg(t->y_power == t->p_den && t->x_power == t->p_den - t->p_num,
                      "%s: powers", t->name);
        ck_assert_msg(t->version == SPOW_TABLE_VERSION, "%s: version", t->name);
    }
}
END_TEST

/* m/n over a grid (both signs, unreduced), lo across and beyond the
 * shipped intervals. */
START_TEST(grid_matches_oracle)
{
    static const double los[] = {1e-9, 1e-4, 1e-3, 2e-3, 1e-2, 0.5, 1.0, 2.0};
    int m, n;
    size_t i;

    for (m = -8; m <= 8; m++)
        for (n = -16; n <= 16; n++) {
            if (n == 0)
                continue;
            for (i = 0; i < sizeof los / sizeof los[0]; i++) {
                const spow_table *f = spow_table_find(m, n, los[i]), *o = oracle(m, n, los[i]);
                /* Ties in max_rel_err may pick either; the error must match. */
                ck_assert_msg(f == o || (f && o && f->max_rel_err == o->max_rel_err),
                              "find(%d, %d, %g) = %s, oracle %s", m, n, los[i], name(f),
                              name(o));
            }
        }
}
END_TEST

/* The same grid on square, 4:1, 1:4 and very thin shapes (both lists).  For lo = 1e-2
 * both shipped tables of a p cover the request and the cheaper one (fewer
 * steps) differs from the more accurate one: a real choice. */
START_TEST(shape_grid_matches_oracle)
{
    static const double los[] = {1e-4, 1e-3, 2e-3, 1e-2, 0.5};
    static const size_t shapes[][2] = {{1, 1}, {4096, 1024}, {1024, 4096}, {100, 1}};
    int m, n, differs = 0;
    size_t i, j;

    for (m = -8; m <= 8; m++)
        for (n = 1; n <= 16; n++)
            for (i = 0; i < sizeof los / sizeof los[0]; i++)
                for (j = 0; j < 4; j++) {
                    size_t r = shapes[j][0], c = shapes[j][1];
                    double a = r > c ? (double)r / c : (double)c / r;
                    const spow_table *f = spow_table_find_shape(m, n, los[i], r, c);
                    const spow_table *o = oracle_shape(m, n, los[i], a);
                    ck_assert_msg(f == o || (f && o && oracle_cost(f, a) == oracle_cost(o, a)
                                             && f->max_rel_err == o->max_rel_err),
                                  "find_shape(%d, %d, %g, %zu, %zu) = %s, oracle %s", m, n,
                                  los[i], r, c, name(f), name(o));
                    differs += f != spow_table_find(m, n, los[i]);
                }
    ck_assert_msg(differs > 0, "find_shape never chose differently from find");
    ck_assert_ptr_null(spow_table_find_shape(1, 2, 1e-3, 0, 5));
    ck_assert_ptr_null(spow_table_find_shape(1, 2, 1e-3, 5, 0));
    ck_assert_ptr_null(spow_table_find_shape(1, 0, 1e-3, 5, 5));
    ck_assert_ptr_null(spow_table_find_shape(1, 2, NAN, 5, 5));
}
END_TEST

/* The 4:1 tables: spow_table_find never returns them (its choice is the
 * oracle over spow_table_list() alone, grid_matches_oracle), and
 * spow_table_find_shape returns them for 4:1 and 1:4 shapes at their p and
 * lo, while it keeps spow_table_find's choice on square inputs. */
START_TEST(shape_tables_for_4_to_1)
{
    const spow_table *const *l, *const *k;
    int n = 0;

    for (l = spow_table_list_shape(); *l; l++, n++) {
        const spow_table *t = *l;
        for (k = spow_table_list(); *k; k++)
            ck_assert_msg(*k != t, "%s is in both lists", t->name);
        ck_assert_ptr_ne(spow_table_find(t->p_num, t->p_den, t->lo), t);
        ck_assert_msg(spow_table_find_shape(t->p_num, t->p_den, t->lo, 4096, 1024) == t,
                      "4096x1024, p = %d/%d: %s, not %s", t->p_num, t->p_den,
                      name(spow_table_find_shape(t->p_num, t->p_den, t->lo, 4096, 1024)),
                      t->name);
        ck_assert_ptr_eq(spow_table_find_shape(t->p_num, t->p_den, t->lo, 1024, 4096), t);
        ck_assert_ptr_eq(spow_table_find_shape(t->p_num, t->p_den, t->lo, 1024, 1024),
                         spow_table_find(t->p_num, t->p_den, t->lo));
    }
    ck_assert_int_eq(n, 2); /* p = 0 and p = 1/2 at lo = 1e-3 (tables/regenerate.sh) */
}
END_TEST

/* spow_table_find_target over a grid of p, lo, targets and shapes
 * against the oracle; the target tables are returned by it alone, and
 * every one of them is what it returns for its own p, lo and target on
 * some shape or a more accurate table of no more products is. */
START_TEST(target_grid_matches_oracle)
{
    static const double los[] = {1e-4, 1e-3, 1e-2};
    static const double errs[] = {1e-1, 1e-2, 1e-3, 1e-6, 1e-12};
    static const size_t shapes[][2] = {{1, 1}, {4096, 1024}};
    const spow_table *const *l, *const *k;
    int m, n, cheaper = 0, count = 0;
    size_t i, e, j;

    for (m = -4; m <= 4; m++)
        for (n = 1; n <= 8; n++)
            for (i = 0; i < sizeof los / sizeof los[0]; i++)
                for (e = 0; e < sizeof errs / sizeof errs[0]; e++)
                    for (j = 0; j < 2; j++) {
                        size_t r = shapes[j][0], c = shapes[j][1];
                        double a = (double)r / (double)c;
                        const spow_table *f = spow_table_find_target(m, n, los[i], errs[e], r, c);
                        const spow_table *o = oracle_target(m, n, los[i], a, errs[e]);
                        const spow_table *d = spow_table_find_shape(m, n, los[i], r, c);
                        ck_assert_msg(f == o, "find_target(%d, %d, %g, %g, %zu, %zu) = %s, "
                                      "oracle %s", m, n, los[i], errs[e], r, c, name(f), name(o));
                        if (f && d && d->max_rel_err <= errs[e])
                            ck_assert(oracle_cost(f, a) <= oracle_cost(d, a));
                        cheaper += f && d && oracle_cost(f, a) < oracle_cost(d, a);
                    }
    ck_assert_msg(cheaper > 0, "find_target never found a cheaper table");
    for (l = spow_table_list_target(); *l; l++, count++) {
        const spow_table *t = *l, *f = spow_table_find_target(t->p_num, t->p_den, t->lo,
                                                               t->max_rel_err, 1, 1);
        for (k = spow_table_list(); *k; k++)
            ck_assert_msg(*k != t, "%s is in two lists", t->name);
        ck_assert_ptr_ne(spow_table_find(t->p_num, t->p_den, t->lo), t);
        ck_assert_msg(f == t || (f->gemms <= t->gemms && f->max_rel_err <= t->max_rel_err),
                      "%s: find_target on its own terms gives %s", t->name, name(f));
    }
    ck_assert_int_eq(count, 45); /* tables/regenerate.sh, target_configs */
    ck_assert_ptr_null(spow_table_find_target(1, 2, 1e-3, 0.0, 5, 5));
    ck_assert_ptr_null(spow_table_find_target(1, 2, 1e-3, -1.0, 5, 5));
    ck_assert_ptr_null(spow_table_find_target(1, 2, 1e-3, NAN, 5, 5));
    ck_assert_ptr_null(spow_table_find_target(1, 2, 1e-3, 1e-2, 0, 5));
    ck_assert_ptr_null(spow_table_find_target(1, 2, 1e-3, 1e-2, 5, 0));
    ck_assert_ptr_null(spow_table_find_target(1, 0, 1e-3, 1e-2, 5, 5));
}
END_TEST

START_TEST(degenerate_arguments)
{
    ck_assert_ptr_null(spow_table_find(1, 0, 1e-3));
    ck_assert_ptr_null(spow_table_find(0, 0, 1e-3));
    ck_assert_ptr_null(spow_table_find(1, 2, NAN));
    ck_assert_ptr_null(spow_table_find(INT_MIN, -1, 1e-3)); /* p = 2^31: nothing, no overflow */
    ck_assert_ptr_null(spow_table_find(INT_MAX, INT_MIN, 1e-3));
    ck_assert_ptr_null(spow_table_find(1, 97, 0.5));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("table_find");
    TCase *tc = tcase_create("core");
    printf("%d shipped tables\n", tu_count(spow_table_list()));
    tcase_add_test(tc, every_shipped_table_is_found);
    tcase_add_test(tc, grid_matches_oracle);
    tcase_add_test(tc, shape_grid_matches_oracle);
    tcase_add_test(tc, shape_tables_for_4_to_1);
    tcase_add_test(tc, target_grid_matches_oracle);
    tcase_add_test(tc, degenerate_arguments);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
