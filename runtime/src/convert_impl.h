/* convert_impl.h -- dst = src f[0] f[1] f[2] / d, from one element type to
 * another, in double.
 *
 * Included by apply.c once per (destination, source) pair it needs, with
 * SPOW_DT, SPOW_ST (the element types) and SPOW_CONV (the function's name)
 * defined; no include guard on purpose.  One function serves both ways the
 * runtime rescales a matrix:
 *
 *   loading G / c:   f = {2^-e split in two halves, 1}, d = r (c = r 2^e;
 *                    the power of two first, exact, in two halves because
 *                    2^1073 is not a double, then the division by r);
 *   the result c^p:  f = the three factors of result_scale, d = 1.
 *
 * Multiplying or dividing by 1 is exact, so each use rounds exactly as its
 * own formula would.  When c^p is out of range the three factors share one
 * sign of exponent (result_scale), so an intermediate overflow or underflow
 * is one the result has too. */
static void SPOW_CONV(SPOW_DT *dst, size_t ldd, const SPOW_ST *src, size_t lds,
                      size_t rows, size_t cols, const double f[3], double d)
{
    size_t i, j;

    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++)
            dst[i * ldd + j] = (SPOW_DT)((double)src[i * lds + j] * f[0] * f[1] * f[2] / d);
}
