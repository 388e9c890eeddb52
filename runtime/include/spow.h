/* spow.h -- fractional spectral powers U S^p V^T with matrix products only.
 *
 * The runtime applies a table produced by the offline generator spow-gen.
 * It needs a GEMM and nothing else: CBLAS by default, or a callback.
 *
 * Matrices are row-major with leading dimensions (ld >= cols).
 */
#ifndef SPOW_H
#define SPOW_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever the layout of spow_table or spow_step changes; a table
 * with another version is refused with SPOW_ETABLE. */
#define SPOW_TABLE_VERSION 1

/* Largest degree of g a table may use (generator and runtime agree). */
#define SPOW_MAX_DEGREE 16

/* Error codes: 0 is success, everything else is negative. */
#define SPOW_OK          0
#define SPOW_EINVAL     -1  /* NULL pointer or malformed argument */
#define SPOW_ESIZE      -2  /* rows, cols or the batch count is zero */
#define SPOW_ELD        -3  /* leading dimension smaller than cols */
#define SPOW_ENONFINITE -4  /* NaN or Inf in the input */
#define SPOW_ETABLE     -5  /* table malformed, of another version or family, or p > 1 */
#define SPOW_ENOMEM     -6  /* allocation failed */
#define SPOW_EOVERFLOW  -7  /* a matrix extent or the workspace size does not fit in size_t */
#define SPOW_EWORK      -8  /* caller workspace too small */
#define SPOW_EGEMM      -9  /* the GEMM callback reported an error */
#define SPOW_EALIAS    -10  /* out overlaps g */

/* One step of the coupled recurrence, on the small Gram side A = Y^T Y:
 *
 *     G = g(A),  Y <- Y G^y_power,  X <- X G^x_power   (no Y update in the last step)
 *
 * g is stored for Paterson-Stockmeyer evaluation in a Chebyshev basis of the
 * step's own t-interval: with U = alpha A + beta I (so [t_lo, t_hi] maps to [-1, 1])
 * and T_j the Chebyshev polynomials,
 *
 *     g = B_0 + T_baby(U) (B_1 + T_baby(U) (B_2 + ...)),
 *     B_j = sum_{i=0..baby} ps[j*(baby+1) + i] T_i(U).
 *
 * Block j < blocks-1 has degree < baby (its last entry is 0); the top block may
 * reach degree baby.  Cost: (baby - 1) products for T_2..T_baby, (blocks - 1)
 * for the Horner steps.  cheb[] holds g = sum_i cheb[i] T_i(U) and mono[] holds
 * g = sum_i mono[i] t^i, for users who evaluate g their own way. */
typedef struct spow_step {
    int degree;             /* d, degree of g in t */
    int baby;               /* s, Paterson-Stockmeyer baby steps */
    int blocks;             /* ceil(d / s) */
    double t_lo, t_hi;      /* t-interval the step was fitted on */
    double alpha, beta;     /* u = alpha t + beta */
    const double *ps;       /* blocks * (baby + 1) coefficients */
    const double *cheb;     /* degree + 1 Chebyshev coefficients in u */
    const double *mono;     /* degree + 1 monomial coefficients in t */
    int gemms;              /* GEMM calls of this step in the cost model */
    double max_rel_err;     /* certified max |x_k / s^p - 1| after this step */
    double y_lo, y_hi;      /* certified range of y after this step */
} spow_step;

/* A generated table: everything needed to evaluate, plus its provenance. */
struct spow_table {
    int version;            /* SPOW_TABLE_VERSION */
    const char *name;       /* e.g. "coupled_p1_2_lo1e-3" */
    const char *family;     /* "coupled" */
    int p_num, p_den;       /* p = p_num / p_den, reduced, p_den > 0 */
    double lo, hi;          /* certified singular-value interval (after scaling) */
    int y_power;            /* n = p_den */
    int x_power;            /* n - m = p_den - p_num */
    int steps;
    const spow_step *step;
    double max_rel_err;     /* certificate, exact arithmetic, coefficients as stored */
    double max_rel_err_f32; /* same with coefficients rounded to float */
    int gemms;              /* total GEMM calls of one apply (sum of step costs) */
    const char *command;    /* spow-gen command line that regenerates the table */
};
typedef struct spow_table spow_table;

/* The shipped table for p = p_num / p_den (any equivalent fraction) whose
 * certified interval covers [lo, 1], the most accurate one if several do;
 * NULL when none does. */
const spow_table *spow_table_find(int p_num, int p_den, double lo);

/* The same choice for a rows x cols input: among the shipped tables for p
 * that cover [lo, 1] (every shipped table certifies 1e-6 or better), the
 * cheapest on that shape, then the most accurate; NULL when none covers it
 * or a size is 0.  Cost: each step's Gram product and rectangular updates
 * (1 + the number of exponents in spow_step_exponents' sense, i.e. 2 or 3)
 * count max(rows, cols) / min(rows, cols) small-side products each, the
 * rest of the step's gemms 1 each.  With the tables shipped today (one per
 * p and lo) it returns what spow_table_find returns. */
const spow_table *spow_table_find_shape(int p_num, int p_den, double lo,
                                        size_t rows, size_t cols);

/* Every shipped table, NULL-terminated. */
const spow_table *const *spow_table_list(void);

/* out = U S^p V^T for g = U S V^T (rows x cols, row-major).  Returns SPOW_OK or
 * a negative code; on error out is not written. */
int spow_apply_f64(const spow_table *t, size_t rows, size_t cols,
                   const double *g, size_t ldg, double *out, size_t ldo);
int spow_apply_f32(const spow_table *t, size_t rows, size_t cols,
                   const float *g, size_t ldg, float *out, size_t ldo);

/* A human-readable explanation of an error code. */
const char *spow_strerror(int code);

/* ---- Extended API ------------------------------------------------------ */

/* Row-major GEMM: C = alpha op(A) op(B) + beta C, op(X) = X^T when trans_x
 * is nonzero.  C is m x n, op(A) m x k, op(B) k x n.  The runtime never
 * passes a C that overlaps A or B.  With beta = 0, C may hold uninitialised
 * workspace and must not be read (BLAS semantics).  Return 0 on success;
 * anything else aborts the apply with SPOW_EGEMM and leaves out untouched.
 * BLAS argument order, so that a callback maps one-to-one onto cblas_?gemm,
 * cuBLAS and the like.  The runtime has no global state: concurrent applies
 * are safe if the callbacks are. */
typedef int (*spow_gemm_f64_fn)(void *ctx, int trans_a, int trans_b,
                                size_t m, size_t n, size_t k,
                                double alpha, const double *a, size_t lda,
                                const double *b, size_t ldb,
                                double beta, double *c, size_t ldc);
typedef int (*spow_gemm_f32_fn)(void *ctx, int trans_a, int trans_b,
                                size_t m, size_t n, size_t k,
                                float alpha, const float *a, size_t lda,
                                const float *b, size_t ldb,
                                float beta, float *c, size_t ldc);

/* The default GEMMs (CBLAS), for callbacks that wrap them, say to time or
 * count the calls.  A product of a matrix with its own transpose (a == b,
 * lda == ldb, exactly one of trans_a, trans_b set, m == n, beta = 0) goes to
 * ?syrk, with the upper triangle then copied to the lower one.  The runtime
 * passes its Gram matrices, and the squares S S of its small-side matrices
 * (polynomials in a Gram matrix, hence symmetric), in that form, so that any
 * callback may exploit the symmetry.  They fail (return 1) when a size does
 * not fit in an int. */
int spow_gemm_cblas_f64(void *ctx, int trans_a, int trans_b,
                        size_t m, size_t n, size_t k,
                        double alpha, const double *a, size_t lda,
                        const double *b, size_t ldb,
                        double beta, double *c, size_t ldc);
int spow_gemm_cblas_f32(void *ctx, int trans_a, int trans_b,
                        size_t m, size_t n, size_t k,
                        float alpha, const float *a, size_t lda,
                        const float *b, size_t ldb,
                        float beta, float *c, size_t ldc);

/* The default GEMMs' test for that form: is C = alpha op(A) op(B) + beta C
 * a Gram product alpha A^T A or alpha A A^T (a == b, lda == ldb, exactly
 * one of trans_a, trans_b set, m == n, beta zero)?  Nonzero if so.  For
 * callbacks that route or count those calls the way the default does. */
int spow_gemm_is_gram(int trans_a, int trans_b, size_t m, size_t n,
                      const void *a, size_t lda, const void *b, size_t ldb,
                      int beta_is_zero);

/* What one successful apply did (written only on success). */
typedef struct spow_stats {
    long gemm_calls;        /* equals t->gemms (0 when p = 1 or G = 0) */
    double flops;           /* sum of 2 m n k over the GEMM calls */
    double norm;            /* c, the scale removed before the steps (see
                             * spow_options.scale; ||G||_F with
                             * SPOW_SCALE_FROBENIUS, and whenever no step
                             * runs); +Inf if it exceeds DBL_MAX (the apply
                             * still works) */
} spow_stats;

/* Result flags. */
#define SPOW_NORMALIZED 1u  /* out = U (S/c)^p V^T, skipping the final c^p */

/* The scale c that G is divided by before the steps (spow_options.scale).
 * The table certifies singular values of G / c in [lo, hi], so c must be at
 * least sigma_max(G); the closer it is, the more of G's spectrum lies above
 * lo * c, inside the certificate.  With A the Gram matrix on the small side
 * (G^T G if rows >= cols, else G G^T; its eigenvalues are sigma_i^2):
 *
 * SPOW_SCALE_FROBENIUS  c = ||G||_F.  Exact (one rounding), but for a
 *     high-rank G far above sigma_max: about 16x for a Gaussian 1024 x 1024,
 *     21x at 4096 x 1024.
 * SPOW_SCALE_GRAM2  c^2 = ||A||_F (= (sum sigma_i^4)^(1/2)).
 * SPOW_SCALE_GRAM4  c^4 = ||A^2||_F (= (sum sigma_i^8)^(1/2)): about
 *     1.65 sigma_max for a Gaussian 1024 x 1024, 1.8 at 4096 x 1024.
 * SPOW_SCALE_DEFAULT (0)  SPOW_SCALE_GRAM4.
 *
 * The Gram bounds reuse the first step's products: the runtime loads
 * Y = G / ||G||_F (as for Frobenius), forms A = Y^T Y (or Y Y^T) and, for
 * GRAM4, S = A A^T in the element type of the first step (double for f64,
 * and for f32 with f64_steps >= 1; else float), sums their squares in
 * double, and bounds sigma_max(Y)^2 from above including the rounding of
 * those two products (u the unit roundoff of that type, m the long side,
 * n the short one, gamma_k = k u / (1 - k u)):
 *
 *   b = ( sqrt(||S||_F + gamma_n ||A||_F^2) + gamma_m trace(A) / (1 - gamma_m) )
 *       * (1 + 2^-20)                       (GRAM2: ||A||_F for the sqrt)
 *
 * then w = 1 / sqrt(b) rounded to that type (w = 1, i.e. Frobenius, when
 * b >= 1 or m u >= 1/2) and c = ||G||_F / w.  U and T_2 of the first step
 * are then entry-wise combinations of A and S, so GRAM4 adds a product
 * only when the first step has no T_2 (baby = 1; no shipped table), and
 * the stats count it.  The bound assumes a GEMM that computes in its
 * element type with the usual error |fl(XZ) - XZ| <= gamma_k |X| |Z|; a
 * callback that computes in lower precision (TF32, bf16) should ask for
 * SPOW_SCALE_FROBENIUS.  Applies without steps (G = 0, p = 1) use ||G||_F. */
#define SPOW_SCALE_DEFAULT   0
#define SPOW_SCALE_FROBENIUS 1
#define SPOW_SCALE_GRAM2     2
#define SPOW_SCALE_GRAM4     3

/* Options of the _ex forms.  A zero-initialised struct ({0}) means the
 * defaults of the simple API. */
typedef struct spow_options {
    spow_gemm_f64_fn gemm_f64;  /* NULL: spow_gemm_cblas_f64 */
    spow_gemm_f32_fn gemm_f32;  /* NULL: spow_gemm_cblas_f32 */
    void *gemm_ctx;             /* passed to both callbacks */
    void *work;                 /* NULL: the runtime mallocs and frees */
    size_t work_size;           /* bytes at work; SPOW_EWORK if too small */
    unsigned flags;             /* SPOW_NORMALIZED or 0 */
    /* f32 only: run the first f64_steps steps in double (through gemm_f64),
     * the rest in float.  Rounding in the first steps breaks the invariant
     * between X and Y and later steps cannot repair it, so a few double steps
     * buy most of the accuracy a full double run would.  Values >= t->steps
     * run every step in double; negative values are SPOW_EINVAL. */
    int f64_steps;
    spow_stats *stats;          /* NULL or filled on success */
    int scale;                  /* SPOW_SCALE_*; others are SPOW_EINVAL */
} spow_options;

/* Workspace bytes an _ex apply needs for rows x cols (any alignment of the
 * caller's pointer is fine: the slack is included).  0 if t is malformed,
 * a size is zero, or the size does not fit in size_t. */
size_t spow_workspace_size_f64(const spow_table *t, size_t rows, size_t cols);
size_t spow_workspace_size_f32(const spow_table *t, size_t rows, size_t cols);
/* Same for spow_apply_f32_ex with opt->f64_steps = f64_steps (0 gives the
 * plain f32 size). */
size_t spow_workspace_size_f32_mixed(const spow_table *t, size_t rows,
                                     size_t cols, int f64_steps);

/* spow_apply_* with options (opt may be NULL).  Arguments are checked in this
 * order and nothing is written on failure: SPOW_EINVAL (NULL t, g or out, bad
 * flags, f64_steps or scale), SPOW_ETABLE, SPOW_ESIZE, SPOW_ELD, SPOW_EOVERFLOW,
 * SPOW_EALIAS (out overlaps g, or the workspace overlaps either: in-place
 * application is refused), SPOW_ENONFINITE, SPOW_EWORK, SPOW_ENOMEM, then
 * SPOW_EGEMM if a GEMM fails.
 *
 * Singular values are certified on [t->lo, t->hi] after scaling by c
 * (opt->scale): every sigma_i / c is at most 1 (up to a rounding far inside
 * hi = 1.001 of the shipped tables), and those at least t->lo are certified.
 * Zero singular values map to 0 for every p (also p <= 0: the result is
 * U S^p V^T restricted to the range of G, as for a pseudo-inverse).
 * Nonzero ones below t->lo are not certified: they come out finite but with
 * an uncontrolled relative error. */
int spow_apply_f64_ex(const spow_table *t, size_t rows, size_t cols,
                      const double *g, size_t ldg, double *out, size_t ldo,
                      const spow_options *opt);
int spow_apply_f32_ex(const spow_table *t, size_t rows, size_t cols,
                      const float *g, size_t ldg, float *out, size_t ldo,
                      const spow_options *opt);

/* The same p for count matrices of one shape: matrix i is g + i * stride_g
 * (elements) and its result goes to out + i * stride_o.  Each matrix is
 * scaled by its own c, as if applied alone, and the result equals count
 * calls of spow_apply_*_ex bit for bit; the batch checks everything once
 * and reuses one workspace (spow_workspace_size_* of one matrix; one malloc
 * per batch when opt->work is NULL).  A single apply is a batch of one
 * (strides then ignored).
 *
 * Checks, in the order of spow_apply_*_ex, with these additions: count = 0
 * is SPOW_ESIZE; a span (count - 1) * stride + (rows - 1) * ld + cols that
 * does not fit in size_t is SPOW_EOVERFLOW; outputs that overlap each
 * other (stride_o below (rows - 1) * ldo + cols when count > 1), or the
 * span of the outputs overlapping the span of the inputs (or the
 * workspace), are SPOW_EALIAS.  Inputs may overlap (stride_g = 0 applies
 * one matrix count times).  NaN or Inf in any matrix is SPOW_ENONFINITE.
 * On any of these errors, and on SPOW_EWORK or SPOW_ENOMEM, nothing of the
 * batch is written.  A GEMM failure (SPOW_EGEMM) stops the batch at that
 * matrix: the results before it are written, it and those after are not.
 * stats, on success: the GEMMs and flops of the whole batch, and as norm
 * the largest c. */
int spow_apply_batch_f64_ex(const spow_table *t, size_t count, size_t rows,
                            size_t cols, const double *g, size_t ldg,
                            size_t stride_g, double *out, size_t ldo,
                            size_t stride_o, const spow_options *opt);
int spow_apply_batch_f32_ex(const spow_table *t, size_t count, size_t rows,
                            size_t cols, const float *g, size_t ldg,
                            size_t stride_g, float *out, size_t ldo,
                            size_t stride_o, const spow_options *opt);

#ifdef __cplusplus
}
#endif

#endif /* SPOW_H */
