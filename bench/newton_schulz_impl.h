/* newton_schulz_impl.h -- coupled Newton-Schulz and Muon's quintic for one
 * element type.  Included by newton_schulz.c once per type with NS_T,
 * NS_FN(name), NS_GEMM and NS_INPUT(c) defined; no include guard on purpose.
 * Scalars (norms, traces) are accumulated in double. */

/* s x s products, row-major, ld = s. */
static int NS_FN(mm)(bench_counter *cnt, size_t s, double alpha, const NS_T *a,
                     const NS_T *b, double beta, NS_T *c)
{
    return NS_GEMM(cnt, 0, 0, s, s, s, (NS_T)alpha, a, s, b, s, (NS_T)beta, c, s);
}

/* a = G^T G (rows >= cols) or G G^T: the Gram matrix on the small side. */
static int NS_FN(gram)(bench_counter *cnt, size_t rows, size_t cols, const NS_T *g, NS_T *a)
{
    if (rows >= cols)
        return NS_GEMM(cnt, 1, 0, cols, cols, rows, 1, g, cols, g, cols, 0, a, cols);
    return NS_GEMM(cnt, 0, 1, rows, rows, cols, 1, g, cols, g, cols, 0, a, rows);
}

/* out = G M (rows >= cols) or M G, M on the small side. */
static int NS_FN(side)(bench_counter *cnt, size_t rows, size_t cols, const NS_T *g,
                       const NS_T *m, NS_T *out)
{
    if (rows >= cols)
        return NS_GEMM(cnt, 0, 0, rows, cols, cols, 1, g, cols, m, cols, 0, out, cols);
    return NS_GEMM(cnt, 0, 0, rows, cols, rows, 1, m, rows, g, cols, 0, out, cols);
}

static void NS_FN(symmetrize)(NS_T *m, size_t s)
{
    size_t i, j;

    for (i = 0; i < s; i++)
        for (j = i + 1; j < s; j++) {
            NS_T v = (NS_T)(0.5 * ((double)m[i * s + j] + (double)m[j * s + i]));
            m[i * s + j] = m[j * s + i] = v;
        }
}

/* dst = sqrt(A) (want_sqrt) or A^(-1/2), by the released coupled iteration. */
static int NS_FN(ns_root)(ns_state *st, bench_counter *cnt, size_t s,
                          const NS_T *a, NS_T *dst, int want_sqrt)
{
    NS_T *y = st->y, *z = st->z, *t = st->t, *y2 = st->y2, *z2 = st->z2, *tmp;
    double trace = 0.0, ridge, norm = 0.0, f;
    size_t i, n = s * s;
    int it;

    for (i = 0; i < s; i++)
        trace += (double)a[i * s + i];
    ridge = NS_EPS + NS_RIDGE * trace / (double)s;
    for (i = 0; i < n; i++)
        y[i] = a[i];
    for (i = 0; i < s; i++)
        y[i * s + i] = (NS_T)((double)a[i * s + i] + ridge);
    for (i = 0; i < n; i++)
        norm += (double)y[i] * (double)y[i];
    norm = sqrt(norm);
    for (i = 0; i < n; i++) {
        y[i] = (NS_T)((double)y[i] / norm);
        z[i] = 0;
    }
    for (i = 0; i < s; i++)
        z[i * s + i] = 1;
    for (it = 0; it < BENCH_NS_ITERS; it++) {
        /* T = 1.5 I - 0.5 Z Y */
        if (NS_FN(mm)(cnt, s, -0.5, z, y, 0.0, t))
            return -1;
        for (i = 0; i < s; i++)
            t[i * s + i] += (NS_T)1.5;
        if (NS_FN(mm)(cnt, s, 1.0, y, t, 0.0, y2) || NS_FN(mm)(cnt, s, 1.0, t, z, 0.0, z2))
            return -1;
        tmp = y; y = y2; y2 = tmp;
        tmp = z; z = z2; z2 = tmp;
        if (it > 0 && it % NS_SYM_FREQ == 0) {
            NS_FN(symmetrize)(y, s);
            NS_FN(symmetrize)(z, s);
        }
    }
    NS_FN(symmetrize)(want_sqrt ? y : z, s);
    f = want_sqrt ? sqrt(norm) : 1.0 / sqrt(norm);
    tmp = want_sqrt ? y : z;
    for (i = 0; i < n; i++)
        dst[i] = (NS_T)((double)tmp[i] * f);
    /* Keep the buffers in their original roles for the next call. */
    if (y != st->y) {
        st->y2 = st->y;
        st->y = y;
    }
    if (z != st->z) {
        st->z2 = st->z;
        st->z = z;
    }
    return 0;
}

/* out = G (G^T G)^(-1/4) (or (G G^T)^(-1/4) G): the released p = 1/2 map. */
static int NS_FN(half_power)(ns_state *st, bench_counter *cnt, size_t rows,
                             size_t cols, const NS_T *g, NS_T *out)
{
    size_t s = rows >= cols ? cols : rows;
    NS_T *a = st->gram, *root = st->root;

    /* A^(-1/2) into the Gram buffer's place is not allowed (it is read), so
     * into root, then sqrt of that into the Gram buffer. */
    if (NS_FN(gram)(cnt, rows, cols, g, a) || NS_FN(ns_root)(st, cnt, s, a, root, 0)
        || NS_FN(ns_root)(st, cnt, s, root, a, 1))
        return -1;
    return NS_FN(side)(cnt, rows, cols, g, a, out) ? -1 : 0;
}

int NS_FN(bench_ns_run)(void *state, const bench_case *c, void *out,
                        bench_counter *cnt)
{
    ns_state *st = state;

    if (c->p_den == 2)
        return NS_FN(half_power)(st, cnt, c->rows, c->cols, NS_INPUT(c), out);
    if (NS_FN(half_power)(st, cnt, c->rows, c->cols, NS_INPUT(c), st->mid))
        return -1;
    return NS_FN(half_power)(st, cnt, c->rows, c->cols, st->mid, out);
}

int NS_FN(bench_quintic_run)(void *state, const bench_case *c, void *out,
                             bench_counter *cnt)
{
    ns_state *st = state;
    size_t rows = c->rows, cols = c->cols, n = rows * cols, i;
    int k;
    size_t s = rows >= cols ? cols : rows;
    const NS_T *g = NS_INPUT(c);
    NS_T *a = st->gram, *b = st->y, *x, *xn;
    double norm = 0.0, f;

    for (i = 0; i < n; i++)
        norm += (double)g[i] * (double)g[i];
    f = 1.0 / (sqrt(norm) + QUINTIC_EPS);
    /* Ping-pong between mid and out so that the last step lands in out. */
    x = BENCH_QUINTIC_STEPS % 2 ? st->mid : out;
    xn = BENCH_QUINTIC_STEPS % 2 ? out : st->mid;
    for (i = 0; i < n; i++)
        x[i] = (NS_T)((double)g[i] * f);
    for (k = 0; k < BENCH_QUINTIC_STEPS; k++) {
        NS_T *tmp;
        if (NS_FN(gram)(cnt, rows, cols, x, a))
            return -1;
        /* B = b A + c A^2 + a I; A^2 as A A^T, so that the backend's ?syrk
         * serves Muon as it serves spow's squares */
        if (NS_GEMM(cnt, 0, 1, s, s, s, (NS_T)QUINTIC_C, a, s, a, s, 0, b, s))
            return -1;
        for (i = 0; i < s * s; i++)
            b[i] = (NS_T)((double)b[i] + QUINTIC_B * (double)a[i]);
        for (i = 0; i < s; i++)
            b[i * s + i] += (NS_T)QUINTIC_A;
        if (NS_FN(side)(cnt, rows, cols, x, b, xn))
            return -1;
        tmp = x; x = xn; xn = tmp;
    }
    return 0;
}
