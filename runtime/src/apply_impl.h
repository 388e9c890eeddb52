/* apply_impl.h -- the steps of one apply, and the applies without steps,
 * for one floating type.
 *
 * Included by apply.c once per type, with SPOW_T (double or float),
 * SPOW_FN(name) (name ## _f64 or _f32), SPOW_GEMM_FN (the callback type) and
 * SPOW_CONVERT (convert_impl.h between two SPOW_T matrices)
 * defined; no include guard on purpose.  Scalar work (the coefficients, U =
 * alpha A + beta I, the blocks B_j) is done in double whatever SPOW_T is:
 * it costs O(s^2) per step and keeps the float path's rounding in the GEMMs.
 *
 * On the small side (SPOW_SMALL_SIDE, spow.h) Y stays the scaled G and X is
 * never formed: A, the Gram matrix of the current Y, and Q, with X = Y Q,
 * are carried instead, and run() ends with the one product Y Q.
 *
 * A fixed-point table (spow.h) uses the same state with other roles: x is
 * X^a, fixed once formed, and y the iterate, which is also the result. */

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
    int scale;               /* a Gram bound (SPOW_SCALE_GRAM*) still to find
                              * in the first step, else 0 */
    SPOW_T w;                /* alpha of the rectangular updates: w of
                              * scaled_start in the first step, then 1 */
    double scaled_by;        /* that w (1 for Frobenius): c = ||G||_F / w */
    SPOW_T *a, *q, *spare;   /* small side: A, Q and an update's destination;
                              * NULL in the rectangular form */
    int a_formed;            /* A holds the Gram matrix (after the first step's) */
    int q_identity;          /* Q = I, not stored yet */
    double xw;               /* fixed point: what the buffer x holds times xw is
                              * X^a; w^a once the first step found w, else 1 */
} SPOW_FN(state);

/* Carves the buffers of steps [k0, k1) from *cur exactly as
 * spow_workspace_part counts them, and advances *cur. */
static void SPOW_FN(init)(SPOW_FN(state) *st, unsigned char **cur,
                          const spow_table *t, int k0, int k1, size_t rows,
                          size_t cols, int small_side, SPOW_GEMM_FN gemm,
                          void *ctx)
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
        if (i < spow_rect_buffers(t, small_side)) {
            st->rect[i] = (SPOW_T *)(void *)*cur;
            *cur += rect;
        }
    }
    st->x = st->y = st->rect[0];
    st->nsmall = spow_small_buffers(t, k0, k1);
    st->small = (SPOW_T *)(void *)*cur;
    st->small_stride = small / sizeof(SPOW_T);
    *cur += small * (size_t)st->nsmall;
    st->a = st->q = st->spare = NULL;
    if (small_side) {
        st->a = (SPOW_T *)(void *)*cur;
        st->q = st->a + st->small_stride;
        st->spare = st->q + st->small_stride;
        *cur += small * SPOW_SIDE_BUFFERS;
    }
    st->a_formed = 0;
    st->q_identity = 1;
    st->gemm = gemm;
    st->ctx = ctx;
    st->calls = 0;
    st->flops = 0.0;
    st->scale = 0;
    st->w = 1;
    st->scaled_by = 1.0;
    st->xw = 1.0;
}

static SPOW_T *SPOW_FN(buf)(const SPOW_FN(state) *st, int i)
{
    return st->small + (size_t)i * st->small_stride;
}

static void SPOW_FN(swap)(SPOW_T **a, SPOW_T **b)
{
    SPOW_T *t = *a;

    *a = *b;
    *b = t;
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

/* C = alpha S S for a symmetric S (a polynomial in the Gram matrix), passed
 * as S S^T: equal in exact arithmetic, and a == b with one side transposed
 * tells the GEMM that C is symmetric, so it may use ?syrk for half the
 * flops (the default backend does). */
static int SPOW_FN(mm_square)(SPOW_FN(state) *st, SPOW_T alpha, const SPOW_T *a,
                              SPOW_T *c)
{
    size_t s = st->s;
    return SPOW_FN(mm)(st, 0, 1, s, s, s, alpha, a, s, a, s, 0, c, s);
}

static void SPOW_FN(add_diagonal)(const SPOW_FN(state) *st, SPOW_T *m, double v)
{
    size_t i;

    for (i = 0; i < st->s; i++)
        m[i * (st->s + 1)] = (SPOW_T)((double)m[i * (st->s + 1)] + v);
}

/* acc[0..len) += a x[0..len), and dst[0..len) = acc rounded to SPOW_T.
 * lincomb() calls them with the constant SPOW_CHUNK whenever it can: with a
 * trip count known at compile time, -O2's cheap vectoriser takes the loops
 * (in a one-off timing at s = 1024 on AVX2, 1.5 ms per block against 4.8
 * for the scalar loop). */
static void SPOW_FN(axpy)(double *acc, const SPOW_T *x, double a, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        acc[i] += a * (double)x[i];
}

static void SPOW_FN(round_to)(SPOW_T *dst, const double *acc, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        dst[i] = (SPOW_T)acc[i];
}

static void SPOW_FN(axpy_chunk)(double *acc, const SPOW_T *x, double a, size_t len)
{
    if (len == SPOW_CHUNK)
        SPOW_FN(axpy)(acc, x, a, SPOW_CHUNK);
    else
        SPOW_FN(axpy)(acc, x, a, len);
}

/* dst = c0 I + sum_{q=1..n} c[q-1] M_q + cy y, with M_q in pool buffer q - 1
 * (T_q for Paterson-Stockmeyer's blocks B_j, P_q = W^q for a product form,
 * and y0 as well for a nested one's outer factors)
 * and y NULL when there is no such term.  Accumulated in double whatever
 * SPOW_T is, one rounding per entry, a chunk at a time so that the loop
 * over the terms stays in the cache.  Entry-wise, so dst may be y. */
static void SPOW_FN(lincomb)(const SPOW_FN(state) *st, SPOW_T *dst, double c0,
                             const double *c, int n, const SPOW_T *y, double cy)
{
    double acc[SPOW_CHUNK];
    size_t s = st->s, total = s * s, i0, len, d;
    int q;

    for (i0 = 0; i0 < total; i0 += len) {
        len = total - i0 < SPOW_CHUNK ? total - i0 : SPOW_CHUNK;
        memset(acc, 0, len * sizeof *acc);
        /* diagonal entries are the multiples of s + 1 */
        for (d = (i0 + s) / (s + 1) * (s + 1); d < i0 + len; d += s + 1)
            acc[d - i0] = c0;
        for (q = 1; q <= n; q++)
            SPOW_FN(axpy_chunk)(acc, SPOW_FN(buf)(st, q - 1) + i0, c[q - 1], len);
        if (y)
            SPOW_FN(axpy_chunk)(acc, y + i0, cy, len);
        if (len == SPOW_CHUNK)
            SPOW_FN(round_to)(dst + i0, acc, SPOW_CHUNK);
        else
            SPOW_FN(round_to)(dst + i0, acc, len);
    }
}

/* c = alpha Y^T Y (right) or alpha Y Y^T: the Gram matrix, s x s.  On
 * the small side the first call forms it into A and the others copy A,
 * which the steps keep equal to the Gram matrix of the current Y. */
static int SPOW_FN(gram)(SPOW_FN(state) *st, SPOW_T alpha, SPOW_T *c)
{
    size_t s = st->s, i;

    if (st->a) {
        if (!st->a_formed) {
            int rc = st->right
                ? SPOW_FN(mm)(st, 1, 0, s, s, st->rows, 1, st->y, st->cols, st->y,
                              st->cols, 0, st->a, s)
                : SPOW_FN(mm)(st, 0, 1, s, s, st->cols, 1, st->y, st->cols, st->y,
                              st->cols, 0, st->a, s);
            if (rc)
                return rc;
            st->a_formed = 1;
        }
        for (i = 0; i < s * s; i++)
            c[i] = (SPOW_T)((double)alpha * (double)st->a[i]);
        return SPOW_OK;
    }
    if (st->right)
        return SPOW_FN(mm)(st, 1, 0, s, s, st->rows, alpha, st->y, st->cols,
                           st->y, st->cols, 0, c, s);
    return SPOW_FN(mm)(st, 0, 1, s, s, st->cols, alpha, st->y, st->cols,
                       st->y, st->cols, 0, c, s);
}

/* B_j = sum_i c[i] T_i into dst, T_0 = I implicit. */
static void SPOW_FN(block)(const SPOW_FN(state) *st, SPOW_T *dst,
                           const double *c, int baby)
{
    SPOW_FN(lincomb)(st, dst, c[0], c + 1, baby, NULL, 0.0);
}

/* The first step under a Gram scaling (spow.h, SPOW_SCALE_GRAM*).  Y holds
 * G / ||G||_F.  A = Y^T Y and, for GRAM4, S = A A^T are formed first (S in
 * T_2's buffer), the bound b >= sigma_max(Y)^2 is read from their norms,
 * Y is rescaled by w = 1 / sqrt(b) (folded into this step's updates, st->w),
 * and then U = alpha w^2 A + beta I and T_2 = 2 U U^T - I are entry-wise
 * combinations of A and S:
 *
 *     T_2 = 2 a^2 S + 4 a beta A + (2 beta^2 - 1) I,  a = alpha w^2,
 *
 * so S costs no product the step would not make anyway; only when the step
 * has no T_2 (baby = 1) is S an extra product (counted in the stats).  A
 * Sastre or nested step takes W = a A + (beta - form_shift) I and
 * P_2 = W^2 the same way (eval_g passes the shifted constant as off):
 *
 *     P_2 = a^2 S + 2 a off A + off^2 I.
 *
 * Why b bounds sigma_max(Y)^2 despite rounding.  Let u be the unit roundoff
 * of SPOW_T, m the Gram product's inner dimension (the long side), n = s,
 * gamma_k = k u / (1 - k u), and the GEMM one with the usual bound
 * |fl(X Z) - X Z| <= gamma_k |X| |Z| (any summation order, FMA or not).
 * A = Y^T Y + E1 with ||E1||_2 <= ||E1||_F <= gamma_m ||Y||_F^2, and
 * ||Y||_F^2 <= trace(A) / (1 - gamma_m) (the diagonal sums have no
 * cancellation).  S = A A^T + E2 with ||E2||_F <= gamma_n ||A||_F^2.  Since
 * ||A||_2^2 = ||A A^T||_2 <= ||A A^T||_F,
 *
 *   sigma_max(Y)^2 <= ||A||_2 + ||E1||_2
 *                  <= sqrt(||S||_F + gamma_n ||A||_F^2) + gamma_m trace(A) / (1 - gamma_m)
 *
 * (GRAM2: ||A||_F in place of the square root).  The norms are summed in
 * double, whose rounding (below n^2 2^-53, so 2^-20 for n < 2^16) the
 * factor 1 + 2^-20 covers.  Rounding w to SPOW_T moves w Y's singular values
 * by a relative u at most; with the rounding of G / ||G||_F itself (also
 * there with the Frobenius scaling) that stays far inside the margin every
 * shipped table has above 1 (hi = 1.001).  Where the bound would exceed 1
 * (m u >= 1/2, or a bound above ||Y||_F), w = 1: the Frobenius scaling. */
static int SPOW_FN(scaled_start)(SPOW_FN(state) *st, const spow_step *sp, double off)
{
    const double ut = sizeof(SPOW_T) == sizeof(float) ? 0x1p-24 : 0x1p-53;
    const double mu = (double)(st->right ? st->rows : st->cols) * ut;
    const double nu = (double)st->s * ut;
    const int gram4 = st->scale == SPOW_SCALE_GRAM4;
    const int form = sp->scheme != SPOW_SCHEME_PS;
    SPOW_T *u = SPOW_FN(buf)(st, 0), *t2 = SPOW_FN(buf)(st, 1), *tfrom;
    size_t s = st->s, i, j, n = s * s;
    double a2 = 0.0, q2 = 0.0, tr = 0.0, b = 1.0, a, c1, c2, d;
    int rc;

    rc = SPOW_FN(gram)(st, 1, u);
    if (!rc && gram4)
        rc = SPOW_FN(mm_square)(st, 1, u, t2);
    if (rc)
        return rc;
    for (i = 0; i < n; i++)
        a2 += (double)u[i] * (double)u[i];
    for (i = 0; i < s; i++)
        tr += (double)u[i * (s + 1)];
    if (gram4)
        for (i = 0; i < n; i++)
            q2 += (double)t2[i] * (double)t2[i];
    if (mu < 0.5) {
        double gm = mu / (1.0 - mu), gn = nu / (1.0 - nu);
        b = gram4 ? sqrt(sqrt(q2) + gn * a2) : sqrt(a2);
        b = (b + gm * tr / (1.0 - gm)) * (1.0 + 0x1p-20);
        if (!(b < 1.0))
            b = 1.0;
    }
    st->w = (SPOW_T)(1.0 / sqrt(b));
    st->scaled_by = (double)st->w;
    st->scale = 0;
    if (st->a) /* A of w Y; w itself waits for the final product */
        for (i = 0; i < n; i++)
            st->a[i] = (SPOW_T)((double)st->a[i] * (double)st->w * (double)st->w);

    /* One rounding per entry, diagonal included.  T_2 (or P_2) only from
     * S (GRAM4). */
    tfrom = gram4 && (form || sp->baby >= 2) ? t2 : NULL;
    a = sp->alpha * (double)st->w * (double)st->w;
    c2 = form ? a * a : 2.0 * a * a;
    c1 = form ? 2.0 * a * off : 4.0 * a * off;
    d = form ? off * off : 2.0 * off * off - 1.0;
    for (i = 0; i < s; i++)
        for (j = 0; j < s; j++) {
            double x = (double)u[i * s + j];
            if (tfrom)
                tfrom[i * s + j] = (SPOW_T)(c2 * (double)t2[i * s + j] + c1 * x + (i == j ? d : 0.0));
            u[i * s + j] = (SPOW_T)(a * x + (i == j ? off : 0.0));
        }
    return SPOW_OK;
}

/* g = (y + sum b_q M_q) (sign y + sum c_q M_q) + e y + l0 I + sum l_q M_q
 * (q = 1..n, M_q in pool buffer q - 1, y in buffer ry) into buffer rg, the
 * two factors in buffers rg + 1 and rg + 2: the last product of a Sastre
 * form, both last products of a nested one.  rg may be ry: the factors are
 * formed before y is overwritten (lincomb is entry-wise), and the GEMM adds
 * their product to the rest (beta = 1). */
static int SPOW_FN(form_product)(SPOW_FN(state) *st, int n, const double *b,
                                 const double *c, double sign, double e,
                                 double l0, const double *l, int ry, int rg)
{
    SPOW_T *y = SPOW_FN(buf)(st, ry), *g = SPOW_FN(buf)(st, rg);
    SPOW_T *f1 = SPOW_FN(buf)(st, rg + 1), *f2 = SPOW_FN(buf)(st, rg + 2);

    SPOW_FN(lincomb)(st, f1, 0.0, b, n, y, 1.0);
    SPOW_FN(lincomb)(st, f2, 0.0, c, n, y, sign);
    SPOW_FN(lincomb)(st, g, l0, l, n, y, e);
    return SPOW_FN(mm_small)(st, 1, f1, f2, 1, g);
}

/* g by the step's product form (spow.h), W = U - form_shift I in buffer 0;
 * j0 = 3 when P_2 is in buffer 1 already (made from the Gram bound's S by
 * scaled_start), else 2.  Both forms start alike, with k = form_k for
 * Sastre and k = 2 for the nested form: P_q in buffer q - 1, then
 * a_1 P_1 + ... + a_k P_k in buffer k + 1 and y0 = P_k times it in buffer k.
 *
 * Sastre: g = f1 f2 + ... by form_product on P_1..P_k and y0, into y0's
 * buffer; k + 1 products in all.
 *
 * Nested: y1 = f1 f2 + e y0 is form_product on W, P_2 (f2 has no W term,
 * sign +1, no l terms), into buffer 3; then g is form_product on W, P_2, y0
 * (buffers 0..2) and y1, into y1's buffer; 4 products, 6 buffers.
 *
 * Even powers are squares of symmetric matrices (P_2 = W W^T, P_4 =
 * P_2 P_2^T), passed as S S^T so that the GEMM may halve their flops as
 * for T_2. */
static int SPOW_FN(eval_form)(SPOW_FN(state) *st, const spow_step *sp, int j0, int *r)
{
    const int nested = sp->scheme == SPOW_SCHEME_NESTED;
    const int k = nested ? 2 : sp->form_k;
    const double *v = sp->form, sign = (double)sp->form_sign;
    SPOW_T *fa = SPOW_FN(buf)(st, k + 1);
    int j, rc;

    for (j = j0; j <= k; j++) {
        SPOW_T *pj = SPOW_FN(buf)(st, j - 1);
        rc = j % 2 == 0 ? SPOW_FN(mm_square)(st, 1, SPOW_FN(buf)(st, j / 2 - 1), pj)
                        : SPOW_FN(mm_small)(st, 1, SPOW_FN(buf)(st, 0),
                                            SPOW_FN(buf)(st, j - 2), 0, pj);
        if (rc)
            return rc;
    }
    SPOW_FN(lincomb)(st, fa, 0.0, v, k, NULL, 0.0);
    rc = SPOW_FN(mm_small)(st, 1, SPOW_FN(buf)(st, k - 1), fa, 0, SPOW_FN(buf)(st, k));
    if (rc)
        return rc;

    if (!nested) {
        /* form[] = a_1..a_k, b_1..b_k, c_2..c_k, e, l_0..l_k */
        const double *b = v + k, *c = b + k, e = c[k - 1], *l = c + k;
        double c1[4] = {0.0, 0.0, 0.0, 0.0}; /* c_1 = 0: f2 has no P_1 term */
        memcpy(c1 + 1, c, (size_t)(k - 1) * sizeof *c);
        *r = k;
        return SPOW_FN(form_product)(st, k, b, c1, sign, e, l[0], l + 1, k, k);
    } else {
        /* form[] = a_1 a_2 b_1 b_2 c_2 e d_0 d_1 d_2 f_0 f_1 f_2 h_0 h_1 l_0 l_1 l_2,
         * the outer terms reordered to the buffers W, P_2, y0 */
        const double c[2] = {0.0, v[4]}, none[2] = {0.0, 0.0};
        const double d[3] = {v[7], v[8], v[6]}, f[3] = {v[10], v[11], v[9]};
        const double l[3] = {v[15], v[16], v[12]};
        *r = 3;
        rc = SPOW_FN(form_product)(st, 2, v + 2, c, 1.0, v[5], 0.0, none, 2, 3);
        if (rc)
            return rc;
        return SPOW_FN(form_product)(st, 3, d, f, sign, v[13], v[14], l, 3, 3);
    }
}

/* g(A) for A the Gram matrix of Y, by Paterson-Stockmeyer on Chebyshev
 * polynomials of U = alpha A + beta I, or by the step's product form in
 * W = U - form_shift I (the shift joins beta: one rounding of the
 * diagonal).  Pool: T_i in buffer i - 1, the two Horner buffers at baby and
 * baby + 1.  *r receives the buffer holding g.  alpha rides in the GEMMs
 * and beta (or -1) is added to diagonals after, so the only O(s^2) passes
 * besides the GEMMs are the blocks B_j and copies. */
static int SPOW_FN(eval_g)(SPOW_FN(state) *st, const spow_step *sp, int *r)
{
    size_t s = st->s;
    SPOW_T *u = SPOW_FN(buf)(st, 0);
    const int form = sp->scheme != SPOW_SCHEME_PS;
    const double off = form ? sp->beta - sp->form_shift : sp->beta;
    int j = 2, ra = sp->baby, rb = sp->baby + 1, rc;

    if (st->scale) {
        if (st->scale == SPOW_SCALE_GRAM4)
            j = 3; /* T_2 (or P_2) comes from S */
        rc = SPOW_FN(scaled_start)(st, sp, off);
    } else {
        rc = SPOW_FN(gram)(st, (SPOW_T)sp->alpha, u);
        SPOW_FN(add_diagonal)(st, u, off);
    }
    if (rc)
        return rc;
    if (form)
        return SPOW_FN(eval_form)(st, sp, j, r);

    /* T_2 = 2 U U^T - I; T_j = 2 U T_{j-1} - T_{j-2} with T_{j-2} preloaded. */
    for (; j <= sp->baby; j++) {
        SPOW_T *tj = SPOW_FN(buf)(st, j - 1);
        if (j == 2) {
            rc = SPOW_FN(mm_square)(st, 2, u, tj);
            SPOW_FN(add_diagonal)(st, tj, -1.0);
        } else {
            memcpy(tj, SPOW_FN(buf)(st, j - 3), s * s * sizeof *tj);
            rc = SPOW_FN(mm_small)(st, 2, u, SPOW_FN(buf)(st, j - 2), -1, tj);
        }
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

/* *m <- w *m P + beta D (right) or w P *m + beta D (left), into the
 * rectangular buffer that is neither X nor Y (w = st->w, 1 but in a
 * Gram-scaled first step); D is that buffer's content, so beta = 0 unless
 * the caller loaded it. */
static int SPOW_FN(update_add)(SPOW_FN(state) *st, SPOW_T **m, const SPOW_T *p,
                               const SPOW_T *d, SPOW_T beta)
{
    SPOW_T *dst = st->rect[0];
    int i, rc;

    for (i = 0; i < 3; i++)
        if (st->rect[i] && st->rect[i] != st->x && st->rect[i] != st->y) {
            dst = st->rect[i];
            break;
        }
    if (d)
        memcpy(dst, d, st->rows * st->cols * sizeof *dst);
    if (st->right)
        rc = SPOW_FN(mm)(st, 0, 0, st->rows, st->cols, st->cols, st->w, *m,
                         st->cols, p, st->s, beta, dst, st->cols);
    else
        rc = SPOW_FN(mm)(st, 0, 0, st->rows, st->cols, st->rows, st->w, p, st->s,
                         *m, st->cols, beta, dst, st->cols);
    if (rc)
        return rc;
    *m = dst;
    return SPOW_OK;
}

/* *m <- w *m P (right) or w P *m (left). */
static int SPOW_FN(update)(SPOW_FN(state) *st, SPOW_T **m, const SPOW_T *p)
{
    return SPOW_FN(update_add)(st, m, p, NULL, 0);
}

/* Small side: *m <- *m P (P commutes with A and Q: all are polynomials in
 * the first Gram matrix), through the spare buffer. */
static int SPOW_FN(update_small)(SPOW_FN(state) *st, SPOW_T **m, const SPOW_T *p)
{
    SPOW_T *dst = st->spare;
    int rc = SPOW_FN(mm_small)(st, 1, *m, p, 0, dst);

    if (rc)
        return rc;
    st->spare = *m;
    *m = dst;
    return SPOW_OK;
}

/* Step k on the small side.  Y <- Y h with h = g^ey makes the next Gram
 * matrix h A h (two products; not needed after the last step), and
 * X <- X g^ex is Q <- Q g^ex, a copy while Q = I.  For p = 0, X is Y: Q
 * follows h. */
static int SPOW_FN(side_updates)(SPOW_FN(state) *st, const spow_table *t, int k,
                                 int ey, int ex, SPOW_T *const *sq,
                                 SPOW_T *const *chain)
{
    const SPOW_T *p = NULL;
    int ea = k == t->steps - 1 ? 0 : ey, eq = t->p_num == 0 ? ey : ex, rc;

    if (ea) {
        rc = SPOW_FN(power)(st, &p, ea, sq, chain);
        if (!rc)
            rc = SPOW_FN(update_small)(st, &st->a, p);
        if (!rc) /* h (A h): both products of polynomials in A */
            rc = SPOW_FN(mm_small)(st, 1, p, st->a, 0, st->spare);
        if (rc)
            return rc;
        SPOW_FN(swap)(&st->a, &st->spare);
    }
    if (eq) {
        rc = eq == ea ? SPOW_OK : SPOW_FN(power)(st, &p, eq, sq, chain);
        if (rc)
            return rc;
        if (st->q_identity) {
            memcpy(st->q, p, st->s * st->s * sizeof *st->q);
            st->q_identity = 0;
        } else if ((rc = SPOW_FN(update_small)(st, &st->q, p)) != SPOW_OK) {
            return rc;
        }
    }
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
        rc = SPOW_FN(mm_square)(st, 1, sq[i - 1], sq[i]);
        if (rc)
            return rc;
    }

    if (st->a) {
        rc = SPOW_FN(side_updates)(st, t, k, ey, ex, sq, chain);
        st->w = 1;
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
    st->w = 1;
    return SPOW_OK;
}

/* Fixed point, before step 0: X^a = X (X^T X)^e into a buffer of its own,
 * X staying where it is as Y_0.  Under a Gram scaling X is still G / ||G||_F
 * here (w is found by step 0, from the same Gram matrix), so X^a lacks
 * w^a, which st->xw then supplies to every step's update: X and X^a carry
 * the same w without a pass over either.  A pre-pass for the bound would
 * repeat step 0's Gram product (and S = A A^T for GRAM4), which coupled
 * tables take the bound from at no cost. */
static int SPOW_FN(form_xa)(SPOW_FN(state) *st, const spow_table *t)
{
    SPOW_T *sq[8 * sizeof(int)], *chain[2];
    const SPOW_T *p = NULL;
    int e = spow_xa_exponent(t), l = spow_ilog2(e), i, rc;

    sq[0] = SPOW_FN(buf)(st, 0); /* apart from the loop: GCC's -O3 doubted it */
    for (i = 1; i <= l; i++)
        sq[i] = SPOW_FN(buf)(st, i);
    chain[0] = SPOW_FN(buf)(st, l + 1);
    chain[1] = SPOW_FN(buf)(st, l + 2);
    rc = SPOW_FN(gram)(st, 1, sq[0]);
    for (i = 1; !rc && i <= l; i++)
        rc = SPOW_FN(mm_square)(st, 1, sq[i - 1], sq[i]);
    if (!rc)
        rc = SPOW_FN(power)(st, &p, e, sq, chain);
    if (!rc)
        rc = SPOW_FN(update)(st, &st->x, p);
    return rc;
}

/* Fixed-point step k: Y <- w Y g(A) + c_k X^a (right; g(A) Y on the left),
 * c_k = -mono[degree], in one GEMM onto a copy of X^a.  The copy costs a
 * pass over a rows x cols matrix, small next to the GEMM, and keeps X^a for
 * the next step. */
static int SPOW_FN(fixed_step)(SPOW_FN(state) *st, const spow_table *t, int k)
{
    const spow_step *sp = &t->step[k];
    int r, rc = SPOW_FN(eval_g)(st, sp, &r);

    if (rc)
        return rc;
    st->xw *= pow((double)st->w, (double)t->x_power); /* w is 1 after step 0 */
    rc = SPOW_FN(update_add)(st, &st->y, SPOW_FN(buf)(st, r), st->x,
                             (SPOW_T)(-sp->mono[sp->degree] * st->xw));
    st->w = 1;
    return rc;
}

/* Steps [k0, k1); on the small side (always the whole run) then X = w Y Q,
 * w the first step's Gram scaling. */
static int SPOW_FN(run)(SPOW_FN(state) *st, const spow_table *t, int k0, int k1)
{
    int k, rc;

    if (spow_fixed_point(t)) {
        if (k0 == 0 && k1 > 0 && spow_xa_exponent(t) > 0
            && (rc = SPOW_FN(form_xa)(st, t)) != SPOW_OK)
            return rc;
        for (k = k0; k < k1; k++)
            if ((rc = SPOW_FN(fixed_step)(st, t, k)) != SPOW_OK)
                return rc;
        return SPOW_OK;
    }
    for (k = k0; k < k1; k++) {
        rc = SPOW_FN(step)(st, t, k);
        if (rc)
            return rc;
    }
    if (st->a) { /* Q was set by step 0: x_power (p != 0) or y_power (p = 0) >= 1 */
        st->w = (SPOW_T)st->scaled_by;
        rc = SPOW_FN(update)(st, &st->x, st->q);
        st->w = 1;
        return rc;
    }
    return SPOW_OK;
}

/* The cases without GEMMs (needs_steps false): G = 0, p = 1, no steps. */
static void SPOW_FN(trivial)(const spow_table *t, size_t rows, size_t cols,
                             const SPOW_T *g, size_t ldg, SPOW_T *out, size_t ldo,
                             const spow_scale *sc, const spow_options *opt,
                             spow_stats *acc)
{
    size_t i, j;
    double f[3];

    if (sc->r == 0.0) {
        for (i = 0; i < rows; i++)
            for (j = 0; j < cols; j++)
                out[i * ldo + j] = 0;
    } else if (t->x_power == 0 && !(opt->flags & SPOW_NORMALIZED)) {
        /* p = 1 is G itself: copied, not rounded through 1/c and c. */
        for (i = 0; i < rows; i++)
            for (j = 0; j < cols; j++)
                out[i * ldo + j] = g[i * ldg + j];
    } else {
        load_factors(f, sc);
        SPOW_CONVERT(out, ldo, g, ldg, rows, cols, f, sc->r);
        result_scale(f, t, sc, opt->flags);
        SPOW_CONVERT(out, ldo, out, ldo, rows, cols, f, 1.0);
    }
    tally(acc, 0, 0.0, sc);
}
