/* reference.c -- the double SVD reference and the accuracy measures.
 *
 * LAPACK is column-major; a row-major G is the column-major G^T, so the SVD
 * of G^T = U_H S V_H^T is computed in place of G's: G = V_H S U_H^T, and the
 * arrays LAPACK returns for V_H^T and U_H are exactly row-major U and V^T of
 * G.  No transposition is ever copied. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include "bench.h"

int bench_ref_init(bench_ref *r, size_t rows, size_t cols, const double *g)
{
    size_t k = rows < cols ? rows : cols, i;
    double *a = malloc(rows * cols * sizeof *a), sum = 0.0;
    int rc;

    r->rows = rows;
    r->cols = cols;
    r->k = k;
    r->u = malloc(rows * k * sizeof *r->u);
    r->s = malloc(k * sizeof *r->s);
    r->vt = malloc(k * cols * sizeof *r->vt);
    if (!a || !r->u || !r->s || !r->vt) {
        free(a);
        bench_ref_free(r);
        return -1;
    }
    memcpy(a, g, rows * cols * sizeof *a);
    rc = LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'S', (lapack_int)cols, (lapack_int)rows,
                        a, (lapack_int)cols, r->s, r->vt, (lapack_int)cols,
                        r->u, (lapack_int)k);
    free(a);
    if (rc != 0) {
        bench_ref_free(r);
        return -1;
    }
    for (i = 0; i < k; i++)
        sum += r->s[i] * r->s[i];
    r->norm = sqrt(sum);
    return 0;
}

void bench_ref_free(bench_ref *r)
{
    free(r->u);
    free(r->s);
    free(r->vt);
    r->u = r->s = r->vt = NULL;
}

int bench_ref_power(double *out, const bench_ref *r, double p)
{
    size_t i, j, k = r->k;
    double *us = malloc(r->rows * k * sizeof *us), *f = malloc(k * sizeof *f);

    if (!us || !f) {
        free(us);
        free(f);
        return -1;
    }
    for (j = 0; j < k; j++)
        f[j] = r->s[j] > 0.0 ? pow(r->s[j], p) : 0.0;
    for (i = 0; i < r->rows; i++)
        for (j = 0; j < k; j++)
            us[i * k + j] = r->u[i * k + j] * f[j];
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)r->rows,
                (int)r->cols, (int)k, 1.0, us, (int)k, r->vt, (int)r->cols,
                0.0, out, (int)r->cols);
    free(us);
    free(f);
    return 0;
}

int bench_accuracy(bench_acc *acc, const bench_ref *r, double p, double lo,
                   const double *ref, const void *out, int f32)
{
    size_t n = r->rows * r->cols, k = r->k, i, j;
    double *o = NULL, *w = malloc(k * r->cols * sizeof *w);
    const double *od = out;
    double num = 0.0, den = 0.0;

    if (!w)
        return -1;
    if (f32) {
        const float *of = out;
        o = malloc(n * sizeof *o);
        if (!o) {
            free(w);
            return -1;
        }
        for (i = 0; i < n; i++)
            o[i] = (double)of[i];
        od = o;
    }
    for (i = 0; i < n; i++) {
        double d = od[i] - ref[i];
        num += d * d;
        den += ref[i] * ref[i];
    }
    acc->fro = den > 0.0 ? sqrt(num / den) : sqrt(num);

    /* u_i^T out v_i: W = U^T out (k x cols), then row i of W against row i
     * of V^T. */
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, (int)r->cols,
                (int)r->rows, 1.0, r->u, (int)k, od, (int)r->cols, 0.0, w,
                (int)r->cols);
    acc->sv_max = 0.0;
    acc->n_in = 0;
    for (i = 0; i < k; i++) {
        double d = 0.0, e;
        if (r->s[i] < lo * r->norm || r->s[i] <= 0.0)
            continue;
        for (j = 0; j < r->cols; j++)
            d += w[i * r->cols + j] * r->vt[i * r->cols + j];
        e = fabs(d / pow(r->s[i], p) - 1.0);
        if (!(e <= acc->sv_max)) /* NaN propagates */
            acc->sv_max = e;
        acc->n_in++;
    }
    free(o);
    free(w);
    return 0;
}
