/* apply_impl.h -- the steps of one apply, for one floating type.
 *
 * Included by apply.c once per type, with SPOW_T (double or float),
 * SPOW_FN(name) (name ## _f64 or _f32) and SPOW_GEMM_FN (the callback type)
 * defined; no include guard on purpose.  Scalar work (the coefficients, U =
 * alpha A + beta I, the blocks B_j) is done in double whatever SPOW_T is:
 * it costs O(s^2) per step and keeps the float path's rounding in the GEMMs. */

typedef struct SPOW_FN(state) {
    size_t rows, cols;
    size_t s;                /* min(rows, cols): the Gram side */
    int right;               /* rows >= cols: A = Y^T Y, Y <- Y M; else A = Y Y^T, Y <- M Y */
    SPOW_T *rect[3];         /* packed rows x cols, ld = cols */
    SPOW_T *x, *y;           /* point into rect[]; equal when p = 0 */
    SPOW_T *small;           /* nsmall packed s x s matrices */
    size_t small_stride;     /* elements from one to the next */
    int nsmall;
    SPOW_GEMM_FN gemm;
    void *ctx;
    long calls;
    double flops;
} SPOW_FN(state);

/* Carves the buffers of steps [k0, k1) from *cur exactly as
 * spow_workspace_part counts them, and advances *cur. */
static void SPOW_FN(init)(SPOW_FN(state) *st, unsigned char **cur,
                          const spow_table *t, int k0, int k1, size_t rows,
                          size_t cols, SPOW_GEMM_FN gemm, void *ctx)
{
    size_t rect = (rows * cols * sizeof(SPOW_T) + SPOW_ALIGN - 1) / SPOW_ALIGN * SPOW_ALIGN;
    size_t s = rows < cols ? rows : cols;
    size_t small = (s * s * sizeof(SPOW_T) + SPOW_ALIGN - 1) / SPOW_ALIGN * SPOW_ALIGN;
    int i;

    st->rows = rows;
    st->cols = cols;
    st->s = s;
    st->right = rows >= cols;
    for (i = 0; i < 3; i++) {
        st->rect[i] = NULL;
        if (i < spow_rect_buffers(t)) {
            st->rect[i] = (SPOW_T *)(void *)*cur;
            *cur += rect;
        }
    }
    st->x = st->y = st->rect[0];
    st->nsmall = spow_small_buffers(t, k0, k1);
    st->small = (SPOW_T *)(void *)*cur;
    st->small_stride = small / sizeof(SPOW_T);
    *cur += small * (size_t)st->nsmall;
    st->gemm = gemm;
    st->ctx = ctx;
    st->calls = 0;
    st->flops = 0.0;
}

static SPOW_T *SPOW_FN(buf)(const SPOW_FN(state) *st, int i)
{
    return st->small + (size_t)i * st->small_stride;
}

static int SPOW_FN(mm)(SPOW_FN(state) *st, int ta, int tb, size_t m, size_t n,
                       size_t k, SPOW_T alpha, const SPOW_T *a, size_t lda,
                       const SPOW_T *b, size_t ldb, SPOW_T beta, SPOW_T *c,
                       size_t ldc)
{
    st->calls++;
    st->flops += 2.0 * (double)m * (double)n * (double)k;
    if (st->gemm(st->ctx, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc))
        return SPOW_EGEMM;
    return SPOW_OK;
}

/* s x s products of the small side. */
static int SPOW_FN(mm_small)(SPOW_FN(state) *st, SPOW_T alpha, const SPOW_T *a,
                             const SPOW_T *b, SPOW_T beta, SPOW_T *c)
{
    size_t s = st->s;
    return SPOW_FN(mm)(st, 0, 0, s, s, s, alpha, a, s, b, s, beta, c, s);
}

/* B_j = sum_i c[i] T_i into dst, T_0 = I implicit. */
static void SPOW_FN(block)(const SPOW_FN(state) *st, SPOW_T *dst,
                           const double *c, int baby)
{
    size_t s = st->s, idx;
    int q;

    for (idx = 0; idx < s * s; idx++) {
        double v = idx % (s + 1) == 0 ? c[0] : 0.0;
        for (q = 1; q <= baby; q++)
            v += c[q] * (double)SPOW_FN(buf)(st, q - 1)[idx];
        dst[idx] = (SPOW_T)v;
    }
}

/* g(A) for A the Gram matrix of Y, by Paterson-Stockmeyer on Chebyshev
 * polynomials of U = alpha A + beta I.  Pool: T_i in buffer i - 1, the two
 * Horner buffers at baby and baby + 1.  *r receives the buffer holding g. */
static int SPOW_FN(eval_g)(SPOW_FN(state) *st, const spow_step *sp, int *r)
{
    size_t s = st->s, idx;
    SPOW_T *u = SPOW_FN(buf)(st, 0);
    int j, ra = sp->baby, rb = sp->baby + 1, rc;

    if (st->right)
        rc = SPOW_FN(mm)(st, 1, 0, s, s, st->rows, 1, st->y, st->cols, st->y,
                         st->cols, 0, u, s);
    else
        rc = SPOW_FN(mm)(st, 0, 1, s, s, st->cols, 1, st->y, st->cols, st->y,
                         st->cols, 0, u, s);
    if (rc)
        return rc;
    for (idx = 0; idx < s * s; idx++)
        u[idx] = (SPOW_T)(sp->alpha * (double)u[idx]
                          + (idx % (s + 1) == 0 ? sp->beta : 0.0));

    /* T_j = 2 U T_{j-1} - T_{j-2}: preload T_{j-2}, then beta = -1. */
    for (j = 2; j <= sp->baby; j++) {
        SPOW_T *tj = SPOW_FN(buf)(st, j - 1);
        if (j == 2) {
            for (idx = 0; idx < s * s; idx++)
                tj[idx] = (SPOW_T)(idx % (s + 1) == 0);
        } else {
            const SPOW_T *tm2 = SPOW_FN(buf)(st, j - 3);
            for (idx = 0; idx < s * s; idx++)
                tj[idx] = tm2[idx];
        }
        rc = SPOW_FN(mm_small)(st, 2, u, SPOW_FN(buf)(st, j - 2), -1, tj);
        if (rc)
            return rc;
    }

    /* Horner in T_baby, B_j preloaded so the GEMM adds it (beta = 1). */
    SPOW_FN(block)(st, SPOW_FN(buf)(st, ra),
                   sp->ps + (size_t)(sp->blocks - 1) * (size_t)(sp->baby + 1),
                   sp->baby);
    for (j = sp->blocks - 2; j >= 0; j--) {
        int tmp;
        SPOW_FN(block)(st, SPOW_FN(buf)(st, rb),
                       sp->ps + (size_t)j * (size_t)(sp->baby + 1), sp->baby);
        rc = SPOW_FN(mm_small)(st, 1, SPOW_FN(buf)(st, ra),
                               SPOW_FN(buf)(st, sp->baby - 1), 1,
                               SPOW_FN(buf)(st, rb));
        if (rc)
            return rc;
        tmp = ra;
        ra = rb;
        rb = tmp;
    }
    *r = ra;
    return SPOW_OK;
}

/* *p = g^e from the squares sq[i] = g^(2^i), multiplying in the set bits
 * from the lowest up; the products alternate between chain[0] and chain[1]. */
static int SPOW_FN(power)(SPOW_FN(state) *st, const SPOW_T **p, int e,
                          SPOW_T *const *sq, SPOW_T *const *chain)
{
    int b, next = 0, rc;

    *p = NULL;
    for (b = 0; e >> b; b++) {
        if (!((e >> b) & 1))
            continue;
        if (!*p) {
            *p = sq[b];
            continue;
        }
        rc = SPOW_FN(mm_small)(st, 1, *p, sq[b], 0, chain[next]);
        if (rc)
            return rc;
        *p = chain[next];
        next ^= 1;
    }
    return SPOW_OK;
}

/* *m <- *m P (right) or P *m (left), into the rectangular buffer that is
 * neither X nor Y. */
static int SPOW_FN(update)(SPOW_FN(state) *st, SPOW_T **m, const SPOW_T *p)
{
    SPOW_T *dst = st->rect[0];
    int i, rc;

    for (i = 0; i < 3; i++)
        if (st->rect[i] && st->rect[i] != st->x && st->rect[i] != st->y) {
            dst = st->rect[i];
            break;
        }
    if (st->right)
        rc = SPOW_FN(mm)(st, 0, 0, st->rows, st->cols, st->cols, 1, *m,
                         st->cols, p, st->s, 0, dst, st->cols);
    else
        rc = SPOW_FN(mm)(st, 0, 0, st->rows, st->cols, st->rows, 1, p, st->s,
                         *m, st->cols, 0, dst, st->cols);
    if (rc)
        return rc;
    *m = dst;
    return SPOW_OK;
}

static int SPOW_FN(step)(SPOW_FN(state) *st, const spow_table *t, int k)
{
    SPOW_T *sq[8 * sizeof(int)], *chain[2];
    const SPOW_T *p = NULL;
    int ey, ex, r, l, i, next, rc;

    spow_step_exponents(&ey, &ex, t, k);
    rc = SPOW_FN(eval_g)(st, &t->step[k], &r);
    if (rc)
        return rc;

    /* Squares and products go into every pool buffer but g's own. */
    l = spow_ilog2(ey > ex ? ey : ex);
    sq[0] = SPOW_FN(buf)(st, r);
    for (i = 0, next = 1; i < st->nsmall; i++) {
        if (i == r)
            continue;
        if (next <= l)
            sq[next] = SPOW_FN(buf)(st, i);
        else
            chain[next - l - 1] = SPOW_FN(buf)(st, i);
        if (++next == l + 3)
            break;
    }
    for (i = 1; i <= l; i++) {
        rc = SPOW_FN(mm_small)(st, 1, sq[i - 1], sq[i - 1], 0, sq[i]);
        if (rc)
            return rc;
    }

    if (ey) {
        rc = SPOW_FN(power)(st, &p, ey, sq, chain);
        if (!rc)
            rc = SPOW_FN(update)(st, &st->y, p);
        if (rc)
            return rc;
        if (t->p_num == 0)
            st->x = st->y;
    }
    if (ex) {
        if (ex != ey) /* equal exponents share one power */
            rc = SPOW_FN(power)(st, &p, ex, sq, chain);
        if (!rc)
            rc = SPOW_FN(update)(st, &st->x, p);
        if (rc)
            return rc;
    }
    return SPOW_OK;
}

static int SPOW_FN(run)(SPOW_FN(state) *st, const spow_table *t, int k0, int k1)
{
    int k, rc;

    for (k = k0; k < k1; k++) {
        rc = SPOW_FN(step)(st, t, k);
        if (rc)
            return rc;
    }
    return SPOW_OK;
}
