/* testmat.c -- test matrices G = c Q1 diag(s) Q2^T with a power-law spectrum.
 *
 * Gradients of trained layers have roughly power-law spectra; a power law
 * also spreads the normalized singular values over the whole certified
 * interval: with s_i ~ (i + 1)^-alpha and alpha chosen so that the smallest
 * normalized value is smin (2 lo by default), they cover [smin, ~0.7] for
 * the sizes benchmarked, most of them in the lowest decade. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <cblas.h>
#include <lapacke.h>

#include "bench.h"

/* splitmix64: small, seedable, good enough for Gaussian test data. */
static uint64_t next_u64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in (0, 1). */
static double next_unit(uint64_t *x)
{
    return ((double)(next_u64(x) >> 11) + 0.5) * 0x1p-53;
}

/* Box-Muller, both outputs used. */
static void fill_gaussian(double *v, size_t n, uint64_t *x)
{
    const double two_pi = 6.283185307179586;
    size_t i;

    for (i = 0; i < n; i += 2) {
        double r = sqrt(-2.0 * log(next_unit(x))), th = two_pi * next_unit(x);
        v[i] = r * cos(th);
        if (i + 1 < n)
            v[i + 1] = r * sin(th);
    }
}

/* Column-major m x k (m >= k) with orthonormal columns: Q of a Gaussian. */
static int random_orthonormal(double *q, size_t m, size_t k, uint64_t *x)
{
    double *tau = malloc(k * sizeof *tau);
    int rc;

    if (!tau)
        return -1;
    fill_gaussian(q, m * k, x);
    rc = LAPACKE_dgeqrf(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)k, q,
                        (lapack_int)m, tau);
    if (rc == 0)
        rc = LAPACKE_dorgqr(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)k,
                            (lapack_int)k, q, (lapack_int)m, tau);
    free(tau);
    return rc == 0 ? 0 : -1;
}

/* s_min / ||s||_2 for s_i = (i + 1)^-alpha, i < k: decreasing in alpha. */
static double min_ratio(double alpha, size_t k)
{
    double sum = 0.0;
    size_t i;

    for (i = 0; i < k; i++)
        sum += pow((double)(i + 1), -2.0 * alpha);
    return pow((double)k, -alpha) / sqrt(sum);
}

int bench_testmat(double *g, double *alpha, size_t rows, size_t cols,
                  double smin, double c, unsigned long long seed)
{
    size_t k = rows < cols ? rows : cols, i, j;
    double lo = 0.0, hi = 20.0, a, norm = 0.0;
    double *q1 = malloc(rows * k * sizeof *q1), *q2 = malloc(cols * k * sizeof *q2);
    double *s = malloc(k * sizeof *s);
    uint64_t x = (uint64_t)seed;
    int rc = -1;

    if (!q1 || !q2 || !s)
        goto done;
    /* Flat (alpha = 0) already has the largest possible minimum 1/sqrt(k). */
    if (min_ratio(0.0, k) <= smin)
        hi = 0.0;
    for (i = 0; i < 200 && hi > 0.0; i++) {
        a = 0.5 * (lo + hi);
        if (min_ratio(a, k) > smin)
            lo = a;
        else
            hi = a;
    }
    a = hi;
    for (i = 0; i < k; i++) {
        s[i] = pow((double)(i + 1), -a);
        norm += s[i] * s[i];
    }
    norm = sqrt(norm);
    if (random_orthonormal(q1, rows, k, &x) || random_orthonormal(q2, cols, k, &x))
        goto done;
    /* q2 <- q2 diag(c s / ||s||), then row-major G = (col-major G^T) = q2 q1^T. */
    for (j = 0; j < k; j++)
        for (i = 0; i < cols; i++)
            q2[j * cols + i] *= c * s[j] / norm;
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int)cols, (int)rows,
                (int)k, 1.0, q2, (int)cols, q1, (int)rows, 0.0, g, (int)cols);
    *alpha = a;
    rc = 0;
done:
    free(q1);
    free(q2);
    free(s);
    return rc;
}
