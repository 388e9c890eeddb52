/* spow_gnuplot.h -- drawing a figure with gnuplot, shared by spow-inspect's
 * error curves and spow-gen's error-vs-cost front. */
#ifndef SPOW_GNUPLOT_H
#define SPOW_GNUPLOT_H

#include <stddef.h>

#define SPOW_GNUPLOT_ENOTFOUND -100     /* no gnuplot on PATH */

/* The file name without its directory: scripts refer to their data by name,
 * relative to their own directory (gnuplot runs there). */
const char *spow_path_base(const char *path);

/* Runs gnuplot on script in the figure's directory with outfile set to a
 * temporary file next to path, then renames it over path.  Returns 0,
 * SPOW_GNUPLOT_ENOTFOUND, or SPOW_GEN_EIO (gnuplot failed or the rename did;
 * no partial figure is left). */
int spow_gnuplot_draw(const char *path, const char *script);

#endif /* SPOW_GNUPLOT_H */
