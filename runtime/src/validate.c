/* validate.c -- every check that runs before anything is written. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "spow_internal.h"

/* A Sastre step's form (spow.h), which the apply evaluates instead of ps:
 * its size follows from form_k, and the pool (plan.c) from both. */
static int validate_form(const spow_step *st)
{
    int i;

    if (st->scheme == SPOW_SCHEME_PS)
        return SPOW_OK;
    if (st->scheme != SPOW_SCHEME_SASTRE)
        return SPOW_ETABLE;
    if (st->form_k < 2 || st->form_k > 4 || st->degree != 4 * st->form_k)
        return SPOW_ETABLE;
    if ((st->form_sign != 1 && st->form_sign != -1) || !st->form)
        return SPOW_ETABLE;
    if (!isfinite(st->form_shift))
        return SPOW_ETABLE;
    for (i = 0; i < 4 * st->form_k + 1; i++)
        if (!isfinite(st->form[i]))
            return SPOW_ETABLE;
    return SPOW_OK;
}

int spow_validate_table(const spow_table *t)
{
    long long xp;
    int k, i;

    if (t->version != SPOW_TABLE_VERSION || t->steps < 0 || t->p_den <= 0)
        return SPOW_ETABLE;
    /* The step layout below is the coupled recurrence's; another family's
     * table would be applied as if it were one. */
    if (!t->family || strcmp(t->family, "coupled") != 0)
        return SPOW_ETABLE;
    if (t->y_power != t->p_den)
        return SPOW_ETABLE;
    /* p > 1 would need negative powers of g: not a GEMM-only operation. */
    xp = (long long)t->p_den - t->p_num;
    if (xp < 0 || t->x_power != xp)
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
    return SPOW_OK;
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
