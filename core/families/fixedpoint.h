/* fixedpoint.h -- the fixed-point family's parts: the fit in double
 * (fixedpoint_fit.c), the interval certificate (fixedpoint_certify.c) and
 * its steps (fixedpoint.c). */
#ifndef SPOW_GEN_FIXEDPOINT_H
#define SPOW_GEN_FIXEDPOINT_H

#include "family.h"

#define SPOW_FIXEDPOINT_STARTS 16

/* The constants c[0..K-1] of y <- y - c_k (y^b - s^a) (p = a/b, a and b
 * odd) minimising the largest |y_K / s^p - 1| over a log-spaced grid of
 * [lo, hi].  Greedy: each c_k minimises the error after step k (a convex
 * problem in one variable, solved to double precision).  Joint (greedy = 0):
 * then the best of Nelder-Mead searches over all K constants started from
 * the greedy constants and from starts - 1 fixed pseudo-random ones
 * (starts <= 0: SPOW_FIXEDPOINT_STARTS), each on a 512-point grid, the
 * best judged on an 8192-point grid (where the greedy steps are fitted),
 * so it never ends worse than greedy there.  Deterministic: MPFR computes
 * every transcendental value, the rest is IEEE arithmetic.  0, or
 * SPOW_GEN_ENOMEM. */
int spow_fixedpoint_fit_constants(double *c, int K, long a, long b, const mpfr_t lo,
                                  const mpfr_t hi, int greedy, int starts);

/* Certifies rec (steps from spow_fixedpoint_push_steps) in place: an upper
 * bound on max |y_k / s^p - 1| over [lo, hi] after every step (err), and
 * an enclosure of y_k / s^p (y_lo, y_hi), by interval arithmetic on
 * subintervals of [lo, hi] bisected until the bound is within 2^-12
 * (relative) of a dense sample. */
int spow_fixedpoint_certify(spow_recurrence *rec);

/* Appends K steps with constants c[0..K-1] to rec (p = a/b with a, b odd,
 * 0 < a < b): g_k(t) = 1 - c_k t^((b-1)/2) in the Chebyshev basis of t
 * itself (alpha = 1, beta = 0), c_k kept as the step's one constant, the
 * GEMM counts set. */
void spow_fixedpoint_push_steps(spow_recurrence *rec, mpfr_t *const c, int K);

/* The GEMM count of step k (with degree, baby and blocks set) for p = a/b. */
int spow_fixedpoint_step_gemms(const spow_step_mp *st, int k, long a);

/* NULL when the family fits p = m/n, else why not (one line). */
const char *spow_fixedpoint_unsupported(long m, long n);

#endif /* SPOW_GEN_FIXEDPOINT_H */
