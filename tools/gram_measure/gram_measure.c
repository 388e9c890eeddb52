/* gram_measure.c -- spow-gram-measure: the accuracy of the runtime's small
 * side (SPOW_SMALL_SIDE, docs/runtime.md) against its rectangular form, in
 * double, in float with the small side in double (f64_steps = 1), and in
 * float throughout.  The small side carries the Gram matrix A = G^T G from
 * step to step, whose rounding reaches a singular value s as u / s^2: the
 * float column shows what that costs.  Prints, for each table, the relative
 * Frobenius error against the exact power of the same (rounded) G.
 *
 * Usage: spow-gram-measure [LO]   (tables with t->lo == LO, default 1e-3) */
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

static double err64(const spow_table *t, const double *g, const double *ref, size_t rows,
                    size_t cols, unsigned flags, double *x)
{
    spow_options opt = {0};

    opt.flags = flags;
    if (spow_apply_f64_ex(t, rows, cols, g, cols, x, cols, &opt) != SPOW_OK)
        return -1.0;
    return tu_rel_err(x, cols, ref, cols, rows, cols);
}

static double err32(const spow_table *t, const float *g, const double *ref, size_t rows,
                    size_t cols, unsigned flags, int f64_steps, float *x)
{
    spow_options opt = {0};

    opt.flags = flags;
    opt.f64_steps = f64_steps;
    if (spow_apply_f32_ex(t, rows, cols, g, cols, x, cols, &opt) != SPOW_OK)
        return -1.0;
    return tu_rel_err_f32(x, cols, ref, cols, rows, cols);
}

int main(int argc, char **argv)
{
    const double lo = argc > 1 ? atof(argv[1]) : 1e-3;
    const size_t rows = 512, cols = 256, n = rows * cols;
    double s[256];
    tu_rng rng = {2026};
    tu_case tc;
    double *gd = malloc(n * sizeof *gd), *ref = malloc(n * sizeof *ref);
    double *ref32 = malloc(n * sizeof *ref32), *xd = malloc(n * sizeof *xd);
    double *gfd = malloc(n * sizeof *gfd);
    float *gf = malloc(n * sizeof *gf), *xf = malloc(n * sizeof *xf);
    const spow_table *const *tp;
    size_t i;

    if (argc > 2 || lo <= 0.0) {
        fprintf(stderr, "usage: spow-gram-measure [LO]   (LO > 0, default 1e-3)\n");
        return 2;
    }
    tu_spectrum_spread(s, cols, 1e-2); /* normalized singular values in [1e-2, 1) */
    tu_case_init(&tc, rows, cols, s, &rng);
    tu_case_matrix(gd, cols, &tc, 1, 1);
    for (i = 0; i < n; i++) {
        gf[i] = (float)gd[i];
        gfd[i] = gf[i];
    }
    printf("%dx%d, normalized singular values spread over [1e-2, 1); relative Frobenius\n"
           "errors against the exact power of the same G (float: of G rounded to float)\n",
           (int)rows, (int)cols);
    printf("%-24s %9s %11s %11s %11s %11s %11s\n", "table", "cert", "rect f64", "small f64",
           "rect f32", "small f32/64", "small f32");
    for (tp = spow_table_list(); *tp; tp++) {
        const spow_table *t = *tp;
        double p = (double)t->p_num / t->p_den;

        if (t->lo != lo)
            continue;
        tu_case_power(ref, cols, &tc, 1, 1, p);
        tu_svd_power(ref32, cols, gfd, cols, rows, cols, p, 0);
        printf("%-24s %9.2e %11.2e %11.2e %11.2e %11.2e %11.2e\n", t->name, t->max_rel_err,
               err64(t, gd, ref, rows, cols, 0, xd),
               err64(t, gd, ref, rows, cols, SPOW_SMALL_SIDE, xd),
               err32(t, gf, ref32, rows, cols, 0, 0, xf),
               err32(t, gf, ref32, rows, cols, SPOW_SMALL_SIDE, 1, xf),
               err32(t, gf, ref32, rows, cols, SPOW_SMALL_SIDE, 0, xf));
    }
    free(gd);
    free(ref);
    free(ref32);
    free(xd);
    free(gfd);
    free(gf);
    free(xf);
    tu_case_clear(&tc);
    return 0;
}
