/* consumer.c -- a program outside the spow tree, built against an installed
 * libspow (pkg-config or find_package, see README "Use it from your
 * project"), that checks what it gets against LAPACKE's SVD.
 *
 * G is a 48 x 16 matrix of uniform noise; spow computes U S^(1/2) V^T with
 * the shipped p = 1/2 table; the reference is U diag(s^(1/2)) V^T from
 * LAPACKE_dgesvd.  Exit status 0 when they agree to the table's certificate.
 *
 *   cc consumer.c $(pkg-config --cflags --libs spow lapacke) -o consumer
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lapacke.h>
#include <spow.h>

enum { ROWS = 48, COLS = 16 };

int main(void)
{
    static double g[ROWS * COLS], a[ROWS * COLS], out[ROWS * COLS];
    static double u[ROWS * COLS], vt[COLS * COLS], s[COLS], superb[COLS];
    const spow_table *t;
    unsigned long long state = 2026;
    double num = 0, den = 0, tol;
    size_t i, j, l;
    int rc;

    /* The library loaded at run time is the one the header belongs to. */
    if (strcmp(spow_version(), SPOW_VERSION_STRING) != 0) {
        fprintf(stderr, "libspow %s, spow.h %s\n", spow_version(), SPOW_VERSION_STRING);
        return 1;
    }
    t = spow_table_find(1, 2, 1e-3);
    if (t == NULL) {
        fputs("no shipped table for p = 1/2\n", stderr);
        return 1;
    }
    for (i = 0; i < ROWS * COLS; i++) {        /* uniform noise in [-1, 1) */
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        g[i] = (double)(state >> 11) / 9007199254740992.0 * 2 - 1;
    }

    rc = spow_apply_f64(t, ROWS, COLS, g, COLS, out, COLS);
    if (rc != SPOW_OK) {
        fprintf(stderr, "spow_apply_f64: %s\n", spow_strerror(rc));
        return 1;
    }

    memcpy(a, g, sizeof a);
    if (LAPACKE_dgesvd(LAPACK_ROW_MAJOR, 'S', 'S', ROWS, COLS, a, COLS, s, u, COLS,
                       vt, COLS, superb) != 0) {
        fputs("LAPACKE_dgesvd failed\n", stderr);
        return 1;
    }
    /* The certificate holds for singular values in [lo, hi] after scaling
     * by ||G||_F: check that this G is such a matrix. */
    for (j = 0, den = 0; j < COLS; j++)
        den += s[j] * s[j];
    if (s[COLS - 1] / sqrt(den) < t->lo) {
        fprintf(stderr, "smallest normalized singular value %.3g below lo\n",
                s[COLS - 1] / sqrt(den));
        return 1;
    }
    den = 0;
    for (i = 0; i < ROWS; i++)
        for (j = 0; j < COLS; j++) {
            double ref = 0;
            for (l = 0; l < COLS; l++)
                ref += u[i * COLS + l] * sqrt(s[l]) * vt[l * COLS + j];
            num += (out[i * COLS + j] - ref) * (out[i * COLS + j] - ref);
            den += ref * ref;
        }

    /* spow's result is U diag(s_i^p (1 + e_i)) V^T with |e_i| <= the
     * certified max_rel_err, so ||out - ref||_F <= max_rel_err ||ref||_F in
     * exact arithmetic; 1e-12 more covers the double rounding of the GEMMs
     * and of the SVD (both near 1e-15 relative at this size). */
    tol = t->max_rel_err + 1e-12;
    printf("libspow %s, table %s: ||spow - svd||_F / ||svd||_F = %.3e (certified %.3e)\n",
           spow_version(), t->name, sqrt(num / den), t->max_rel_err);
    return sqrt(num / den) <= tol ? 0 : 1;
}
