/* cost.c -- GEMM calls of the matrix evaluation the runtime performs.
 *
 * Per step, on the small Gram side: one product for A = Y^T Y, the
 * Paterson-Stockmeyer products for g(A), the products that raise G = g(A) to
 * the powers the updates need, and one rectangular product per update (no Y
 * update in the last step; for p = 0, X and Y coincide and share one update).
 *
 * On an m x n input (m >= n) the Gram product and the updates are the
 * rectangular ones, each costing m/n small-side products; the runtime weighs
 * a shipped table the same way (runtime/src/table_find.c, test gen.shape).
 */
#include "spow_gen.h"

int spow_cost_ps(int degree, int baby)
{
    int blocks = (degree + baby - 1) / baby;
    return (baby - 1) + (blocks - 1);
}

int spow_cost_best_baby(int degree)
{
    int best = 1;
    for (int s = 1; s <= degree; s++)
        if (spow_cost_ps(degree, s) <= spow_cost_ps(degree, best))
            best = s;
    return best;
}

static int floor_log2(int e)
{
    int l = 0;
    while (e >>= 1)
        l++;
    return l;
}

static int popcount(int e)
{
    int c = 0;
    for (; e; e >>= 1)
        c += e & 1;
    return c;
}

int spow_cost_powers(int ey, int ex)
{
    int top = ey > ex ? ey : ex;
    if (top <= 1)
        return 0;
    /* G^2, G^4, ... up to the top bit, shared; then each exponent multiplies
     * the squares of its set bits together. */
    int cost = floor_log2(top);
    if (ey > 1)
        cost += popcount(ey) - 1;
    if (ex > 1 && ex != ey)
        cost += popcount(ex) - 1;
    return cost;
}

int spow_cost_g(int degree, int scheme)
{
    switch (spow_form_scheme(scheme, degree)) {
    case SPOW_SCHEME_NESTED:
        return SPOW_NESTED_PRODUCTS;
    case SPOW_SCHEME_SASTRE:
        return spow_sastre_products(degree);
    }
    return spow_cost_ps(degree, spow_cost_best_baby(degree));
}

int spow_cost_step(int degree, int k, int K, long m, long n)
{
    return spow_cost_step_scheme(degree, SPOW_SCHEME_PS, k, K, m, n);
}

int spow_cost_step_scheme(int degree, int scheme, int k, int K, long m, long n)
{
    int last = (k == K - 1);
    int cost = 1 + spow_cost_g(degree, scheme);
    if (m == 0) {
        /* X == Y: one update of power n (= 1) every step, the last included */
        return cost + spow_cost_powers((int)n, 0) + 1;
    }
    int ey = last ? 0 : (int)n;
    int ex = (int)(n - m);
    cost += spow_cost_powers(ey, ex);
    cost += (ey > 0) + (ex > 0);
    return cost;
}

int spow_cost_step_rect(int k, int K, long m, long n)
{
    if (m == 0)
        return 2;   /* the Gram product and the one shared update */
    return 1 + (k != K - 1) + (n - m > 0);
}

double spow_cost_shape(const int *degrees, int K, long m, long n, double aspect)
{
    double cost = 0.0;
    for (int k = 0; k < K; k++) {
        const int rect = spow_cost_step_rect(k, K, m, n);
        cost += (double)(spow_cost_step(degrees[k], k, K, m, n) - rect) + aspect * rect;
    }
    return cost;
}
