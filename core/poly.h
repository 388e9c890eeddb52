/* poly.h -- polynomials with MPFR coefficients (poly.c). */
#ifndef SPOW_GEN_POLY_H
#define SPOW_GEN_POLY_H

#include "gen_common.h"

/* Monomial coefficients a[0..d] of sum_i c[i] T_i(u). */
void spow_poly_cheb_to_mono(mpfr_t *a, mpfr_t *const c, int d, mpfr_prec_t prec);
/* Chebyshev coefficients c[0..d] of sum_i a[i] u^i. */
void spow_poly_mono_to_cheb(mpfr_t *c, mpfr_t *const a, int d, mpfr_prec_t prec);
/* Horner on polynomials: monomial coefficients r[0..n] of sum_j B_j q^j,
 * over nb blocks B_j of degree bd (monomial coefficients b[j (bd + 1) + i])
 * and q of degree qd (q[0..qd]); n <= (nb - 1) qd + bd.  r may be b. */
void spow_poly_horner(mpfr_t *r, int n, mpfr_t *const b, int nb, int bd, mpfr_t *const q,
                      int qd, mpfr_prec_t prec);
/* Monomial coefficients r[0..d] of sum_i a[i] (scale x + shift)^i
 * (spow_poly_horner); r may be a. */
void spow_poly_compose_linear(mpfr_t *r, mpfr_t *const a, int d, const mpfr_t scale,
                              const mpfr_t shift, mpfr_prec_t prec);
/* r[0..da+db] = a[0..da] b[0..db]; r must alias neither. */
void spow_poly_mul(mpfr_t *r, mpfr_t *const a, int da, mpfr_t *const b, int db);
/* Horner: r = sum_i a[i] x^i. */
void spow_poly_eval_mono(mpfr_t r, mpfr_t *const a, int d, const mpfr_t x);
/* Clenshaw: r = sum_i c[i] T_i(u). */
void spow_poly_eval_cheb(mpfr_t r, mpfr_t *const c, int d, const mpfr_t u);
/* Real roots of sum_i a[i] x^i in the open interval (lo, hi), ascending, found by
 * isolating them between the roots of the derivative (Rolle).  Double roots
 * may be reported once or not at all; both are harmless for extremum search.
 * roots must hold d entries, initialised.  Returns the number found. */
int spow_poly_real_roots(mpfr_t *roots, mpfr_t *const a, int d,
                         const mpfr_t lo, const mpfr_t hi, mpfr_prec_t prec);

/* mpfr_t arrays with one init/clear pair. */
mpfr_t *spow_vec_init(int n, mpfr_prec_t prec);
void spow_vec_clear(mpfr_t *v, int n);

#endif /* SPOW_GEN_POLY_H */
