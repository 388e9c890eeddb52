/* poly.c -- polynomials with MPFR coefficients: bases, evaluation, real roots. */
#include <stdlib.h>
#include "spow_gen.h"

/* Through GMP's allocator, like every mpfr_init2: memory exhaustion is
 * handled one way in the whole core (GMP reports it and stops). */
static size_t vec_bytes(int n)
{
    return (size_t)(n > 0 ? n : 1) * sizeof(mpfr_t);
}

mpfr_t *spow_vec_init(int n, mpfr_prec_t prec)
{
    void *(*alloc)(size_t);
    mp_get_memory_functions(&alloc, NULL, NULL);
    mpfr_t *v = alloc(vec_bytes(n));
    for (int i = 0; i < n; i++) {
        mpfr_init2(v[i], prec);
        mpfr_set_zero(v[i], 1);
    }
    return v;
}

void spow_vec_clear(mpfr_t *v, int n)
{
    if (v == NULL)
        return;
    for (int i = 0; i < n; i++)
        mpfr_clear(v[i]);
    void (*release)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &release);
    release(v, vec_bytes(n));
}

/* T_0 = 1, T_1 = u, T_{k+1} = 2u T_k - T_{k-1}, carried as monomial rows. */
void spow_poly_cheb_to_mono(mpfr_t *a, mpfr_t *const c, int d, mpfr_prec_t prec)
{
    mpfr_t *prev = spow_vec_init(d + 1, prec);
    mpfr_t *cur = spow_vec_init(d + 1, prec);
    mpfr_t *next = spow_vec_init(d + 1, prec);
    mpfr_t tmp;
    mpfr_init2(tmp, prec);

    for (int i = 0; i <= d; i++)
        mpfr_set_zero(a[i], 1);
    mpfr_set_ui(prev[0], 1, MPFR_RNDN);                 /* T_0 */
    mpfr_add(a[0], a[0], c[0], MPFR_RNDN);
    if (d >= 1) {
        mpfr_set_ui(cur[1], 1, MPFR_RNDN);              /* T_1 */
        mpfr_add(a[1], a[1], c[1], MPFR_RNDN);
    }
    for (int k = 1; k < d; k++) {
        for (int i = 0; i <= d; i++) {
            mpfr_set_zero(next[i], 1);
            if (i >= 1)
                mpfr_mul_2ui(next[i], cur[i - 1], 1, MPFR_RNDN);
            mpfr_sub(next[i], next[i], prev[i], MPFR_RNDN);
        }
        for (int i = 0; i <= d; i++) {
            mpfr_mul(tmp, c[k + 1], next[i], MPFR_RNDN);
            mpfr_add(a[i], a[i], tmp, MPFR_RNDN);
            mpfr_swap(prev[i], cur[i]);
            mpfr_swap(cur[i], next[i]);
        }
    }
    mpfr_clear(tmp);
    spow_vec_clear(prev, d + 1);
    spow_vec_clear(cur, d + 1);
    spow_vec_clear(next, d + 1);
}

/* u^k = 2^{-k} sum_{j=0..k} binom(k, j) T_{|k-2j|}: summing over every j (not
 * half of them) counts the symmetric pairs twice and the middle term once,
 * which is exactly the textbook 2^{1-k} sum' with its halved T_0 term. */
void spow_poly_mono_to_cheb(mpfr_t *c, mpfr_t *const a, int d, mpfr_prec_t prec)
{
    mpfr_t term, binom;
    mpfr_inits2(prec, term, binom, (mpfr_ptr)0);
    for (int i = 0; i <= d; i++)
        mpfr_set_zero(c[i], 1);
    for (int k = 0; k <= d; k++) {
        mpfr_set_ui(binom, 1, MPFR_RNDN);
        for (int j = 0; j <= k; j++) {
            if (j > 0) {
                mpfr_mul_ui(binom, binom, (unsigned long)(k - j + 1), MPFR_RNDN);
                mpfr_div_ui(binom, binom, (unsigned long)j, MPFR_RNDN);
            }
            int idx = abs(k - 2 * j);
            mpfr_mul(term, a[k], binom, MPFR_RNDN);
            mpfr_div_2ui(term, term, (unsigned long)k, MPFR_RNDN);   /* 2^{-k} */
            mpfr_add(c[idx], c[idx], term, MPFR_RNDN);
        }
    }
    mpfr_clears(term, binom, (mpfr_ptr)0);
}

void spow_poly_horner(mpfr_t *r, int n, mpfr_t *const b, int nb, int bd, mpfr_t *const q,
                      int qd, mpfr_prec_t prec)
{
    const int top = (nb - 1) * qd + bd;     /* degree bound of the result */
    mpfr_t *acc = spow_vec_init(top + 1, prec);
    mpfr_t *nxt = spow_vec_init(top + 1, prec);
    mpfr_t tmp;
    mpfr_init2(tmp, prec);
    for (int j = nb - 1; j >= 0; j--) {
        /* acc = acc * q + B_j */
        for (int i = 0; i <= top; i++)
            mpfr_set_zero(nxt[i], 1);
        if (j < nb - 1)
            for (int i = 0; i + qd <= top; i++)
                for (int l = 0; l <= qd; l++) {
                    if (mpfr_zero_p(acc[i]) || i + l > top)
                        continue;
                    mpfr_mul(tmp, acc[i], q[l], MPFR_RNDN);
                    mpfr_add(nxt[i + l], nxt[i + l], tmp, MPFR_RNDN);
                }
        for (int i = 0; i <= bd; i++)
            mpfr_add(nxt[i], nxt[i], b[j * (bd + 1) + i], MPFR_RNDN);
        for (int i = 0; i <= top; i++)
            mpfr_swap(acc[i], nxt[i]);
    }
    for (int i = 0; i <= n; i++)
        mpfr_set(r[i], acc[i], MPFR_RNDN);
    mpfr_clear(tmp);
    spow_vec_clear(nxt, top + 1);
    spow_vec_clear(acc, top + 1);
}

void spow_poly_compose_linear(mpfr_t *r, mpfr_t *const a, int d, const mpfr_t scale,
                              const mpfr_t shift, mpfr_prec_t prec)
{
    /* q = shift + scale x, each kept at its own precision (exact copies) */
    mpfr_t q[2];
    mpfr_init2(q[0], mpfr_get_prec(shift));
    mpfr_init2(q[1], mpfr_get_prec(scale));
    mpfr_set(q[0], shift, MPFR_RNDN);
    mpfr_set(q[1], scale, MPFR_RNDN);
    spow_poly_horner(r, d, a, d + 1, 0, q, 1, prec);
    mpfr_clears(q[0], q[1], (mpfr_ptr)0);
}

void spow_poly_mul(mpfr_t *r, mpfr_t *const a, int da, mpfr_t *const b, int db)
{
    mpfr_t tmp;
    mpfr_init2(tmp, mpfr_get_prec(r[0]));
    for (int l = 0; l <= da + db; l++)
        mpfr_set_zero(r[l], 1);
    for (int i = 0; i <= da; i++)
        for (int j = 0; j <= db; j++) {
            mpfr_mul(tmp, a[i], b[j], MPFR_RNDN);
            mpfr_add(r[i + j], r[i + j], tmp, MPFR_RNDN);
        }
    mpfr_clear(tmp);
}

void spow_poly_eval_mono(mpfr_t r, mpfr_t *const a, int d, const mpfr_t x)
{
    mpfr_t acc;
    mpfr_init2(acc, mpfr_get_prec(r));
    mpfr_set(acc, a[d], MPFR_RNDN);
    for (int i = d - 1; i >= 0; i--)
        mpfr_fma(acc, acc, x, a[i], MPFR_RNDN);
    mpfr_set(r, acc, MPFR_RNDN);
    mpfr_clear(acc);
}

void spow_poly_eval_cheb(mpfr_t r, mpfr_t *const c, int d, const mpfr_t u)
{
    mpfr_t b0, b1, b2, twou;
    mpfr_prec_t prec = mpfr_get_prec(r);
    mpfr_inits2(prec, b0, b1, b2, twou, (mpfr_ptr)0);
    mpfr_mul_2ui(twou, u, 1, MPFR_RNDN);
    mpfr_set_zero(b1, 1);
    mpfr_set_zero(b2, 1);
    for (int k = d; k >= 1; k--) {
        mpfr_fms(b0, twou, b1, b2, MPFR_RNDN);
        mpfr_add(b0, b0, c[k], MPFR_RNDN);
        mpfr_swap(b2, b1);
        mpfr_swap(b1, b0);
    }
    mpfr_fms(b0, u, b1, b2, MPFR_RNDN);
    mpfr_add(r, b0, c[0], MPFR_RNDN);
    mpfr_clears(b0, b1, b2, twou, (mpfr_ptr)0);
}

/* p and p' at x. */
static void eval_with_derivative(mpfr_t v, mpfr_t dv, mpfr_t *const a, int d, const mpfr_t x)
{
    mpfr_set(v, a[d], MPFR_RNDN);
    mpfr_set_zero(dv, 1);
    for (int i = d - 1; i >= 0; i--) {
        mpfr_fma(dv, dv, x, v, MPFR_RNDN);
        mpfr_fma(v, v, x, a[i], MPFR_RNDN);
    }
}

/* The unique root of a monotone polynomial in [lo, hi] where it changes sign:
 * Newton steps kept inside the bracket, bisection when they leave it. */
static void root_in_bracket(mpfr_t root, mpfr_t *const a, int d, const mpfr_t lo_in,
                            const mpfr_t hi_in, int sign_lo, mpfr_prec_t prec)
{
    mpfr_t lo, hi, x, v, dv, step, width, tol;
    mpfr_inits2(prec, lo, hi, x, v, dv, step, width, tol, (mpfr_ptr)0);
    mpfr_set(lo, lo_in, MPFR_RNDN);
    mpfr_set(hi, hi_in, MPFR_RNDN);
    mpfr_add(x, lo, hi, MPFR_RNDN);
    mpfr_div_2ui(x, x, 1, MPFR_RNDN);
    /* tolerance relative to the bracket scale: the caller's intervals are O(1) */
    mpfr_sub(tol, hi, lo, MPFR_RNDN);
    mpfr_abs(tol, tol, MPFR_RNDN);
    mpfr_add_ui(tol, tol, 1, MPFR_RNDN);
    mpfr_div_2si(tol, tol, (long)prec - 8, MPFR_RNDN);

    for (int it = 0; it < 4 * (int)prec; it++) {
        eval_with_derivative(v, dv, a, d, x);
        if (mpfr_zero_p(v))
            break;
        if ((mpfr_sgn(v) > 0) == (sign_lo > 0))
            mpfr_set(lo, x, MPFR_RNDN);
        else
            mpfr_set(hi, x, MPFR_RNDN);
        mpfr_sub(width, hi, lo, MPFR_RNDN);
        mpfr_abs(width, width, MPFR_RNDN);
        if (mpfr_cmp(width, tol) <= 0)
            break;
        int newton_ok = 0;
        if (!mpfr_zero_p(dv)) {
            mpfr_div(step, v, dv, MPFR_RNDN);
            mpfr_sub(step, x, step, MPFR_RNDN);
            /* accept only strictly inside the bracket */
            if ((mpfr_cmp(step, lo) > 0 && mpfr_cmp(step, hi) < 0) ||
                (mpfr_cmp(step, hi) > 0 && mpfr_cmp(step, lo) < 0)) {
                mpfr_sub(width, step, x, MPFR_RNDN);
                mpfr_abs(width, width, MPFR_RNDN);
                mpfr_swap(x, step);
                newton_ok = 1;
                if (mpfr_cmp(width, tol) <= 0)
                    break;
            }
        }
        if (!newton_ok) {
            mpfr_add(x, lo, hi, MPFR_RNDN);
            mpfr_div_2ui(x, x, 1, MPFR_RNDN);
        }
    }
    mpfr_set(root, x, MPFR_RNDN);
    mpfr_clears(lo, hi, x, v, dv, step, width, tol, (mpfr_ptr)0);
}

/* Effective degree: leading zero coefficients dropped. */
static int true_degree(mpfr_t *const a, int d)
{
    while (d > 0 && mpfr_zero_p(a[d]))
        d--;
    return d;
}

int spow_poly_real_roots(mpfr_t *roots, mpfr_t *const a, int d, const mpfr_t lo,
                         const mpfr_t hi, mpfr_prec_t prec)
{
    d = true_degree(a, d);
    if (d <= 0)
        return 0;

    /* Critical points of p split [lo, hi] into pieces where p is monotone, so
     * each piece holds at most one root, found where the sign changes. */
    mpfr_t *da = spow_vec_init(d, prec);
    for (int i = 1; i <= d; i++)
        mpfr_mul_ui(da[i - 1], a[i], (unsigned long)i, MPFR_RNDN);
    mpfr_t *crit = spow_vec_init(d > 1 ? d - 1 : 1, prec);
    int ncrit = d > 1 ? spow_poly_real_roots(crit, da, d - 1, lo, hi, prec) : 0;

    mpfr_t *knot = spow_vec_init(ncrit + 2, prec);
    mpfr_set(knot[0], lo, MPFR_RNDN);
    for (int i = 0; i < ncrit; i++)
        mpfr_set(knot[i + 1], crit[i], MPFR_RNDN);
    mpfr_set(knot[ncrit + 1], hi, MPFR_RNDN);

    mpfr_t va, vb;
    mpfr_inits2(prec, va, vb, (mpfr_ptr)0);
    int nroots = 0;
    for (int i = 0; i <= ncrit; i++) {
        spow_poly_eval_mono(va, a, d, knot[i]);
        spow_poly_eval_mono(vb, a, d, knot[i + 1]);
        int sa = mpfr_sgn(va), sb = mpfr_sgn(vb);
        if (sa == 0) {
            /* a root exactly at an interior knot: report it once */
            if (i > 0 && (nroots == 0 || mpfr_cmp(roots[nroots - 1], knot[i]) != 0))
                mpfr_set(roots[nroots++], knot[i], MPFR_RNDN);
            continue;
        }
        if (sb == 0 || sa == sb)
            continue;
        root_in_bracket(roots[nroots++], a, d, knot[i], knot[i + 1], sa, prec);
    }
    mpfr_clears(va, vb, (mpfr_ptr)0);
    spow_vec_clear(knot, ncrit + 2);
    spow_vec_clear(crit, d > 1 ? d - 1 : 1);
    spow_vec_clear(da, d);
    return nroots;
}
