/* bench.h -- shared by the files of spow-bench (not installed, not tested).
 *
 * spow-bench times spow against the routes a user would otherwise take to
 * U S^p V^T (LAPACK SVD, Gram eigendecomposition, coupled Newton-Schulz,
 * Muon's quintic) and measures their accuracy against a double SVD.  One
 * file per concern:
 *
 *   timer.c          clock, GEMM wrappers that count time and flops, medians
 *   testmat.c        test matrices with a prescribed spectrum
 *   reference.c      dgesdd reference, U S^p V^T, the accuracy measures
 *   spow_methods.c   spow's variants (f64, f32, mixed; spow-fast, spow-sastre: not shipped)
 *   lapack_routes.c  ?gesdd and ?syevd routes
 *   newton_schulz.c  coupled Newton-Schulz (p = 1/2, 1/4), Muon quintic (p = 0)
 *   methods.c        the list of methods
 *   main.c           command line, interleaved timing loop, tables, CSV
 *   *_impl.h         bodies of timer.c, lapack_routes.c, newton_schulz.c per
 *                    element type
 *   plot.gp          gnuplot: time against size from the --csv output
 *
 * Matrices are row-major with ld = cols unless a comment says otherwise. */
#ifndef SPOW_BENCH_H
#define SPOW_BENCH_H

#include <stddef.h>

#include "spow.h" /* the GEMM callback types */

/* ---- timer.c ------------------------------------------------------------ */

/* What one evaluation of a method spent, filled by the wrappers below. */
typedef struct bench_counter {
    double gemm_s;      /* seconds inside GEMM calls */
    double lapack_s;    /* seconds inside LAPACK calls (gesdd, syevd) */
    double flops;       /* flops of the GEMM calls (see bench_gemm_f64) */
    long gemm_calls;
} bench_counter;

/* Monotonic clock in seconds. */
double bench_now(void);

/* Row-major C = alpha op(A) op(B) + beta C through spow's default backend
 * (spow_gemm_cblas_*: cblas_?gemm, or ?syrk for a product A^T A / A A^T),
 * adding the call's time and flops to the bench_counter at ctx; a ?syrk call
 * counts n (n + 1) k flops, the others 2 m n k.  Of spow's callback types,
 * so spow calls them as its callback, and every method's GEMMs go through
 * them: all see the same backend. */
extern const spow_gemm_f64_fn bench_gemm_f64;
extern const spow_gemm_f32_fn bench_gemm_f32;

/* Median of v[0..n) (v is reordered). */
double bench_median(double *v, int n);

/* ---- testmat.c ---------------------------------------------------------- */

/* G = c Q1 diag(s) Q2^T (rows x cols) with Q1, Q2 orthonormal (QR of a
 * Gaussian matrix, seeded) and s_i proportional to (i + 1)^-alpha, alpha
 * chosen so that the smallest normalized singular value s_min / ||s||_2 is
 * smin.  Every normalized singular value lies in [smin, 1).  *alpha receives
 * the exponent.  0 on success, -1 on allocation or LAPACK failure. */
int bench_testmat(double *g, double *alpha, size_t rows, size_t cols,
                  double smin, double c, unsigned long long seed);

/* ---- reference.c -------------------------------------------------------- */

/* Double SVD G = U diag(s) V^T of a test matrix, thin (k = min(rows, cols)). */
typedef struct bench_ref {
    size_t rows, cols, k;
    double *u;      /* rows x k */
    double *s;      /* k, descending */
    double *vt;     /* k x cols */
    double norm;    /* ||G||_F = ||s||_2 */
} bench_ref;

int bench_ref_init(bench_ref *r, size_t rows, size_t cols, const double *g);
void bench_ref_free(bench_ref *r);

/* out = U diag(s^p) V^T (singular values 0 map to 0). */
int bench_ref_power(double *out, const bench_ref *r, double p);

/* Accuracy of one result against U S^p V^T. */
typedef struct bench_acc {
    double fro;     /* ||out - ref||_F / ||ref||_F */
    double sv_max;  /* max_i |u_i^T out v_i / s_i^p - 1| over s_i / ||G||_F in [lo, 1] */
    int n_in;       /* how many singular values were in [lo, 1] */
} bench_acc;

/* ref = U S^p V^T from bench_ref_power; out is float when f32 is nonzero. */
int bench_accuracy(bench_acc *acc, const bench_ref *r, double p, double lo,
                   const double *ref, const void *out, int f32);

/* ---- methods ------------------------------------------------------------ */

/* One benchmark case: a test matrix, p, and what the variants need. */
typedef struct bench_case {
    size_t rows, cols;
    const double *g64;
    const float *g32;   /* g64 rounded to float */
    int p_num, p_den;
    double lo;          /* table interval and the accuracy filter */
    int mixed_steps;    /* f64_steps of spow's mixed variant */
} bench_case;

/* What a method provides, declared once here and named by every method
 * file's functions below. */
/* Nonzero if the method computes p = p_num / p_den. */
typedef int bench_supports_fn(int p_num, int p_den);
/* Allocates what one evaluation needs (outside the timing); 0 or -1. */
typedef int bench_setup_fn(void **state, const bench_case *c, int f32);
/* One timed evaluation: out = U S^p V^T (approximately), rows x cols of
 * float or double; times and flops go to cnt.  0 or -1. */
typedef int bench_run_fn(void *state, const bench_case *c, void *out, bench_counter *cnt);
typedef void bench_teardown_fn(void *state);

typedef struct bench_method {
    const char *name;   /* as printed and as selected by --methods */
    int f32;            /* element type of input and output */
    bench_supports_fn *supports;
    bench_setup_fn *setup;
    bench_run_fn *run;
    bench_teardown_fn *teardown;
} bench_method;

extern const bench_method bench_methods[];
extern const int bench_nmethods;

/* spow_methods.c */
bench_supports_fn bench_spow_supports, bench_spow_built_supports;
bench_setup_fn bench_spow_setup, bench_spow_setup_mixed, bench_spow_setup_fast,
    bench_spow_setup_sastre,
    bench_spow_setup_frobenius, bench_spow_setup_shape, bench_spow_setup_small,
    bench_spow_setup_small_f32;
/* BENCH_BATCH matrices a run: one batched call, or single calls. */
#define BENCH_BATCH 64
bench_setup_fn bench_spow_setup_batch, bench_spow_setup_loop;
bench_run_fn bench_spow_run;
bench_teardown_fn bench_spow_teardown;

/* lapack_routes.c */
bench_supports_fn bench_lapack_supports;
bench_setup_fn bench_gesdd_setup, bench_syevd_setup;
bench_run_fn bench_gesdd_run_f64, bench_gesdd_run_f32, bench_syevd_run_f64,
    bench_syevd_run_f32;
bench_teardown_fn bench_free_state;

/* newton_schulz.c */
bench_supports_fn bench_ns_supports, bench_quintic_supports;
bench_setup_fn bench_ns_setup, bench_quintic_setup;
bench_run_fn bench_ns_run_f64, bench_ns_run_f32, bench_quintic_run_f64, bench_quintic_run_f32;
bench_teardown_fn bench_ns_teardown;

/* Published constants of the peers (newton_schulz.c). */
#define BENCH_NS_ITERS 15       /* coupled NS iterations per square root */
#define BENCH_QUINTIC_STEPS 5   /* Muon's quintic steps */

#endif /* SPOW_BENCH_H */
