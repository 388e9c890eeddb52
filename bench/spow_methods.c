/* spow_methods.c -- spow's evaluation variants: double, float, and float
 * with the first steps in double (spow_options.f64_steps), all with the
 * shipped tables; spow-fast, float with tables fitted for a 1e-3 target,
 * and spow-sastre, the 1e-6 designs of spow-gen --search --scheme sastre
 * (bench/CMakeLists.txt generates both; they are not shipped); and the
 * batch of BENCH_BATCH matrices, by spow_apply_batch_*_ex or one call each.
 *
 * Every variant goes through spow_apply_*_ex with a counting GEMM of
 * timer.c as its callback and a caller workspace allocated (and touched)
 * once in setup, as an optimizer that keeps its buffers would; the batch
 * rows without one (the runtime allocates), to show what batching saves.
 * spow-frob scales by ||G||_F (the default is the Gram bound of spow.h);
 * spow-shape takes its table from spow_table_find_shape; spow-small runs
 * the steps on the small side (SPOW_SMALL_SIDE; the float row in double,
 * f64_steps = 1), spow-small-f32 the same in float, which loses accuracy
 * (spow.h says why). */
#include <stdlib.h>
#include <string.h>

#include "spow.h"

#include "bench.h"

/* Generated in the build tree by spow-gen (bench/CMakeLists.txt). */
extern const spow_table spow_table_bench_fast_p1_2;
extern const spow_table spow_table_bench_fast_p1_4;
extern const spow_table spow_table_bench_fast_p0_1;
extern const spow_table spow_table_bench_sastre_p1_2;
extern const spow_table spow_table_bench_sastre_p1_4;
extern const spow_table spow_table_bench_sastre_p0_1;

/* Which tables a variant applies. */
enum { SHIPPED, FAST, SASTRE };

typedef struct spow_state {
    const spow_table *t;
    void *work;
    size_t work_size;
    int f32;
    int f64_steps;
    int set;        /* SHIPPED, FAST (1e-3 target) or SASTRE (Sastre forms, 1e-6) */
    int scale;      /* spow_options.scale */
    unsigned flags; /* spow_options.flags */
    int batch;      /* 0, or BENCH_BATCH matrices per run ... */
    int looped;     /* ... by one batched call (0) or single calls (1) */
    void *gb, *ob;  /* the batch's inputs and outputs */
} spow_state;

int bench_spow_supports(int p_num, int p_den)
{
    return spow_table_find(p_num, p_den, 1e-3) != NULL;
}

/* The generated table of a set for p = 1/2, 1/4 or 0; NULL otherwise. */
static const spow_table *built_table(int set, int p_num, int p_den)
{
    const int which = p_num == 1 && p_den == 2 ? 0 : p_num == 1 && p_den == 4 ? 1
                    : p_num == 0 ? 2 : -1;
    static const spow_table *const fast[3] = { &spow_table_bench_fast_p1_2,
                                               &spow_table_bench_fast_p1_4,
                                               &spow_table_bench_fast_p0_1 };
    static const spow_table *const sastre[3] = { &spow_table_bench_sastre_p1_2,
                                                 &spow_table_bench_sastre_p1_4,
                                                 &spow_table_bench_sastre_p0_1 };
    return which < 0 ? NULL : set == FAST ? fast[which] : sastre[which];
}

int bench_spow_built_supports(int p_num, int p_den)
{
    return built_table(FAST, p_num, p_den) != NULL;
}

/* shape: the table from spow_table_find_shape instead of spow_table_find. */
static int setup(void **state, const bench_case *c, int f32, int f64_steps, int set,
                 int scale, int shape, unsigned flags)
{
    spow_state *st = calloc(1, sizeof *st);
    spow_options opt = {0};

    *state = st;
    if (!st)
        return -1;
    st->set = set;
    st->scale = scale;
    st->t = set != SHIPPED ? built_table(set, c->p_num, c->p_den)
          : shape ? spow_table_find_shape(c->p_num, c->p_den, c->lo, c->rows, c->cols)
                  : spow_table_find(c->p_num, c->p_den, c->lo);
    if (!st->t || st->t->lo > c->lo)
        return -1;
    st->f32 = f32;
    st->f64_steps = f64_steps;
    st->flags = flags;
    opt.f64_steps = f64_steps;
    opt.flags = flags;
    st->work_size = f32 ? spow_workspace_size_f32_ex(st->t, c->rows, c->cols, &opt)
                        : spow_workspace_size_f64_ex(st->t, c->rows, c->cols, &opt);
    if (st->work_size == 0)
        return -1;
    st->work = malloc(st->work_size);
    if (!st->work)
        return -1;
    memset(st->work, 0, st->work_size); /* page faults here, not in the timing */
    return 0;
}

/* BENCH_BATCH copies of G, copy i scaled by 1 + i / BENCH_BATCH (each
 * matrix of a batch has its own norm), and room for their results. */
static int setup_batch(void **state, const bench_case *c, int f32, int looped)
{
    size_t n = c->rows * c->cols, elem = f32 ? sizeof(float) : sizeof(double), i, b;
    spow_state *st;

    if (setup(state, c, f32, 0, 0, 0, 0, 0))
        return -1;
    st = *state;
    st->batch = BENCH_BATCH;
    st->looped = looped;
    st->gb = malloc(BENCH_BATCH * n * elem);
    st->ob = malloc(BENCH_BATCH * n * elem);
    if (!st->gb || !st->ob)
        return -1;
    for (b = 0; b < BENCH_BATCH; b++)
        for (i = 0; i < n; i++) {
            double v = c->g64[i] * (1.0 + (double)b / BENCH_BATCH);
            if (f32)
                ((float *)st->gb)[b * n + i] = (float)v;
            else
                ((double *)st->gb)[b * n + i] = v;
        }
    memset(st->ob, 0, BENCH_BATCH * n * elem);
    return 0;
}

int bench_spow_setup_batch(void **state, const bench_case *c, int f32)
{
    return setup_batch(state, c, f32, 0);
}

int bench_spow_setup_loop(void **state, const bench_case *c, int f32)
{
    return setup_batch(state, c, f32, 1);
}

/* The batch of setup_batch, in one call or BENCH_BATCH; out receives
 * matrix 0's result (G's own), for the accuracy columns. */
static int run_batch(spow_state *st, const bench_case *c, void *out,
                     const spow_options *opt)
{
    size_t n = c->rows * c->cols, b;
    int rc = SPOW_OK;

    if (!st->looped && st->f32)
        rc = spow_apply_batch_f32_ex(st->t, BENCH_BATCH, c->rows, c->cols, st->gb,
                                     c->cols, n, st->ob, c->cols, n, opt);
    else if (!st->looped)
        rc = spow_apply_batch_f64_ex(st->t, BENCH_BATCH, c->rows, c->cols, st->gb,
                                     c->cols, n, st->ob, c->cols, n, opt);
    for (b = 0; st->looped && rc == SPOW_OK && b < BENCH_BATCH; b++)
        rc = st->f32 ? spow_apply_f32_ex(st->t, c->rows, c->cols, (float *)st->gb + b * n,
                                         c->cols, (float *)st->ob + b * n, c->cols, opt)
                     : spow_apply_f64_ex(st->t, c->rows, c->cols, (double *)st->gb + b * n,
                                         c->cols, (double *)st->ob + b * n, c->cols, opt);
    memcpy(out, st->ob, n * (st->f32 ? sizeof(float) : sizeof(double)));
    return rc == SPOW_OK ? 0 : -1;
}

int bench_spow_setup(void **state, const bench_case *c, int f32)
{
    return setup(state, c, f32, 0, 0, 0, 0, 0);
}

int bench_spow_setup_mixed(void **state, const bench_case *c, int f32)
{
    return setup(state, c, f32, c->mixed_steps, 0, 0, 0, 0);
}

int bench_spow_setup_frobenius(void **state, const bench_case *c, int f32)
{
    return setup(state, c, f32, 0, 0, SPOW_SCALE_FROBENIUS, 0, 0);
}

int bench_spow_setup_shape(void **state, const bench_case *c, int f32)
{
    return setup(state, c, f32, 0, 0, 0, 1, 0);
}

int bench_spow_setup_small(void **state, const bench_case *c, int f32)
{
    return setup(state, c, f32, f32, 0, 0, 0, SPOW_SMALL_SIDE);
}

int bench_spow_setup_small_f32(void **state, const bench_case *c, int f32)
{
    return setup(state, c, f32, 0, 0, 0, 0, SPOW_SMALL_SIDE);
}

int bench_spow_setup_fast(void **state, const bench_case *c, int f32)
{
    return setup(state, c, f32, 0, FAST, 0, 0, 0);
}

int bench_spow_setup_sastre(void **state, const bench_case *c, int f32)
{
    return setup(state, c, f32, 0, SASTRE, 0, 0, 0);
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
    opt.scale = st->scale;
    opt.flags = st->flags;
    if (st->batch) {
        /* As a caller without a workspace of its own: one allocation per
         * batch, or one per call when looped. */
        opt.work = NULL;
        opt.work_size = 0;
        return run_batch(st, c, out, &opt);
    }
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

    if (st) {
        free(st->work);
        free(st->gb);
        free(st->ob);
    }
    free(st);
}
