/* spow_inspect.h -- the pieces of spow-inspect, one concern per file:
 *
 *   inspect_load.c    where a recurrence comes from: a shipped table, a JSON
 *                     file from spow-gen, or constants typed for a family
 *   inspect_eval.c    the scalar recurrence in double and float, in the order
 *                     of operations of the matrix evaluation
 *   inspect_curve.c   error curves on a log grid in three arithmetics, their
 *                     maxima (refined in exact arithmetic) and divergence
 *   inspect_matrix.c  the matrix-level check against LAPACKE's SVD
 *   inspect_output.c  text, CSV and JSON reports
 *   inspect_plot.c    the gnuplot figure
 *   json_read.c       the strict JSON reader behind inspect_load.c (json_read.h)
 *   families/         the families it evaluates: the generator's coupled one
 *                     and the evaluation-only fixedpoint and muon-quintic
 *   inspect.c         the command line
 *
 * Errors are the generator core's codes (SPOW_GEN_E*, spow_gen_strerror),
 * with a message that says what and where.
 */
#ifndef SPOW_INSPECT_H
#define SPOW_INSPECT_H

#include <stdio.h>
#include "spow.h"
#include "spow_gen.h"

/* ---- families (families/) ------------------------------------------------ */

/* A family as spow-inspect evaluates it: the generator's interface (the
 * scalar step, and the certificate when the family has one) plus how
 * constants typed by a user become a recurrence. */
typedef struct spow_inspect_family {
    const spow_family *family;
    /* Builds rec (initialised with p, lo, hi and prec, no steps) from
     * coef[k][0..ncoef[k]-1] for step k of nsteps, in the family's order
     * (coupled: g in monomials of t, ascending).  Sets every step's GEMM
     * count.  On a bad count or an unsupported p returns SPOW_GEN_EARG with
     * a one-line reason in msg; rec must still be cleared. */
    int (*set_coef)(spow_recurrence *rec, mpfr_t *const *coef, const int *ncoef, int nsteps,
                    char *msg, size_t msglen);
    /* Published constants for p = m/n as a --coef string ("3.0,-0.795918")
     * and their step count, or NULL when the family has none for this p;
     * the pointer is NULL for a family without published constants. */
    const char *(*published)(long m, long n, int *steps);
} spow_inspect_family;

/* The generator's coupled family; typed constants are g in monomials of t. */
extern const spow_inspect_family spow_inspect_coupled;
/* Y <- Y - c (Y^b - X^a) for p = a/b, a and b odd; p = 1/2:
 * Y <- Y - ((Y Y^T)^2 - X X^T)(c X + d Y).  Evaluation only (fixedpoint.c). */
extern const spow_inspect_family spow_inspect_fixedpoint;
/* Muon's Newton-Schulz quintic Y <- a Y + b (Y Y^T) Y + c (Y Y^T)^2 Y, p = 0.
 * Evaluation only (muon.c). */
extern const spow_inspect_family spow_inspect_muon_quintic;

const spow_inspect_family *spow_inspect_family_find(const char *name);
/* Every family, NULL-terminated. */
const spow_inspect_family *const *spow_inspect_family_list(void);

/* ---- sources (inspect_load.c) ------------------------------------------ */

typedef struct spow_inspect_source {
    spow_recurrence rec;        /* the coefficients as given, at the working precision */
    int have_rec;
    char kind[16];              /* "table", "json" or "coef" */
    char name[160];             /* table name, or family and p */
    char desc[1024];            /* one line: where it came from (the command part) */
    int have_cert;
    double cert;                /* the certificate the table carries */
    double cert_f32;            /* ... with float coefficients (tables only; else NaN) */
    const spow_table *table;    /* the shipped table, if that is the source */
} spow_inspect_source;

/* The shipped table for p = m/n: the one with exactly this lo if there is
 * one, else the most accurate that covers [lo, 1] (spow_table_find).  Returns
 * 0 or SPOW_GEN_EARG with a message. */
int spow_inspect_source_table(spow_inspect_source *src, long m, long n, double lo, mpfr_prec_t prec,
                      char *msg, size_t msglen);
/* A table written by spow-gen --format json (coupled family).  Returns 0,
 * SPOW_GEN_EIO (unreadable) or SPOW_GEN_EARG (malformed), with a message. */
int spow_inspect_source_json(spow_inspect_source *src, const char *path, mpfr_prec_t prec,
                             char *msg,
                     size_t msglen);
/* Constants typed for a family: coef as in --coef ("," between the numbers
 * of a step, ";" between steps; a number is a decimal or N/D), or NULL for
 * the family's published constants.  steps = 0: as many as the groups (or
 * the published count); else the last group repeats up to steps. */
int spow_inspect_source_coef(spow_inspect_source *src, const spow_inspect_family *fam, long m,
                             long n, const char *lo,
                     const char *hi, const char *coef, int steps, mpfr_prec_t prec, char *msg,
                     size_t msglen);
void spow_inspect_source_clear(spow_inspect_source *src);
/* Total GEMM count of the recurrence. */
int spow_inspect_source_gemms(const spow_inspect_source *src);

/* ---- scalar evaluation in double and float (inspect_eval.c) -------------- */

/* Doubles in the largest product form: Sastre's of degree 16 (4 * 4 + 1)
 * and the nested one (SPOW_NESTED_NFORM) hold 17 each. */
#define SPOW_INSPECT_MAX_NFORM 17

/* The coefficients of a recurrence as the runtime (or a matrix code) holds
 * them: doubles for the coupled tables, the type of the arithmetic for the
 * evaluation-only families. */
typedef struct spow_inspect_eval_step {
    int degree, baby, blocks;
    double alpha, beta;
    double ps[SPOW_GEN_MAX_DEGREE * (SPOW_GEN_MAX_DEGREE + 1)];
    double cst[4];
    int ey, ex;                 /* exponents of g for the Y and X updates (coupled) */
    int scheme, form_k, form_sign;  /* a product form: Sastre's (core/sastre.h) or
                                     * the nested one (core/nested.h); or scheme 0 */
    double form_shift;
    double form[SPOW_INSPECT_MAX_NFORM];
} spow_inspect_eval_step;

typedef struct spow_inspect_eval_plan {
    enum { SPOW_INSPECT_EVAL_COUPLED, SPOW_INSPECT_EVAL_FIXEDPOINT, SPOW_INSPECT_EVAL_HALF,
           SPOW_INSPECT_EVAL_MUON } kind;
    long m, n;
    int steps;
    spow_inspect_eval_step *step;
} spow_inspect_eval_plan;

/* 0, or SPOW_GEN_EARG for a family the evaluator does not know. */
int spow_inspect_eval_plan_init(spow_inspect_eval_plan *plan, const spow_recurrence *rec);
void spow_inspect_eval_plan_clear(spow_inspect_eval_plan *plan);
/* Runs the recurrence from s; out[k] and aux[k] are the output and the
 * other state after step k + 1. */
void spow_inspect_eval_f64(double *out, double *aux, const spow_inspect_eval_plan *plan, double s);
void spow_inspect_eval_f32(float *out, float *aux, const spow_inspect_eval_plan *plan, float s);

/* ---- curves (inspect_curve.c) -------------------------------------------- */

enum { SPOW_INSPECT_EXACT, SPOW_INSPECT_F64, SPOW_INSPECT_F32, SPOW_INSPECT_NARITH };
/* "exact", "double", "float" */
extern const char *const spow_inspect_arith_name[SPOW_INSPECT_NARITH];
extern const char *const spow_inspect_arith_key[SPOW_INSPECT_NARITH];    /* "exact", "f64", "f32" */

typedef struct spow_inspect_arith_summary {
    double *max_in;             /* per step: max error on [lo, hi] */
    double *argmax_in;
    double *max_finite;         /* per step: max over the grid where the state stays bounded */
    double *max_below;          /* per step: max over grid points below lo (NaN: none) */
    double *max_above;          /* per step: ... above hi */
    int diverges;
    double first_s;             /* smallest grid s whose state blows up (NaN if none) */
    int first_step;             /* the step where it first does at that s */
    int ndiv;                   /* grid points that blow up at some step */
    int ndiv_in;                /* ... of them in [lo, hi] */
    double first_s_in;          /* smallest such s in [lo, hi] (NaN if none) */
} spow_inspect_arith_summary;

typedef struct spow_inspect_curves {
    int n, steps;
    double lo, hi, threshold;
    double *s;                              /* n grid points, ascending */
    /* per arithmetic, [k * n + i] for step k+1 at grid point i: */
    double *err[SPOW_INSPECT_NARITH];           /* the error (Inf: blown up) */
    double *out[SPOW_INSPECT_NARITH];           /* the output value (as a double) */
    unsigned char *div[SPOW_INSPECT_NARITH];    /* blown up at or before step k+1 */
    spow_inspect_arith_summary sum[SPOW_INSPECT_NARITH];
    int exact_samples;                      /* refinement grid of the exact maxima on [lo, hi] */
    double cert_now;                        /* family certificate recomputed (NaN if none) */
} spow_inspect_curves;

typedef struct spow_inspect_curve_params {
    int n;                      /* grid points */
    double s_min, s_max;
    double threshold;           /* |state| above this (or not finite) is divergence */
    int samples;                /* exact refinement grid on [lo, hi] */
} spow_inspect_curve_params;

int spow_inspect_curves_compute(spow_inspect_curves *cv, const spow_recurrence *rec,
                                const spow_inspect_curve_params *par);
void spow_inspect_curves_clear(spow_inspect_curves *cv);

/* ---- matrix check (inspect_matrix.c) -------------------------------------- */

typedef struct spow_inspect_matrix_result {
    size_t rows, cols, r;
    unsigned long seed;
    double *s;                  /* r normalized singular values (||s||_2 = 1), descending */
    double *err[2];             /* [0] double, [1] float: |u_i^T F v_i / s_i^p - 1| */
    double *scalar;             /* the exact scalar curve at s_i, for comparison */
    double fro[2];              /* ||F - F_ref||_F / ||F_ref||_F */
    double max_in[2];           /* max per-value error over s_i in [lo, hi] */
    double max_offdiag[2];      /* max |u_i^T F v_j| / ||F||_2, i != j (leakage) */
    long gemm_calls[2];         /* counted during the apply */
    const char *engine;         /* "runtime (libspow)" or "reference matrix form (CBLAS)" */
} spow_inspect_matrix_result;

/* Random G = U diag(s) V^T with the spectrum described in inspect_matrix.c,
 * the recurrence applied in double and float, compared per singular value
 * with LAPACKE_dgesdd.  0, or a negative code with a message. */
int spow_inspect_matrix_check(spow_inspect_matrix_result *res, const spow_inspect_source *src,
                              size_t rows, size_t cols,
                      unsigned long seed, char *msg, size_t msglen);
void spow_inspect_matrix_result_clear(spow_inspect_matrix_result *res);

/* ---- reports (inspect_output.c) ------------------------------------------ */

typedef struct spow_inspection {
    const spow_inspect_source *src;
    const spow_inspect_curves *cv;
    const spow_inspect_matrix_result *mx;   /* NULL without --matrix */
    const char *command;            /* the command line, for provenance */
} spow_inspection;

int spow_inspect_write_text(FILE *f, const spow_inspection *in);
/* Long format: one row per step and grid point. */
int spow_inspect_write_csv_curves(FILE *f, const spow_inspection *in);
/* One row per singular value of the matrix check. */
int spow_inspect_write_csv_matrix(FILE *f, const spow_inspection *in);
int spow_inspect_write_json(FILE *f, const spow_inspection *in);

/* ---- plot (inspect_plot.c) ------------------------------------------------- */

/* Writes FILE's data as FILE-stem.csv (and the matrix points as
 * FILE-stem.matrix.csv), the gnuplot script as FILE-stem.gp, and runs gnuplot
 * on it.  by_step: one curve per step (exact) plus the last step in double
 * and float; else the last step in the three arithmetics.  Returns 0, or
 * SPOW_GEN_EIO (also when gnuplot is missing: the data and the script are
 * written, the figure is not) or SPOW_GEN_ENOMEM, with a message. */
int spow_inspect_plot(const char *path, int by_step, const spow_inspection *in, char *msg,
                      size_t msglen);

#endif /* SPOW_INSPECT_H */
