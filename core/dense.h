/* dense.h -- small dense linear algebra in double for the product-form fits
 * (dense.c). */
#ifndef SPOW_GEN_DENSE_H
#define SPOW_GEN_DENSE_H

/* x = A^-1 b for row-major n x n A by Gaussian elimination with partial
 * pivoting (A and b are destroyed); -1 when A is singular to working
 * accuracy. */
int spow_solve_linear_d(double *x, double *A, double *b, int n);

#endif /* SPOW_GEN_DENSE_H */
