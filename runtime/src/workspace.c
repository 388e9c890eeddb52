/* workspace.c -- the public workspace sizes: the table checked (validate.c),
 * then the plan's count (plan.c). */
#include "spow_internal.h"

static size_t public_size(const spow_table *t, size_t rows, size_t cols, int f32,
                          const spow_options *opt)
{
    size_t bytes;

    if (!t || rows == 0 || cols == 0 || spow_validate_table(t) != SPOW_OK)
        return 0;
    if ((opt->flags & ~SPOW_KNOWN_FLAGS) != 0 || opt->f64_steps < 0
        || spow_options_refused(t, opt))
        return 0;
    return spow_workspace_total(&bytes, t, rows, cols, spow_double_steps(t, f32, opt),
                                (opt->flags & SPOW_SMALL_SIDE) != 0) == SPOW_OK
               ? bytes
               : 0;
}

static const spow_options default_options;

size_t spow_workspace_size_f64(const spow_table *t, size_t rows, size_t cols)
{
    return public_size(t, rows, cols, 0, &default_options);
}

size_t spow_workspace_size_f32(const spow_table *t, size_t rows, size_t cols)
{
    return public_size(t, rows, cols, 1, &default_options);
}

size_t spow_workspace_size_f32_mixed(const spow_table *t, size_t rows,
                                     size_t cols, int f64_steps)
{
    spow_options opt = {0};

    opt.f64_steps = f64_steps;
    return public_size(t, rows, cols, 1, &opt);
}

size_t spow_workspace_size_f64_ex(const spow_table *t, size_t rows, size_t cols,
                                  const spow_options *opt)
{
    return public_size(t, rows, cols, 0, opt ? opt : &default_options);
}

size_t spow_workspace_size_f32_ex(const spow_table *t, size_t rows, size_t cols,
                                  const spow_options *opt)
{
    return public_size(t, rows, cols, 1, opt ? opt : &default_options);
}
