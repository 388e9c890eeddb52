/* remez.c -- the Remez exchange for weighted minimax, min_g max |w g - 1|.
 *
 * The textbook second algorithm: on a reference of d + 2 points solve the
 * linear system that makes the error alternate with equal magnitude E; move
 * the reference to the extrema of the new error; repeat until the extrema are
 * no larger than |E| (to a relative tolerance).  The basis is Chebyshev on
 * u in [-1, 1], which keeps the system well conditioned at any degree.
 */
#include <stdlib.h>
#include "spow_gen.h"

void spow_remez_init(spow_remez *r, const spow_remez_problem *pb, mpfr_t *const ref0,
                     mpfr_prec_t prec)
{
    r->pb = pb;
    r->prec = prec;
    r->n = pb->degree + 2;
    r->ref = spow_vec_init(r->n, prec);
    r->coef = spow_vec_init(pb->degree + 1, prec);
    for (int i = 0; i < r->n; i++)
        mpfr_set(r->ref[i], ref0[i], MPFR_RNDN);
    mpfr_inits2(prec, r->level, r->max_err, (mpfr_ptr)0);
    mpfr_set_inf(r->max_err, 1);
    mpfr_set_zero(r->level, 1);
    r->iterations = 0;
}

void spow_remez_clear(spow_remez *r)
{
    spow_vec_clear(r->ref, r->n);
    spow_vec_clear(r->coef, r->pb->degree + 1);
    mpfr_clears(r->level, r->max_err, (mpfr_ptr)0);
}

/* Gaussian elimination with partial pivoting on the n x (n+1) augmented
 * matrix m (row-major); the solution overwrites the last column. */
static int solve_linear(mpfr_t *m, int n, mpfr_prec_t prec)
{
    const int w = n + 1;
    mpfr_t f, tmp;
    mpfr_inits2(prec, f, tmp, (mpfr_ptr)0);
    int rc = 0;
    for (int col = 0; col < n; col++) {
        int piv = col;
        for (int i = col + 1; i < n; i++)
            if (mpfr_cmpabs(m[i * w + col], m[piv * w + col]) > 0)
                piv = i;
        if (mpfr_zero_p(m[piv * w + col])) {
            rc = SPOW_GEN_ECONVERGE;
            goto done;
        }
        if (piv != col)
            for (int j = 0; j < w; j++)
                mpfr_swap(m[piv * w + j], m[col * w + j]);
        for (int i = col + 1; i < n; i++) {
            mpfr_div(f, m[i * w + col], m[col * w + col], MPFR_RNDN);
            for (int j = col; j < w; j++) {
                mpfr_mul(tmp, f, m[col * w + j], MPFR_RNDN);
                mpfr_sub(m[i * w + j], m[i * w + j], tmp, MPFR_RNDN);
            }
        }
    }
    for (int i = n - 1; i >= 0; i--) {
        for (int j = i + 1; j < n; j++) {
            mpfr_mul(tmp, m[i * w + j], m[j * w + n], MPFR_RNDN);
            mpfr_sub(m[i * w + n], m[i * w + n], tmp, MPFR_RNDN);
        }
        mpfr_div(m[i * w + n], m[i * w + n], m[i * w + i], MPFR_RNDN);
    }
done:
    mpfr_clears(f, tmp, (mpfr_ptr)0);
    return rc;
}

/* e(u) = w(u) g(u) - 1 for the current coefficients. */
static void error_at(mpfr_t e, const spow_remez *r, const mpfr_t u)
{
    mpfr_t w;
    mpfr_init2(w, r->prec);
    r->pb->weight(w, u, r->pb->ctx);
    spow_poly_eval_cheb(e, r->coef, r->pb->degree, u);
    mpfr_mul(e, e, w, MPFR_RNDN);
    mpfr_sub_ui(e, e, 1, MPFR_RNDN);
    mpfr_clear(w);
}

/* Solve  sum_i c_i w(u_j) T_i(u_j) + (-1)^j E = 1  for c and E. */
static int solve_reference(spow_remez *r)
{
    const int d = r->pb->degree, n = r->n;
    mpfr_t *m = spow_vec_init(n * (n + 1), r->prec);
    mpfr_t *tk = spow_vec_init(d + 1, r->prec);
    mpfr_t w;
    mpfr_init2(w, r->prec);

    for (int j = 0; j < n; j++) {
        const mpfr_ptr u = r->ref[j];
        mpfr_t *row = m + j * (n + 1);
        r->pb->weight(w, u, r->pb->ctx);
        mpfr_set_ui(tk[0], 1, MPFR_RNDN);
        if (d >= 1)
            mpfr_set(tk[1], u, MPFR_RNDN);
        for (int k = 2; k <= d; k++) {
            mpfr_mul(tk[k], tk[k - 1], u, MPFR_RNDN);
            mpfr_mul_2ui(tk[k], tk[k], 1, MPFR_RNDN);
            mpfr_sub(tk[k], tk[k], tk[k - 2], MPFR_RNDN);
        }
        for (int k = 0; k <= d; k++)
            mpfr_mul(row[k], w, tk[k], MPFR_RNDN);
        mpfr_set_si(row[d + 1], (j % 2) ? -1 : 1, MPFR_RNDN);
        mpfr_set_ui(row[n], 1, MPFR_RNDN);
    }
    int rc = solve_linear(m, n, r->prec);
    if (rc == 0) {
        for (int k = 0; k <= d; k++)
            mpfr_set(r->coef[k], m[k * (n + 1) + n], MPFR_RNDN);
        mpfr_abs(r->level, m[(d + 1) * (n + 1) + n], MPFR_RNDN);
    }
    mpfr_clear(w);
    spow_vec_clear(tk, d + 1);
    spow_vec_clear(m, n * (n + 1));
    return rc;
}

int spow_remez_step(spow_remez *r)
{
    const int d = r->pb->degree, n = r->n;
    const mpfr_prec_t prec = r->prec;
    int rc = solve_reference(r);
    if (rc)
        return rc;

    /* Candidates for the extrema: both ends and the interior critical points,
     * which are the real roots of the family's extremum polynomial. */
    mpfr_t *gm = spow_vec_init(d + 1, prec);
    mpfr_t *q = spow_vec_init(d + 1, prec);
    mpfr_t *cand = spow_vec_init(d + 2, prec);
    mpfr_t *val = spow_vec_init(d + 2, prec);
    mpfr_t lo, hi;
    mpfr_inits2(prec, lo, hi, (mpfr_ptr)0);
    mpfr_set_si(lo, -1, MPFR_RNDN);
    mpfr_set_si(hi, 1, MPFR_RNDN);

    spow_poly_cheb_to_mono(gm, r->coef, d, prec);
    r->pb->extremum_poly(q, gm, d, r->pb->ctx);
    mpfr_set(cand[0], lo, MPFR_RNDN);
    int nc = 1 + spow_poly_real_roots(cand + 1, q, d, lo, hi, prec);
    mpfr_set(cand[nc++], hi, MPFR_RNDN);

    /* Keep one point per run of equal sign (the largest), then trim the ends
     * to d + 2 points, dropping the smaller end each time. */
    int m = 0;
    mpfr_set_zero(r->max_err, 1);
    for (int i = 0; i < nc; i++) {
        error_at(val[m], r, cand[i]);
        if (mpfr_zero_p(val[m]))
            continue;
        if (mpfr_cmpabs(val[m], r->max_err) > 0)
            mpfr_abs(r->max_err, val[m], MPFR_RNDN);
        if (m > 0 && mpfr_sgn(val[m]) == mpfr_sgn(val[m - 1])) {
            if (mpfr_cmpabs(val[m], val[m - 1]) > 0) {
                mpfr_swap(val[m - 1], val[m]);
                mpfr_set(cand[m - 1], cand[i], MPFR_RNDN);
            }
            continue;
        }
        mpfr_set(cand[m], cand[i], MPFR_RNDN);
        m++;
    }
    int first = 0, last = m - 1;
    while (last - first + 1 > n) {
        if (mpfr_cmpabs(val[first], val[last]) < 0)
            first++;
        else
            last--;
    }
    if (last - first + 1 < n) {
        rc = SPOW_GEN_ECONVERGE;
    } else {
        for (int i = 0; i < n; i++)
            mpfr_set(r->ref[i], cand[first + i], MPFR_RNDN);
    }
    r->iterations++;
    mpfr_clears(lo, hi, (mpfr_ptr)0);
    spow_vec_clear(val, d + 2);
    spow_vec_clear(cand, d + 2);
    spow_vec_clear(q, d + 1);
    spow_vec_clear(gm, d + 1);
    return rc;
}

int spow_remez_converged(const spow_remez *r, const mpfr_t tol)
{
    mpfr_t gap;
    mpfr_init2(gap, r->prec);
    mpfr_sub(gap, r->max_err, r->level, MPFR_RNDN);
    mpfr_div(gap, gap, r->level, MPFR_RNDN);
    int ok = mpfr_number_p(gap) && mpfr_cmp(gap, tol) <= 0;
    mpfr_clear(gap);
    return ok;
}

int spow_remez_solve(spow_remez *r, int max_iter)
{
    /* Remez converges quadratically near the optimum, so a tolerance at a
     * third of the working precision leaves the coefficients exact to about
     * two thirds of it -- far beyond the double precision they are emitted in. */
    mpfr_t tol;
    mpfr_init2(tol, r->prec);
    mpfr_set_ui_2exp(tol, 1, -(long)(r->prec / 3), MPFR_RNDN);
    int rc = SPOW_GEN_ECONVERGE;
    for (int it = 0; it < max_iter; it++) {
        int s = spow_remez_step(r);
        if (s) {
            rc = s;
            break;
        }
        if (spow_remez_converged(r, tol)) {
            rc = 0;
            break;
        }
    }
    mpfr_clear(tol);
    return rc;
}

int spow_remez_alternation(mpfr_t *pts, const spow_remez *r)
{
    for (int i = 0; i < r->n; i++)
        mpfr_set(pts[i], r->ref[i], MPFR_RNDN);
    return r->n;
}
