/* nested.h -- the nested 4-product form of a degree-16 g (nested.c).
 *
 * With w = u - shift and w2 = w^2 (u = alpha t + beta, the step's own map),
 *
 *     y0 = w2 (a_1 w + a_2 w2)                                     1 product
 *     y1 = (y0 + b_1 w + b_2 w2) (y0 + c_2 w2) + e y0              1 product
 *     g  = (y1 + d_0 y0 + d_1 w + d_2 w2) (sign y1 + f_0 y0 + f_1 w + f_2 w2)
 *          + h_0 y0 + h_1 y1 + l_0 + l_1 w + l_2 w2                1 product
 *
 * degree 16 in 4 products with w2 (Sastre's form: 5, Paterson-Stockmeyer:
 * 6).  y1 is Sastre's degree-8 form; g squares it once more.  The 17
 * coefficients are stored in the order above (runtime spow.h,
 * SPOW_SCHEME_NESTED).  The polynomials this form reaches are a set of
 * dimension at most 16 inside the 17 of degree 16, so a fitted g has in
 * general no nested form: the step is fitted inside the set instead, a
 * non-convex weighted minimax problem, solved locally from fixed
 * pseudo-random starts (no claim of a global optimum).  The step then holds
 * exactly the polynomial the form's doubles define, which is what gets
 * certified and what libspow evaluates.
 */
#ifndef SPOW_GEN_NESTED_H
#define SPOW_GEN_NESTED_H

#include "recurrence.h"

#define SPOW_NESTED_DEGREE  16
#define SPOW_NESTED_NFORM   17
#define SPOW_NESTED_PRODUCTS 4

/* The evaluation a step of this degree gets when the table is fitted with
 * scheme (spow_fit_params.scheme): under SPOW_SCHEME_NESTED the nested form
 * for degree 16 and Sastre's for 8 and 12, under SPOW_SCHEME_SASTRE Sastre's
 * for 8, 12 and 16, and Paterson-Stockmeyer for every other degree. */
int spow_form_scheme(int scheme, int degree);

/* Doubles a step's form holds: 4k + 1 for Sastre's, 17 for the nested one,
 * 0 for Paterson-Stockmeyer. */
int spow_form_nform(int scheme, int form_k);

/* g(w) of a nested form in monomials of w (17 entries), at precision prec. */
void spow_nested_poly_w(mpfr_t *g, int sign, mpfr_t *const form, mpfr_prec_t prec);

/* The same in double (v as stored, w a point): what the fit evaluates. */
double spow_nested_eval_d(const double *v, int sign, double w);

/* Makes st (a fitted degree-16 step for y in [a, b], weight y^(1/n): the
 * coupled step's problem, coupled.c) evaluate by a nested form: alpha and
 * beta are rounded to double, the form is fitted in double to minimise
 * max |y^(1/n) g(y^2) - 1| on a Chebyshev grid of [a, b] (least squares
 * towards st's own g from each start, then Lawson's reweighting towards the
 * minimax), and the blocks set to the polynomial the best form's doubles
 * define.  Returns 0, SPOW_GEN_ENOMEM, or SPOW_GEN_EARG for a degree other
 * than 16 (st unchanged). */
int spow_nested_set(spow_step_mp *st, const mpfr_t a, const mpfr_t b, long n, mpfr_prec_t prec);

/* Sets st's blocks to the polynomial its form (Sastre's or nested, as
 * st->scheme says) defines, at precision prec. */
void spow_form_blocks(spow_step_mp *st, mpfr_prec_t prec);

#endif /* SPOW_GEN_NESTED_H */
