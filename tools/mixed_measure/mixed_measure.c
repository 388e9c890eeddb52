/* mixed_measure.c -- accuracy of every shipped table in double, float and
 * mixed precision (the first f64_steps steps in double), on matrices with a
 * prescribed spectrum.  A measurement, not a test: it prints one line per
 * table, shape and spectrum, relative Frobenius errors against the exact
 * U S^p V^T.
 *
 *     spow-mixed-measure [smin]      (normalized singular values in [smin, ~1]) */
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

static const size_t shapes[][2] = {{64, 64}, {120, 40}, {40, 120}, {256, 128}, {512, 256}};

int main(int argc, char **argv)
{
    double smin = argc > 1 ? atof(argv[1]) : 1e-2;
    const spow_table *const *l;
    size_t si;
    int spec;

    printf("Errors against U S^p V^T of G (f64) and of G rounded to float (f32),\n"
           "both from LAPACKE_dgesdd; 'f32 vs G' compares the float result with the\n"
           "double G's exact power instead (input rounding included).\n");
    printf("%-26s %5s %-9s %-8s %9s %9s %9s %9s  mixed f64_steps=1..K\n", "table", "gemms",
           "shape", "spectrum", "cert", "f64", "f32 vs G", "f32");
    for (l = spow_table_list(); *l; l++) {
        const spow_table *t = *l;
        double p = (double)t->p_num / t->p_den;
        if (t->steps == 0)
            continue;
        for (si = 0; si < sizeof shapes / sizeof shapes[0]; si++)
            for (spec = 0; spec < 2; spec++) {
                size_t rows = shapes[si][0], cols = shapes[si][1];
                size_t r = rows < cols ? rows : cols, i;
                double *s = malloc(r * sizeof *s), *g = malloc(rows * cols * sizeof *g);
                double *ref = malloc(rows * cols * sizeof *ref), *out = malloc(rows * cols * sizeof *out);
                double *reff = malloc(rows * cols * sizeof *reff), *gr = malloc(rows * cols * sizeof *gr);
                float *gf = malloc(rows * cols * sizeof *gf), *of = malloc(rows * cols * sizeof *of);
                double lo = smin > t->lo ? smin : t->lo;
                tu_rng rng = {2024u + si};
                tu_case tc;
                spow_options opt = {0};
                int nd;

                if (spec == 0)
                    tu_spectrum_spread(s, r, lo);
                else
                    tu_spectrum_dominant(s, r, lo);
                tu_case_init(&tc, rows, cols, s, &rng);
                tu_case_matrix(g, cols, &tc, 1.0, 1.0);
                for (i = 0; i < rows * cols; i++) {
                    gf[i] = (float)g[i];
                    gr[i] = gf[i];
                }
                tu_svd_power(ref, cols, g, cols, rows, cols, p, 0.0);
                tu_svd_power(reff, cols, gr, cols, rows, cols, p, 0.0);
                printf("%-26s %5d %4zux%-4zu %-8s %9.2e", t->name, t->gemms, rows, cols,
                       spec ? "dominant" : "spread", t->max_rel_err);
                if (spow_apply_f64(t, rows, cols, g, cols, out, cols) != SPOW_OK)
                    return 1;
                printf(" %9.2e", tu_rel_err(out, cols, ref, cols, rows, cols));
                for (nd = 0; nd <= t->steps; nd++) {
                    opt.f64_steps = nd;
                    if (spow_apply_f32_ex(t, rows, cols, gf, cols, of, cols, &opt) != SPOW_OK)
                        return 1;
                    if (nd == 0)
                        printf(" %9.2e", tu_rel_err_f32(of, cols, ref, cols, rows, cols));
                    printf(" %9.2e", tu_rel_err_f32(of, cols, reff, cols, rows, cols));
                }
                printf("\n");
                tu_case_clear(&tc);
                free(s);
                free(g);
                free(ref);
                free(reff);
                free(gr);
                free(out);
                free(gf);
                free(of);
            }
    }
    return 0;
}
