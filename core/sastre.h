/* sastre.h -- Sastre's product form of a step's g (sastre.c).
 *
 * With w = u - shift (u = alpha t + beta is the step's own map; moving it
 * costs no product) and P_j = w^j, a polynomial of degree 4k is formed as
 *
 *     y0 = P_k (a_1 P_1 + ... + a_k P_k)                          1 product
 *     g  = (y0 + b_1 P_1 + ... + b_k P_k) (sign y0 + c_2 P_2 + ... + c_k P_k)
 *          + e y0 + l_0 + l_1 P_1 + ... + l_k P_k                 1 product
 *
 * in k + 1 products (k - 1 more for P_2 .. P_k): degree 8 in 3, 12 in 4, 16
 * in 5, where Paterson-Stockmeyer needs 4, 5 and 6.  The coefficients of
 * w^(k+1) .. w^(4k) are 3k polynomial equations in the 3k unknowns a, b, c, e
 * (the l are free).  They need not have a real root, so a fitted g may have
 * no form; whether it has one depends on the shift.
 *
 * A step's form is stored as the doubles a_1..a_k, b_1..b_k, c_2..c_k, e,
 * l_0..l_k (4k + 1 of them), the sign and the shift (a multiple of 1/4), and
 * its blocks then hold exactly the polynomial these doubles define: that is
 * what the certificate covers and what libspow evaluates.
 */
#ifndef SPOW_GEN_SASTRE_H
#define SPOW_GEN_SASTRE_H

#include "recurrence.h"

/* k of the form for a degree (8 -> 2, 12 -> 3, 16 -> 4), 0 for a degree
 * without one. */
int spow_sastre_k(int degree);
/* Products the form spends on g: k + 1. */
int spow_sastre_products(int degree);
/* Doubles stored per form: 4k + 1. */
int spow_sastre_nform(int k);

/* Makes st (a fitted step whose degree has a form) evaluate by a Sastre form
 * of its g: alpha and beta are rounded to double (g unchanged in t), the
 * form with the smallest largest coefficient over the shifts -2, -1.75, ..,
 * 2 is solved (Levenberg-Marquardt in double from fixed pseudo-random
 * starts, so the result is reproducible), its coefficients are rounded to
 * double, the free terms l matched to g's at precision prec and rounded, and
 * the blocks set to the polynomial the form defines.  Returns 0, or
 * SPOW_GEN_ENOFORM when no real form was found (st then keeps its g, in the
 * rounded map), or SPOW_GEN_EARG for a degree without a form (st unchanged). */
int spow_sastre_set(spow_step_mp *st, mpfr_prec_t prec);

/* g(w) of a form in monomials of w (4k + 1 entries), at precision prec. */
void spow_sastre_poly_w(mpfr_t *g, int k, int sign, mpfr_t *const form, mpfr_prec_t prec);

#endif /* SPOW_GEN_SASTRE_H */
