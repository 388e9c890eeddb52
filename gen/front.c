/* front.c -- spow-gen --pareto's output: the front (core/design.c computes
 * it) as text or CSV, and as a figure: the CSV and a gnuplot script are
 * written first, then gnuplot draws the figure (cli/gnuplot.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "front.h"
#include "spow_cli.h"

int spow_front_write_to(FILE *f, const void *view)
{
    const spow_front_view *v = view;
    return spow_front_write(f, v->pts, v->npts, v->par, v->lo, v->hi, v->aspect, v->csv);
}

typedef struct script_ctx {
    const spow_front_view *v;
    const char *path, *data, *script;
} script_ctx;

static int write_script(FILE *f, const void *vctx)
{
    const script_ctx *c = vctx;
    const size_t len = strlen(c->path);
    fprintf(f, "# %s -- drawn by spow-gen --pareto; redraw with: gnuplot %s (in this "
               "directory)\n", spow_cli_path_base(c->path), spow_cli_path_base(c->script));
    fprintf(f, "if (!exists(\"outfile\")) outfile = '%s'\n", spow_cli_path_base(c->path));
    if (strcmp(c->path + len - 4, ".svg") == 0)
        fputs("set terminal svg size 900,600 dynamic enhanced font 'DejaVu Sans,12'\n", f);
    else
        fputs("set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,11'\n", f);
    fputs("set output outfile\nset datafile separator ','\nset logscale y\n"
          "set format y '10^{%L}'\nset grid\nset key top right\n"
          "set ylabel 'certified max |x/s^p - 1|'\n", f);
    /* x: products, or on a non-square input the small-side products (column 8) */
    const int x = c->v->aspect != 1 ? 8 : 2;
    if (x == 8)
        fprintf(f, "set xlabel 'small-side products per application on a %g:1 input'\n",
                c->v->aspect);
    else
        fputs("set xlabel 'matrix products per application'\n", f);
    fprintf(f, "set title \"cheapest certified recurrence per target: p = %ld/%ld, "
               "s in [%s, %s]\" noenhanced\n",
            c->v->par->p_num, c->v->par->p_den, c->v->lo, c->v->hi);
    fprintf(f, "data = '%s'\n", spow_cli_path_base(c->data));
    fprintf(f, "plot data using %d:3 skip 1 with linespoints pt 7 lw 2 title 'certified error', "
               "\\\n     data using %d:3:(stringcolumn(5)) skip 1 with labels offset 0,1 "
               "font ',8' notitle, \\\n     data using %d:1 skip 1 with points pt 1 "
               "lc rgb 'gray50' title 'target'\n", x, x, x);
    return ferror(f) ? -1 : 0;
}

int spow_front_plot(const char *path, const spow_front_view *v, char *msg, size_t msglen)
{
    const size_t len = strlen(path);
    char *data = malloc(len + 8), *script = malloc(len + 8);
    int rc = -1;
    if (!data || !script) {
        snprintf(msg, msglen, "out of memory");
        goto out;
    }
    snprintf(data, len + 8, "%.*s.csv", (int)(len - 4), path);
    snprintf(script, len + 8, "%.*s.gp", (int)(len - 4), path);
    spow_front_view csv = *v;
    csv.csv = 1;
    script_ctx c = { v, path, data, script };
    if (spow_cli_write_atomic(data, spow_front_write_to, &csv) != 0 ||
        spow_cli_write_atomic(script, write_script, &c) != 0) {
        snprintf(msg, msglen, "cannot write the plot data or script next to '%s': %s", path,
                 strerror(errno));
        goto out;
    }
    rc = spow_cli_gnuplot(path, script, data, msg, msglen);
out:
    free(data);
    free(script);
    return rc;
}
