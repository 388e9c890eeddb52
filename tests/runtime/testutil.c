/* testutil.c -- see testutil.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include "testutil.h"

double tu_p(const spow_table *t)
{
    return (double)t->p_num / (double)t->p_den;
}

int tu_count(const spow_table *const *list)
{
    int n = 0;

    while (list[n])
        n++;
    return n;
}

static uint64_t next(tu_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

double tu_uniform(tu_rng *r)
{
    return ((double)(next(r) >> 11) + 0.5) / 9007199254740992.0;
}

double tu_gauss(tu_rng *r)
{
    double u = tu_uniform(r), v = tu_uniform(r);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* m x r with orthonormal columns: Q of the QR of a Gaussian matrix. */
static void orth(double *q, size_t m, size_t r, tu_rng *rng)
{
    double *tau = malloc(r * sizeof *tau);
    size_t i;
    lapack_int info;

    for (i = 0; i < m * r; i++)
        q[i] = tu_gauss(rng);
    info = LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, (lapack_int)m, (lapack_int)r, q,
                          (lapack_int)r, tau);
    if (info == 0)
        info = LAPACKE_dorgqr(LAPACK_ROW_MAJOR, (lapack_int)m, (lapack_int)r,
                              (lapack_int)r, q, (lapack_int)r, tau);
    if (info != 0)
        abort();
    free(tau);
}

void tu_case_init(tu_case *tc, size_t rows, size_t cols, const double *s,
                  tu_rng *rng)
{
    tc->rows = rows;
    tc->cols = cols;
    tc->r = rows < cols ? rows : cols;
    tc->u = malloc(rows * tc->r * sizeof(double));
    tc->v = malloc(cols * tc->r * sizeof(double));
    tc->s = malloc(tc->r * sizeof(double));
    if (!tc->u || !tc->v || !tc->s)
        abort();
    memcpy(tc->s, s, tc->r * sizeof(double));
    orth(tc->u, rows, tc->r, rng);
    orth(tc->v, cols, tc->r, rng);
}

void tu_case_clear(tu_case *tc)
{
    free(tc->u);
    free(tc->v);
    free(tc->s);
}

void tu_case_apply(double *f, size_t ldf, const tu_case *tc, const double *h)
{
    double *us = malloc(tc->rows * tc->r * sizeof(double));
    size_t i, j;

    if (!us)
        abort();
    for (i = 0; i < tc->rows; i++)
        for (j = 0; j < tc->r; j++)
            us[i * tc->r + j] = tc->u[i * tc->r + j] * h[j];
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)tc->rows,
                (int)tc->cols, (int)tc->r, 1.0, us, (int)tc->r, tc->v,
                (int)tc->r, 0.0, f, (int)ldf);
    free(us);
}

void tu_case_matrix(double *g, size_t ldg, const tu_case *tc, double c1,
                    double c2)
{
    size_t i, j;

    tu_case_apply(g, ldg, tc, tc->s);
    for (i = 0; i < tc->rows; i++)
        for (j = 0; j < tc->cols; j++)
            g[i * ldg + j] = g[i * ldg + j] * c1 * c2;
}

void tu_case_power(double *f, size_t ldf, const tu_case *tc, double c1,
                   double c2, double p)
{
    double *h = malloc(tc->r * sizeof(double));
    double cp2 = pow(c2, p), cp1 = pow(c1, p);
    size_t i, j;

    if (!h)
        abort();
    /* c1^p last: the singular values of G may exceed DBL_MAX while its
     * entries (and those of the result) do not. */
    for (i = 0; i < tc->r; i++)
        h[i] = tc->s[i] == 0.0 ? 0.0 : cp2 * pow(tc->s[i], p);
    tu_case_apply(f, ldf, tc, h);
    for (i = 0; i < tc->rows; i++)
        for (j = 0; j < tc->cols; j++)
            f[i * ldf + j] *= cp1;
    free(h);
}

void tu_spread_case_init(tu_spread_case *c, double p, size_t rows, size_t cols, double smin,
                         uint64_t seed)
{
    tu_rng rng = {seed};
    tu_case tc;
    size_t i;

    c->rows = rows;
    c->cols = cols;
    c->n = rows * cols;
    c->r = rows < cols ? rows : cols;
    c->s = malloc(c->r * sizeof *c->s);
    c->g = malloc(c->n * sizeof *c->g);
    c->ref = malloc(c->n * sizeof *c->ref);
    c->reff = malloc(c->n * sizeof *c->reff);
    c->out = malloc(c->n * sizeof *c->out);
    c->gf = malloc(c->n * sizeof *c->gf);
    c->of = malloc(c->n * sizeof *c->of);
    if (!c->s || !c->g || !c->ref || !c->reff || !c->out || !c->gf || !c->of)
        abort();
    tu_spectrum_spread(c->s, c->r, smin);
    tu_case_init(&tc, rows, cols, c->s, &rng);
    tu_case_matrix(c->g, cols, &tc, 3.5, 1.0);
    tu_case_power(c->ref, cols, &tc, 3.5, 1.0, p);
    tu_case_clear(&tc);
    /* the float reference is the float copy's own power (tu_svd_power) */
    for (i = 0; i < c->n; i++) {
        c->gf[i] = (float)c->g[i];
        c->out[i] = c->gf[i];
    }
    tu_svd_power(c->reff, cols, c->out, cols, rows, cols, p, 0.0);
}

void tu_spread_case_clear(tu_spread_case *c)
{
    free(c->s);
    free(c->g);
    free(c->ref);
    free(c->reff);
    free(c->out);
    free(c->gf);
    free(c->of);
}

void tu_svd_power(double *f, size_t ldf, const double *g, size_t ldg,
                  size_t rows, size_t cols, double p, double cutoff)
{
    size_t r = rows < cols ? rows : cols, i, j;
    double *a = malloc(rows * cols * sizeof *a), *s = malloc(r * sizeof *s);
    double *u = malloc(rows * r * sizeof *u), *vt = malloc(r * cols * sizeof *vt);
    lapack_int info;

    if (!a || !s || !u || !vt)
        abort();
    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++)
            a[i * cols + j] = g[i * ldg + j];
    info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, 'S', (lapack_int)rows, (lapack_int)cols, a,
                          (lapack_int)cols, s, u, (lapack_int)r, vt, (lapack_int)cols);
    if (info != 0)
        abort();
    for (j = 0; j < r; j++) {
        double h = s[j] <= cutoff * s[0] ? 0.0 : pow(s[j], p);
        for (i = 0; i < rows; i++)
            u[i * r + j] *= h;
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)rows, (int)cols, (int)r,
                1.0, u, (int)r, vt, (int)cols, 0.0, f, (int)ldf);
    free(a);
    free(s);
    free(u);
    free(vt);
}

void tu_case_svd(tu_case *tc, const double *g, size_t ldg, size_t rows, size_t cols)
{
    size_t r = rows < cols ? rows : cols, i, j;
    double *a = malloc(rows * cols * sizeof *a), *vt = malloc(r * cols * sizeof *vt);
    lapack_int info;

    tc->rows = rows;
    tc->cols = cols;
    tc->r = r;
    tc->u = malloc(rows * r * sizeof(double));
    tc->v = malloc(cols * r * sizeof(double));
    tc->s = malloc(r * sizeof(double));
    if (!a || !vt || !tc->u || !tc->v || !tc->s)
        abort();
    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++)
            a[i * cols + j] = g[i * ldg + j];
    info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, 'S', (lapack_int)rows, (lapack_int)cols, a,
                          (lapack_int)cols, tc->s, tc->u, (lapack_int)r, vt, (lapack_int)cols);
    if (info != 0)
        abort();
    for (i = 0; i < r; i++)
        for (j = 0; j < cols; j++)
            tc->v[j * r + i] = vt[i * cols + j];
    free(a);
    free(vt);
}

static double sumsq_geo(double smin, double q, size_t r)
{
    double sum = 0.0, v = smin;
    size_t i;

    for (i = 0; i < r; i++, v *= q)
        sum += v * v;
    return sum;
}

void tu_spectrum_spread(double *s, size_t r, double smin)
{
    double lo = 1.0, hi = 2.0, v;
    size_t i;
    int it;

    if (r == 1) {
        s[0] = 1.0;
        return;
    }
    while (sumsq_geo(smin, hi, r) < 1.0)
        hi *= 2.0;
    for (it = 0; it < 200; it++) {
        double mid = 0.5 * (lo + hi);
        if (sumsq_geo(smin, mid, r) < 1.0)
            lo = mid;
        else
            hi = mid;
    }
    for (i = 0, v = smin; i < r; i++, v *= lo)
        s[r - 1 - i] = v;
    /* The bisection leaves ||s|| a hair below 1: fine, c absorbs it. */
}

void tu_spectrum_dominant(double *s, size_t r, double smin)
{
    double sum = 0.0;
    size_t i;

    if (r == 1) {
        s[0] = 1.0;
        return;
    }
    for (i = 1; i < r; i++) {
        double f = r == 2 ? 0.0 : (double)(r - 1 - i) / (double)(r - 2);
        s[i] = smin * pow(0.05 / smin, f);
        sum += s[i] * s[i];
    }
    s[0] = sqrt(1.0 - sum);
}

#define TU_REL_ERR_BODY                                                      \
    double scale = 0.0, num = 0.0, den = 0.0;                                \
    size_t i, j;                                                             \
    for (i = 0; i < rows; i++)                                               \
        for (j = 0; j < cols; j++)                                           \
            if (fabs(ref[i * ldr + j]) > scale)                              \
                scale = fabs(ref[i * ldr + j]);                              \
    if (scale == 0.0)                                                        \
        scale = 1.0;                                                         \
    for (i = 0; i < rows; i++)                                               \
        for (j = 0; j < cols; j++) {                                         \
            double d = ((double)a[i * lda + j] - ref[i * ldr + j]) / scale;  \
            double r = ref[i * ldr + j] / scale;                             \
            if (!isfinite((double)a[i * lda + j]))                           \
                return INFINITY;                                             \
            num += d * d;                                                    \
            den += r * r;                                                    \
        }                                                                    \
    return den == 0.0 ? sqrt(num) : sqrt(num / den);

double tu_rel_err(const double *a, size_t lda, const double *ref, size_t ldr,
                  size_t rows, size_t cols)
{
    TU_REL_ERR_BODY
}

double tu_rel_err_f32(const float *a, size_t lda, const double *ref,
                      size_t ldr, size_t rows, size_t cols)
{
    TU_REL_ERR_BODY
}

static int is_rect(const tu_counter *c, int f32, const void *p)
{
    int i;

    for (i = 0; i < c->nrect[f32]; i++)
        if (c->rect[f32][i] == p)
            return 1;
    return 0;
}

/* The first product of each element type is the Gram matrix of the loaded
 * G; after that, products that read a rectangular buffer write one (the X
 * and Y updates). */
static void count(tu_counter *c, int f32, int trans, const void *a,
                  const void *b, const void *out, size_t m, size_t n, size_t k)
{
    if (c->nrect[f32] == 0)
        c->rect[f32][c->nrect[f32]++] = a;
    if (trans && is_rect(c, f32, a))
        c->steps_seen++;
    else if (!trans && (is_rect(c, f32, a) || is_rect(c, f32, b))
             && !is_rect(c, f32, out) && c->nrect[f32] < 8)
        c->rect[f32][c->nrect[f32]++] = out;
    c->calls++;
    if (c->steps_seen >= 1 && c->steps_seen <= TU_MAX_STEPS)
        c->per_step[c->steps_seen - 1]++;
    c->flops += 2.0 * (double)m * (double)n * (double)k;
}

#define TU_T double
#define TU_FN(name) name##_f64
#define TU_F32 0
#define TU_CBLAS_GEMM cblas_dgemm
#include "testutil_gemm_impl.h"
#undef TU_T
#undef TU_FN
#undef TU_F32
#undef TU_CBLAS_GEMM

#define TU_T float
#define TU_FN(name) name##_f32
#define TU_F32 1
#define TU_CBLAS_GEMM cblas_sgemm
#include "testutil_gemm_impl.h"
#undef TU_T
#undef TU_FN
#undef TU_F32
#undef TU_CBLAS_GEMM

static int popcount(int e)
{
    int c = 0;
    for (; e; e >>= 1)
        c += e & 1;
    return c;
}

static int floor_log2(int e)
{
    int l = -1;
    for (; e; e >>= 1)
        l++;
    return l;
}

int tu_step_cost(const spow_table *t, int k)
{
    const spow_step *st = &t->step[k];
    int last = k == t->steps - 1;
    /* the Gram product, then g: Paterson-Stockmeyer's T_2..T_baby and Horner
     * steps, or a Sastre form's P_2..P_k, y0 and f1 f2 (spow.h) */
    int cost = 1 + (st->scheme == SPOW_SCHEME_SASTRE   ? st->form_k + 1
                    : st->scheme == SPOW_SCHEME_NESTED ? 4
                                                       : (st->baby - 1) + (st->blocks - 1));
    int e[2], ne = 0, emax = 0, i;

    if (t->p_num == 0) {
        e[ne++] = t->y_power;
    } else {
        if (!last)
            e[ne++] = t->y_power;
        if (t->x_power > 0 && (ne == 0 || e[0] != t->x_power))
            e[ne++] = t->x_power;
    }
    for (i = 0; i < ne; i++) {
        if (e[i] > emax)
            emax = e[i];
        cost += popcount(e[i]) - 1;
    }
    cost += floor_log2(emax);
    if (t->p_num == 0)
        cost += 1;
    else
        cost += last ? 1 : 2;
    return cost;
}

void tu_ps_copy_make(tu_ps_copy *c, const spow_table *t)
{
    int k;

    if (t->steps > TU_PS_COPY_MAX_STEPS)
        abort();
    c->t = *t;
    for (k = 0; k < t->steps; k++) {
        c->step[k] = t->step[k];
        c->step[k].scheme = SPOW_SCHEME_PS;
    }
    c->t.step = c->step;
    c->t.gemms = 0;
    for (k = 0; k < t->steps; k++) {
        c->step[k].gemms = tu_step_cost(&c->t, k);
        c->t.gemms += c->step[k].gemms;
    }
}

long double tu_g_scalar(const spow_step *st, long double t)
{
    long double u = (long double)st->alpha * t + (long double)st->beta;
    long double T[SPOW_MAX_DEGREE + 1], r = 0.0L;
    int i, j, b = st->baby;

    T[0] = 1.0L;
    T[1] = u;
    for (i = 2; i <= b; i++)
        T[i] = 2.0L * u * T[i - 1] - T[i - 2];
    for (j = st->blocks - 1; j >= 0; j--) {
        long double blk = 0.0L;
        for (i = 0; i <= b; i++)
            blk += (long double)st->ps[j * (b + 1) + i] * T[i];
        r = (j == st->blocks - 1) ? blk : r * T[b] + blk;
    }
    return r;
}

long double tu_g_form(const spow_step *st, long double t)
{
    const double *v = st->form;
    long double w = (long double)st->alpha * t + (long double)st->beta
                    - (long double)st->form_shift;
    long double p[5], y0 = 0.0L, y1, f1, f2, g;
    int k = st->form_k, q;

    if (st->scheme == SPOW_SCHEME_PS)
        return tu_g_scalar(st, t);
    if (st->scheme == SPOW_SCHEME_NESTED) {
        /* a_1 a_2 b_1 b_2 c_2 e d_0 d_1 d_2 f_0 f_1 f_2 h_0 h_1 l_0 l_1 l_2 */
        long double w2 = w * w;
        y0 = w2 * (v[0] * w + v[1] * w2);
        y1 = (y0 + v[2] * w + v[3] * w2) * (y0 + v[4] * w2) + v[5] * y0;
        f1 = y1 + v[6] * y0 + v[7] * w + v[8] * w2;
        f2 = (long double)st->form_sign * y1 + v[9] * y0 + v[10] * w + v[11] * w2;
        return f1 * f2 + v[12] * y0 + v[13] * y1 + v[14] + v[15] * w + v[16] * w2;
    }
    /* Sastre: a_1..a_k, b_1..b_k, c_2..c_k, e, l_0..l_k */
    p[0] = 1.0L;
    for (q = 1; q <= k; q++)
        p[q] = p[q - 1] * w;
    for (q = 1; q <= k; q++)
        y0 += v[q - 1] * p[q];
    y0 *= p[k];
    f1 = y0;
    f2 = (long double)st->form_sign * y0;
    for (q = 1; q <= k; q++)
        f1 += v[k + q - 1] * p[q];
    for (q = 2; q <= k; q++)
        f2 += v[2 * k + q - 2] * p[q];
    g = f1 * f2 + v[3 * k - 1] * y0;
    for (q = 0; q <= k; q++)
        g += v[3 * k + q] * p[q];
    return g;
}

static long double x_scalar(const spow_table *t, long double s,
                            long double (*gfn)(const spow_step *, long double))
{
    long double x = s, y = s;
    int k, i;

    for (k = 0; k < t->steps; k++) {
        long double g = gfn(&t->step[k], y * y), gy = 1.0L, gx = 1.0L;
        for (i = 0; i < t->y_power; i++)
            gy *= g;
        for (i = 0; i < t->x_power; i++)
            gx *= g;
        y *= gy;
        x *= gx;
    }
    return x;
}

long double tu_x_scalar(const spow_table *t, long double s)
{
    return x_scalar(t, s, tu_g_scalar);
}

long double tu_x_form(const spow_table *t, long double s)
{
    return x_scalar(t, s, tu_g_form);
}

double tu_null_gain(const spow_table *t, int k)
{
    double gain = 1.0;
    int j, e;

    for (j = k; j < t->steps; j++)
        for (e = 0; e < t->x_power; e++)
            gain *= (double)tu_g_scalar(&t->step[j], 0.0L);
    return gain;
}

double tu_amplification(const spow_table *t, const double *s, size_t r)
{
    double ns = 0.0, a = 1.0;
    size_t i;

    for (i = 0; i < r; i++)
        ns += s[i] * s[i];
    ns = sqrt(ns);
    for (i = 0; i < r && t->steps > 0; i++) {
        long double v = s[i] / ns, h = 1e-9L * v, kappa;
        if (v == 0.0L)
            continue;
        kappa = (logl(fabsl(tu_x_form(t, v + h))) - logl(fabsl(tu_x_form(t, v - h))))
                / (logl(v + h) - logl(v - h));
        if (fabsl(kappa) > a)
            a = (double)fabsl(kappa);
    }
    return a;
}

static const int layouts[][2] = {
    {1, 1}, {2, 2}, {2, 1}, {5, 2}, {6, 3}, {9, 3}, {16, 4}, {7, 7}, {4, 2}, {3, 1},
};
#define NLAYOUTS ((int)(sizeof layouts / sizeof layouts[0]))

void tu_hand_build(tu_hand_table *h, int m, int n, int steps, int layout0,
                   tu_rng *rng)
{
    int k, j, i;

    if (steps > TU_HAND_MAX_STEPS)
        abort();
    memset(h, 0, sizeof *h);
    h->t.version = SPOW_TABLE_VERSION;
    h->t.name = "hand";
    h->t.family = "coupled";
    h->t.p_num = m;
    h->t.p_den = n;
    h->t.lo = 0.0;
    h->t.hi = 1.0;
    h->t.y_power = n;
    h->t.x_power = n - m;
    h->t.steps = steps;
    h->t.step = h->step;
    h->t.max_rel_err = h->t.max_rel_err_f32 = 1.0;
    h->t.command = "tests/runtime";
    for (k = 0; k < steps; k++) {
        spow_step *st = &h->step[k];
        int d = layouts[(layout0 + k) % NLAYOUTS][0];
        int b = layouts[(layout0 + k) % NLAYOUTS][1];
        int top;
        st->degree = d;
        st->baby = b;
        st->blocks = (d + b - 1) / b;
        st->t_lo = 0.0;
        st->t_hi = 1.0;
        st->alpha = 2.0;
        st->beta = -1.0;
        /* Lower blocks have degree < baby, the top one the rest of d; at most
         * (baby + 1) blocks terms, each below 0.1 / ((baby + 1) blocks),
         * and |T_i| <= 1 on [-1, 1]. */
        top = d - (st->blocks - 1) * b;
        for (j = 0; j < st->blocks; j++)
            for (i = 0; i <= b; i++) {
                int used = j < st->blocks - 1 ? i < b : i <= top;
                double v = used ? 0.2 * (tu_uniform(rng) - 0.5) / ((b + 1) * st->blocks) : 0.0;
                h->ps[k][j * (b + 1) + i] = (j == 0 && i == 0) ? 0.9 + v : v;
            }
        st->ps = h->ps[k];
        st->cheb = st->mono = h->unused;
        st->max_rel_err = 1.0;
        st->y_lo = st->y_hi = 1.0;
    }
    for (k = 0; k < steps; k++) {
        h->step[k].gemms = tu_step_cost(&h->t, k);
        h->t.gemms += h->step[k].gemms;
    }
}
