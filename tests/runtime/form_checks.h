/* form_checks.h -- checks shared by the tests of tables with steps in a
 * product form (form_checks.c); they fail the running Check test. */
#ifndef SPOW_FORM_CHECKS_H
#define SPOW_FORM_CHECKS_H

#include "testutil.h"

/* The GEMM-count checks of a table whose steps have product forms (Sastre
 * or nested, spow.h), shared by t_sastre.c and t_nested.c, which call it
 * with their fixture and its totals.  They fail the running Check test.
 *
 * The table: each step's gemms are the cost model's (tu_step_cost, worked
 * out here rather than read from the runtime) and its form's saving fewer
 * than its Paterson-Stockmeyer copy's (tu_ps_copy_make; 2 products for a
 * nested step, else 1); the steps add up to t->gemms, which must be gemms,
 * and the copy's total must be gemms_ps.
 *
 * The runtime: the table and its copy applied through a counting callback
 * (tu_counter) to Gaussian 20 x 8, 8 x 20 and 9 x 9 matrices, in double and
 * in float with every f64_steps from 0 to t->steps.  Each makes its
 * table's calls, one step per Gram product with that step's gemms; with
 * per_step_ps also the copy split by step, its form's saving more per step;
 * no malformed square, and the squares S S^T at most a few eps of max |S|
 * from symmetric (as t_apply.c). */
void tu_check_form_gemms(const spow_table *t, int gemms, int gemms_ps, int per_step_ps);

/* A batch of three 24 x 10 Gaussian matrices through t equals the single
 * applies bit for bit, rectangular and on the small side, in the caller's
 * workspace of spow_workspace_size_f64_ex; with f32 also the float batch
 * (its first step in double, f64_steps = 1) in a workspace large enough for
 * both.  Shared by t_sastre.c and t_nested.c; fails the running Check test. */
void tu_check_batch(const spow_table *t, int f32);

#endif /* SPOW_FORM_CHECKS_H */
