/* cost_helper.h -- the GEMM count of a whole schedule, summed from the cost
 * model's per-step counts, for the tests of the cost model and the search. */
#ifndef SPOW_COST_HELPER_H
#define SPOW_COST_HELPER_H
#include "spow_gen.h"

/* GEMM calls of the K steps of degrees deg[0..K-1] for p = m/n. */
static inline int spow_test_gemms(const int *deg, int K, long m, long n)
{
    int total = 0;
    for (int k = 0; k < K; k++)
        total += spow_cost_step(deg[k], k, K, m, n);
    return total;
}

#endif /* SPOW_COST_HELPER_H */
