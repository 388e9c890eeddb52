/* spow_internal.h -- shared by the runtime's files, not installed. */
#ifndef SPOW_INTERNAL_H
#define SPOW_INTERNAL_H

#include "spow.h"

/* Each workspace buffer starts on a cache line, so the GEMMs see aligned
 * operands whatever pointer the caller hands in. */
#define SPOW_ALIGN 64

/* The spow_options.flags an apply accepts; others are SPOW_EINVAL. */
#define SPOW_KNOWN_FLAGS (SPOW_NORMALIZED | SPOW_SMALL_SIDE)

/* ||G||_F = r * 2^e, kept split so that a norm above DBL_MAX (entries near
 * DBL_MAX) or a subnormal one still scales G exactly. r == 0 means G == 0. */
typedef struct spow_scale {
    double r;
    int e;
} spow_scale;

/* SPOW_OK or SPOW_ENONFINITE. */
int spow_norm_f64(spow_scale *sc, size_t rows, size_t cols,
                  const double *g, size_t ldg);
int spow_norm_f32(spow_scale *sc, size_t rows, size_t cols,
                  const float *g, size_t ldg);

/* SPOW_OK or SPOW_ETABLE. */
int spow_validate_table(const spow_table *t);

/* Options a valid table cannot be applied with (SPOW_EINVAL): nonzero if
 * so.  Today SPOW_SMALL_SIDE with a fixed-point table. */
int spow_options_refused(const spow_table *t, const spow_options *opt);

/* Everything about the arguments of a batch (a single apply is count = 1,
 * strides ignored) that can be checked without reading G, in the
 * documented order (opt is never NULL here).  f32 selects the element type;
 * *work_bytes receives the workspace one apply needs. */
int spow_validate_batch(size_t *work_bytes, const spow_table *t, size_t count,
                        size_t rows, size_t cols, const void *g, size_t ldg,
                        size_t stride_g, const void *out, size_t ldo,
                        size_t stride_o, int f32, const spow_options *opt);

/* Would [a, a + na) and [b, b + nb) share a byte? */
int spow_overlap(const void *a, size_t na, const void *b, size_t nb);

/* Is t of the fixed-point family (spow.h)?  Else it is coupled: a table
 * gets this far only after spow_validate_table. */
int spow_fixed_point(const spow_table *t);

/* Fixed-point tables with a > 1 form X^a = X (X^T X)^e once, e = (a - 1) / 2;
 * 0 when a = 1. */
int spow_xa_exponent(const spow_table *t);

/* GEMMs of z^e by repeated squaring (spow_apply's power()): the squares up
 * to the top bit, then one product per further set bit; 0 for e <= 1. */
int spow_power_gemms(int e);

/* The exponents step k raises g to: *ey for Y (0: no Y update), *ex for X
 * (0: no X update).  For p = 0 X and Y are the same matrix: only *ey. */
void spow_step_exponents(int *ey, int *ex, const spow_table *t, int k);
/* One apply of t on an a:1 input in small-side products (table_find.c). */
double spow_table_shape_cost(const spow_table *t, double a);

/* floor(log2(e)) for e >= 1. */
int spow_ilog2(int e);

/* Square matrices of min(rows, cols)^2 entries that steps [k0, k1) need
 * for g and its powers (the pool). */
int spow_small_buffers(const spow_table *t, int k0, int k1);

/* On the small side (SPOW_SMALL_SIDE), three more: A, Q and the
 * destination of their updates (no in-place GEMM). */
#define SPOW_SIDE_BUFFERS 3

/* Rectangular rows x cols buffers: X, Y and one to write into (no in-place
 * GEMM); X and Y are one matrix when p = 0.  On the small side: Y and the
 * result. */
int spow_rect_buffers(const spow_table *t, int small_side);

/* How many steps of an apply run in double: all for f64, and for f32 on
 * the small side with f64_steps >= 1; else min(f64_steps, t->steps). */
int spow_double_steps(const spow_table *t, int f32, const spow_options *opt);

/* Bytes for steps [k0, k1) in elements of size elem, alignment slack
 * excluded; SPOW_OK or SPOW_EOVERFLOW. */
int spow_workspace_part(size_t *bytes, const spow_table *t, int k0, int k1,
                        size_t rows, size_t cols, size_t elem, int small_side);

/* Total bytes of an apply whose first nd steps run in double and the rest
 * in float (an f64 apply passes nd = t->steps), alignment slack included.
 * SPOW_OK or SPOW_EOVERFLOW. */
int spow_workspace_total(size_t *bytes, const spow_table *t, size_t rows,
                         size_t cols, int nd, int small_side);

#endif /* SPOW_INTERNAL_H */
