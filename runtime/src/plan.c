/* plan.c -- what each step computes, and the workspace that follows (for a
 * table already validated: plan.c calls nothing outside itself). */
#include <stdint.h>
#include <string.h>

#include "spow_internal.h"

int spow_ilog2(int e)
{
    int l = 0;

    while (e >>= 1)
        l++;
    return l;
}

int spow_fixed_point(const spow_table *t)
{
    return t->family && strcmp(t->family, "fixed-point") == 0;
}

int spow_xa_exponent(const spow_table *t)
{
    return spow_fixed_point(t) ? (t->p_num - 1) / 2 : 0;
}

int spow_power_gemms(int e)
{
    int n = 0;

    if (e <= 1)
        return 0;
    n = spow_ilog2(e);
    for (; e; e >>= 1)
        n += e & 1;
    return n - 1;
}

void spow_step_exponents(int *ey, int *ex, const spow_table *t, int k)
{
    if (t->p_num == 0) {
        /* x_k = s^0 y_k: X and Y coincide, one update per step, last included. */
        *ey = t->y_power;
        *ex = 0;
        return;
    }
    /* Y only feeds the next step's Gram matrix. */
    *ey = k == t->steps - 1 ? 0 : t->y_power;
    *ex = t->x_power;
}

int spow_small_buffers(const spow_table *t, int k0, int k1)
{
    int k, most = 0;

    if (spow_fixed_point(t)) {
        /* g as below, never powered: the update adds c_k X^a instead.  The
         * phase that runs step 0 also forms X^a: the Gram matrix of X,
         * its repeated squares, two buffers for their products. */
        int e = spow_xa_exponent(t);
        for (k = k0; k < k1; k++)
            if (t->step[k].baby + 2 > most)
                most = t->step[k].baby + 2;
        if (k0 == 0 && k1 > 0 && e > 0 && spow_ilog2(e) + 3 > most)
            most = spow_ilog2(e) + 3;
        return most;
    }
    for (k = k0; k < k1; k++) {
        int ey, ex, need;
        spow_step_exponents(&ey, &ex, t, k);
        /* Evaluating g: T_1..T_baby plus two Horner buffers; for a
         * Sastre form P_1..P_k, y0 (then g), f1 and f2; for a nested form
         * W, P_2, y0, y1 (then g), and the two factors (apply_impl.h,
         * eval_form).  Powering: g, its repeated squares, two buffers for
         * the products of squares. */
        if (t->step[k].scheme == SPOW_SCHEME_SASTRE)
            need = t->step[k].form_k + 3;
        else if (t->step[k].scheme == SPOW_SCHEME_NESTED)
            need = 6;
        else
            need = t->step[k].baby + 2;
        if (spow_ilog2(ey > ex ? ey : ex) + 3 > need)
            need = spow_ilog2(ey > ex ? ey : ex) + 3;
        if (need > most)
            most = need;
    }
    return most;
}

int spow_rect_buffers(const spow_table *t, int small_side)
{
    if (t->x_power == 0)
        return 0; /* p = 1: a copy */
    if (spow_fixed_point(t))
        return 3; /* X^a (X itself when a = 1), Y, the update's destination */
    return t->p_num == 0 || small_side ? 2 : 3;
}

int spow_double_steps(const spow_table *t, int f32, const spow_options *opt)
{
    if (!f32 || ((opt->flags & SPOW_SMALL_SIDE) && opt->f64_steps > 0))
        return t->steps;
    return opt->f64_steps < t->steps ? opt->f64_steps : t->steps;
}

static int round_up(size_t *r, size_t n)
{
    if (n > SIZE_MAX - (SPOW_ALIGN - 1))
        return SPOW_EOVERFLOW;
    *r = (n + SPOW_ALIGN - 1) / SPOW_ALIGN * SPOW_ALIGN;
    return SPOW_OK;
}

/* a * b * c, checked. */
static int mul3(size_t *r, size_t a, size_t b, size_t c)
{
    if (b != 0 && a > SIZE_MAX / b)
        return SPOW_EOVERFLOW;
    a *= b;
    if (c != 0 && a > SIZE_MAX / c)
        return SPOW_EOVERFLOW;
    *r = a * c;
    return SPOW_OK;
}

int spow_workspace_part(size_t *bytes, const spow_table *t, int k0, int k1,
                        size_t rows, size_t cols, size_t elem, int small_side)
{
    size_t s = rows < cols ? rows : cols, rect, small, a, b;
    int nsmall = spow_small_buffers(t, k0, k1) + (small_side ? SPOW_SIDE_BUFFERS : 0);

    *bytes = 0;
    if (k0 >= k1 || spow_rect_buffers(t, small_side) == 0)
        return SPOW_OK;
    if (mul3(&rect, rows, cols, elem) || round_up(&rect, rect)
        || mul3(&small, s, s, elem) || round_up(&small, small)
        || mul3(&a, rect, (size_t)spow_rect_buffers(t, small_side), 1)
        || mul3(&b, small, (size_t)nsmall, 1)
        || a > SIZE_MAX - b)
        return SPOW_EOVERFLOW;
    *bytes = a + b;
    return SPOW_OK;
}

int spow_workspace_total(size_t *bytes, const spow_table *t, size_t rows,
                         size_t cols, int nd, int small_side)
{
    size_t d, f;

    if (spow_workspace_part(&d, t, 0, nd, rows, cols, sizeof(double), small_side)
        || spow_workspace_part(&f, t, nd, t->steps, rows, cols, sizeof(float), small_side)
        || d > SIZE_MAX - f || d + f > SIZE_MAX - (SPOW_ALIGN - 1))
        return SPOW_EOVERFLOW;
    /* Slack to align whatever pointer the caller passes. */
    *bytes = d + f + (SPOW_ALIGN - 1);
    return SPOW_OK;
}
