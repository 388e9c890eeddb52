/* testutil.h -- shared helpers of the runtime tests: random matrices with a
 * prescribed spectrum (LAPACKE), reference powers and a counting GEMM (the
 * product-form tests' shared checks are in form_checks.h). */
#ifndef SPOW_TESTUTIL_H
#define SPOW_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "spow.h"

/* The table's p as a double. */
double tu_p(const spow_table *t);
/* Entries of a NULL-terminated table list. */
int tu_count(const spow_table *const *list);

/* splitmix64: fixed seeds, same matrices on every machine. */
typedef struct tu_rng {
    uint64_t s;
} tu_rng;

double tu_uniform(tu_rng *r);     /* (0, 1) */
double tu_gauss(tu_rng *r);

/* G = c U diag(s) V^T with U (rows x r), V (cols x r) orthonormal columns,
 * r = min(rows, cols). */
typedef struct tu_case {
    size_t rows, cols, r;
    double *u, *v, *s;
} tu_case;

void tu_case_init(tu_case *tc, size_t rows, size_t cols, const double *s,
                  tu_rng *rng);
void tu_case_clear(tu_case *tc);
/* The tu_case of a matrix from its SVD (LAPACKE_dgesdd): the float tests
 * take their reference from the float-rounded G this way. */
void tu_case_svd(tu_case *tc, const double *g, size_t ldg, size_t rows, size_t cols);
/* g = c U diag(s) V^T with c = c1 c2 given as two factors so that c itself
 * may exceed DBL_MAX (entries near DBL_MAX, ||G||_F beyond it). */
void tu_case_matrix(double *g, size_t ldg, const tu_case *tc, double c1,
                    double c2);
/* f = U diag(h(s_i)) V^T with h given per singular value (h[i]). */
void tu_case_apply(double *f, size_t ldf, const tu_case *tc, const double *h);
/* The exact answer c^p U S^p V^T (c = c1 c2), zero singular values mapped
 * to 0. */
void tu_case_power(double *f, size_t ldf, const tu_case *tc, double c1,
                   double c2, double p);

/* f = U S^p V^T from LAPACKE_dgesdd of the rows x cols matrix g (double);
 * singular values <= cutoff * s_max map to 0.  The float tests use it on the
 * float-rounded G: the runtime is given that matrix, and its s^p differs
 * from the prescribed one by the conditioning of the matrix function times
 * eps_f, which is not the runtime's error. */
void tu_svd_power(double *f, size_t ldf, const double *g, size_t ldg,
                  size_t rows, size_t cols, double p, double cutoff);

/* A matrix case of the accuracy tests: G = 3.5 U diag(s) V^T (rows x cols)
 * with s spread from smin (normalized), its float copy gf, the exact power
 * ref = (3.5)^p U S^p V^T, the SVD power reff of the float copy, and output
 * buffers out and of of the same size. */
typedef struct tu_spread_case {
    size_t rows, cols, n, r;
    double *s, *g, *ref, *reff, *out;
    float *gf, *of;
} tu_spread_case;

void tu_spread_case_init(tu_spread_case *c, double p, size_t rows, size_t cols, double smin,
                         uint64_t seed);
void tu_spread_case_clear(tu_spread_case *c);

/* Normalized spectra (||s||_2 = 1), descending:
 * spread:   geometric from smin (exactly) up, ratio chosen for unit norm;
 * dominant: s_0 near 1, the rest geometric in [smin, 0.05]. */
void tu_spectrum_spread(double *s, size_t r, double smin);
void tu_spectrum_dominant(double *s, size_t r, double smin);

/* ||a - ref||_F / ||ref||_F, overflow-free. */
double tu_rel_err(const double *a, size_t lda, const double *ref, size_t ldr,
                  size_t rows, size_t cols);
double tu_rel_err_f32(const float *a, size_t lda, const double *ref,
                      size_t ldr, size_t rows, size_t cols);

/* A GEMM callback that forwards to CBLAS and counts.  The Gram product is
 * the first GEMM of every step, so it also splits the count by step.  It
 * also checks the runtime's promise about the other transposed products
 * (spow.h): each is S S^T with beta = 0 for a symmetric S, and records how
 * far from symmetric S was.  fail_at = n makes the n-th call fail (after
 * doing nothing). */
#define TU_MAX_STEPS 64
typedef struct tu_counter {
    long calls;
    int steps_seen;
    long per_step[TU_MAX_STEPS];
    double flops;
    long fail_at;
    /* The rectangular buffers (X, Y) seen so far, per element type: a
     * transposed product of one of them is a Gram matrix and starts a step;
     * a transposed product of anything else is a square on the small side. */
    const void *rect[2][8];
    int nrect[2];
    long squares;           /* small-side products passed as S S^T */
    long bad_squares;       /* ... with a != b, m != n != k or beta != 0 */
    double square_asym[2];  /* max |S - S^T| / max |S| over them, per type */
} tu_counter;

int tu_gemm_f64(void *ctx, int trans_a, int trans_b, size_t m, size_t n,
                size_t k, double alpha, const double *a, size_t lda,
                const double *b, size_t ldb, double beta, double *c,
                size_t ldc);
int tu_gemm_f32(void *ctx, int trans_a, int trans_b, size_t m, size_t n,
                size_t k, float alpha, const float *a, size_t lda,
                const float *b, size_t ldb, float beta, float *c, size_t ldc);

/* GEMMs of step k by the cost model, computed here from the formula and
 * not from the runtime, so the three (table, runtime, this) can disagree.
 * A Sastre step (spow.h) costs its form's form_k + 1 products for g, a
 * nested one 4. */
int tu_step_cost(const spow_table *t, int k);

/* A table's copy with every step's scheme set to Paterson-Stockmeyer and
 * the gemms recounted (tu_step_cost): the ps of a step with a product form
 * hold the form's polynomial (spow.h), so the copy evaluates the same g
 * another way.  At most TU_PS_COPY_MAX_STEPS steps. */
#define TU_PS_COPY_MAX_STEPS 8
typedef struct tu_ps_copy {
    spow_table t;
    spow_step step[TU_PS_COPY_MAX_STEPS];
} tu_ps_copy;

void tu_ps_copy_make(tu_ps_copy *c, const spow_table *t);

/* The scalar recurrence: x_K for a normalized singular value s, and g of
 * step st at t, from the Paterson-Stockmeyer layout documented in spow.h. */
long double tu_g_scalar(const spow_step *st, long double t);
long double tu_x_scalar(const spow_table *t, long double s);
/* The same from a step's product form (Sastre or nested, spow.h) where it
 * has one, term by term in the form's own order (not from ps): what the
 * runtime evaluates, in long double. */
long double tu_g_form(const spow_step *st, long double t);
long double tu_x_form(const spow_table *t, long double s);

/* G_k = prod over steps j >= k of g_j(0)^x_power: what steps k.. multiply
 * a vanishing singular value of X by.  G_0 is large for small p (2.4e4 for
 * p = -1/4, lo = 1e-3): the steps lift small singular values towards 1 as
 * fast as they can. */
double tu_null_gain(const spow_table *t, int k);

/* max(1, |d log x_K / d log s|) over the normalized singular values
 * s_i / ||s|| (zero ones skipped): how much a relative rounding of s is
 * amplified by the scalar map (tu_x_form), steep near the ends of the
 * interval. */
double tu_amplification(const spow_table *t, const double *s, size_t r);

/* A table made by hand for testing the machinery, not approximating
 * anything: step k has the (degree, baby) layout number layout0 + k of a
 * fixed list covering baby = 1, blocks = 1, partial top blocks and degree
 * SPOW_MAX_DEGREE; g = 0.9 + random terms of total size at most 0.1 on
 * u in [-1, 1] (alpha = 2, beta = -1), so g is in [0.8, 1], y never grows
 * and t = y^2 stays in [0, 1]; gemms fields from tu_step_cost. */
#define TU_HAND_MAX_STEPS 6
typedef struct tu_hand_table {
    spow_table t;
    spow_step step[TU_HAND_MAX_STEPS];
    double ps[TU_HAND_MAX_STEPS][SPOW_MAX_DEGREE * (SPOW_MAX_DEGREE + 1)];
    double unused[SPOW_MAX_DEGREE + 1]; /* cheb and mono: the runtime never reads them */
} tu_hand_table;

void tu_hand_build(tu_hand_table *h, int m, int n, int steps, int layout0,
                   tu_rng *rng);

#endif
