/* table_find.c -- the shipped table for a given p and interval. */
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

const spow_table *spow_table_find(int p_num, int p_den, double lo)
{
    const spow_table *const *list = spow_table_list();
    const spow_table *best = NULL;
    long long n = p_num, d = p_den;

    if (p_den == 0 || !(lo == lo) || !list)
        return NULL;
    reduce(&n, &d);
    for (; *list; list++) {
        const spow_table *t = *list;
        long long tn = t->p_num, td = t->p_den;
        if (t->version != SPOW_TABLE_VERSION || td == 0)
            continue;
        reduce(&tn, &td);
        if (tn != n || td != d || !(t->lo <= lo) || !(t->hi >= 1.0))
            continue;
        if (!best || t->max_rel_err < best->max_rel_err)
            best = t;
    }
    return best;
}
