/* spow_methods.c -- spow's evaluation variants: double, float, and float
 * with the first steps in double (spow_options.f64_steps), all with the
 * shipped tables; and spow-fast, float with tables fitted for a 1e-3 target
 * (bench/CMakeLists.txt generates them; they are not shipped).
 *
 * Every variant goes through spow_apply_*_ex with a counting GEMM of
 * timer.c as its callback and a caller workspace allocated (and touched)
 * once in setup, as an optimizer that keeps its buffers would. */
#include <stdlib.h>
#include <string.h>

#include "spow.h"

#include "bench.h"

/* Generated in the build tree by spow-gen (bench/CMakeLists.txt). */
extern const spow_table spow_table_bench_fast_p1_2;
extern const spow_table spow_table_bench_fast_p1_4;
extern const spow_table spow_table_bench_fast_p0_1;

typedef struct spow_state {
    const spow_table *t;
    void *work;
    size_t work_size;
    int f32;
    int f64_steps;
    int fast;       /* the 1e-3-target tables */
} spow_state;

int bench_spow_supports(int p_num, int p_den)
{
    return spow_table_find(p_num, p_den, 1e-3) != NULL;
}

static const spow_table *fast_table(int p_num, int p_den)
{
    if (p_num == 1 && p_den == 2)
        return &spow_table_bench_fast_p1_2;
    if (p_num == 1 && p_den == 4)
        return &spow_table_bench_fast_p1_4;
    if (p_num == 0)
        return &spow_table_bench_fast_p0_1;
    return NULL;
}

int bench_spow_fast_supports(int p_num, int p_den)
{
    return fast_table(p_num, p_den) != NULL;
}

static int setup(void **state, const bench_case *c, int f32, int f64_steps, int fast)
{
    spow_state *st = calloc(1, sizeof *st);

    *state = st;
    if (!st)
        return -1;
    st->fast = fast;
    st->t = fast ? fast_table(c->p_num, c->p_den)
                 : spow_table_find(c->p_num, c->p_den, c->lo);
    if (!st->t || st->t->lo > c->lo)
        return -1;
    st->f32 = f32;
    st->f64_steps = f64_steps;
    if (!f32)
        st->work_size = spow_workspace_size_f64(st->t, c->rows, c->cols);
    else
        st->work_size = spow_workspace_size_f32_mixed(st->t, c->rows, c->cols, f64_steps);
    if (st->work_size == 0)
        return -1;
    st->work = malloc(st->work_size);
    if (!st->work)
        return -1;
    memset(st->work, 0, st->work_size); /* page faults here, not in the timing */
    return 0;
}

int bench_spow_setup(void **state, const bench_case *c, int f32)
{
    return setup(state, c, f32, 0, 0);
}

int bench_spow_setup_mixed(void **state, const bench_case *c, int f32)
{
    return setup(state, c, f32, c->mixed_steps, 0);
}

int bench_spow_setup_fast(void **state, const bench_case *c, int f32)
{
    return setup(state, c, f32, 0, 1);
}

int bench_spow_run(void *state, const bench_case *c, void *out, bench_counter *cnt)
{
    spow_state *st = state;
    spow_options opt;
    int rc;

    memset(&opt, 0, sizeof opt);
    opt.gemm_f64 = bench_gemm_f64;
    opt.gemm_f32 = bench_gemm_f32;
    opt.gemm_ctx = cnt;
    opt.work = st->work;
    opt.work_size = st->work_size;
    opt.f64_steps = st->f64_steps;
    if (st->f32)
        rc = spow_apply_f32_ex(st->t, c->rows, c->cols, c->g32, c->cols, out,
                               c->cols, &opt);
    else
        rc = spow_apply_f64_ex(st->t, c->rows, c->cols, c->g64, c->cols, out,
                               c->cols, &opt);
    return rc == SPOW_OK ? 0 : -1;
}

void bench_spow_teardown(void *state)
{
    spow_state *st = state;

    if (st)
        free(st->work);
    free(st);
}
