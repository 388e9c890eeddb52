/* inspect.c -- spow-inspect: the error curve of a recurrence, from a shipped
 * table, a spow-gen JSON file or constants typed for any family.
 *
 * Same conventions as spow-gen: everything (options, numbers, the input file)
 * is validated before any work; a refusal is one "spow-inspect: ..." line on
 * stderr, exit status 2 and nothing on stdout; -o writes atomically.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "spow_inspect.h"
#include "spow_cli.h"

static void usage(FILE *f)
{
    fputs(
"Usage: spow-inspect (--table P [--lo L] | --json FILE | --family NAME --p P [--coef LIST])\n"
"                    [options]\n"
"\n"
"Evaluates a matmul-only recurrence for U S^p V^T and reports its error curve\n"
"|x_k(s)/s^p - 1| after every step k, on a log grid of normalized singular values s\n"
"that reaches below lo and above hi, in exact (MPFR), double and float arithmetic of\n"
"the scalar recurrence (the operation order of the matrix evaluation), with the\n"
"maxima on [lo, hi] and where the recurrence blows up.  Every recurrence starts\n"
"from x_0 = y_0 = s.\n"
"\n"
"Source (exactly one):\n"
"  --table P         the shipped table for p (1/2, -1/4, 0, ...): the one with --lo L\n"
"                    (default 1e-3), else the most accurate one covering [L, 1]\n"
"  --json FILE       a table written by spow-gen --format json\n"
"  --family NAME     constants for a family (see --list-families), with --p P and:\n"
"  --coef LIST       the numbers of one step separated by ',', steps separated by ';'\n"
"                    (quote LIST for the shell); a number is a decimal or N/D (1/7).\n"
"                    Without --steps there is one step per group; with --steps K the\n"
"                    last group repeats up to K.  Per step:\n"
"                      coupled       g(t) in monomials of t = y^2, ascending (2..17)\n"
"                      fixedpoint    c (p = a/b, a and b odd), or c,d (p = 1/2)\n"
"                      muon-quintic  a,b,c (p = 0)\n"
"                    Omitted: the published constants (fixedpoint: p = 1/3, 1/5, 1/7,\n"
"                    3/5, 1/15, 13/15 and 1/2, 6 steps; muon-quintic: 3.4445,-4.7750,\n"
"                    2.0315, 5 steps)\n"
"  --steps K         number of steps, 1..64\n"
"  --lo L, --hi H    the interval [lo, hi] of --family (default 1e-3 and 1)\n"
"\n"
"Grid and arithmetic:\n"
"  --grid N          grid points, 2..100000 (default 400)\n"
"  --s-min S         smallest s of the grid (default lo/10)\n"
"  --s-max S         largest s of the grid (default 1.05 hi)\n"
"  --samples N       points on [lo, hi] for the maxima, 16..1000000 (default 2000); in\n"
"                    exact arithmetic every local maximum is refined by golden section\n"
"  --threshold T     |x| or |y| above T, or not finite, is divergence (default 1e6)\n"
"  --prec BITS       precision of the exact arithmetic, 64..8192 (default 256)\n"
"\n"
"Output:\n"
"  --format F        text (default), csv or json.  csv: one row per step and grid\n"
"                    point; with --matrix, one row per singular value instead\n"
"  -o FILE           write the report to FILE (atomically) instead of standard output\n"
"  --plot FILE       draw the curves into FILE (.png or .svg) with gnuplot, log-log,\n"
"                    lo and hi marked; the data goes to FILE's name with .csv (and\n"
"                    .matrix.csv), the gnuplot script to .gp\n"
"  --plot-by W       step: one curve per step (exact) and the last step in double and\n"
"                    float (default); arith: the last step in the three arithmetics\n"
"  --matrix RxC      also apply the recurrence to a random R x C matrix with a\n"
"                    prescribed spectrum (one value 1/sqrt 2, the rest geometric from\n"
"                    lo), in double and float, and compare every singular value with\n"
"                    LAPACKE's SVD (coupled: the runtime library; other families:\n"
"                    their matrix form with CBLAS); R, C in 1..4096\n"
"  --seed N          seed of the random matrix (default 1)\n"
"  --list-families   list the families and exit\n"
"  --version         print the version and exit\n"
"  -h, --help        print this help and exit\n"
"\n"
"Exit status: 0 on success; 2 when the command line or an input file is invalid\n"
"(nothing is written); 1 when the work or an output fails, also for --plot without\n"
"gnuplot (the report, the plot data and the script are written, the figure is not).\n",
          f);
}

typedef struct options {
    const char *table, *json, *family, *p, *coef, *steps, *lo, *hi, *grid, *s_min, *s_max,
        *samples, *threshold, *prec, *format, *output, *plot, *plot_by, *matrix, *seed;
} options;

static const spow_cli cli = { "spow-inspect", usage };
#define fail_usage(...) spow_cli_fail(&cli, __VA_ARGS__)
#define parse_long spow_cli_parse_long
#define parse_double spow_cli_parse_double

/* "RxC" with R, C in 1..4096. */
static int parse_dims(size_t *r, size_t *c, const char *s)
{
    char *e;
    errno = 0;
    long a = strtol(s, &e, 10);
    if (errno || e == s || (*e != 'x' && *e != 'X') || a < 1 || a > 4096)
        return -1;
    const char *q = e + 1;
    long b = strtol(q, &e, 10);
    if (errno || e == q || *e != '\0' || b < 1 || b > 4096)
        return -1;
    *r = (size_t)a;
    *c = (size_t)b;
    return 0;
}

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a > b && strcmp(s + a - b, suf) == 0;
}

/* The command line, shell-quoted where needed, for provenance; without -o,
 * so that a report written to a file equals the one on stdout. */
static void join_command(char *buf, size_t n, int argc, char **argv)
{
    size_t len = (size_t)snprintf(buf, n, "spow-inspect");
    for (int i = 1; i < argc && len < n; i++) {
        if (strcmp(argv[i], "-o") == 0) {
            i++;
            continue;
        }
        if (strncmp(argv[i], "-o", 2) == 0)
            continue;
        int quote = strpbrk(argv[i], " ;*?$&|<>()'\"\\") != NULL || argv[i][0] == '\0';
        len += (size_t)snprintf(buf + len, n - len, quote ? " '%s'" : " %s", argv[i]);
    }
}

typedef struct report_ctx {
    const spow_inspection *in;
    const char *format;
} report_ctx;

static int write_report(FILE *f, const void *vctx)
{
    const report_ctx *c = vctx;
    if (strcmp(c->format, "json") == 0)
        return spow_inspect_write_json(f, c->in);
    if (strcmp(c->format, "csv") == 0)
        return c->in->mx ? spow_inspect_write_csv_matrix(f, c->in)
                         : spow_inspect_write_csv_curves(f, c->in);
    return spow_inspect_write_text(f, c->in);
}

static int list_families(void)
{
    for (const spow_inspect_family *const *f = spow_inspect_family_list(); *f; f++)
        printf("%s\t%s\n", (*f)->family->name, (*f)->family->summary);
    return 0;
}

/* Everything the options say, validated. */
typedef struct settings {
    const spow_inspect_family *fam;
    long m, n, steps, grid, samples, prec, seed;
    double threshold, s_min, s_max, table_lo;
    const char *format;
    size_t mrows, mcols;
} settings;

/* Which source, and the p of --family or --table; 0 or a usage error's
 * exit status. */
static int check_source(settings *st, const options *o)
{
    const int nsrc = (o->table != NULL) + (o->json != NULL) + (o->family != NULL);
    if (nsrc != 1)
        return fail_usage("%s", nsrc ? "give only one of --table, --json and --family"
                                     : "give --table P, --json FILE or --family NAME --p P");
    if (o->family == NULL && (o->p || o->coef || o->steps))
        return fail_usage("--p, --coef and --steps go with --family%s",
                          o->table ? " (--table takes p itself)" : "");
    if (o->json && (o->lo || o->hi))
        return fail_usage("%s", "--lo and --hi do not apply to --json: the table carries its "
                                "interval");
    if (o->table && o->hi)
        return fail_usage("%s", "--hi does not apply to --table (shipped tables end at 1)");
    st->fam = NULL;
    st->m = 0;
    st->n = 1;
    if (o->family) {
        st->fam = spow_inspect_family_find(o->family);
        if (st->fam == NULL)
            return fail_usage("unknown family '%s' (try --list-families)", o->family);
        if (o->p == NULL)
            return fail_usage("--family %s needs --p", o->family);
        if (spow_rational_parse(&st->m, &st->n, o->p) != 0)
            return fail_usage("--p '%s' %s", o->p, spow_rational_why(o->p));
        if (spow_p_check(st->m, st->n) != SPOW_P_OK)
            return fail_usage("--p '%s' must lie in -2 <= p <= 1 with a denominator <= %d", o->p,
                              SPOW_GEN_MAX_DEN);
    }
    if (o->table && spow_rational_parse(&st->m, &st->n, o->table) != 0)
        return fail_usage("--table '%s' %s", o->table, spow_rational_why(o->table));
    return 0;
}

/* The numbers and the output options, in the order their errors are
 * reported; 0 or a usage error's exit status. */
static int check_numbers(settings *st, const options *o)
{
    st->steps = 0;
    st->grid = 400;
    st->samples = 2000;
    st->prec = 256;
    st->seed = 1;
    if (o->steps && parse_long(&st->steps, o->steps, 1, SPOW_GEN_MAX_STEPS) != 0)
        return fail_usage("--steps '%s' must be a whole number in 1..%d", o->steps,
                          SPOW_GEN_MAX_STEPS);
    if (o->grid && parse_long(&st->grid, o->grid, 2, 100000) != 0)
        return fail_usage("--grid '%s' must be a whole number in 2..100000", o->grid);
    if (o->samples && parse_long(&st->samples, o->samples, 16, 1000000) != 0)
        return fail_usage("--samples '%s' must be a whole number in 16..1000000", o->samples);
    if (o->prec && parse_long(&st->prec, o->prec, SPOW_GEN_MIN_PREC, SPOW_GEN_MAX_PREC) != 0)
        return fail_usage("--prec '%s' must be a whole number of bits in %d..%d", o->prec,
                          SPOW_GEN_MIN_PREC, SPOW_GEN_MAX_PREC);
    if (o->seed && parse_long(&st->seed, o->seed, 0, 2147483647L) != 0)
        return fail_usage("--seed '%s' must be a whole number in 0..2147483647", o->seed);
    st->threshold = 1e6;
    st->s_min = 0;
    st->s_max = 0;
    st->table_lo = 1e-3;
    if (o->threshold && (parse_double(&st->threshold, o->threshold) != 0 || !(st->threshold > 1)))
        return fail_usage("--threshold '%s' must be a finite number above 1", o->threshold);
    if (o->s_min && (parse_double(&st->s_min, o->s_min) != 0 || !(st->s_min > 0)))
        return fail_usage("--s-min '%s' must be a positive finite number", o->s_min);
    if (o->s_max && (parse_double(&st->s_max,
                                  o->s_max) != 0 || !(st->s_max > 0) || st->s_max > 1e6))
        return fail_usage("--s-max '%s' must be a positive number up to 1e6", o->s_max);
    if (o->table && o->lo && (parse_double(&st->table_lo, o->lo) != 0 || !(st->table_lo > 0)))
        return fail_usage("--lo '%s' must be a positive finite number", o->lo);
    st->format = o->format ? o->format : "text";
    if (strcmp(st->format, "text") && strcmp(st->format, "csv") && strcmp(st->format, "json"))
        return fail_usage("--format '%s' must be text, csv or json", st->format);
    if (o->plot && !ends_with(o->plot, ".png") && !ends_with(o->plot, ".svg"))
        return fail_usage("--plot '%s' must name a .png or .svg file", o->plot);
    if (o->plot && strpbrk(o->plot, "'\"\n\\"))
        return fail_usage("--plot '%s': quotes, backslashes and newlines cannot be passed to "
                          "gnuplot", o->plot);
    if (o->plot_by && strcmp(o->plot_by, "step") && strcmp(o->plot_by, "arith"))
        return fail_usage("--plot-by '%s' must be step or arith", o->plot_by);
    if (o->plot_by && !o->plot)
        return fail_usage("%s", "--plot-by needs --plot");
    st->mrows = st->mcols = 0;
    if (o->matrix && parse_dims(&st->mrows, &st->mcols, o->matrix) != 0)
        return fail_usage("--matrix '%s' must be ROWSxCOLS with both in 1..4096", o->matrix);
    if (o->seed && !o->matrix)
        return fail_usage("%s", "--seed needs --matrix");
    /* before the report is computed and printed */
    if (o->output && spow_cli_check_writable(&cli, o->output))
        return 2;
    if (o->plot && spow_cli_check_writable(&cli, o->plot))
        return 2;
    return 0;
}

/* The source, read and checked in full; the grid's defaults from its
 * interval.  0, or a code with a message (src must be cleared either way). */
static int load_source(spow_inspect_source *src, settings *st, const options *o, char *msg,
                       size_t msglen)
{
    int rc;
    if (o->table)
        rc = spow_inspect_source_table(src, st->m, st->n, st->table_lo, (mpfr_prec_t)st->prec,
                                       msg, msglen);
    else if (o->json)
        rc = spow_inspect_source_json(src, o->json, (mpfr_prec_t)st->prec, msg, msglen);
    else
        rc = spow_inspect_source_coef(src, st->fam, st->m, st->n, o->lo ? o->lo : "1e-3",
                                      o->hi ? o->hi : "1", o->coef, (int)st->steps,
                                      (mpfr_prec_t)st->prec, msg, msglen);
    if (rc == 0 && src->rec.steps == 0) {
        snprintf(msg, msglen, "the recurrence has no steps (p = 1 is the identity)");
        rc = SPOW_GEN_EARG;
    }
    const double lo = rc ? 0 : mpfr_get_d(src->rec.lo, MPFR_RNDN);
    const double hi = rc ? 0 : mpfr_get_d(src->rec.hi, MPFR_RNDN);
    if (rc == 0) {
        if (!o->s_min)
            st->s_min = lo / 10;
        if (!o->s_max)
            st->s_max = 1.05 * hi;
        if (!(st->s_max > st->s_min)) {
            snprintf(msg, msglen, "the grid [%g, %g] is empty: --s-max must exceed --s-min",
                     st->s_min, st->s_max);
            rc = SPOW_GEN_EARG;
        }
    }
    return rc;
}

/* A table (a source carrying a certificate) that cannot be evaluated, or
 * whose certificate does not come out again, is an error (exit 1) after the report, so that scripts can rely on
 * the exit status.  The refined scan meets the certificate to 6 digits or
 * more on every shipped table; 1e-3 relative is far above that and far below
 * any tampering worth noticing. */
static int check_certificate(const spow_inspect_source *src, const spow_inspect_curves *cv)
{
    const int K = src->rec.steps;
    /* typed constants (--coef, the published families) may diverge: that
     * is what the report is for, not an error */
    if (K == 0 || !src->have_cert)
        return 0;
    const double found = cv->sum[SPOW_INSPECT_EXACT].max_in[K - 1];
    if (!isfinite(found)) {
        fprintf(stderr, "spow-inspect: the recurrence cannot be evaluated on [lo, hi] (its error "
                        "is not finite there): the table is broken\n");
        return 1;
    }
    if (!(fabs(found - src->cert) <= 1e-3 * src->cert)) {
        fprintf(stderr, "spow-inspect: the table's certificate %.6e does not reproduce: the "
                        "exact maximum found is %.6e\n", src->cert, found);
        return 1;
    }
    return 0;
}

/* Curves, the matrix check, the report and the plot; the exit status. */
static int work(const spow_inspect_source *src, const settings *st, const options *o,
                const char *command)
{
    spow_inspect_curves cv;
    spow_inspect_curve_params cp = { (int)st->grid, st->s_min, st->s_max, st->threshold,
                                      (int)st->samples };
    int rc = spow_inspect_curves_compute(&cv, &src->rec, &cp);
    if (rc) {
        fprintf(stderr, "spow-inspect: cannot evaluate the curves: %s\n", spow_gen_strerror(rc));
        return 1;
    }
    spow_inspect_matrix_result mx;
    int have_mx = 0, status = 0;
    char msg[1200];
    if (o->matrix) {
        rc = spow_inspect_matrix_check(&mx, src, st->mrows, st->mcols, (unsigned long)st->seed,
                                       msg, sizeof msg);
        if (rc) {
            fprintf(stderr, "spow-inspect: matrix check failed: %s\n", msg);
            status = 1;
        } else {
            have_mx = 1;
        }
    }
    spow_inspection in = { src, &cv, have_mx ? &mx : NULL, command };
    if (status == 0) {
        report_ctx rctx = { &in, st->format };
        status = spow_cli_write(&cli, o->output, write_report, &rctx);
    }
    if (status == 0 && o->plot) {
        const int by_step = !(o->plot_by && strcmp(o->plot_by, "arith") == 0);
        rc = spow_inspect_plot(o->plot, by_step, &in, msg, sizeof msg);
        if (rc) {
            fprintf(stderr, "spow-inspect: %s\n", msg);
            status = 1;
        }
    }
    if (status == 0)
        status = check_certificate(src, &cv);
    if (have_mx)
        spow_inspect_matrix_result_clear(&mx);
    spow_inspect_curves_clear(&cv);
    return status;
}

int main(int argc, char **argv)
{
    options o = { 0 };
    const spow_cli_option opts[] = {
        { "table", &o.table, NULL },         { "json", &o.json, NULL },
        { "family", &o.family, NULL },       { "p", &o.p, NULL },
        { "coef", &o.coef, NULL },           { "steps", &o.steps, NULL },
        { "lo", &o.lo, NULL },               { "hi", &o.hi, NULL },
        { "grid", &o.grid, NULL },           { "s-min", &o.s_min, NULL },
        { "s-max", &o.s_max, NULL },         { "samples", &o.samples, NULL },
        { "threshold", &o.threshold, NULL }, { "prec", &o.prec, NULL },
        { "format", &o.format, NULL },       { "plot", &o.plot, NULL },
        { "plot-by", &o.plot_by, NULL },     { "matrix", &o.matrix, NULL },
        { "seed", &o.seed, NULL },           { "list-families", NULL, list_families },
    };
    int status = spow_cli_parse(&cli, opts, (int)(sizeof opts / sizeof opts[0]), &o.output,
                                argc, argv);
    if (status >= 0)
        return status;

    /* ---- validate everything before any work ---- */
    settings st;
    status = check_source(&st, &o);
    if (status == 0)
        status = check_numbers(&st, &o);
    if (status)
        return status;
    spow_inspect_source src;
    char msg[1200];
    if (load_source(&src, &st, &o, msg, sizeof msg) != 0) {
        fprintf(stderr, "spow-inspect: %s\n", msg);
        status = 2;
    } else {
        char command[4096];
        join_command(command, sizeof command, argc, argv);
        status = work(&src, &st, &o, command);
    }
    spow_inspect_source_clear(&src);
    mpfr_free_cache();
    return status;
}
