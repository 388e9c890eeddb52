/* validate.c -- every check that runs before anything is written. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "spow_internal.h"

/* A Sastre or nested step's form (spow.h), which the apply evaluates
 * instead of ps: its size follows from the scheme (and form_k), and the
 * pool (plan.c) from both. */
static int validate_form(const spow_step *st)
{
    int i, n;

    if (st->scheme == SPOW_SCHEME_PS)
        return SPOW_OK;
    if (st->scheme == SPOW_SCHEME_SASTRE) {
        if (st->form_k < 2 || st->form_k > 4 || st->degree != 4 * st->form_k)
            return SPOW_ETABLE;
        n = 4 * st->form_k + 1;
    } else if (st->scheme == SPOW_SCHEME_NESTED) {
        if (st->form_k != 0 || st->degree != 16)
            return SPOW_ETABLE;
        n = SPOW_NESTED_NFORM;
    } else {
        return SPOW_ETABLE;
    }
    if ((st->form_sign != 1 && st->form_sign != -1) || !st->form)
        return SPOW_ETABLE;
    if (!isfinite(st->form_shift))
        return SPOW_ETABLE;
    for (i = 0; i < n; i++)
        if (!isfinite(st->form[i]))
            return SPOW_ETABLE;
    return SPOW_OK;
}

/* The Paterson-Stockmeyer blocks of a step with u = t (alpha 1, beta 0)
 * expanded to monomials in t, into g[0..2 SPOW_MAX_DEGREE]; mag[] gets the
 * same sums with every term's magnitude, the scale of the rounding in g[]. */
static void ps_monomials(double *g, double *mag, const spow_step *st)
{
    enum { N = 2 * SPOW_MAX_DEGREE + 1 };
    double tc[SPOW_MAX_DEGREE + 1][N], nb[N], na[N];
    int b = st->baby, i, j, q;

    memset(tc, 0, sizeof tc);
    memset(g, 0, N * sizeof *g);
    memset(mag, 0, N * sizeof *mag);
    tc[0][0] = 1.0;
    tc[1][1] = 1.0;
    for (i = 2; i <= b; i++) /* T_i = 2 t T_{i-1} - T_{i-2}: exact integers */
        for (q = 0; q <= i; q++)
            tc[i][q] = (q ? 2.0 * tc[i - 1][q - 1] : 0.0) - tc[i - 2][q];
    /* Horner in T_b from the top block down; degrees stay below N. */
    for (j = st->blocks - 1; j >= 0; j--) {
        const double *c = st->ps + (size_t)j * (size_t)(b + 1);
        memset(nb, 0, sizeof nb);
        memset(na, 0, sizeof na);
        if (j < st->blocks - 1)
            for (q = 0; q < N - b; q++)
                for (i = 0; i <= b; i++) {
                    nb[q + i] += g[q] * tc[b][i];
                    na[q + i] += mag[q] * fabs(tc[b][i]);
                }
        for (i = 0; i <= b; i++)
            for (q = 0; q <= i; q++) {
                nb[q] += c[i] * tc[i][q];
                na[q] += fabs(c[i] * tc[i][q]);
            }
        memcpy(g, nb, sizeof nb);
        memcpy(mag, na, sizeof na);
    }
}

/* The fixed-point family's own layout (spow.h): p = a/b with a, b odd and
 * 0 < a < b; every step g_k(t) = 1 - c_k t^((b-1)/2), stored for
 * Paterson-Stockmeyer in u = t (alpha 1, beta 0) with exact monomials, the
 * blocks within rounding of those monomials (a table whose ps and mono
 * disagree would apply another g than it documents), and gemms as counted
 * by the runtime (spow.h). */
static int validate_fixed_point(const spow_table *t)
{
    enum { N = 2 * SPOW_MAX_DEGREE + 1 };
    const int a = t->p_num, b = t->p_den, d = (b - 1) / 2;
    double g[N], mag[N];
    long long total = 0;
    int k, i;

    if (a <= 0 || a >= b || a % 2 == 0 || b % 2 == 0)
        return SPOW_ETABLE;
    if (t->y_power != b || t->x_power != a)
        return SPOW_ETABLE;
    for (k = 0; k < t->steps; k++) {
        const spow_step *st = &t->step[k];
        int gemms = 1 + (st->baby - 1) + (st->blocks - 1) + 1;
        if (st->degree != d || st->alpha != 1.0 || st->beta != 0.0
            || st->scheme != SPOW_SCHEME_PS)
            return SPOW_ETABLE;
        if (st->mono[0] != 1.0 || !isfinite(st->mono[d]))
            return SPOW_ETABLE;
        for (i = 1; i < d; i++)
            if (st->mono[i] != 0.0)
                return SPOW_ETABLE;
        ps_monomials(g, mag, st);
        /* Expanding rounds each coefficient within a few (d + 2) eps of
         * its magnitude sum; 8 (d + 2) eps leaves room and still refuses
         * any real difference.  An infinite sum would excuse anything. */
        for (i = 0; i < N; i++) {
            double want = i <= d ? st->mono[i] : 0.0;
            if (!(mag[i] <= DBL_MAX)
                || !(fabs(g[i] - want) <= 8.0 * (d + 2) * DBL_EPSILON * mag[i]))
                return SPOW_ETABLE;
        }
        if (k == 0 && a > 1) /* X^a: X^T X, its power, the product with X */
            gemms += 2 + spow_power_gemms(spow_xa_exponent(t));
        if (st->gemms != gemms)
            return SPOW_ETABLE;
        total += st->gemms;
    }
    return t->gemms == total ? SPOW_OK : SPOW_ETABLE;
}

/* The coupled recurrence's exponents: y_power = n and x_power = n - m. */
static int validate_coupled(const spow_table *t)
{
    long long xp;

    if (t->y_power != t->p_den)
        return SPOW_ETABLE;
    /* p > 1 would need negative powers of g: not a GEMM-only operation. */
    xp = (long long)t->p_den - t->p_num;
    if (xp < 0 || t->x_power != xp)
        return SPOW_ETABLE;
    return SPOW_OK;
}

int spow_validate_table(const spow_table *t)
{
    int k, i, fixed;

    if (t->version != SPOW_TABLE_VERSION || t->steps < 0 || t->p_den <= 0)
        return SPOW_ETABLE;
    /* Each family has its own step layout; a table of any other family
     * would be applied as if it were one of these. */
    if (!t->family)
        return SPOW_ETABLE;
    fixed = spow_fixed_point(t);
    if (!fixed && strcmp(t->family, "coupled") != 0)
        return SPOW_ETABLE;
    if (t->steps > 0 && t->step == NULL)
        return SPOW_ETABLE;
    for (k = 0; k < t->steps; k++) {
        const spow_step *st = &t->step[k];
        if (st->degree < 1 || st->degree > SPOW_MAX_DEGREE)
            return SPOW_ETABLE;
        if (st->baby < 1 || st->baby > st->degree
            || st->blocks != (st->degree + st->baby - 1) / st->baby)
            return SPOW_ETABLE;
        if (!st->ps || !st->cheb || !st->mono)
            return SPOW_ETABLE;
        if (!isfinite(st->alpha) || !isfinite(st->beta))
            return SPOW_ETABLE;
        for (i = 0; i < st->blocks * (st->baby + 1); i++)
            if (!isfinite(st->ps[i]))
                return SPOW_ETABLE;
        if (validate_form(st) != SPOW_OK)
            return SPOW_ETABLE;
    }
    return fixed ? validate_fixed_point(t) : validate_coupled(t);
}

int spow_options_refused(const spow_table *t, const spow_options *opt)
{
    /* The small side's updates are powers of g (A <- h A h, Q <- Q g^m).
     * A fixed-point step would need its own (Q <- Q g + c_k (X^T X)^e and
     * A formed again as Q^T A_0 Q), which is not written: refused rather
     * than applied as if the table were coupled. */
    return spow_fixed_point(t) && (opt->flags & SPOW_SMALL_SIDE) != 0;
}

int spow_overlap(const void *a, size_t na, const void *b, size_t nb)
{
    uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;

    if (na == 0 || nb == 0)
        return 0;
    /* Differences, not sums: no wrap-around near the top of memory. */
    return x <= y ? y - x < na : x - y < nb;
}

/* Elements from the first to one past the last of a rows x cols matrix
 * with leading dimension ld, or of count of them stride elements apart;
 * 0 if that many bytes do not fit in size_t. */
static size_t span(size_t count, size_t stride, size_t rows, size_t cols,
                   size_t ld, size_t elem)
{
    size_t n;

    if (ld != 0 && rows - 1 > (SIZE_MAX - cols) / ld)
        return 0;
    n = (rows - 1) * ld + cols;
    if (stride != 0 && count - 1 > (SIZE_MAX - n) / stride)
        return 0;
    n += (count - 1) * stride;
    return n > SIZE_MAX / elem ? 0 : n;
}

int spow_validate_batch(size_t *work_bytes, const spow_table *t, size_t count,
                        size_t rows, size_t cols, const void *g, size_t ldg,
                        size_t stride_g, const void *out, size_t ldo,
                        size_t stride_o, int f32, const spow_options *opt)
{
    size_t elem = f32 ? sizeof(float) : sizeof(double);
    size_t gbytes, obytes;
    int rc, nd;

    if (!t || !g || !out)
        return SPOW_EINVAL;
    if ((opt->flags & ~SPOW_KNOWN_FLAGS) != 0 || opt->f64_steps < 0
        || opt->scale < SPOW_SCALE_DEFAULT || opt->scale > SPOW_SCALE_GRAM4)
        return SPOW_EINVAL;
    rc = spow_validate_table(t);
    if (rc != SPOW_OK)
        return rc;
    if (spow_options_refused(t, opt))
        return SPOW_EINVAL;
    if (count == 0 || rows == 0 || cols == 0)
        return SPOW_ESIZE;
    if (ldg < cols || ldo < cols)
        return SPOW_ELD;
    if (count == 1)
        stride_g = stride_o = 0; /* unused: any value is fine */
    gbytes = span(count, stride_g, rows, cols, ldg, elem) * elem;
    obytes = span(count, stride_o, rows, cols, ldo, elem) * elem;
    if (gbytes == 0 || obytes == 0)
        return SPOW_EOVERFLOW;
    nd = spow_double_steps(t, f32, opt);
    rc = spow_workspace_total(work_bytes, t, rows, cols, nd,
                              (opt->flags & SPOW_SMALL_SIDE) != 0);
    if (rc != SPOW_OK)
        return rc;
    /* Outputs apart from each other (inputs may share entries: they are
     * only read), and the span of the outputs apart from that of the
     * inputs and from the workspace. */
    if (count > 1 && stride_o < span(1, 0, rows, cols, ldo, elem))
        return SPOW_EALIAS;
    if (spow_overlap(g, gbytes, out, obytes))
        return SPOW_EALIAS;
    if (opt->work && (spow_overlap(opt->work, opt->work_size, g, gbytes)
                      || spow_overlap(opt->work, opt->work_size, out, obytes)))
        return SPOW_EALIAS;
#if !SPOW_HAVE_DEFAULT_GEMM
    if ((nd > 0 && !opt->gemm_f64) || (nd < t->steps && !opt->gemm_f32))
        return SPOW_ENOBLAS;
#endif
    return SPOW_OK;
}
