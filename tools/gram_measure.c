/* gram_measure.c -- spow-gram-measure: the float and double accuracy of the
 * small-side ("Gram-only") form of the coupled recurrence (docs/runtime.md),
 * measured before deciding whether the runtime should offer it.
 *
 *     A_0 = G^T G,  A_{k+1} = A_k g_k(A_k)^(2n),  P_{k+1} = P_k g_k(A_k)^(n-m),
 *     result G P_K
 *
 * tracks only cols x cols matrices (two rectangular products in all instead of
 * about two per step), but A_0 squares the condition number.  Prints, for each
 * table, the relative Frobenius error against the exact power of the same
 * (rounded) G, next to the runtime's own f32 and f64 results.
 *
 * Usage: spow-gram-measure [LO]   (tables with t->lo == LO, default 1e-3) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>

#include "testutil.h"

/* g(A) by the table's Paterson-Stockmeyer blocks, written plainly (the runtime's
 * own evaluation is static); work holds baby + 3 matrices. */
#define DEF_GRAM(T, GEMM, NAME)                                                        \
    static void NAME##_mul(size_t s, const T *a, const T *b, T *c)                   \
    {                                                                                  \
        GEMM(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)s, (int)s, (int)s, 1, a,  \
             (int)s, b, (int)s, 0, c, (int)s);                                         \
    }                                                                                  \
    static void NAME##_g(T *out, const spow_step *sp, const T *a, size_t s, T *work)  \
    {                                                                                  \
        const size_t ss = s * s;                                                       \
        T *tk = work, *r = work + (size_t)(sp->baby + 1) * ss, *tmp = r + ss;          \
        for (size_t i = 0; i < ss; i++) {                                              \
            tk[i] = (T)(i % (s + 1) == 0);                                             \
            tk[ss + i] = (T)(sp->alpha * a[i] + (i % (s + 1) == 0 ? sp->beta : 0));    \
        }                                                                              \
        for (int j = 2; j <= sp->baby; j++) {                                          \
            NAME##_mul(s, tk + ss, tk + (size_t)(j - 1) * ss, tk + (size_t)j * ss);    \
            for (size_t i = 0; i < ss; i++)                                            \
                tk[(size_t)j * ss + i] = 2 * tk[(size_t)j * ss + i] - tk[(size_t)(j - 2) * ss + i]; \
        }                                                                              \
        for (int b = sp->blocks - 1; b >= 0; b--) {                                    \
            const double *c = sp->ps + (size_t)b * (size_t)(sp->baby + 1);             \
            if (b < sp->blocks - 1)                                                    \
                NAME##_mul(s, r, tk + (size_t)sp->baby * ss, tmp);                     \
            for (size_t i = 0; i < ss; i++) {                                          \
                double v = b < sp->blocks - 1 ? tmp[i] : 0;                            \
                for (int q = 0; q <= sp->baby; q++)                                    \
                    v += c[q] * tk[(size_t)q * ss + i];                                \
                r[i] = (T)v;                                                           \
            }                                                                          \
        }                                                                              \
        memcpy(out, r, ss * sizeof(T));                                                \
    }                                                                                  \
    /* m <- m g^e (repeated products: the count does not matter here) */             \
    static void NAME##_times_power(T *m, const T *g, int e, size_t s, T *tmp)         \
    {                                                                                  \
        for (int i = 0; i < e; i++) {                                                  \
            NAME##_mul(s, m, g, tmp);                                                  \
            memcpy(m, tmp, s * s * sizeof(T));                                         \
        }                                                                              \
    }                                                                                  \
    static void NAME##_gram_only(T *x, const spow_table *t, const T *g, size_t rows,  \
                                 size_t cols)                                          \
    {                                                                                  \
        const size_t s = cols, ss = s * s;                                             \
        T *a = malloc(ss * sizeof(T)), *p = malloc(ss * sizeof(T));                    \
        T *gk = malloc(ss * sizeof(T)), *tmp = malloc(ss * sizeof(T));                 \
        T *work = malloc((size_t)(SPOW_MAX_DEGREE + 4) * ss * sizeof(T));              \
        GEMM(CblasRowMajor, CblasTrans, CblasNoTrans, (int)s, (int)s, (int)rows, 1, g, \
             (int)cols, g, (int)cols, 0, a, (int)s);                                   \
        for (size_t i = 0; i < ss; i++)                                                \
            p[i] = (T)(i % (s + 1) == 0);                                              \
        for (int k = 0; k < t->steps; k++) {                                           \
            NAME##_g(gk, &t->step[k], a, s, work);                                     \
            NAME##_times_power(p, gk, t->x_power, s, tmp);                             \
            NAME##_times_power(a, gk, 2 * t->y_power, s, tmp);                         \
        }                                                                              \
        GEMM(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)rows, (int)cols, (int)s,  \
             1, g, (int)cols, p, (int)s, 0, x, (int)cols);                             \
        free(a); free(p); free(gk); free(tmp); free(work);                             \
    }

DEF_GRAM(double, cblas_dgemm, f64)
DEF_GRAM(float, cblas_sgemm, f32)

int main(int argc, char **argv)
{
    const double lo = argc > 1 ? atof(argv[1]) : 1e-3;
    const size_t rows = 512, cols = 256;
    double s[256];
    tu_spectrum_spread(s, cols, 1e-2);      /* normalized singular values in [1e-2, 1) */
    tu_rng rng = { 2026 };
    tu_case tc;
    tu_case_init(&tc, rows, cols, s, &rng);
    double *gd = malloc(rows * cols * sizeof *gd), *ref = malloc(rows * cols * sizeof *ref);
    double *ref32 = malloc(rows * cols * sizeof *ref32), *xd = malloc(rows * cols * sizeof *xd);
    float *gf = malloc(rows * cols * sizeof *gf), *xf = malloc(rows * cols * sizeof *xf);
    double *gfd = malloc(rows * cols * sizeof *gfd);
    tu_case_matrix(gd, cols, &tc, 1, 1);
    for (size_t i = 0; i < rows * cols; i++) {
        gf[i] = (float)gd[i];
        gfd[i] = gf[i];
    }
    spow_options opt = { 0 };
    opt.flags = SPOW_NORMALIZED;
    printf("%dx%d, normalized singular values spread over [1e-2, 1); relative Frobenius\n"
           "errors against the exact power of the same G (float: of G rounded to float)\n",
           (int)rows, (int)cols);
    printf("%-24s %9s %11s %11s %11s %11s\n", "table", "cert", "gram f64", "runtime f64",
           "gram f32", "runtime f32");
    for (const spow_table *const *tp = spow_table_list(); *tp; tp++) {
        const spow_table *t = *tp;
        if (t->lo != lo)
            continue;
        const double p = (double)t->p_num / t->p_den;
        tu_case_power(ref, cols, &tc, 1, 1, p);
        tu_svd_power(ref32, cols, gfd, cols, rows, cols, p, 0);
        f64_gram_only(xd, t, gd, rows, cols);
        double e_gram64 = tu_rel_err(xd, cols, ref, cols, rows, cols);
        spow_apply_f64_ex(t, rows, cols, gd, cols, xd, cols, &opt);
        double e_rt64 = tu_rel_err(xd, cols, ref, cols, rows, cols);
        f32_gram_only(xf, t, gf, rows, cols);
        double e_gram32 = tu_rel_err_f32(xf, cols, ref32, cols, rows, cols);
        spow_apply_f32_ex(t, rows, cols, gf, cols, xf, cols, &opt);
        double e_rt32 = tu_rel_err_f32(xf, cols, ref32, cols, rows, cols);
        printf("%-24s %9.2e %11.2e %11.2e %11.2e %11.2e\n", t->name, t->max_rel_err,
               e_gram64, e_rt64, e_gram32, e_rt32);
    }
    free(gd); free(ref); free(ref32); free(xd); free(gf); free(xf); free(gfd);
    tu_case_clear(&tc);
    return 0;
}
