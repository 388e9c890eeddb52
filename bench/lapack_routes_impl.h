/* lapack_routes_impl.h -- the gesdd and syevd routes for one element type.
 * Included by lapack_routes.c once per type with LR_T, LR_FN(name), LR_GEMM,
 * LR_GESDD, LR_SYEVD and LR_INPUT(c) defined; no include guard on purpose. */

/* x_ij = y_ij d_j^e for i < m, j < n, where x_ij and y_ij sit at
 * i * si + j * sj: a scaling of columns (si = n, sj = 1) or of rows (si = 1,
 * sj = m).  A d_j <= 0 gives 0: the null space, for either route. */
static void LR_FN(scale_by_power)(LR_T *x, const LR_T *y, const LR_T *d, double e,
                                  size_t m, size_t n, size_t si, size_t sj)
{
    size_t i, j;

    for (j = 0; j < n; j++) {
        double f = d[j] > 0 ? pow((double)d[j], e) : 0.0;
        for (i = 0; i < m; i++)
            x[i * si + j * sj] = (LR_T)((double)y[i * si + j * sj] * f);
    }
}

/* SVD route.  ?gesdd is markedly faster on a tall matrix than on a wide one
 * (its wide path is about twice as slow at 4096 x 1024 here), so LAPACK
 * always gets the tall orientation: a wide row-major G is the tall
 * column-major G^T, passed as it is (see reference.c for why the arrays
 * LAPACK returns as "VT" and "U" are then row-major U and V^T of G); a tall
 * one goes through LAPACKE's row-major interface, which transposes it (the
 * copies count as LAPACK time). */
int LR_FN(bench_gesdd_run)(void *state, const bench_case *c, void *out,
                           bench_counter *cnt)
{
    lapack_state *st = state;
    size_t rows = c->rows, cols = c->cols, k = rows < cols ? rows : cols;
    LR_T *a = st->a, *s = st->sv, *u = st->u, *vt = st->vt;
    double p = (double)c->p_num / (double)c->p_den, t0;
    int rc;

    memcpy(a, LR_INPUT(c), rows * cols * sizeof *a); /* gesdd overwrites it */
    t0 = bench_now();
    if (rows > cols)
        rc = LR_GESDD(LAPACK_ROW_MAJOR, 'S', (lapack_int)rows, (lapack_int)cols, a,
                      (lapack_int)cols, s, u, (lapack_int)k, vt, (lapack_int)cols);
    else
        rc = LR_GESDD(LAPACK_COL_MAJOR, 'S', (lapack_int)cols, (lapack_int)rows, a,
                      (lapack_int)cols, s, vt, (lapack_int)cols, u, (lapack_int)k);
    cnt->lapack_s += bench_now() - t0;
    if (rc != 0)
        return -1;
    LR_FN(scale_by_power)(u, u, s, p, rows, k, k, 1);
    return LR_GEMM(cnt, 0, 0, rows, cols, k, 1, u, k, vt, cols, 0, out, cols)
           ? -1 : 0;
}

/* Gram route on the smaller side. */
int LR_FN(bench_syevd_run)(void *state, const bench_case *c, void *out,
                           bench_counter *cnt)
{
    lapack_state *st = state;
    size_t rows = c->rows, cols = c->cols;
    int right = rows >= cols;
    size_t s = right ? cols : rows;
    LR_T *a = st->a, *w = st->sv, *vd = st->u, *m = st->vt;
    const LR_T *g = LR_INPUT(c);
    double e = ((double)c->p_num / (double)c->p_den - 1.0) / 2.0, t0;
    int rc;

    if (right)
        rc = LR_GEMM(cnt, 1, 0, s, s, rows, 1, g, cols, g, cols, 0, a, s);
    else
        rc = LR_GEMM(cnt, 0, 1, s, s, cols, 1, g, cols, g, cols, 0, a, s);
    if (rc)
        return -1;
    /* A is symmetric, so either layout; the eigenvectors come back as the
     * columns of a column-major array, i.e. the rows of the row-major a. */
    t0 = bench_now();
    rc = LR_SYEVD(LAPACK_COL_MAJOR, 'V', 'U', (lapack_int)s, a, (lapack_int)s, w);
    cnt->lapack_s += bench_now() - t0;
    if (rc != 0)
        return -1;
    /* vd = diag(f) V^T, f = lambda^((p-1)/2) (0 for lambda <= 0: the range of G). */
    LR_FN(scale_by_power)(vd, a, w, e, s, s, 1, s);
    /* M = V diag(f) V^T = (V^T)^T vd. */
    if (LR_GEMM(cnt, 1, 0, s, s, s, 1, a, s, vd, s, 0, m, s))
        return -1;
    if (right)
        rc = LR_GEMM(cnt, 0, 0, rows, cols, cols, 1, g, cols, m, s, 0, out, cols);
    else
        rc = LR_GEMM(cnt, 0, 0, rows, cols, rows, 1, m, s, g, cols, 0, out, cols);
    return rc ? -1 : 0;
}
