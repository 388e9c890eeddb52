/* table_find.c -- the shipped table for a given p and interval (and shape). */
#include <math.h>

#include "spow_internal.h"

static long long gcd(long long a, long long b)
{
    if (a < 0)
        a = -a;
    if (b < 0)
        b = -b;
    while (b) {
        long long r = a % b;
        a = b;
        b = r;
    }
    return a;
}

/* num / den reduced with den > 0; long long so that INT_MIN / -1 is fine. */
static void reduce(long long *num, long long *den)
{
    long long d = gcd(*num, *den);

    *num /= d;
    *den /= d;
    if (*den < 0) {
        *num = -*num;
        *den = -*den;
    }
}

/* GEMMs of one apply of t on an m x n matrix (m >= n), in units of one
 * small-side (n x n x n) product, with the aspect a = m / n: each step's
 * Gram product and its one or two rectangular updates cost a, the rest of
 * its t->step[k].gemms (the polynomial on the small side) 1 each.  The
 * generator's search weighs schedules the same way (core/cost.c,
 * spow_cost_shape; test gen.shape checks they agree on every shipped table). */
double spow_table_shape_cost(const spow_table *t, double a)
{
    double cost = 0.0;
    int k;

    for (k = 0; k < t->steps; k++) {
        int ey, ex, rect;
        spow_step_exponents(&ey, &ex, t, k);
        rect = 1 + (ey != 0) + (ex != 0);
        if (spow_fixed_point(t)) /* Gram, update; X^a's Gram and product */
            rect = 2 + (k == 0 && spow_xa_exponent(t) > 0 ? 2 : 0);
        cost += (double)(t->step[k].gemms - rect) + a * rect;
    }
    return cost;
}

/* Whether t is a valid shipped table for p = n/d (reduced) covering [lo, 1]
 * (and, for a cost on an a:1 matrix, whose steps validate). */
static int covers(const spow_table *t, long long n, long long d, double lo, double a)
{
    long long tn = t->p_num, td = t->p_den;

    if (t->version != SPOW_TABLE_VERSION || td == 0)
        return 0;
    reduce(&tn, &td);
    if (tn != n || td != d || !(t->lo <= lo) || !(t->hi >= 1.0))
        return 0;
    return !(a > 0.0 && spow_validate_table(t) != SPOW_OK); /* its steps are read for the cost */
}

/* The shipped table for p whose interval covers [lo, 1] and whose
 * certificate is at most max_err: the cheapest on an a:1 matrix, then the
 * most accurate (a = 0: the most accurate only, among spow_table_list();
 * a > 0: spow_table_list_shape()'s too, and with target set
 * spow_table_list_target()'s). */
static const spow_table *pick(int p_num, int p_den, double lo, double a, double max_err,
                              int target)
{
    const spow_table *const *lists[3], *const *list;
    const spow_table *best = NULL;
    double best_cost = 0.0;
    long long n = p_num, d = p_den;
    int li;

    if (p_den == 0 || !(lo == lo))
        return NULL;
    lists[0] = spow_table_list();
    lists[1] = a > 0.0 ? spow_table_list_shape() : NULL;
    lists[2] = target ? spow_table_list_target() : NULL;
    reduce(&n, &d);
    for (li = 0; li < 3; li++) {
        for (list = lists[li]; list && *list; list++) {
            const spow_table *t = *list;
            double cost;
            if (!covers(t, n, d, lo, a) || !(t->max_rel_err <= max_err))
                continue;
            cost = a > 0.0 ? spow_table_shape_cost(t, a) : 0.0;
            if (!best || cost < best_cost
                || (cost == best_cost && t->max_rel_err < best->max_rel_err)) {
                best = t;
                best_cost = cost;
            }
        }
    }
    return best;
}

static double aspect(size_t rows, size_t cols)
{
    return rows >= cols ? (double)rows / (double)cols : (double)cols / (double)rows;
}

const spow_table *spow_table_find(int p_num, int p_den, double lo)
{
    return pick(p_num, p_den, lo, 0.0, HUGE_VAL, 0);
}

const spow_table *spow_table_find_shape(int p_num, int p_den, double lo,
                                        size_t rows, size_t cols)
{
    if (rows == 0 || cols == 0)
        return NULL;
    return pick(p_num, p_den, lo, aspect(rows, cols), HUGE_VAL, 0);
}

const spow_table *spow_table_find_target(int p_num, int p_den, double lo, double max_err,
                                         size_t rows, size_t cols)
{
    if (rows == 0 || cols == 0 || !(max_err > 0.0))
        return NULL;
    return pick(p_num, p_den, lo, aspect(rows, cols), max_err, 1);
}
