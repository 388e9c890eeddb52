/* newton_schulz.c -- the matrix-product peers of spow, written with the same
 * counting GEMM (timer.c) that spow's callback uses.
 *
 * Coupled Newton-Schulz, as released with "Delving into Muon and Beyond"
 * (Qi et al. 2026, github.com/Ocram7/BeyondMuon, optimizers/spectral_ns.py):
 *
 *   sqrt(A):  R = A + (1e-6 + 1e-4 tr(A)/n) I,  c = ||R||_F,  Y = R/c,  Z = I,
 *             15 times:  T = (3I - Z Y)/2,  Y <- Y T,  Z <- T Z,
 *             symmetrizing Y and Z every 5th iteration and at the end;
 *             sqrt(A) ~ sqrt(c) Y,  A^(-1/2) ~ Z / sqrt(c).
 *   A^(-1/4): sqrt of the A^(-1/2) that the first run returns (two runs).
 *   p = 1/2:  G (G^T G)^(-1/4) on the smaller Gram side.
 *   p = 1/4:  the p = 1/2 map applied twice.
 *
 * GEMMs: 3 per iteration (the first, Z = I, included as released), 45 per
 * root, 1 + 90 + 1 = 92 for p = 1/2 and 184 for p = 1/4.
 *
 * Muon's quintic (Jordan et al. 2024): X = G / (||G||_F + 1e-7), then 5
 * times A = X^T X (or X X^T, the smaller side), B = b A + c A^2,
 * X <- a X + X B (or B X), (a, b, c) = (3.4445, -4.7750, 2.0315); a is
 * folded into B's diagonal, so 3 GEMMs a step, 15 in all.  It targets the
 * polar factor U V^T (p = 0) only roughly: its singular values land in
 * about [0.7, 1.2] by design.  Muon's shape factor max(1, rows/cols)^(1/2)
 * is not applied: it is not part of U V^T. */
#include <math.h>
#include <stdlib.h>

#include "bench.h"

#define NS_EPS 1e-6             /* absolute ridge of the released code */
#define NS_RIDGE 1e-4           /* relative ridge, times tr(A)/n */
#define NS_SYM_FREQ 5           /* max(1, min(15 // 3, 5)) in the released code */
#define QUINTIC_A 3.4445
#define QUINTIC_B (-4.7750)
#define QUINTIC_C 2.0315
#define QUINTIC_EPS 1e-7

/* Buffers of both methods (either element type): one allocation, so one
 * free (the steps swap the pointers below, never the block). */
typedef struct ns_state {
    void *block;
    void *gram, *y, *z, *t, *y2, *z2, *root; /* s x s */
    void *mid;                               /* rows x cols */
} ns_state;

int bench_ns_supports(int p_num, int p_den)
{
    return p_num == 1 && (p_den == 2 || p_den == 4);
}

int bench_quintic_supports(int p_num, int p_den)
{
    (void)p_den;
    return p_num == 0;
}

static void ns_free(void *state)
{
    ns_state *st = state;

    if (st)
        free(st->block);
    free(st);
}

static int ns_alloc(void **state, const bench_case *c, int f32, int nsmall)
{
    size_t s = c->rows < c->cols ? c->rows : c->cols;
    size_t e = f32 ? sizeof(float) : sizeof(double);
    ns_state *st = calloc(1, sizeof *st);
    void **small[7];
    char *p;
    int i;

    *state = st;
    if (!st)
        return -1;
    small[0] = &st->gram;
    small[1] = &st->y;
    small[2] = &st->z;
    small[3] = &st->t;
    small[4] = &st->y2;
    small[5] = &st->z2;
    small[6] = &st->root;
    /* Whole elements before every buffer: each stays aligned for its type. */
    p = st->block = calloc((size_t)nsmall * s * s + c->rows * c->cols, e);
    if (!p)
        return -1;
    for (i = 0; i < nsmall; i++, p += s * s * e)
        *small[i] = p;
    st->mid = p;
    return 0;
}

int bench_ns_setup(void **state, const bench_case *c, int f32)
{
    return ns_alloc(state, c, f32, 7);
}

int bench_quintic_setup(void **state, const bench_case *c, int f32)
{
    return ns_alloc(state, c, f32, 2);
}

void bench_ns_teardown(void *state)
{
    ns_free(state);
}

#define NS_T double
#define NS_FN(name) name##_f64
#define NS_GEMM bench_gemm_f64
#define NS_INPUT(c) ((c)->g64)
#include "newton_schulz_impl.h"
#undef NS_T
#undef NS_FN
#undef NS_GEMM
#undef NS_INPUT

#define NS_T float
#define NS_FN(name) name##_f32
#define NS_GEMM bench_gemm_f32
#define NS_INPUT(c) ((c)->g32)
#include "newton_schulz_impl.h"
