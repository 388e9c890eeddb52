/* inspect_matrix_impl.h -- the matrix forms of the evaluation-only families
 * (fixed point, Muon's quintic) in one floating type, with CBLAS.
 *
 * Included by inspect_matrix.c with T, FN(name) and GEMM (cblas_dgemm or
 * cblas_sgemm) defined; no include guard on purpose.  The matrix is wide
 * (r = rows <= cols), so the Gram products Y Y^T are r x r.  Returns the
 * GEMM calls made, or -1 when out of memory.  y holds Y_0 = X = G / ||G||_F
 * on entry and Y_K on exit. */

/* c = a b (r x r times r x k) */
static void FN(mm)(long *calls, size_t r, size_t k, const T *a, const T *b, T *c)
{
    GEMM(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)r, (int)k, (int)r, (T)1, a, (int)r, b,
         (int)k, (T)0, c, (int)k);
    (*calls)++;
}

/* g = y y^T */
static void FN(gram)(long *calls, size_t r, size_t cols, const T *y, T *g)
{
    GEMM(CblasRowMajor, CblasNoTrans, CblasTrans, (int)r, (int)r, (int)cols, (T)1, y, (int)cols,
         y, (int)cols, (T)0, g, (int)r);
    (*calls)++;
}

/* out = a^e (e >= 1) by repeated squaring, set bits multiplied in from the
 * lowest, as the scalar evaluation does; sq, t scratch r x r. */
static void FN(power)(long *calls, size_t r, const T *a, int e, T *out, T *sq, T *t)
{
    const size_t rr = r * r;
    int have = 0;
    memcpy(sq, a, rr * sizeof(T));
    for (; e; e >>= 1) {
        if (e & 1) {
            if (have) {
                FN(mm)(calls, r, r, out, sq, t);
                memcpy(out, t, rr * sizeof(T));
            } else {
                memcpy(out, sq, rr * sizeof(T));
            }
            have = 1;
        }
        if (e >> 1) {
            FN(mm)(calls, r, r, sq, sq, t);
            memcpy(sq, t, rr * sizeof(T));
        }
    }
}

static long FN(family_apply)(const spow_inspect_eval_plan *plan, size_t r, size_t cols, T *y)
{
    const size_t rr = r * r, rc = r * cols;
    T *x = malloc(rc * sizeof(T)), *w = malloc(rc * sizeof(T)), *xa = malloc(rc * sizeof(T));
    T *a = malloc(rr * sizeof(T)), *ak = malloc(rr * sizeof(T)), *sq = malloc(rr * sizeof(T));
    T *t = malloc(rr * sizeof(T)), *xx = malloc(rr * sizeof(T));
    long calls = 0;
    if (!x || !w || !xa || !a || !ak || !sq || !t || !xx) {
        calls = -1;
        goto out;
    }
    memcpy(x, y, rc * sizeof(T));
    if (plan->kind == SPOW_INSPECT_EVAL_FIXEDPOINT) {
        /* X^a = (X X^T)^((a-1)/2) X, once */
        if (plan->m == 1) {
            memcpy(xa, x, rc * sizeof(T));
        } else {
            FN(gram)(&calls, r, cols, x, a);
            FN(power)(&calls, r, a, (int)(plan->m - 1) / 2, ak, sq, t);
            FN(mm)(&calls, r, cols, ak, x, xa);
        }
    }
    if (plan->kind == SPOW_INSPECT_EVAL_HALF)
        FN(gram)(&calls, r, cols, x, xx);                       /* X X^T, once */
    for (int k = 0; k < plan->steps; k++) {
        const spow_inspect_eval_step *st = &plan->step[k];
        FN(gram)(&calls, r, cols, y, a);
        if (plan->kind == SPOW_INSPECT_EVAL_FIXEDPOINT) {
            const T c = (T)st->cst[0];
            FN(power)(&calls, r, a, (int)(plan->n - 1) / 2, ak, sq, t);
            FN(mm)(&calls, r, cols, ak, y, w);                  /* Y^b */
            for (size_t i = 0; i < rc; i++) {
                T d = w[i] - xa[i];
                y[i] = y[i] - c * d;
            }
        } else if (plan->kind == SPOW_INSPECT_EVAL_HALF) {
            const T c = (T)st->cst[0], d = (T)st->cst[1];
            FN(mm)(&calls, r, r, a, a, ak);                     /* (Y Y^T)^2 */
            for (size_t i = 0; i < rr; i++)
                ak[i] = ak[i] - xx[i];
            for (size_t i = 0; i < rc; i++)
                w[i] = c * x[i] + d * y[i];
            FN(mm)(&calls, r, cols, ak, w, xa);                 /* xa as scratch */
            for (size_t i = 0; i < rc; i++)
                y[i] = y[i] - xa[i];
        } else {                                                /* Muon's quintic */
            const T ca = (T)st->cst[0], cb = (T)st->cst[1], cc = (T)st->cst[2];
            FN(mm)(&calls, r, r, a, a, ak);
            for (size_t i = 0; i < rr; i++)
                ak[i] = cb * a[i] + cc * ak[i];                 /* B = b A + c A^2 */
            FN(mm)(&calls, r, cols, ak, y, w);
            for (size_t i = 0; i < rc; i++)
                y[i] = ca * y[i] + w[i];
        }
    }
out:
    free(x);
    free(w);
    free(xa);
    free(a);
    free(ak);
    free(sq);
    free(t);
    free(xx);
    return calls;
}
