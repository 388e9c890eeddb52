/* recurrence.c -- a recurrence as a list of steps, each g held as
 * Paterson-Stockmeyer blocks in a Chebyshev basis of the step's interval. */
#include <stdlib.h>
#include <string.h>
#include "spow_gen.h"

void spow_recurrence_init(spow_recurrence *rec, const spow_family *fam, long p_num, long p_den,
                          const mpfr_t lo, const mpfr_t hi, mpfr_prec_t prec)
{
    rec->family = fam;
    rec->p_num = p_num;
    rec->p_den = p_den;
    rec->prec = prec;
    mpfr_inits2(prec, rec->lo, rec->hi, rec->max_rel_err, rec->sampled_err, (mpfr_ptr)0);
    mpfr_set(rec->lo, lo, MPFR_RNDN);
    mpfr_set(rec->hi, hi, MPFR_RNDN);
    mpfr_set_zero(rec->max_rel_err, 1);
    mpfr_set_zero(rec->sampled_err, 1);
    rec->steps = 0;
    rec->cap = 0;
    rec->step = NULL;
}

static void step_clear(spow_step_mp *st)
{
    mpfr_clears(st->t_lo, st->t_hi, st->alpha, st->beta, st->err, st->y_lo, st->y_hi,
                (mpfr_ptr)0);
    spow_vec_clear(st->ps, st->blocks * (st->baby + 1));
    if (st->cst != NULL)
        spow_vec_clear(st->cst, st->nconst);
    spow_step_drop_form(st);
}

void spow_recurrence_clear(spow_recurrence *rec)
{
    for (int k = 0; k < rec->steps; k++)
        step_clear(&rec->step[k]);
    void (*release)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &release);
    if (rec->step != NULL)
        release(rec->step, (size_t)rec->cap * sizeof *rec->step);
    mpfr_clears(rec->lo, rec->hi, rec->max_rel_err, rec->sampled_err, (mpfr_ptr)0);
}

spow_step_mp *spow_recurrence_push(spow_recurrence *rec, int degree)
{
    if (rec->steps == rec->cap) {
        int cap = rec->cap ? 2 * rec->cap : 8;
        /* GMP's allocator, as for every mpfr_init2 (see spow_vec_init) */
        void *(*alloc)(size_t);
        void *(*grow)(void *, size_t, size_t);
        mp_get_memory_functions(&alloc, &grow, NULL);
        rec->step = rec->step ? grow(rec->step, (size_t)rec->cap * sizeof *rec->step,
                                     (size_t)cap * sizeof *rec->step)
                              : alloc((size_t)cap * sizeof *rec->step);
        rec->cap = cap;
    }
    spow_step_mp *st = &rec->step[rec->steps++];
    st->degree = degree;
    st->baby = spow_cost_best_baby(degree);
    st->blocks = (degree + st->baby - 1) / st->baby;
    st->gemms = 0;
    mpfr_inits2(rec->prec, st->t_lo, st->t_hi, st->alpha, st->beta, st->err, st->y_lo,
                st->y_hi, (mpfr_ptr)0);
    st->ps = spow_vec_init(st->blocks * (st->baby + 1), rec->prec);
    st->nconst = 0;
    st->cst = NULL;
    st->form = NULL;
    spow_step_drop_form(st);
    return st;
}

void spow_step_drop_form(spow_step_mp *st)
{
    if (st->form != NULL)
        spow_vec_clear(st->form, spow_form_nform(st->scheme, st->form_k));
    st->form = NULL;
    st->scheme = SPOW_SCHEME_PS;
    st->form_k = st->form_sign = 0;
    st->form_shift = 0.0;
}

void spow_step_round_map(spow_step_mp *st, mpfr_prec_t prec)
{
    mpfr_t *gt = spow_vec_init(st->degree + 1, prec);
    spow_step_mono_t(gt, st, prec);
    mpfr_set_d(st->alpha, mpfr_get_d(st->alpha, MPFR_RNDN), MPFR_RNDN);
    mpfr_set_d(st->beta, mpfr_get_d(st->beta, MPFR_RNDN), MPFR_RNDN);
    spow_step_set_mono_t(st, gt, prec);
    spow_vec_clear(gt, st->degree + 1);
}

void spow_step_alloc_consts(spow_step_mp *st, int n, mpfr_prec_t prec)
{
    if (st->cst != NULL)
        spow_vec_clear(st->cst, st->nconst);
    st->nconst = n;
    st->cst = spow_vec_init(n, prec);
}

void spow_recurrence_pop(spow_recurrence *rec)
{
    if (rec->steps > 0)
        step_clear(&rec->step[--rec->steps]);
}

/* ---- from Chebyshev coefficients to blocks and back ---------------------- */

/* Monomial coefficients of T_s, in a new vector of s + 1 (spow_vec_clear). */
static mpfr_t *cheb_basis_mono(int s, mpfr_prec_t prec)
{
    mpfr_t *a = spow_vec_init(s + 1, prec);
    mpfr_t *e = spow_vec_init(s + 1, prec);
    mpfr_set_ui(e[s], 1, MPFR_RNDN);
    spow_poly_cheb_to_mono(a, e, s, prec);
    spow_vec_clear(e, s + 1);
    return a;
}

void spow_step_set_cheb(spow_step_mp *st, mpfr_t *const c, mpfr_prec_t prec)
{
    const int d = st->degree, s = st->baby, k = st->blocks;
    mpfr_t *p = spow_vec_init(d + 1, prec);
    mpfr_t *ts = cheb_basis_mono(s, prec);
    mpfr_t *rem = spow_vec_init(s + 1, prec);
    mpfr_t *rc = spow_vec_init(s + 1, prec);
    mpfr_t f, tmp;
    mpfr_inits2(prec, f, tmp, (mpfr_ptr)0);

    spow_poly_cheb_to_mono(p, c, d, prec);
    int deg = d;
    for (int j = 0; j < k; j++) {
        for (int i = 0; i <= s; i++)
            mpfr_set_zero(rem[i], 1);
        if (j == k - 1) {
            /* the top block keeps what is left, of degree <= s */
            for (int i = 0; i <= deg && i <= s; i++)
                mpfr_set(rem[i], p[i], MPFR_RNDN);
        } else {
            /* p = q T_s + r by long division; q overwrites p from index s up */
            for (int i = deg; i >= s; i--) {
                mpfr_div(f, p[i], ts[s], MPFR_RNDN);
                for (int l = 0; l <= s; l++) {
                    mpfr_mul(tmp, f, ts[l], MPFR_RNDN);
                    mpfr_sub(p[i - s + l], p[i - s + l], tmp, MPFR_RNDN);
                }
                mpfr_set(p[i], f, MPFR_RNDN);   /* quotient coefficient of u^{i-s} */
            }
            for (int i = 0; i < s; i++)
                mpfr_set(rem[i], p[i], MPFR_RNDN);
            for (int i = s; i <= deg; i++)
                mpfr_swap(p[i - s], p[i]);
            for (int i = deg - s + 1; i <= deg; i++)
                mpfr_set_zero(p[i], 1);
            deg -= s;
        }
        spow_poly_mono_to_cheb(rc, rem, s, prec);
        for (int i = 0; i <= s; i++)
            mpfr_set(st->ps[j * (s + 1) + i], rc[i], MPFR_RNDN);
    }
    mpfr_clears(f, tmp, (mpfr_ptr)0);
    spow_vec_clear(rc, s + 1);
    spow_vec_clear(rem, s + 1);
    spow_vec_clear(ts, s + 1);
    spow_vec_clear(p, d + 1);
}

void spow_step_mono_u(mpfr_t *a, const spow_step_mp *st, mpfr_prec_t prec)
{
    /* g(u) = sum_j B_j(u) T_s(u)^j, every block turned into monomials first */
    const int d = st->degree, s = st->baby, k = st->blocks;
    mpfr_t *ts = cheb_basis_mono(s, prec);
    mpfr_t *bm = spow_vec_init(k * (s + 1), prec);
    for (int j = 0; j < k; j++)
        spow_poly_cheb_to_mono(bm + j * (s + 1), st->ps + j * (s + 1), s, prec);
    spow_poly_horner(a, d, bm, k, s, ts, s, prec);
    spow_vec_clear(bm, k * (s + 1));
    spow_vec_clear(ts, s + 1);
}

void spow_step_cheb(mpfr_t *c, const spow_step_mp *st, mpfr_prec_t prec)
{
    mpfr_t *a = spow_vec_init(st->degree + 1, prec);
    spow_step_mono_u(a, st, prec);
    spow_poly_mono_to_cheb(c, a, st->degree, prec);
    spow_vec_clear(a, st->degree + 1);
}

void spow_step_mono_t(mpfr_t *a, const spow_step_mp *st, mpfr_prec_t prec)
{
    /* g(t) = sum_i b_i (alpha t + beta)^i */
    const int d = st->degree;
    mpfr_t *b = spow_vec_init(d + 1, prec);
    spow_step_mono_u(b, st, prec);
    spow_poly_compose_linear(a, b, d, st->alpha, st->beta, prec);
    spow_vec_clear(b, d + 1);
}

void spow_step_eval_g(mpfr_t g, const spow_step_mp *st, const mpfr_t t)
{
    /* Same order of operations as the runtime: baby steps, then Horner in T_s. */
    const int s = st->baby, k = st->blocks;
    const mpfr_prec_t prec = mpfr_get_prec(g);
    mpfr_t *tk = spow_vec_init(s + 1, prec);
    mpfr_t u, blk, acc, tmp;
    mpfr_inits2(prec, u, blk, acc, tmp, (mpfr_ptr)0);
    mpfr_fma(u, st->alpha, t, st->beta, MPFR_RNDN);
    mpfr_set_ui(tk[0], 1, MPFR_RNDN);
    mpfr_set(tk[1], u, MPFR_RNDN);
    for (int i = 2; i <= s; i++) {
        mpfr_mul(tk[i], u, tk[i - 1], MPFR_RNDN);
        mpfr_mul_2ui(tk[i], tk[i], 1, MPFR_RNDN);
        mpfr_sub(tk[i], tk[i], tk[i - 2], MPFR_RNDN);
    }
    mpfr_set_zero(acc, 1);
    for (int j = k - 1; j >= 0; j--) {
        mpfr_set_zero(blk, 1);
        for (int i = 0; i <= s; i++) {
            mpfr_mul(tmp, st->ps[j * (s + 1) + i], tk[i], MPFR_RNDN);
            mpfr_add(blk, blk, tmp, MPFR_RNDN);
        }
        if (j < k - 1)
            mpfr_mul(acc, acc, tk[s], MPFR_RNDN);
        mpfr_add(acc, acc, blk, MPFR_RNDN);
    }
    mpfr_set(g, acc, MPFR_RNDN);
    mpfr_clears(u, blk, acc, tmp, (mpfr_ptr)0);
    spow_vec_clear(tk, s + 1);
}

/* ---- rounding to the emitted formats ------------------------------------- */

static void round_to(mpfr_t dst, const mpfr_t src, mpfr_prec_t bits)
{
    /* round to a binary format of `bits` significand bits, kept in dst's precision */
    mpfr_t r;
    mpfr_init2(r, bits);
    mpfr_set(r, src, MPFR_RNDN);
    mpfr_set(dst, r, MPFR_RNDN);
    mpfr_clear(r);
}

static void round_vec(mpfr_t *dst, mpfr_t *const src, int n, mpfr_prec_t bits)
{
    for (int i = 0; i < n; i++)
        round_to(dst[i], src[i], bits);
}

void spow_recurrence_round(spow_recurrence *dst, const spow_recurrence *src, mpfr_prec_t bits)
{
    spow_recurrence_init(dst, src->family, src->p_num, src->p_den, src->lo, src->hi, src->prec);
    for (int k = 0; k < src->steps; k++) {
        const spow_step_mp *s = &src->step[k];
        spow_step_mp *d = spow_recurrence_push(dst, s->degree);
        d->baby = s->baby;
        d->blocks = s->blocks;
        d->gemms = s->gemms;
        mpfr_set(d->t_lo, s->t_lo, MPFR_RNDN);
        mpfr_set(d->t_hi, s->t_hi, MPFR_RNDN);
        round_to(d->alpha, s->alpha, bits);
        round_to(d->beta, s->beta, bits);
        if (s->form == NULL)
            round_vec(d->ps, s->ps, s->blocks * (s->baby + 1), bits);
        if (s->nconst > 0) {
            spow_step_alloc_consts(d, s->nconst, src->prec);
            round_vec(d->cst, s->cst, s->nconst, bits);
        }
        if (s->form != NULL) {
            /* the form is what gets evaluated: round it, and the blocks
             * are the polynomial it then defines */
            const int nf = spow_form_nform(s->scheme, s->form_k);
            d->scheme = s->scheme;
            d->form_k = s->form_k;
            d->form_sign = s->form_sign;
            d->form_shift = s->form_shift;      /* a multiple of 1/4 (nested: 0): exact */
            d->form = spow_vec_init(nf, src->prec);
            round_vec(d->form, s->form, nf, bits);
            spow_form_blocks(d, src->prec);
        }
    }
}

void spow_step_set_mono_t(spow_step_mp *st, mpfr_t *const a, mpfr_prec_t prec)
{
    /* g(u) = sum_i a_i ((u - beta) / alpha)^i */
    const int d = st->degree;
    mpfr_t *m = spow_vec_init(d + 1, prec);
    mpfr_t *c = spow_vec_init(d + 1, prec);
    mpfr_t inv, shift;
    mpfr_inits2(prec, inv, shift, (mpfr_ptr)0);
    mpfr_ui_div(inv, 1, st->alpha, MPFR_RNDN);
    mpfr_mul(shift, st->beta, inv, MPFR_RNDN);
    mpfr_neg(shift, shift, MPFR_RNDN);              /* t = inv u + shift */
    spow_poly_compose_linear(m, a, d, inv, shift, prec);
    spow_poly_mono_to_cheb(c, m, d, prec);
    spow_step_set_cheb(st, c, prec);
    mpfr_clears(inv, shift, (mpfr_ptr)0);
    spow_vec_clear(c, d + 1);
    spow_vec_clear(m, d + 1);
}

void spow_recurrence_round_mono(spow_recurrence *dst, const spow_recurrence *src, mpfr_prec_t bits)
{
    spow_recurrence_round(dst, src, bits);
    for (int k = 0; k < src->steps; k++) {
        const int d = src->step[k].degree;
        mpfr_t *a = spow_vec_init(d + 1, src->prec);
        spow_step_mono_t(a, &src->step[k], src->prec);
        round_vec(a, a, d + 1, bits);
        spow_step_set_mono_t(&dst->step[k], a, src->prec);
        spow_vec_clear(a, d + 1);
        spow_step_drop_form(&dst->step[k]);     /* g is what the monomials give */
    }
}

int spow_recurrence_same_f64(const spow_recurrence *a, const spow_recurrence *b)
{
    if (a->steps != b->steps)
        return 0;
    for (int k = 0; k < a->steps; k++) {
        const spow_step_mp *x = &a->step[k], *y = &b->step[k];
        if (x->degree != y->degree || x->baby != y->baby)
            return 0;
        if (mpfr_get_d(x->alpha, MPFR_RNDN) != mpfr_get_d(y->alpha, MPFR_RNDN) ||
            mpfr_get_d(x->beta, MPFR_RNDN) != mpfr_get_d(y->beta, MPFR_RNDN))
            return 0;
        for (int i = 0; i < x->blocks * (x->baby + 1); i++)
            if (mpfr_get_d(x->ps[i], MPFR_RNDN) != mpfr_get_d(y->ps[i], MPFR_RNDN))
                return 0;
        if (x->nconst != y->nconst)
            return 0;
        for (int i = 0; i < x->nconst; i++)
            if (mpfr_get_d(x->cst[i], MPFR_RNDN) != mpfr_get_d(y->cst[i], MPFR_RNDN))
                return 0;
        if (x->scheme != y->scheme || x->form_k != y->form_k || x->form_sign != y->form_sign ||
            x->form_shift != y->form_shift)
            return 0;
        for (int i = 0; x->form && i < spow_form_nform(x->scheme, x->form_k); i++)
            if (mpfr_get_d(x->form[i], MPFR_RNDN) != mpfr_get_d(y->form[i], MPFR_RNDN))
                return 0;
    }
    return 1;
}
