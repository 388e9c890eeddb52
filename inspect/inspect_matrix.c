/* inspect_matrix.c -- the matrix-level check of spow-inspect --matrix.
 *
 * G = U diag(s) V^T with random orthonormal U, V (QR of Gaussian matrices,
 * splitmix64 from --seed) and a prescribed spectrum with ||s||_2 = 1, so that
 * the Frobenius scaling every evaluation starts with leaves s unchanged: one
 * singular value near 1/sqrt(2) (the dominant direction of a gradient) and
 * r - 1 geometric from lo up, with the ratio that puts half of ||G||_F^2 in
 * them (at most 1/2 each; if even equal values at lo hold more than half,
 * they are all sqrt(1/(2(r-1))) instead).
 *
 * The recurrence is applied to G in double and to G rounded to float: by the
 * runtime (spow_apply_*_ex, SPOW_NORMALIZED) for the generator's families
 * (coupled, fixed-point), by the family's matrix form with CBLAS for the
 * evaluation-only ones (p = 1/2's fixed point, Muon's quintic).  The
 * reference is LAPACKE_dgesdd of the matrix that was actually given (G, or
 * the float G in double), so the float rounding of G itself is not counted
 * as the recurrence's error.  Per singular value the error is
 * |u_i^T F v_i / (sigma_i / ||G||_F)^p - 1| with the SVD's own u_i, v_i.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#include <lapacke.h>
#include "spow_inspect.h"

#define T double
#define FN(name) name##_f64
#define GEMM cblas_dgemm
#include "inspect_matrix_impl.h"
#undef T
#undef FN
#undef GEMM

#define T float
#define FN(name) name##_f32
#define GEMM cblas_sgemm
#include "inspect_matrix_impl.h"
#undef T
#undef FN
#undef GEMM

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double rng_gauss(rng *r)
{
    double u = ((double)(rng_next(r) >> 11) + 0.5) / 9007199254740992.0;
    double v = ((double)(rng_next(r) >> 11) + 0.5) / 9007199254740992.0;
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* m x r (m >= r) with orthonormal columns: Q of the QR of a Gaussian matrix. */
static int orth(double *q, size_t m, size_t r, rng *g)
{
    double *tau = malloc(r * sizeof *tau);
    if (tau == NULL)
        return SPOW_GEN_ENOMEM;
    for (size_t i = 0; i < m * r; i++)
        q[i] = rng_gauss(g);
    lapack_int info = LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, (lapack_int)m, (lapack_int)r, q,
                                     (lapack_int)r, tau);
    if (info == 0)
        info = LAPACKE_dorgqr(LAPACK_ROW_MAJOR, (lapack_int)m, (lapack_int)r, (lapack_int)r, q,
                              (lapack_int)r, tau);
    free(tau);
    return info == 0 ? 0 : SPOW_GEN_EARG;
}

static double sumsq_geo(double a, double q, size_t n)
{
    double sum = 0, v = a;
    for (size_t i = 0; i < n; i++, v *= q)
        sum += v * v;
    return sum;
}

/* The spectrum described above, descending, ||s||_2 = 1. */
static void spectrum(double *s, size_t r, double lo)
{
    if (r == 1) {
        s[0] = 1;
        return;
    }
    const size_t n = r - 1;
    double a = lo, qlo = 1, qhi = 1, sum;
    if ((double)n * a * a >= 0.5) {
        a = sqrt(0.5 / (double)n);
    } else if (n > 1) {
        qhi = pow(0.5 / a, 1.0 / (double)(n - 1));   /* top value 1/2 */
        if (sumsq_geo(a, qhi, n) > 0.5)
            for (int it = 0; it < 200; it++) {
                double mid = 0.5 * (qlo + qhi);
                if (sumsq_geo(a, mid, n) < 0.5)
                    qlo = mid;
                else
                    qhi = mid;
            }
        else
            qlo = qhi;
    }
    double v = a;
    sum = 0;
    for (size_t i = 0; i < n; i++, v *= qlo) {
        s[r - 1 - i] = v;
        sum += v * v;
    }
    s[0] = sqrt(1 - sum);
}

/* A runtime table over the recurrence's double coefficients. */
typedef struct table_view {
    spow_table t;
    spow_step *step;
    double *data;
} table_view;

static int table_view_init(table_view *tv, const spow_recurrence *rec,
                           const spow_inspect_source *src)
{
    const int K = rec->steps;
    memset(tv, 0, sizeof *tv);
    tv->step = calloc((size_t)(K > 0 ? K : 1), sizeof *tv->step);
    size_t need = 0;
    for (int k = 0; k < K; k++)
        need += (size_t)(rec->step[k].blocks * (rec->step[k].baby + 1)) +
                2 * (size_t)(rec->step[k].degree + 1) +
                (size_t)spow_form_nform(rec->step[k].scheme, rec->step[k].form_k);
    tv->data = malloc((need ? need : 1) * sizeof(double));
    if (tv->step == NULL || tv->data == NULL)
        return SPOW_GEN_ENOMEM;
    double *d = tv->data;
    for (int k = 0; k < K; k++) {
        const spow_step_mp *s = &rec->step[k];
        spow_step *o = &tv->step[k];
        const int nps = s->blocks * (s->baby + 1), dg = s->degree;
        mpfr_t *c = spow_vec_init(dg + 1, rec->prec), *mo = spow_vec_init(dg + 1, rec->prec);
        spow_step_cheb(c, s, rec->prec);
        spow_step_mono_t(mo, s, rec->prec);
        for (int i = 0; i < nps; i++)
            d[i] = mpfr_get_d(s->ps[i], MPFR_RNDN);
        for (int i = 0; i <= dg; i++) {
            d[nps + i] = mpfr_get_d(c[i], MPFR_RNDN);
            d[nps + dg + 1 + i] = mpfr_get_d(mo[i], MPFR_RNDN);
        }
        spow_vec_clear(c, dg + 1);
        spow_vec_clear(mo, dg + 1);
        o->degree = dg;
        o->baby = s->baby;
        o->blocks = s->blocks;
        o->t_lo = mpfr_get_d(s->t_lo, MPFR_RNDN);
        o->t_hi = mpfr_get_d(s->t_hi, MPFR_RNDN);
        o->alpha = mpfr_get_d(s->alpha, MPFR_RNDN);
        o->beta = mpfr_get_d(s->beta, MPFR_RNDN);
        o->ps = d;
        o->cheb = d + nps;
        o->mono = d + nps + dg + 1;
        if (rec->family == &spow_family_fixedpoint) {
            /* libspow reads c_k from mono, which must be 1 - c_k t^d exactly;
             * expanding the rounded blocks would perturb its constant term */
            for (int i = 0; i <= dg; i++)
                d[nps + dg + 1 + i] = i == 0 ? 1.0 : 0.0;
            d[nps + 2 * dg + 1] = -mpfr_get_d(s->cst[0], MPFR_RNDN);
        }
        o->gemms = s->gemms;
        o->max_rel_err = NAN;
        o->y_lo = o->y_hi = NAN;
        d += nps + 2 * (dg + 1);
        if (s->scheme != SPOW_SCHEME_PS) {
            /* libspow evaluates the form (Sastre's or the nested one), as it
             * would the table's own */
            const int nform = spow_form_nform(s->scheme, s->form_k);
            o->scheme = s->scheme;
            o->form_k = s->form_k;
            o->form_sign = s->form_sign;
            o->form_shift = s->form_shift;
            for (int i = 0; i < nform; i++)
                d[i] = mpfr_get_d(s->form[i], MPFR_RNDN);
            o->form = d;
            d += nform;
        }
    }
    tv->t.version = SPOW_TABLE_VERSION;
    tv->t.name = src->name;
    tv->t.family = rec->family->name;
    tv->t.p_num = (int)rec->p_num;
    tv->t.p_den = (int)rec->p_den;
    tv->t.lo = mpfr_get_d(rec->lo, MPFR_RNDN);
    tv->t.hi = mpfr_get_d(rec->hi, MPFR_RNDN);
    long y_power, x_power;
    spow_family_powers(&y_power, &x_power, rec);
    tv->t.y_power = (int)y_power;
    tv->t.x_power = (int)x_power;
    tv->t.steps = K;
    tv->t.step = tv->step;
    tv->t.max_rel_err = src->have_cert ? src->cert : NAN;
    tv->t.max_rel_err_f32 = src->cert_f32;
    tv->t.gemms = spow_report_gemms(rec);
    tv->t.command = src->desc;
    return 0;
}

static void table_view_clear(table_view *tv)
{
    free(tv->step);
    free(tv->data);
}

/* Per-value errors of F (rows x cols, double) against the SVD of a (rows x
 * cols, destroyed).  err[i] for the i-th singular value, descending. */
static int compare(double *err, double *fro, double *offdiag, const double *f, double *a,
                   size_t rows, size_t cols, double p)
{
    const size_t r = rows < cols ? rows : cols;
    double *sv = malloc(r * sizeof *sv), *u = malloc(rows * r * sizeof *u);
    double *vt = malloc(r * cols * sizeof *vt), *tmp = malloc(r * cols * sizeof *tmp);
    double *c = malloc(r * r * sizeof *c);
    int rc = 0;
    if (!sv || !u || !vt || !tmp || !c) {
        rc = SPOW_GEN_ENOMEM;
        goto out;
    }
    if (LAPACKE_dgesdd(LAPACK_ROW_MAJOR, 'S', (lapack_int)rows, (lapack_int)cols, a,
                       (lapack_int)cols, sv, u, (lapack_int)r, vt, (lapack_int)cols) != 0) {
        rc = SPOW_GEN_EARG;
        goto out;
    }
    double norm = 0;
    for (size_t i = 0; i < r; i++)
        norm += sv[i] * sv[i];
    norm = sqrt(norm);
    /* C = U^T F V: its diagonal is what F does to each singular pair */
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)r, (int)cols, (int)rows, 1.0, u,
                (int)r, f, (int)cols, 0.0, tmp, (int)cols);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)r, (int)r, (int)cols, 1.0, tmp,
                (int)cols, vt, (int)cols, 0.0, c, (int)r);
    double top = 0, num = 0, den = 0, off = 0;
    for (size_t i = 0; i < r; i++) {
        double h = pow(sv[i] / norm, p);
        if (h > top)
            top = h;
    }
    for (size_t i = 0; i < r; i++) {
        double h = pow(sv[i] / norm, p);
        err[i] = fabs(c[i * r + i] / h - 1.0);
        if (isnan(err[i]))
            err[i] = INFINITY;
        den += h * h;
        for (size_t j = 0; j < r; j++) {
            double d = c[i * r + j] - (i == j ? h : 0.0);
            num += d * d;
            if (i != j && fabs(c[i * r + j]) / top > off)
                off = fabs(c[i * r + j]) / top;
        }
    }
    /* F - F_ref restricted to the singular subspaces, plus what F puts outside them */
    double fsq = 0, csq = 0;
    for (size_t i = 0; i < rows * cols; i++)
        fsq += f[i] * f[i];
    for (size_t i = 0; i < r * r; i++)
        csq += c[i] * c[i];
    num += fsq - csq > 0 ? fsq - csq : 0;
    *fro = sqrt(num / den);
    *offdiag = off;
out:
    free(sv);
    free(u);
    free(vt);
    free(tmp);
    free(c);
    return rc;
}

void spow_inspect_matrix_result_clear(spow_inspect_matrix_result *res)
{
    free(res->s);
    free(res->err[0]);
    free(res->err[1]);
    free(res->scalar);
    memset(res, 0, sizeof *res);
}

/* Applies the recurrence to g (rows x cols) in double and float: f64 and the
 * float result widened into f32w. */
static int apply_both(double *f64, double *f32w, long calls[2], const spow_recurrence *rec,
                      const spow_inspect_source *src, const double *g, const float *gf, size_t rows,
                      size_t cols, char *msg, size_t msglen)
{
    const size_t rc = rows * cols;
    float *ff = malloc(rc * sizeof *ff);
    if (ff == NULL)
        return SPOW_GEN_ENOMEM;
    int rcode = 0;
    if (rec->family == &spow_family_coupled || rec->family == &spow_family_fixedpoint) {
        table_view tv;
        rcode = table_view_init(&tv, rec, src);
        spow_stats st[2];
        spow_options o64 = { 0 }, o32 = { 0 };
        o64.flags = o32.flags = SPOW_NORMALIZED;
        /* the per-value errors are against sigma_i / ||G||_F */
        o64.scale = o32.scale = SPOW_SCALE_FROBENIUS;
        o64.stats = &st[0];
        o32.stats = &st[1];
        int e64 = rcode ? 0 : spow_apply_f64_ex(&tv.t, rows, cols, g, cols, f64, cols, &o64);
        int e32 = rcode || e64 ? 0 : spow_apply_f32_ex(&tv.t, rows, cols, gf, cols, ff, cols, &o32);
        table_view_clear(&tv);
        if (!rcode && (e64 || e32)) {
            snprintf(msg, msglen, "the runtime refused the table: %s",
                     spow_strerror(e64 ? e64 : e32));
            rcode = SPOW_GEN_EARG;
        }
        if (!rcode) {
            calls[0] = st[0].gemm_calls;
            calls[1] = st[1].gemm_calls;
        }
    } else {
        /* the family's matrix form on the wide orientation (transpose if tall) */
        spow_inspect_eval_plan plan;
        rcode = spow_inspect_eval_plan_init(&plan, rec);
        const int tall = rows > cols;
        const size_t r = tall ? cols : rows, c = tall ? rows : cols;
        double *y = malloc(rc * sizeof *y);
        float *yf = malloc(rc * sizeof *yf);
        if (!rcode && (!y || !yf))
            rcode = SPOW_GEN_ENOMEM;
        if (!rcode) {
            double n64 = 0, n32 = 0;
            for (size_t i = 0; i < rc; i++) {
                n64 += g[i] * g[i];
                n32 += (double)gf[i] * (double)gf[i];
            }
            n64 = sqrt(n64);
            n32 = sqrt(n32);
            for (size_t i = 0; i < rows; i++)
                for (size_t j = 0; j < cols; j++) {
                    size_t at = tall ? j * rows + i : i * cols + j;
                    y[at] = g[i * cols + j] / n64;
                    yf[at] = (float)((double)gf[i * cols + j] / n32);   /* scaled in double */
                }
            calls[0] = family_apply_f64(&plan, r, c, y);
            calls[1] = family_apply_f32(&plan, r, c, yf);
            if (calls[0] < 0 || calls[1] < 0)
                rcode = SPOW_GEN_ENOMEM;
            for (size_t i = 0; i < rows && !rcode; i++)
                for (size_t j = 0; j < cols; j++) {
                    size_t at = tall ? j * rows + i : i * cols + j;
                    f64[i * cols + j] = y[at];
                    ff[i * cols + j] = yf[at];
                }
        }
        free(y);
        free(yf);
        spow_inspect_eval_plan_clear(&plan);
    }
    for (size_t i = 0; i < rc && !rcode; i++)
        f32w[i] = (double)ff[i];
    free(ff);
    return rcode;
}

int spow_inspect_matrix_check(spow_inspect_matrix_result *res, const spow_inspect_source *src,
                              size_t rows, size_t cols,
                      unsigned long seed, char *msg, size_t msglen)
{
    const spow_recurrence *rec = &src->rec;
    memset(res, 0, sizeof *res);
    const size_t r = rows < cols ? rows : cols, rc = rows * cols;
    const double lo = mpfr_get_d(rec->lo, MPFR_RNDN), hi = mpfr_get_d(rec->hi, MPFR_RNDN);
    const double p = (double)rec->p_num / (double)rec->p_den;
    res->rows = rows;
    res->cols = cols;
    res->r = r;
    res->seed = seed;
    res->engine = rec->family == &spow_family_coupled || rec->family == &spow_family_fixedpoint
                      ? "runtime (libspow)" : "the family's matrix form (CBLAS)";
    res->s = malloc(r * sizeof(double));
    res->err[0] = malloc(r * sizeof(double));
    res->err[1] = malloc(r * sizeof(double));
    res->scalar = malloc(r * sizeof(double));
    double *u = malloc(rows * r * sizeof *u), *v = malloc(cols * r * sizeof *v);
    double *g = malloc(rc * sizeof *g), *a = malloc(rc * sizeof *a);
    double *f64 = malloc(rc * sizeof *f64), *f32w = malloc(rc * sizeof *f32w);
    float *gf = malloc(rc * sizeof *gf);
    int code = 0;
    if (!res->s || !res->err[0] || !res->err[1] || !res->scalar || !u || !v || !g || !a || !f64 ||
        !f32w || !gf) {
        snprintf(msg, msglen, "out of memory for a %zu x %zu matrix", rows, cols);
        code = SPOW_GEN_ENOMEM;
        goto out;
    }
    rng gen = { (uint64_t)seed * 0x2545f4914f6cdd1dULL + 1 };
    spectrum(res->s, r, lo);
    if (orth(u, rows, r, &gen) || orth(v, cols, r, &gen)) {
        snprintf(msg, msglen, "LAPACKE could not orthogonalise the random factors");
        code = SPOW_GEN_EARG;
        goto out;
    }
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < r; j++)
            u[i * r + j] *= res->s[j];
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rows, (int)cols, (int)r, 1.0, u,
                (int)r, v, (int)r, 0.0, g, (int)cols);
    for (size_t i = 0; i < rc; i++)
        gf[i] = (float)g[i];

    code = apply_both(f64, f32w, res->gemm_calls, rec, src, g, gf, rows, cols, msg, msglen);
    if (code)
        goto out;
    memcpy(a, g, rc * sizeof *a);
    code = compare(res->err[0], &res->fro[0], &res->max_offdiag[0], f64, a, rows, cols, p);
    for (size_t i = 0; i < rc && !code; i++)
        a[i] = (double)gf[i];
    if (!code)
        code = compare(res->err[1], &res->fro[1], &res->max_offdiag[1], f32w, a, rows, cols, p);
    if (code) {
        snprintf(msg, msglen, "LAPACKE_dgesdd failed on the %zu x %zu matrix", rows, cols);
        goto out;
    }
    /* what the exact scalar recurrence predicts at each s_i */
    mpfr_t s, e;
    mpfr_inits2(rec->prec, s, e, (mpfr_ptr)0);
    res->max_in[0] = res->max_in[1] = 0;
    for (size_t i = 0; i < r; i++) {
        mpfr_set_d(s, res->s[i], MPFR_RNDN);
        spow_certify_rel_err(e, rec, s, rec->steps);
        res->scalar[i] = mpfr_get_d(e, MPFR_RNDN);
        if (res->s[i] >= lo && res->s[i] <= hi)
            for (int k = 0; k < 2; k++)
                if (!(res->err[k][i] <= res->max_in[k]))
                    res->max_in[k] = res->err[k][i];
    }
    mpfr_clears(s, e, (mpfr_ptr)0);
out:
    free(u);
    free(v);
    free(g);
    free(a);
    free(f64);
    free(f32w);
    free(gf);
    return code;
}
