/* cost.h -- the GEMM cost model (cost.c). */
#ifndef SPOW_GEN_COST_H
#define SPOW_GEN_COST_H

#include "gen_common.h"

/* Products of the Paterson-Stockmeyer evaluation with baby steps s. */
int spow_cost_ps(int degree, int baby);
/* The baby-step count minimising the products (ties: the larger s). */
int spow_cost_best_baby(int degree);
/* Products to form G^ey and G^ex from G by shared repeated squaring (an
 * exponent of 0 is not needed). */
int spow_cost_powers(int ey, int ex);
/* GEMM calls of step k of K for p = m/n (Gram + g + powers + updates). */
int spow_cost_step(int degree, int k, int K, long m, long n);

#endif /* SPOW_GEN_COST_H */
