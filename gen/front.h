/* front.h -- spow-gen --pareto's output: the front as text or CSV, and its
 * figure drawn by gnuplot. */
#ifndef SPOW_GEN_FRONT_H
#define SPOW_GEN_FRONT_H

#include <stdio.h>
#include "design.h"

typedef struct spow_front_view {
    const spow_front_point *pts;
    int npts;
    const spow_fit_params *par;
    const char *lo, *hi;        /* as the user typed them */
    double aspect;              /* the front's aspect (1: square) */
    int csv;
} spow_front_view;

/* The front into f (a spow_cli_write callback; view is a spow_front_view). */
int spow_front_write_to(FILE *f, const void *view);

/* Draws the front into path (.png or .svg) with gnuplot: data in
 * path-stem.csv and script in path-stem.gp, kept for a user to edit and
 * rerun.  0, or nonzero with a one-line reason in msg. */
int spow_front_plot(const char *path, const spow_front_view *v, char *msg, size_t msglen);

#endif /* SPOW_GEN_FRONT_H */
