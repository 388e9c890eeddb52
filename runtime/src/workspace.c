/* workspace.c -- the public workspace sizes: the table checked (validate.c),
 * then the plan's count (plan.c). */
#include "spow_internal.h"

static size_t public_size(const spow_table *t, size_t rows, size_t cols, int nd)
{
    size_t bytes;

    if (!t || rows == 0 || cols == 0 || spow_validate_table(t) != SPOW_OK)
        return 0;
    if (nd > t->steps)
        nd = t->steps;
    return spow_workspace_total(&bytes, t, rows, cols, nd) == SPOW_OK ? bytes : 0;
}

size_t spow_workspace_size_f64(const spow_table *t, size_t rows, size_t cols)
{
    return t ? public_size(t, rows, cols, t->steps) : 0;
}

size_t spow_workspace_size_f32(const spow_table *t, size_t rows, size_t cols)
{
    return public_size(t, rows, cols, 0);
}

size_t spow_workspace_size_f32_mixed(const spow_table *t, size_t rows,
                                     size_t cols, int f64_steps)
{
    return f64_steps < 0 ? 0 : public_size(t, rows, cols, f64_steps);
}
