/* inspect_plot.c -- the error curves as a figure, drawn by gnuplot.
 *
 * For --plot DIR/NAME.png (or .svg) the data go to DIR/NAME.csv (the curves
 * CSV of --format csv) and, with --matrix, DIR/NAME.matrix.csv; the script
 * to DIR/NAME.gp, which a user can edit and rerun.  All three are written
 * first (atomically), then gnuplot draws the figure into a temporary file that
 * is renamed over DIR/NAME.png: without gnuplot the data and the script are
 * still there and the message says so.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "spow_inspect.h"
#include "spow_cli.h"

static int write_curves(FILE *f, const void *ctx)
{
    return spow_inspect_write_csv_curves(f, ctx);
}

static int write_matrix(FILE *f, const void *ctx)
{
    return spow_inspect_write_csv_matrix(f, ctx);
}

typedef struct script_ctx {
    const spow_inspection *in;
    const char *out, *data, *mdata, *script;
    int svg, by_step;
} script_ctx;

static int write_script(FILE *f, const void *vctx)
{
    const script_ctx *c = vctx;
    const spow_inspection *in = c->in;
    const spow_inspect_curves *cv = in->cv;
    const spow_recurrence *r = &in->src->rec;
    const int K = cv->steps;
    fprintf(f, "# %s -- drawn by spow-inspect; redraw with: gnuplot %s (in this directory)\n",
            spow_cli_path_base(c->out), spow_cli_path_base(c->script));
    fprintf(f, "# command: %s\n", in->command);
    fprintf(f, "if (!exists(\"outfile\")) outfile = '%s'\n", spow_cli_path_base(c->out));
    if (c->svg)
        fputs("set terminal svg size 1000,640 dynamic enhanced font 'DejaVu Sans,12'\n", f);
    else
        fputs("set terminal pngcairo size 1000,640 enhanced font 'DejaVu Sans,11'\n", f);
    fputs("set output outfile\nset datafile separator ','\nset logscale xy\n"
          "set format x '10^{%L}'\nset format y '10^{%L}'\nset grid\n"
          "set key outside right top\n"
          "set xlabel 'normalized singular value s'\n"
          "set ylabel 'relative error |x_k(s)/s^p - 1|'\n", f);
    fprintf(f, "set title \"%s: p = %ld/%ld, family %s, %d steps, %d GEMMs\\n"
               "errors above 1e3 (blown up) drawn at the top edge\" noenhanced\n",
            in->src->name, r->p_num, r->p_den, r->family->name, K,
            spow_inspect_source_gemms(in->src));
    fputs("top = 1e3\nfloor = 1e-17\n"
          "clamp(e) = (e != e) ? top : (e > top ? top : (e < floor ? floor : e))\n"
          "set yrange [*:top]\n", f);
    fprintf(f, "set xrange [%.17g:%.17g]\n", cv->s[0], cv->s[cv->n - 1]);
    fprintf(f, "lo = %.17g\nhi = %.17g\n", cv->lo, cv->hi);
    fputs("set arrow from lo, graph 0 to lo, graph 1 nohead dt 2 lw 1.5 lc rgb 'gray30'\n"
          "set arrow from hi, graph 0 to hi, graph 1 nohead dt 2 lw 1.5 lc rgb 'gray30'\n"
          "set label 'lo' at lo, graph 1.02 center\nset label 'hi' at hi, graph 1.02 center\n",
          f);
    fprintf(f, "data = '%s'\n", spow_cli_path_base(c->data));
    fputs("plot \\\n", f);
    if (c->by_step) {
        for (int k = 1; k <= K; k++)
            fprintf(f, "  data using 2:(column(1) == %d ? clamp(column(4)) : 1/0) with lines lw 2 "
                       "title 'step %d, exact', \\\n", k, k);
        fprintf(f, "  data using 2:(column(1) == %d ? clamp(column(5)) : 1/0) with lines lw 1.5 "
                   "dt 2 lc rgb 'black' title 'step %d, double', \\\n", K, K);
        fprintf(f, "  data using 2:(column(1) == %d ? clamp(column(6)) : 1/0) with lines lw 1 "
                   "lc rgb 'gray50' title 'step %d, float'", K, K);
    } else {
        const char *names[3] = { "exact", "double", "float" };
        for (int a = 0; a < 3; a++)
            fprintf(f, "%s  data using 2:(column(1) == %d ? clamp(column(%d)) : 1/0) with lines "
                       "lw %d title 'step %d, %s'", a ? ", \\\n" : "", K, 4 + a, 3 - a, K,
                    names[a]);
    }
    if (c->mdata) {
        fprintf(f, ", \\\n  '%s' using 2:(clamp(column(4))) with points pt 7 ps 0.5 "
                   "title 'matrix, double', \\\n", spow_cli_path_base(c->mdata));
        fprintf(f, "  '%s' using 2:(clamp(column(5))) with points pt 6 ps 0.6 "
                   "title 'matrix, float'", spow_cli_path_base(c->mdata));
    }
    fputs("\n", f);
    return ferror(f) ? SPOW_GEN_EIO : 0;
}

int spow_inspect_plot(const char *path, int by_step, const spow_inspection *in, char *msg,
                      size_t msglen)
{
    const size_t len = strlen(path);
    const int svg = len > 4 && strcmp(path + len - 4, ".svg") == 0;
    char *stem = malloc(len + 1), *data = malloc(len + 16), *mdata = malloc(len + 16);
    char *script = malloc(len + 16);
    int rc = 0;
    if (!stem || !data || !mdata || !script) {
        rc = SPOW_GEN_ENOMEM;
        snprintf(msg, msglen, "out of memory");
        goto out;
    }
    memcpy(stem, path, len - 4);
    stem[len - 4] = '\0';
    snprintf(data, len + 16, "%s.csv", stem);
    snprintf(mdata, len + 16, "%s.matrix.csv", stem);
    snprintf(script, len + 16, "%s.gp", stem);
    if (spow_cli_write_atomic(data, write_curves, in) != 0 ||
        (in->mx && spow_cli_write_atomic(mdata, write_matrix, in) != 0)) {
        rc = SPOW_GEN_EIO;
        snprintf(msg, msglen, "cannot write the plot data next to '%s': %s", path,
                 strerror(errno));
        goto out;
    }
    script_ctx sc = { in, path, data, in->mx ? mdata : NULL, script, svg, by_step };
    if (spow_cli_write_atomic(script, write_script, &sc) != 0) {
        rc = SPOW_GEN_EIO;
        snprintf(msg, msglen, "cannot write the gnuplot script '%s': %s", script,
                 strerror(errno));
        goto out;
    }
    if (spow_cli_gnuplot(path, script, data, msg, msglen) != 0)
        rc = SPOW_GEN_EIO;
out:
    free(stem);
    free(data);
    free(mdata);
    free(script);
    return rc;
}
