/* remez.h -- the Remez exchange for weighted minimax (remez.c). */
#ifndef SPOW_GEN_REMEZ_H
#define SPOW_GEN_REMEZ_H

#include "gen_common.h"

/* Weighted minimax on u in [-1, 1]:  min over g in P_d of max |w(u) g(u) - 1|,
 * with g = sum_i c[i] T_i(u).  The weight enters through two callbacks so the
 * solver stays family-agnostic: w(u), and the polynomial q of degree d whose
 * real roots are the interior extrema of the error (the caller knows w'/w). */
typedef struct spow_remez_problem {
    int degree;
    void (*weight)(mpfr_t w, const mpfr_t u, const void *ctx);
    /* q[0..degree] (monomials of u) given the current g in monomials of u. */
    void (*extremum_poly)(mpfr_t *q, mpfr_t *const g_mono, int d, const void *ctx);
    const void *ctx;
} spow_remez_problem;

typedef struct spow_remez {
    const spow_remez_problem *pb;
    mpfr_prec_t prec;
    int n;              /* degree + 2 reference points */
    mpfr_t *ref;        /* reference u_0 < ... < u_{d+1} */
    mpfr_t *coef;       /* Chebyshev coefficients of g */
    mpfr_t level;       /* |E| of the last linear solve */
    mpfr_t max_err;     /* max |w g - 1| over [-1, 1] for the current g */
    int iterations;
} spow_remez;

/* init sets the reference (ascending, degree+2 points in [-1, 1]). */
void spow_remez_init(spow_remez *r, const spow_remez_problem *pb, mpfr_t *const ref0,
                     mpfr_prec_t prec);
void spow_remez_clear(spow_remez *r);
/* One exchange: solve on the reference, locate the extrema, exchange.
 * Returns 0, or SPOW_GEN_ECONVERGE when the error does not alternate. */
int spow_remez_step(spow_remez *r);
/* Converged when (max_err - level) <= tol * level. */
int spow_remez_converged(const spow_remez *r, const mpfr_t tol);
/* Iterates until converged or max_iter; returns 0 or SPOW_GEN_ECONVERGE. */
int spow_remez_solve(spow_remez *r, int max_iter);
/* Alternation points of the final error (degree+2 of them) and its sign at u_0. */
int spow_remez_alternation(mpfr_t *pts, const spow_remez *r);

#endif /* SPOW_GEN_REMEZ_H */
