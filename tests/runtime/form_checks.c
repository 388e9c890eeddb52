/* form_checks.c -- the checks runtime.sastre and runtime.nested share on a
 * table whose steps are in a product form (form_checks.h).  Apart from
 * testutil.c because they assert through Check: testutil is also the
 * measurement tools' matrix library, which has no test to fail. */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "form_checks.h"

/* Products a step's form saves against its Paterson-Stockmeyer copy. */
static int form_saving(const spow_step *st)
{
    return st->scheme == SPOW_SCHEME_NESTED ? 2 : 1;
}

void tu_check_form_gemms(const spow_table *t, int gemms, int gemms_ps, int per_step_ps)
{
    static const size_t dims[][2] = {{20, 8}, {8, 20}, {9, 9}};
    tu_ps_copy pc;
    size_t d, i;
    int k, nd, sum = 0;

    tu_ps_copy_make(&pc, t);
    for (k = 0; k < t->steps; k++) {
        ck_assert_int_eq(t->step[k].gemms, tu_step_cost(t, k));
        ck_assert_int_eq(pc.step[k].gemms - t->step[k].gemms, form_saving(&t->step[k]));
        sum += t->step[k].gemms;
    }
    ck_assert_int_eq(sum, t->gemms);
    ck_assert_int_eq(t->gemms, gemms);
    ck_assert_int_eq(pc.t.gemms, gemms_ps);
    /* nd = -1: the double apply; nd >= 0: the float one with f64_steps nd */
    for (d = 0; d < 3; d++)
        for (nd = -1; nd <= t->steps; nd++) {
            size_t rows = dims[d][0], cols = dims[d][1];
            double g[180], o[180];
            float gf[180], of[180];
            tu_rng rng = {d};
            tu_counter cnt = {0}, cnt_ps = {0};
            spow_options opt = {0};

            for (i = 0; i < rows * cols; i++) {
                g[i] = tu_gauss(&rng);
                gf[i] = (float)g[i];
            }
            opt.gemm_f64 = tu_gemm_f64;
            opt.gemm_f32 = tu_gemm_f32;
            opt.f64_steps = nd < 0 ? 0 : nd;
            opt.gemm_ctx = &cnt;
            if (nd < 0)
                ck_assert_int_eq(spow_apply_f64_ex(t, rows, cols, g, cols, o, cols, &opt), 0);
            else
                ck_assert_int_eq(spow_apply_f32_ex(t, rows, cols, gf, cols, of, cols, &opt), 0);
            opt.gemm_ctx = &cnt_ps;
            if (nd < 0)
                ck_assert_int_eq(spow_apply_f64_ex(&pc.t, rows, cols, g, cols, o, cols, &opt), 0);
            else
                ck_assert_int_eq(spow_apply_f32_ex(&pc.t, rows, cols, gf, cols, of, cols, &opt),
                                 0);
            ck_assert_int_eq(cnt.calls, t->gemms);
            ck_assert_int_eq(cnt_ps.calls, pc.t.gemms);
            ck_assert_int_eq(cnt.steps_seen, t->steps);
            for (k = 0; k < t->steps; k++) {
                ck_assert_int_eq(cnt.per_step[k], t->step[k].gemms);
                if (per_step_ps)
                    ck_assert_int_eq(cnt_ps.per_step[k] - cnt.per_step[k],
                                     form_saving(&t->step[k]));
            }
            ck_assert_int_eq(cnt.bad_squares, 0);
            ck_assert_msg(cnt.square_asym[0] <= 1e-13 && cnt.square_asym[1] <= 1e-5,
                          "%zux%zu f64_steps %d: asym %.3g / %.3g", rows, cols, nd,
                          cnt.square_asym[0], cnt.square_asym[1]);
        }
}

void tu_check_batch(const spow_table *t, int f32)
{
    enum { B = 3, R = 24, C = 10 };
    double g[B * R * C], o[B * R * C], one[R * C];
    float gf[B * R * C], of[B * R * C], onef[R * C];
    tu_rng rng = {77};
    spow_options opt = {0};
    size_t i, b;
    int small;

    for (i = 0; i < B * R * C; i++) {
        g[i] = tu_gauss(&rng);
        gf[i] = (float)g[i];
    }
    for (small = 0; small <= 1; small++) {
        size_t bytes;
        void *work;
        opt.flags = small ? SPOW_SMALL_SIDE : 0;
        opt.f64_steps = f32 ? 1 : 0;
        opt.work = NULL;
        opt.work_size = 0;
        bytes = spow_workspace_size_f64_ex(t, R, C, &opt);
        if (f32 && spow_workspace_size_f32_ex(t, R, C, &opt) > bytes)
            bytes = spow_workspace_size_f32_ex(t, R, C, &opt);
        ck_assert(bytes > 0);
        work = malloc(bytes);
        ck_assert(work != NULL);
        opt.work = work;
        opt.work_size = bytes;
        ck_assert_int_eq(spow_apply_batch_f64_ex(t, B, R, C, g, C, R * C, o, C, R * C, &opt),
                         SPOW_OK);
        if (f32)
            ck_assert_int_eq(spow_apply_batch_f32_ex(t, B, R, C, gf, C, R * C, of, C, R * C,
                                                     &opt), SPOW_OK);
        for (b = 0; b < B; b++) {
            ck_assert_int_eq(spow_apply_f64_ex(t, R, C, g + b * R * C, C, one, C, &opt),
                             SPOW_OK);
            ck_assert_msg(memcmp(one, o + b * R * C, sizeof one) == 0,
                          "small %d: f64 batch matrix %zu differs from its single apply",
                          small, b);
            if (!f32)
                continue;
            ck_assert_int_eq(spow_apply_f32_ex(t, R, C, gf + b * R * C, C, onef, C, &opt),
                             SPOW_OK);
            ck_assert_msg(memcmp(onef, of + b * R * C, sizeof onef) == 0,
                          "small %d: f32 batch matrix %zu differs from its single apply",
                          small, b);
        }
        free(work);
    }
}
