/* fixedpoint_certify.c -- an upper bound on the fixed-point family's error
 * over the whole interval, by interval arithmetic.
 *
 * [lo, hi] is cut into pieces [s1, s2].  On a piece, y_0 = s lies in
 * [s1, s2], and each step y <- q(y) + c s^a with q(y) = y g(y^2) maps an
 * enclosure of y to one of the new y: q's exact range on the old enclosure
 * (its values at the ends and at the roots of q' inside, every such value
 * widened by a bound on its rounding), plus c [s1^a, s2^a] rounded
 * outwards.  The enclosure of y_k / s^p then bounds the error after step k
 * on the whole piece.  The enclosures forget that y and s move together, so
 * they are wider than the true range by an amount proportional to the
 * piece; a piece whose bound after some step exceeds the dense sample's
 * maximum after that step (through the family's scalar step) by more than
 * 2^-12 relative is bisected, down to 2^-40 of [lo, hi] in log scale (or
 * until 2^18 pieces have been tried), where its bound is taken as it is:
 * never smaller than the truth, only less tight.
 *
 * Rounding: every value is computed at CERT_PREC bits.  The ends of the
 * enclosures that come from q's values are widened by 2^(12 - CERT_PREC)
 * (1 + |y|)^b (1 + sum |g_i|), above the error of Horner's rule on d + 1
 * terms for every degree up to 16; the roots of q' are accurate to about
 * 2^-CERT_PREC, where q is flat, so their values err by far less.  All other
 * operations are rounded outwards.
 */
#include <stdlib.h>
#include "spow_gen.h"
#include "fixedpoint.h"

#define CERT_PREC 128
#define START_PIECES 64
#define MAX_DEPTH 40
#define TOL_BITS 12
/* Pieces tried at most: a narrow peak the sample missed would otherwise be
 * bisected to MAX_DEPTH everywhere its bound exceeds the target. */
#define MAX_PIECES (1L << 18)

typedef struct cert_step {
    int d;
    mpfr_t *g;          /* g in t, monomials, d + 1 */
    mpfr_t *dq;         /* q'(y) = sum (2i + 1) g_i t^i, d + 1 */
    mpfr_t gabs;        /* 1 + sum |g_i| */
    mpfr_t c;
} cert_step;

typedef struct cert_ctx {
    int K;
    long a, b;
    cert_step *st;
    mpfr_t *target;     /* per step: sampled max, times 1 + 2^-TOL_BITS */
    mpfr_t *err, *rlo, *rhi;    /* per step: bound, enclosure of y_k / s^p */
    mpfr_t *roots;
    long pieces_left;
    /* scratch */
    mpfr_t yl, yh, t1, t2, v, w, e, xl, xh, pl, ph, ql, qh;
} cert_ctx;

/* q(y) = y g(y^2) */
static void q_at(mpfr_t r, const cert_step *cs, const mpfr_t y, mpfr_t t)
{
    mpfr_sqr(t, y, MPFR_RNDN);
    spow_poly_eval_mono(r, cs->g, cs->d, t);
    mpfr_mul(r, r, y, MPFR_RNDN);
}

/* [ql, qh] contains q([yl, yh]). */
static void q_range(cert_ctx *cx, const cert_step *cs)
{
    const int d = cs->d;
    mpfr_t *const cand = cx->roots;         /* d roots, then reused below */
    q_at(cx->ql, cs, cx->yl, cx->t1);
    mpfr_set(cx->qh, cx->ql, MPFR_RNDN);
    q_at(cx->v, cs, cx->yh, cx->t1);
    mpfr_min(cx->ql, cx->ql, cx->v, MPFR_RNDN);
    mpfr_max(cx->qh, cx->qh, cx->v, MPFR_RNDN);
    /* t = y^2 over the piece */
    mpfr_sqr(cx->t1, cx->yl, MPFR_RNDN);
    mpfr_sqr(cx->t2, cx->yh, MPFR_RNDN);
    if (mpfr_cmp(cx->t1, cx->t2) > 0)
        mpfr_swap(cx->t1, cx->t2);
    if (mpfr_sgn(cx->yl) <= 0 && mpfr_sgn(cx->yh) >= 0)
        mpfr_set_zero(cx->t1, 1);
    int nr = mpfr_cmp(cx->t1, cx->t2) < 0
                 ? spow_poly_real_roots(cand, cs->dq, d, cx->t1, cx->t2, CERT_PREC) : 0;
    for (int i = 0; i < nr; i++) {
        mpfr_sqrt(cx->w, cand[i], MPFR_RNDN);
        for (int sign = 0; sign < 2; sign++) {
            if (sign)
                mpfr_neg(cx->w, cx->w, MPFR_RNDN);
            if (mpfr_cmp(cx->w, cx->yl) < 0 || mpfr_cmp(cx->w, cx->yh) > 0)
                continue;
            q_at(cx->v, cs, cx->w, cx->t1);
            mpfr_min(cx->ql, cx->ql, cx->v, MPFR_RNDN);
            mpfr_max(cx->qh, cx->qh, cx->v, MPFR_RNDN);
        }
    }
    /* rounding: 2^(12 - CERT_PREC) (1 + max|y|)^b (1 + sum|g_i|) */
    mpfr_abs(cx->e, cx->yl, MPFR_RNDU);
    mpfr_abs(cx->w, cx->yh, MPFR_RNDU);
    mpfr_max(cx->e, cx->e, cx->w, MPFR_RNDU);
    mpfr_add_ui(cx->e, cx->e, 1, MPFR_RNDU);
    mpfr_pow_ui(cx->e, cx->e, (unsigned long)(2 * d + 1), MPFR_RNDU);
    mpfr_mul(cx->e, cx->e, cs->gabs, MPFR_RNDU);
    mpfr_mul_2si(cx->e, cx->e, 12 - CERT_PREC, MPFR_RNDU);
    mpfr_sub(cx->ql, cx->ql, cx->e, MPFR_RNDD);
    mpfr_add(cx->qh, cx->qh, cx->e, MPFR_RNDU);
}

/* Bounds on the piece [s1, s2] into err/rlo/rhi of every step (the largest
 * so far kept) when record; returns 1 if every step's bound is within its
 * target. */
static int piece_bound(cert_ctx *cx, const mpfr_t s1, const mpfr_t s2, int record)
{
    int ok = 1;
    mpfr_pow_ui(cx->xl, s1, (unsigned long)cx->a, MPFR_RNDD);
    mpfr_pow_ui(cx->xh, s2, (unsigned long)cx->a, MPFR_RNDU);
    mpfr_rootn_ui(cx->pl, cx->xl, (unsigned long)cx->b, MPFR_RNDD);
    mpfr_rootn_ui(cx->ph, cx->xh, (unsigned long)cx->b, MPFR_RNDU);
    mpfr_set(cx->yl, s1, MPFR_RNDD);
    mpfr_set(cx->yh, s2, MPFR_RNDU);
    for (int k = 0; k < cx->K; k++) {
        const cert_step *cs = &cx->st[k];
        q_range(cx, cs);
        if (mpfr_sgn(cs->c) >= 0) {
            mpfr_fma(cx->yl, cs->c, cx->xl, cx->ql, MPFR_RNDD);
            mpfr_fma(cx->yh, cs->c, cx->xh, cx->qh, MPFR_RNDU);
        } else {
            mpfr_fma(cx->yl, cs->c, cx->xh, cx->ql, MPFR_RNDD);
            mpfr_fma(cx->yh, cs->c, cx->xl, cx->qh, MPFR_RNDU);
        }
        /* y / s^p over the piece, s^p in [pl, ph] */
        mpfr_div(cx->v, cx->yl, mpfr_sgn(cx->yl) >= 0 ? cx->ph : cx->pl, MPFR_RNDD);
        mpfr_div(cx->w, cx->yh, mpfr_sgn(cx->yh) >= 0 ? cx->pl : cx->ph, MPFR_RNDU);
        mpfr_ui_sub(cx->t1, 1, cx->v, MPFR_RNDU);
        mpfr_sub_ui(cx->t2, cx->w, 1, MPFR_RNDU);
        mpfr_max(cx->t1, cx->t1, cx->t2, MPFR_RNDU);
        if (mpfr_nan_p(cx->t1))
            mpfr_set_inf(cx->t1, 1);
        ok &= mpfr_cmp(cx->t1, cx->target[k]) <= 0;
        if (record) {
            mpfr_max(cx->err[k], cx->err[k], cx->t1, MPFR_RNDU);
            mpfr_min(cx->rlo[k], cx->rlo[k], cx->v, MPFR_RNDD);
            mpfr_max(cx->rhi[k], cx->rhi[k], cx->w, MPFR_RNDU);
        }
    }
    return ok;
}

/* The piece [s1, s2]: recorded when its bound is tight enough or it is as
 * small as it gets, else bisected at the geometric mean. */
static void certify_piece(cert_ctx *cx, const mpfr_t s1, const mpfr_t s2, int depth)
{
    if (depth >= MAX_DEPTH || --cx->pieces_left <= 0 || piece_bound(cx, s1, s2, 0)) {
        piece_bound(cx, s1, s2, 1);
        return;
    }
    mpfr_t mid;
    mpfr_init2(mid, CERT_PREC);
    mpfr_mul(mid, s1, s2, MPFR_RNDN);
    mpfr_sqrt(mid, mid, MPFR_RNDN);
    certify_piece(cx, s1, mid, depth + 1);
    certify_piece(cx, mid, s2, depth + 1);
    mpfr_clear(mid);
}

int spow_fixedpoint_certify(spow_recurrence *rec)
{
    const int K = rec->steps;
    cert_ctx cx;
    cx.K = K;
    cx.a = rec->p_num;
    cx.b = rec->p_den;
    cx.pieces_left = MAX_PIECES;
    cx.st = K ? malloc((size_t)K * sizeof *cx.st) : NULL;
    if (K && cx.st == NULL) {
        mpfr_set_inf(rec->max_rel_err, 1);      /* no bound: nothing may claim one */
        return SPOW_GEN_ENOMEM;
    }
    mpfr_inits2(CERT_PREC, cx.yl, cx.yh, cx.t1, cx.t2, cx.v, cx.w, cx.e, cx.xl, cx.xh, cx.pl,
                cx.ph, cx.ql, cx.qh, (mpfr_ptr)0);
    int dmax = 1;
    for (int k = 0; k < K; k++) {
        cert_step *cs = &cx.st[k];
        const int d = rec->step[k].degree;
        dmax = d > dmax ? d : dmax;
        cs->d = d;
        cs->g = spow_vec_init(d + 1, CERT_PREC);
        cs->dq = spow_vec_init(d + 1, CERT_PREC);
        mpfr_inits2(CERT_PREC, cs->gabs, cs->c, (mpfr_ptr)0);
        spow_step_mono_t(cs->g, &rec->step[k], CERT_PREC);
        mpfr_set_ui(cs->gabs, 1, MPFR_RNDN);
        for (int i = 0; i <= d; i++) {
            mpfr_mul_ui(cs->dq[i], cs->g[i], (unsigned long)(2 * i + 1), MPFR_RNDN);
            mpfr_abs(cx.yl, cs->g[i], MPFR_RNDU);
            mpfr_add(cs->gabs, cs->gabs, cx.yl, MPFR_RNDU);
        }
        mpfr_set(cs->c, rec->step[k].cst[0], MPFR_RNDN);
    }
    cx.target = spow_vec_init(K + 1, CERT_PREC);
    cx.err = spow_vec_init(K + 1, CERT_PREC);
    cx.rlo = spow_vec_init(K + 1, CERT_PREC);
    cx.rhi = spow_vec_init(K + 1, CERT_PREC);
    cx.roots = spow_vec_init(dmax, CERT_PREC);
    for (int k = 0; k < K; k++) {
        mpfr_set_zero(cx.err[k], 1);
        mpfr_set_inf(cx.rlo[k], 1);
        mpfr_set_inf(cx.rhi[k], -1);
    }

    if (K == 0) {
        spow_certify_sample(rec->max_rel_err, cx.v, rec, 2000);    /* x = s: exact enough */
    } else {
        mpfr_t argmax, s1, s2, r, u;
        mpfr_inits2(CERT_PREC, argmax, s1, s2, r, u, (mpfr_ptr)0);
        for (int k = 0; k < K; k++) {
            spow_certify_sample_k(cx.target[k], argmax, rec, k + 1, 2000);
            mpfr_mul_2si(r, cx.target[k], -TOL_BITS, MPFR_RNDU);
            mpfr_add(cx.target[k], cx.target[k], r, MPFR_RNDU);
        }
        mpfr_div(r, rec->hi, rec->lo, MPFR_RNDN);
        mpfr_set(s1, rec->lo, MPFR_RNDN);
        for (int i = 1; i <= START_PIECES; i++) {
            if (i == START_PIECES) {
                mpfr_set(s2, rec->hi, MPFR_RNDN);
            } else {
                mpfr_set_ui(u, (unsigned long)i, MPFR_RNDN);
                mpfr_div_ui(u, u, START_PIECES, MPFR_RNDN);
                mpfr_pow(s2, r, u, MPFR_RNDN);
                mpfr_mul(s2, s2, rec->lo, MPFR_RNDN);
            }
            certify_piece(&cx, s1, s2, 0);
            mpfr_set(s1, s2, MPFR_RNDN);
        }
        for (int k = 0; k < K; k++) {
            spow_step_mp *st = &rec->step[k];
            mpfr_set(st->err, cx.err[k], MPFR_RNDU);
            mpfr_set(st->y_lo, cx.rlo[k], MPFR_RNDD);
            mpfr_set(st->y_hi, cx.rhi[k], MPFR_RNDU);
        }
        mpfr_set(rec->max_rel_err, cx.err[K - 1], MPFR_RNDU);
        mpfr_clears(argmax, s1, s2, r, u, (mpfr_ptr)0);
    }

    mpfr_clears(cx.yl, cx.yh, cx.t1, cx.t2, cx.v, cx.w, cx.e, cx.xl, cx.xh, cx.pl, cx.ph, cx.ql,
                cx.qh, (mpfr_ptr)0);
    spow_vec_clear(cx.roots, dmax);
    spow_vec_clear(cx.rhi, K + 1);
    spow_vec_clear(cx.rlo, K + 1);
    spow_vec_clear(cx.err, K + 1);
    spow_vec_clear(cx.target, K + 1);
    for (int k = 0; k < K; k++) {
        spow_vec_clear(cx.st[k].g, cx.st[k].d + 1);
        spow_vec_clear(cx.st[k].dq, cx.st[k].d + 1);
        mpfr_clears(cx.st[k].gabs, cx.st[k].c, (mpfr_ptr)0);
    }
    free(cx.st);
    return 0;
}
