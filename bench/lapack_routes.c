/* lapack_routes.c -- the two LAPACK routes to U S^p V^T.
 *
 * SVD route: ?gesdd (thin, jobz = 'S') of G, then U diag(s^p) V^T with one
 * GEMM.  Gram route: A = G^T G (or G G^T, the smaller side) with one GEMM,
 * ?syevd of A, then M = V diag(lambda^((p-1)/2)) V^T and G M (or M G): three
 * GEMMs.  The element type is a template parameter of lapack_routes_impl.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lapacke.h>

#include "bench.h"

/* Buffers of either route, sized for the element type of the method: one
 * allocation, so one free. */
typedef struct lapack_state {
    void *block;    /* the four below */
    void *a;        /* rows x cols copy of G (gesdd) or the s x s Gram matrix (syevd) */
    void *sv;       /* k singular values or eigenvalues */
    void *u;        /* rows x k (gesdd) or s x s scaled eigenvectors (syevd) */
    void *vt;       /* k x cols (gesdd) or the s x s matrix M (syevd) */
} lapack_state;

int bench_lapack_supports(int p_num, int p_den)
{
    (void)p_num;
    return p_den > 0;
}

void bench_free_state(void *state)
{
    lapack_state *st = state;

    if (st)
        free(st->block);
    free(st);
}

static int alloc_state(void **state, size_t na, size_t nsv, size_t nu, size_t nvt,
                       size_t elem)
{
    lapack_state *st = calloc(1, sizeof *st);
    char *p;

    *state = st;
    if (!st)
        return -1;
    /* Every offset is a whole number of elements, so each buffer stays
     * aligned for its type. */
    p = st->block = calloc(na + nsv + nu + nvt, elem);
    if (!p)
        return -1;
    st->a = p;
    st->sv = p + na * elem;
    st->u = p + (na + nsv) * elem;
    st->vt = p + (na + nsv + nu) * elem;
    return 0;
}

int bench_gesdd_setup(void **state, const bench_case *c, int f32)
{
    size_t k = c->rows < c->cols ? c->rows : c->cols;

    return alloc_state(state, c->rows * c->cols, k, c->rows * k, k * c->cols,
                       f32 ? sizeof(float) : sizeof(double));
}

int bench_syevd_setup(void **state, const bench_case *c, int f32)
{
    size_t s = c->rows < c->cols ? c->rows : c->cols;

    return alloc_state(state, s * s, s, s * s, s * s,
                       f32 ? sizeof(float) : sizeof(double));
}

#define LR_T double
#define LR_FN(name) name##_f64
#define LR_GEMM bench_gemm_f64
#define LR_GESDD LAPACKE_dgesdd
#define LR_SYEVD LAPACKE_dsyevd
#define LR_INPUT(c) ((c)->g64)
#include "lapack_routes_impl.h"
#undef LR_T
#undef LR_FN
#undef LR_GEMM
#undef LR_GESDD
#undef LR_SYEVD
#undef LR_INPUT

#define LR_T float
#define LR_FN(name) name##_f32
#define LR_GEMM bench_gemm_f32
#define LR_GESDD LAPACKE_sgesdd
#define LR_SYEVD LAPACKE_ssyevd
#define LR_INPUT(c) ((c)->g32)
#include "lapack_routes_impl.h"
