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
/* Products of g under an evaluation scheme: the form spow_form_scheme
 * gives the degree (nested.h), else Paterson-Stockmeyer. */
int spow_cost_g(int degree, int scheme);
/* GEMM calls of step k of K for p = m/n (Gram + g + powers + updates), g by
 * Paterson-Stockmeyer. */
int spow_cost_step(int degree, int k, int K, long m, long n);
/* The same with g by the given scheme. */
int spow_cost_step_scheme(int degree, int scheme, int k, int K, long m, long n);

/* Of those, the rectangular ones on a tall input: the Gram product and the
 * updates of Y and X. */
int spow_cost_step_rect(int k, int K, long m, long n);
/* Cost of a schedule on an input of the given aspect (long side over short
 * side, >= 1) in small-side products: rectangular products count aspect
 * each, the others 1 (aspect 1: the GEMM count). */
double spow_cost_shape(const int *degrees, int K, long m, long n, double aspect);

#endif /* SPOW_GEN_COST_H */
