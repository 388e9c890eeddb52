/* norm_impl.h -- spow_norm_{f64,f32}: ||G||_F without overflow or underflow,
 * accumulated in double.
 *
 * Included by norm.c once per type (both_types.h), with SPOW_T and SPOW_FN(name) defined;
 * no include guard on purpose.
 *
 * Two passes instead of LAPACK dlassq's running rescale: the largest
 * magnitude fixes a power of two 2^e, then every x 2^-e is at most 1 (the
 * scaling is exact), so the sum of squares cannot overflow, and what it
 * loses to underflow is below 2^-1000 of a sum that is at least 1/4.  The
 * extra read of G costs nothing next to the GEMMs.  The norm is returned as
 * r 2^e so that norms beyond DBL_MAX (entries near DBL_MAX) remain usable.
 *
 * 2^-e is applied as two factors: e ranges over [-1073, 1024] and 2^1073 is
 * not a double, while each half is. */
int SPOW_FN(spow_norm)(spow_scale *sc, size_t rows, size_t cols,
                       const SPOW_T *g, size_t ldg)
{
    double amax = 0.0, sum = 0.0, s1, s2;
    size_t i, j;
    int e;

    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++) {
            double v = fabs((double)g[i * ldg + j]);
            if (!(v <= DBL_MAX)) /* also catches NaN */
                return SPOW_ENONFINITE;
            if (v > amax)
                amax = v;
        }
    if (amax == 0.0) {
        sc->r = 0.0;
        sc->e = 0;
        return SPOW_OK;
    }
    (void)frexp(amax, &e);
    s1 = ldexp(1.0, -e / 2);
    s2 = ldexp(1.0, -e - (-e / 2));
    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++) {
            double v = (double)g[i * ldg + j] * s1 * s2;
            sum += v * v;
        }
    sc->r = sqrt(sum);
    sc->e = e;
    return SPOW_OK;
}
