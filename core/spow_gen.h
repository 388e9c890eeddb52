/* spow_gen.h -- the offline generator: fit, certify and emit recurrences.
 *
 * Everything here is multiprecision (MPFR).  Conventions follow MPFR: output
 * arguments first, precision passed explicitly, init/clear pairs, return codes
 * (0 on success, a negative SPOW_GEN_E* on failure) rather than aborts.
 */
#ifndef SPOW_GEN_H
#define SPOW_GEN_H

#include <stdio.h>
#include <mpfr.h>

#define SPOW_GEN_MAX_DEGREE 16   /* matches SPOW_MAX_DEGREE in runtime/include/spow.h */
#define SPOW_GEN_MAX_STEPS  64
#define SPOW_GEN_MAX_DEN    64
#define SPOW_GEN_MIN_PREC   64
#define SPOW_GEN_MAX_PREC   8192

#define SPOW_GEN_OK          0
#define SPOW_GEN_EARG       -1   /* malformed or out-of-range argument */
#define SPOW_GEN_ENOMEM     -2
#define SPOW_GEN_ECONVERGE  -3   /* Remez did not converge */
#define SPOW_GEN_EPREC      -4   /* coefficients did not stabilise under precision escalation */
#define SPOW_GEN_ETARGET    -5   /* --target-err not reached within SPOW_GEN_MAX_STEPS */
#define SPOW_GEN_EIO        -6   /* an emitter's stream reported an error */
#define SPOW_GEN_ENOFIT     -7   /* the family is evaluation-only: it cannot be fitted */
#define SPOW_GEN_ESTEPS     -8   /* converged below the working precision: more steps fit noise */
#define SPOW_GEN_ESEARCH    -9   /* --degree auto exhausted its budget of fits */
#define SPOW_GEN_EDOMAIN   -10   /* the recurrence leaves the certifiable domain (y reaches 0) */
#define SPOW_GEN_ESAMPLE   -11   /* the dense sample exceeds the certificate (a bug: refused) */

const char *spow_gen_strerror(int code);

/* ---- rational exponent (rational.c) ---------------------------------- */

/* Parses "m/n", "m" or a short decimal ("0.25"); reduces; n > 0.
 * Returns SPOW_GEN_EARG on anything else (zero denominator, junk, overflow). */
int spow_rational_parse(long *num, long *den, const char *s);

/* ---- polynomials in MPFR (poly.c) ------------------------------------ */

/* Monomial coefficients a[0..d] of sum_i c[i] T_i(u). */
void spow_poly_cheb_to_mono(mpfr_t *a, mpfr_t *const c, int d, mpfr_prec_t prec);
/* Chebyshev coefficients c[0..d] of sum_i a[i] u^i. */
void spow_poly_mono_to_cheb(mpfr_t *c, mpfr_t *const a, int d, mpfr_prec_t prec);
/* Horner: r = sum_i a[i] x^i. */
void spow_poly_eval_mono(mpfr_t r, mpfr_t *const a, int d, const mpfr_t x);
/* Clenshaw: r = sum_i c[i] T_i(u). */
void spow_poly_eval_cheb(mpfr_t r, mpfr_t *const c, int d, const mpfr_t u);
/* Real roots of sum_i a[i] x^i in the open interval (lo, hi), ascending, found by
 * isolating them between the roots of the derivative (Rolle).  Double roots
 * may be reported once or not at all; both are harmless for extremum search.
 * roots must hold d entries, initialised.  Returns the number found. */
int spow_poly_real_roots(mpfr_t *roots, mpfr_t *const a, int d,
                         const mpfr_t lo, const mpfr_t hi, mpfr_prec_t prec);

/* mpfr_t arrays with one init/clear pair. */
mpfr_t *spow_vec_init(int n, mpfr_prec_t prec);
void spow_vec_clear(mpfr_t *v, int n);

/* ---- Remez exchange (remez.c) ------------------------------------------ */

/* Weighted minimax on u in [-1, 1]:  min over g in P_d of max |w(u) g(u) - 1|,
 * with g = sum_i c[i] T_i(u).  The weight enters through two callbacks so the
 * solver stays family-agnostic: w(u), and the polynomial q of degree d whose
 * real roots are the interior extrema of the error (the caller knows w'/w). */
typedef struct spow_remez_problem {
    int degree;
    void (*weight)(mpfr_t w, const mpfr_t u, const void *ctx);
    /* q[0..degree] (monomials of u) given the current g in monomials of u. */
    void (*extremum_poly)(mpfr_t *q, mpfr_t *const g_mono, int d, const void *ctx);
    const void *ctx;
} spow_remez_problem;

typedef struct spow_remez {
    const spow_remez_problem *pb;
    mpfr_prec_t prec;
    int n;              /* degree + 2 reference points */
    mpfr_t *ref;        /* reference u_0 < ... < u_{d+1} */
    mpfr_t *coef;       /* Chebyshev coefficients of g */
    mpfr_t level;       /* |E| of the last linear solve */
    mpfr_t max_err;     /* max |w g - 1| over [-1, 1] for the current g */
    int iterations;
} spow_remez;

/* init sets the reference (ascending, degree+2 points in [-1, 1]). */
void spow_remez_init(spow_remez *r, const spow_remez_problem *pb, mpfr_t *const ref0,
                     mpfr_prec_t prec);
void spow_remez_clear(spow_remez *r);
/* One exchange: solve on the reference, locate the extrema, exchange.
 * Returns 0, or SPOW_GEN_ECONVERGE when the error does not alternate. */
int spow_remez_step(spow_remez *r);
/* Converged when (max_err - level) <= tol * level. */
int spow_remez_converged(const spow_remez *r, const mpfr_t tol);
/* Iterates until converged or max_iter; returns 0 or SPOW_GEN_ECONVERGE. */
int spow_remez_solve(spow_remez *r, int max_iter);
/* Alternation points of the final error (degree+2 of them) and its sign at u_0. */
int spow_remez_alternation(mpfr_t *pts, const spow_remez *r);

/* ---- recurrences (recurrence.c) ----------------------------------------- */

/* One step: g(t) = sum_i cheb[i] T_i(u), u = alpha t + beta.  For the runtime
 * g is also stored as Paterson-Stockmeyer blocks ps[] in the same basis; the
 * blocks (with alpha and beta) are what gets rounded and what is certified. */
typedef struct spow_step_mp {
    int degree, baby, blocks;
    mpfr_t t_lo, t_hi;      /* t-interval the step was fitted on */
    mpfr_t alpha, beta;
    mpfr_t *ps;             /* blocks * (baby + 1) */
    int gemms;              /* cost model */
    /* certificate after this step */
    mpfr_t err, y_lo, y_hi;
    /* Evaluation-only families (fixedpoint, muon-quintic) have no polynomial
     * g: their steps have degree 0 and an empty ps, and keep the step's
     * constants here, in the family's own order (see fixedpoint.c, muon.c).
     * nconst = 0 and cst = NULL for the coupled family. */
    int nconst;
    mpfr_t *cst;
} spow_step_mp;

typedef struct spow_family spow_family;

typedef struct spow_recurrence {
    const spow_family *family;
    long p_num, p_den;
    mpfr_prec_t prec;
    mpfr_t lo, hi;
    int steps, cap;
    spow_step_mp *step;
    mpfr_t max_rel_err;     /* certificate of the coefficients as held */
    mpfr_t sampled_err;     /* dense log-grid sample, refined (never above the certificate) */
} spow_recurrence;

void spow_recurrence_init(spow_recurrence *rec, const spow_family *fam, long p_num, long p_den,
                          const mpfr_t lo, const mpfr_t hi, mpfr_prec_t prec);
void spow_recurrence_clear(spow_recurrence *rec);
/* Appends a step of degree d (coefficients zero); returns it. */
spow_step_mp *spow_recurrence_push(spow_recurrence *rec, int degree);
void spow_recurrence_pop(spow_recurrence *rec);
/* Gives st room for n constants (zero) at the recurrence's precision. */
void spow_step_alloc_consts(spow_step_mp *st, int n, mpfr_prec_t prec);
/* dst = src with alpha, beta, ps and cst rounded to the given binary format
 * (53 for double, 24 for float); dst must be uninitialised. */
void spow_recurrence_round(spow_recurrence *dst, const spow_recurrence *src, mpfr_prec_t bits);
/* dst = src with g taken from its monomial coefficients in t rounded to the
 * binary format (as a user copies them from the JSON), converted back exactly
 * to blocks; alpha and beta rounded the same way.  dst must be uninitialised. */
void spow_recurrence_round_mono(spow_recurrence *dst, const spow_recurrence *src, mpfr_prec_t bits);
/* 1 when the two recurrences round to the same doubles. */
int spow_recurrence_same_f64(const spow_recurrence *a, const spow_recurrence *b);

/* g(t) of one step, evaluated from the stored blocks. */
void spow_step_eval_g(mpfr_t g, const spow_step_mp *st, const mpfr_t t);
/* Monomial coefficients of g in u (degree+1 entries), from the stored blocks. */
void spow_step_mono_u(mpfr_t *a, const spow_step_mp *st, mpfr_prec_t prec);
/* Monomial coefficients of g in t. */
void spow_step_mono_t(mpfr_t *a, const spow_step_mp *st, mpfr_prec_t prec);
/* Chebyshev coefficients of g in u, from the stored blocks. */
void spow_step_cheb(mpfr_t *c, const spow_step_mp *st, mpfr_prec_t prec);
/* Fills ps from monomial coefficients a[0..degree] of g in t (alpha, beta set). */
void spow_step_set_mono_t(spow_step_mp *st, mpfr_t *const a, mpfr_prec_t prec);
/* Fills baby, blocks and ps from Chebyshev coefficients c[0..degree]. */
void spow_step_set_cheb(spow_step_mp *st, mpfr_t *const c, mpfr_prec_t prec);

/* ---- cost model (cost.c) ------------------------------------------------ */

/* Products of the Paterson-Stockmeyer evaluation with baby steps s. */
int spow_cost_ps(int degree, int baby);
/* The baby-step count minimising the products (ties: the larger s). */
int spow_cost_best_baby(int degree);
/* Products to form G^ey and G^ex from G by shared repeated squaring (an
 * exponent of 0 is not needed). */
int spow_cost_powers(int ey, int ex);
/* GEMM calls of step k of K for p = m/n (Gram + g + powers + updates). */
int spow_cost_step(int degree, int k, int K, long m, long n);

/* ---- families (family.c, coupled.c) ------------------------------------- */

typedef struct spow_fit_params {
    long p_num, p_den;
    mpfr_t lo, hi;          /* certified interval */
    mpfr_t margin;          /* first fitted interval is [lo/(1+margin), hi (1+margin)] */
    int nsteps;             /* fixed step count, or 0 with target_err */
    const int *degrees;     /* per-step degree; the last repeats */
    int ndegrees;
    double target_err;      /* > 0: fewest steps with certificate <= target_err */
} spow_fit_params;

struct spow_family {
    const char *name;
    const char *summary;
    /* Fits rec (initialised, empty) at rec->prec.  NULL for the
     * evaluation-only families that spow-inspect registers (spow_fit then
     * returns SPOW_GEN_ENOFIT). */
    int (*fit)(spow_recurrence *rec, const spow_fit_params *par);
    /* Certifies rec in place: per-step err, y_lo, y_hi and max_rel_err.
     * NULL when the family has no certificate (evaluation-only families). */
    int (*certify)(spow_recurrence *rec);
    /* One step of the scalar recurrence on the state (x, y), in place.  In
     * every family x is the output (x_K approximates s^p) and y the other
     * state; both start at s.  For the fixed-point family this means x is
     * the paper's Y and y its X (= s, never changed). */
    void (*apply_step)(mpfr_t x, mpfr_t y, const spow_recurrence *rec, int k);
    /* The cheapest per-step degree schedule (GEMM count) whose error is at
     * most par->target_err, into degrees[0..*nsteps-1]; NULL if the family
     * cannot search. */
    int (*search_schedule)(int *degrees, int *nsteps, const spow_fit_params *par,
                           mpfr_prec_t prec);
};

const spow_family *spow_family_find(const char *name);
/* Every family, NULL-terminated. */
const spow_family *const *spow_family_list(void);
extern const spow_family spow_family_coupled;
/* Builds a coupled rec (initialised with p, lo, hi and prec, no steps) from
 * g of every step given as monomial coefficients in t, ascending:
 * coef[k][0..ncoef[k]-1] for step k of nsteps.  Sets every step's GEMM count
 * and certifies.  On a bad count or an unsupported p returns SPOW_GEN_EARG
 * with a one-line reason in msg; rec must still be cleared. */
int spow_coupled_set_mono(spow_recurrence *rec, mpfr_t *const *coef, const int *ncoef, int nsteps,
                          char *msg, size_t msglen);

/* ---- certification (certify.c) ------------------------------------------ */

/* Dense log-spaced sample of |x_K(s) / s^p - 1| over [lo, hi] through the
 * family's scalar recurrence, every local maximum refined by golden section.
 * npts >= 2. */
void spow_certify_sample(mpfr_t max_err, mpfr_t argmax, const spow_recurrence *rec, int npts);
/* Same after the first ksteps steps (0 <= ksteps <= rec->steps). */
void spow_certify_sample_k(mpfr_t max_err, mpfr_t argmax, const spow_recurrence *rec, int ksteps,
                           int npts);
/* Relative error of x after the recurrence for one s, via apply_step. */
void spow_certify_rel_err(mpfr_t err, const spow_recurrence *rec, const mpfr_t s, int ksteps);

/* ---- fitting with precision escalation (fit.c) ---------------------------- */

/* Fits at prec, then at larger precisions until the coefficients stop
 * changing in double (Ziv); rec must be uninitialised and receives the fit.
 * *used_prec is the precision of the accepted fit. */
int spow_fit(spow_recurrence *rec, const spow_family *fam, const spow_fit_params *par,
             mpfr_prec_t prec, mpfr_prec_t *used_prec);

/* ---- emission (emit_c.c, emit_json.c, emit_csv.c) ---------------------------- */

typedef struct spow_report {
    const spow_recurrence *rec;       /* as fitted (working precision) */
    const spow_recurrence *rec_f64;   /* coefficients rounded to double, certified */
    const spow_recurrence *rec_f32;   /* coefficients rounded to float, certified */
    const spow_recurrence *rec_mono;  /* monomial-t coefficients rounded to double, certified */
    const char *command;              /* canonical command line */
    const char *name;                 /* table name, e.g. coupled_p1_2_lo1e-3 */
    mpfr_prec_t prec;                 /* working precision used */
} spow_report;

/* s as a JSON string literal, escaped (emit/json_string.c). */
void spow_json_put_string(FILE *f, const char *s);

int spow_emit_c(FILE *f, const spow_report *rep);
int spow_emit_json(FILE *f, const spow_report *rep);
int spow_emit_csv(FILE *f, const spow_report *rep);
int spow_emit_text(FILE *f, const spow_report *rep);

/* An output format by its --format name (emit/emit.c): c, json, csv, text. */
typedef struct spow_emitter {
    const char *format;
    int (*emit)(FILE *f, const spow_report *rep);
} spow_emitter;
/* NULL for an unknown name. */
const spow_emitter *spow_emitter_find(const char *format);
/* Total GEMM count of a recurrence. */
int spow_report_gemms(const spow_recurrence *rec);
/* The headline certificate of the JSON and text outputs: the larger of the
 * two double forms a user may copy (blocks and monomials in t). */
void spow_report_max_err(mpfr_t err, const spow_report *rep);

/* ---- the whole pipeline (pipeline.c) --------------------------------------- */

typedef struct spow_gen_params {
    const spow_family *family;
    spow_fit_params fit;        /* p, interval, margin, steps or target, degrees */
    int auto_degree;            /* first search the cheapest degree schedule reaching
                                 * fit.target_err (fit.degrees is then ignored) */
    int samples;                /* points of the independent dense check, >= 2 */
} spow_gen_params;

typedef struct spow_gen_result {
    spow_recurrence rec;        /* as fitted, at the working precision */
    spow_recurrence rec_f64;    /* blocks rounded to double, certified and sampled */
    spow_recurrence rec_f32;    /* blocks rounded to float, certified */
    spow_recurrence rec_mono;   /* monomials in t rounded to double, certified */
    mpfr_prec_t prec;           /* the working precision the escalation accepted */
    int have;                   /* the recurrences above are initialised */
} spow_gen_result;

/* spow-gen's work: fits par->family at prec (escalated until the double
 * coefficients stop changing), certifies the three rounded forms and checks
 * the double blocks' certificate against an independent dense sample.
 * Returns 0, or a SPOW_GEN_E* code: SPOW_GEN_EDOMAIN and SPOW_GEN_ESAMPLE
 * come with res holding what was certified.  res must be cleared either way. */
int spow_gen_table(spow_gen_result *res, const spow_gen_params *par, mpfr_prec_t prec);
void spow_gen_result_clear(spow_gen_result *res);
/* The emitters' view of a result (rep points into res). */
void spow_gen_result_report(spow_report *rep, const spow_gen_result *res, const char *command,
                            const char *name);

#endif /* SPOW_GEN_H */
