/* rank1_measure.c -- spow-rank1-measure: how far float rounding noise in the
 * null space of a rank-one G is amplified, against the model k eps32 G_nd of
 * t_hostile.c (tol32_rank_deficient).  A measurement, not a test: for each
 * default table (spow_table_find(p, 1e-3)) it prints the largest
 * err / (k eps32 G_nd) over 5 shapes x 30 seeds of G = a b^T, a and b
 * Gaussian (odd seeds) or +-1 (even seeds), k = max(rows, cols), err the
 * relative Frobenius error against sigma^(p-1) G, all float (nd = 0) and with
 * the first step in double (nd = 1), and the largest err itself.
 *
 *     spow-rank1-measure */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

#define SEEDS 30

static const size_t shapes[][2] = {{40, 25}, {25, 40}, {33, 33}, {20, 13}, {64, 64}};
#define NSHAPES ((int)(sizeof shapes / sizeof shapes[0]))

static double factor(tu_rng *rng, int gaussian)
{
    if (gaussian)
        return tu_gauss(rng);
    return tu_uniform(rng) < 0.5 ? -1.0 : 1.0;
}

/* The relative error of one rank-one case (negative if the apply failed);
 * *ratio receives err / (k eps32 G_nd). */
static double rank1_err(double *ratio, const spow_table *t, size_t rows, size_t cols,
                        unsigned seed, int nd)
{
    double p = (double)t->p_num / t->p_den, *a = malloc(rows * sizeof *a);
    double *b = malloc(cols * sizeof *b), *ref = malloc(rows * cols * sizeof *ref), s2 = 0.0, r;
    float *g = malloc(rows * cols * sizeof *g), *out = malloc(rows * cols * sizeof *out);
    size_t i, j, k = rows > cols ? rows : cols;
    tu_rng rng = {seed};
    spow_options opt = {0};

    for (i = 0; i < rows; i++)
        a[i] = factor(&rng, seed % 2);
    for (j = 0; j < cols; j++)
        b[j] = factor(&rng, seed % 2);
    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++) {
            g[i * cols + j] = (float)(a[i] * b[j]);
            s2 += (double)g[i * cols + j] * g[i * cols + j];
        }
    /* the exact power of the float-rounded G, still rank one: sigma^(p-1) G */
    for (i = 0; i < rows * cols; i++)
        ref[i] = pow(sqrt(s2), p - 1.0) * g[i];
    opt.f64_steps = nd;
    if (spow_apply_f32_ex(t, rows, cols, g, cols, out, cols, &opt) != SPOW_OK)
        r = -1.0;
    else
        r = tu_rel_err_f32(out, cols, ref, cols, rows, cols);
    *ratio = r / ((double)k * 0x1p-24 * tu_null_gain(t, nd));
    free(a);
    free(b);
    free(ref);
    free(g);
    free(out);
    return r;
}

int main(void)
{
    const spow_table *const *l;

    printf("max over %d shapes x %d seeds of err / (k eps32 G_nd) and of err\n", NSHAPES, SEEDS);
    printf("%-24s %10s %10s %10s %10s\n", "table", "ratio f32", "ratio 1f64", "err f32",
           "err 1f64");
    for (l = spow_table_list(); *l; l++) {
        const spow_table *t = *l;
        double worst[2] = {0.0, 0.0}, worst_err[2] = {0.0, 0.0};
        int sh, seed, nd;

        if (t->lo > 1e-3 || spow_table_find(t->p_num, t->p_den, 1e-3) != t)
            continue;
        for (nd = 0; nd <= 1; nd++)
            for (sh = 0; sh < NSHAPES; sh++)
                for (seed = 0; seed < SEEDS; seed++) {
                    double r, e = rank1_err(&r, t, shapes[sh][0], shapes[sh][1],
                                            (unsigned)(seed * 7 + sh), nd);
                    if (e < 0.0) {
                        fprintf(stderr, "%s: apply failed\n", t->name);
                        return 1;
                    }
                    if (r > worst[nd])
                        worst[nd] = r;
                    if (e > worst_err[nd])
                        worst_err[nd] = e;
                }
        printf("%-24s %10.3f %10.3f %10.2e %10.2e\n", t->name, worst[0], worst[1],
               worst_err[0], worst_err[1]);
    }
    return 0;
}
