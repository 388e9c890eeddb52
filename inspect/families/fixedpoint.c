/* fixedpoint.c -- the fixed-point family of the Muon^p paper's released code
 * (docs/mathematics.md section 6), as spow-inspect evaluates typed or
 * published constants.  For p = a/b with a and b odd the steps are the
 * generator's fixed-point family (core/families/fixedpoint.c: spow-gen fits
 * it, and its interval certificate applies); p = 1/2's two-constant form is
 * evaluated here only.
 *
 * The paper's X stays the normalized G and its Y iterates towards the fixed
 * point Y^b = X^a, p = a/b:
 *
 *     a, b odd:  Y <- Y - c (Y^b - X^a),   Y^b = (Y Y^T)^((b-1)/2) Y,
 *     p = 1/2:   Y <- Y - ((Y Y^T)^2 - X X^T)(c X + d Y),
 *
 * with one constant (c, or c and d) per step.  Per singular value s the state
 * starts at X = Y = s (our choice: the description says that X is the
 * normalized G and that Y iterates; we could not check the released code's
 * initial Y here, and Y = X is the one start that needs no extra product).
 * In the family interface the output is x, so the scalar x is the paper's Y
 * and the scalar y its X, which stays s.
 *
 * GEMM count (every product of two matrices is one GEMM; square matrices):
 *   a/b:  per step, Y Y^T, then (Y Y^T)^((b-1)/2) by repeated squaring
 *         (spow_cost_powers), then the product with Y; X^a is formed once
 *         (X X^T, its power, the product with X: nothing when a = 1) and
 *         charged to the first step.  p = 1/3: 2 per step, 12 for 6 steps.
 *   1/2:  per step, Y Y^T, its square, and the product with (c X + d Y);
 *         X X^T once, charged to the first step.  19 for 6 steps.
 * The linear combinations (Y - c D, c X + d Y) are not GEMMs.
 */
#include <stdio.h>
#include "spow_inspect.h"
#include "families/fixedpoint.h"

static int is_half(long m, long n)
{
    return m == 1 && n == 2;
}

static int supported(long m, long n)
{
    return is_half(m, n) || (m > 0 && m < n && (m & 1) && (n & 1));
}


static int fixedpoint_set_coef(spow_recurrence *rec, mpfr_t *const *coef, const int *ncoef,
                               int nsteps, char *msg, size_t msglen)
{
    const long m = rec->p_num, n = rec->p_den;
    if (!supported(m, n)) {
        snprintf(msg, msglen, "family fixedpoint evaluates p = a/b with a, b odd and 0 < a < b, "
                              "or p = 1/2; p = %ld/%ld is neither", m, n);
        return SPOW_GEN_EARG;
    }
    const int want = is_half(m, n) ? 2 : 1;
    for (int k = 0; k < nsteps; k++)
        if (ncoef[k] != want) {
            snprintf(msg, msglen, "family fixedpoint with p = %ld/%ld takes %s per step; step %d "
                                  "has %d number%s", m, n, want == 2 ? "two constants (c, d)" :
                                  "one constant c", k + 1, ncoef[k], ncoef[k] == 1 ? "" : "s");
            return SPOW_GEN_EARG;
        }
    if (!is_half(m, n)) {
        /* the generator's family: its steps, cost and certificate */
        mpfr_t *c = spow_vec_init(nsteps, rec->prec);
        for (int k = 0; k < nsteps; k++)
            mpfr_set(c[k], coef[k][0], MPFR_RNDN);
        rec->family = &spow_family_fixedpoint;
        spow_fixedpoint_push_steps(rec, c, nsteps);
        spow_vec_clear(c, nsteps);
        return 0;
    }
    for (int k = 0; k < nsteps; k++) {
        spow_step_mp *st = spow_recurrence_push(rec, 0);
        spow_step_alloc_consts(st, want, rec->prec);
        for (int i = 0; i < want; i++)
            mpfr_set(st->cst[i], coef[k][i], MPFR_RNDN);
        st->gemms = 3 + (k == 0);
    }
    return 0;
}

/* p = 1/2 only: the odd p are the generator's family's steps. */
static void fixedpoint_apply_step(mpfr_t x, mpfr_t y, const spow_recurrence *rec, int k)
{
    const spow_step_mp *st = &rec->step[k];
    mpfr_t r, w;
    mpfr_inits2(mpfr_get_prec(x), r, w, (mpfr_ptr)0);
    mpfr_sqr(r, x, MPFR_RNDN);
    mpfr_sqr(r, r, MPFR_RNDN);
    mpfr_sqr(w, y, MPFR_RNDN);
    mpfr_sub(r, r, w, MPFR_RNDN);                   /* y^4 - x^2 in the paper's names */
    mpfr_mul(w, st->cst[0], y, MPFR_RNDN);
    mpfr_fma(w, st->cst[1], x, w, MPFR_RNDN);       /* c x + d y */
    mpfr_mul(r, r, w, MPFR_RNDN);
    mpfr_sub(x, x, r, MPFR_RNDN);
    mpfr_clears(r, w, (mpfr_ptr)0);
}

/* The released constants (docs/mathematics.md section 6): one per p, for 6 steps. */
static const char *fixedpoint_published(long m, long n, int *steps)
{
    static const struct { long m, n; const char *coef; } table[] = {
        { 1, 3, "0.66" },  { 1, 5, "0.2" },   { 1, 7, "1/7" },        { 3, 5, "0.2" },
        { 1, 15, "1/15" }, { 13, 15, "1/15" }, { 1, 2, "3.0,-0.795918" },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].m == m && table[i].n == n) {
            *steps = 6;
            return table[i].coef;
        }
    return NULL;
}

static const spow_family fixedpoint_family = {
    .name = "fixedpoint",
    .summary = "Muon^p released form (evaluation only): Y <- Y - c (Y^b - X^a), p = a/b odd; "
               "p = 1/2: Y <- Y - ((YY^T)^2 - XX^T)(cX + dY)",
    .apply_step = fixedpoint_apply_step,    /* evaluation only: no fit, certificate or search */
};

const spow_inspect_family spow_inspect_fixedpoint = { &fixedpoint_family, fixedpoint_set_coef,
                                                       fixedpoint_published };
