/* main.c -- spow-bench: spow against SVD, Gram eigendecomposition, coupled
 * Newton-Schulz and Muon's quintic, timed side by side.
 *
 * For each size: one test matrix (testmat.c), its double SVD (reference.c),
 * then every (p, method) pair is run once untimed (warm-up; its output is the
 * one whose accuracy is reported) and then timed `repeats` times, the order
 * of the pairs rotated by one at every repeat so that drift of the machine
 * (other processes, clock) spreads over all methods alike. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cblas.h>

#include "bench.h"
#include "spow_cli.h"

#define MAX_LIST 32

typedef struct size_spec {
    size_t rows, cols;
} size_spec;

typedef struct p_spec {
    int num, den;
} p_spec;

typedef struct options {
    int quick;
    size_spec sizes[MAX_LIST];
    int nsizes;
    p_spec ps[MAX_LIST];
    int np;
    int repeats;
    int min_repeats;
    double budget;          /* seconds of timed runs per size, at most */
    int threads;            /* 0: OpenBLAS default */
    unsigned long long seed;
    int mixed;              /* f64_steps of spow-mixed */
    double lo;
    const char *methods;    /* comma-separated substrings, NULL: all */
    const char *csv, *md;
} options;

/* One (p, method) pair of one size. */
typedef struct job {
    const bench_method *m;
    bench_case c;
    void *state;
    int ok;
    double warm_s;
    double *times, *gemm, *lapack;      /* per timed run: wall, in GEMM, in LAPACK */
    int ntimes;
    double flops;                       /* of one run */
    long calls;                         /* GEMM calls of one run */
    bench_acc acc;
} job;

static const char *progname = "spow-bench";

static void usage(FILE *f)
{
    fprintf(f,
"Usage: spow-bench [options]\n"
"\n"
"Times spow's U S^p V^T against the LAPACK SVD route (?gesdd), the Gram\n"
"eigendecomposition route (?syevd), the coupled Newton-Schulz iteration of\n"
"\"Delving into Muon and Beyond\" (p = 1/2, 1/4) and Muon's quintic (p = 0),\n"
"interleaved, and measures each one's accuracy against a double SVD.\n"
"\n"
"Options:\n"
"  --quick            small sizes only (128x128 to 384x96; about 15 s)\n"
"  --sizes LIST       RxC[,RxC...] (an N alone means NxN); default\n"
"                     256x256,1024x1024,4096x1024,1024x4096,2048x2048\n"
"  --p LIST           exponents m/n[,m/n...]; default 1/2,1/4,0\n"
"  --repeats N        timed runs per method and size (default 5)\n"
"  --budget SEC       cap the timed runs of one size at about SEC seconds,\n"
"                     never below 3 repeats (default 300)\n"
"  --threads N        OpenBLAS threads (default: OpenBLAS's own choice)\n"
"  --seed N           seed of the test matrices (default 1)\n"
"  --mixed N          f64_steps of the spow-mixed variant (default 1)\n"
"  --lo X             certified interval [X, 1] of the spow tables and of the\n"
"                     per-singular-value error (default 1e-3)\n"
"  --methods LIST     only methods whose name contains one of the\n"
"                     comma-separated strings (e.g. spow,gesdd); the -x64\n"
"                     rows (64 matrices a run, batched or one call each)\n"
"                     run only when an item says x64 (e.g. --methods x64)\n"
"  --csv FILE         also write one CSV row per result (for bench/plot.gp)\n"
"  --md FILE          also write the tables as Markdown\n"
"  --help             this text\n"
"\n"
"Test matrices: G = 3 Q1 diag(s) Q2^T, Q1 and Q2 from the QR of seeded\n"
"Gaussian matrices, s_i ~ (i+1)^-alpha with alpha set so that the smallest\n"
"normalized singular value s_min/||s|| is 2 lo: all lie in [lo, 1].\n");
}

static void die_usage(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", progname);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s --help'.\n", progname);
    exit(2);
}

static long parse_long(const char *opt, const char *s, long lo, long hi)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        die_usage("%s: '%s' is not an integer in [%ld, %ld]", opt, s, lo, hi);
    return v;
}

static double parse_double(const char *opt, const char *s, double lo, double hi)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi))
        die_usage("%s: '%s' is not a number in [%g, %g]", opt, s, lo, hi);
    return v;
}

/* Splits a comma-separated list in place; returns the count. */
static int split(char *s, char **item, int max, const char *opt)
{
    int n = 0;
    char *tok, *save = NULL;

    for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (n == max)
            die_usage("%s: more than %d items", opt, max);
        item[n++] = tok;
    }
    if (n == 0)
        die_usage("%s: empty list", opt);
    return n;
}

/* split() on a copy of an option's argument in buf (size bytes). */
static int split_arg(const char *arg, char *buf, size_t size, char **item, const char *opt)
{
    if (strlen(arg) >= size)
        die_usage("%s: list too long", opt);
    strcpy(buf, arg);
    return split(buf, item, MAX_LIST, opt);
}

/* opt's list of items "A" or "A<sep>B", parsed into a[] and b[] within
 * [range[0], range[1]] and [range[2], range[3]]; b[i] is left as it is where
 * item i has no B.  Returns the number of items. */
static int parse_pairs(const char *opt, const char *arg, int sep, const long range[4], long *a,
                       long *b)
{
    char buf[1024], *item[MAX_LIST];
    int i, n = split_arg(arg, buf, sizeof buf, item, opt);

    for (i = 0; i < n; i++) {
        char *at = strchr(item[i], sep);
        if (at)
            *at = '\0';
        a[i] = parse_long(opt, item[i], range[0], range[1]);
        if (at)
            b[i] = parse_long(opt, at + 1, range[2], range[3]);
    }
    return n;
}

static void parse_sizes(options *o, const char *arg)
{
    static const long range[4] = {1, 65536, 1, 65536};
    long rows[MAX_LIST], cols[MAX_LIST] = {0};
    int i;

    o->nsizes = parse_pairs("--sizes", arg, 'x', range, rows, cols);
    for (i = 0; i < o->nsizes; i++) {
        o->sizes[i].rows = (size_t)rows[i];
        o->sizes[i].cols = (size_t)(cols[i] ? cols[i] : rows[i]);
    }
}

static void parse_ps(options *o, const char *arg)
{
    static const long range[4] = {-1000, 1000, 1, 1000};
    long num[MAX_LIST], den[MAX_LIST];
    int i;

    for (i = 0; i < MAX_LIST; i++)
        den[i] = 1;
    o->np = parse_pairs("--p", arg, '/', range, num, den);
    for (i = 0; i < o->np; i++) {
        spow_rational_reduce(&num[i], &den[i]);   /* cannot fail: den >= 1 */
        o->ps[i].num = (int)num[i];
        o->ps[i].den = (int)den[i];
    }
}

static void parse_args(options *o, int argc, char **argv)
{
    int i, repeats = 0;
    const char *sizes = NULL, *ps = NULL;

    memset(o, 0, sizeof *o);
    o->budget = 300.0;
    o->seed = 1;
    o->mixed = 1;
    o->lo = 1e-3;
    o->min_repeats = 3;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        /* Options that take a value. */
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            exit(0);
        } else if (!strcmp(a, "--quick")) {
            o->quick = 1;
            continue;
        }
        if (strncmp(a, "--", 2) != 0)
            die_usage("unexpected argument '%s'", a);
        if (strcmp(a, "--sizes") && strcmp(a, "--p") && strcmp(a, "--repeats")
            && strcmp(a, "--budget") && strcmp(a, "--threads") && strcmp(a, "--seed")
            && strcmp(a, "--mixed") && strcmp(a, "--lo") && strcmp(a, "--methods")
            && strcmp(a, "--csv") && strcmp(a, "--md"))
            die_usage("unknown option '%s'", a);
        if (!v)
            die_usage("%s needs a value", a);
        i++;
        if (!strcmp(a, "--sizes"))
            sizes = v;
        else if (!strcmp(a, "--p"))
            ps = v;
        else if (!strcmp(a, "--repeats"))
            repeats = (int)parse_long(a, v, 1, 1000);
        else if (!strcmp(a, "--budget"))
            o->budget = parse_double(a, v, 0.0, 1e6);
        else if (!strcmp(a, "--threads"))
            o->threads = (int)parse_long(a, v, 1, 1024);
        else if (!strcmp(a, "--seed"))
            o->seed = (unsigned long long)parse_long(a, v, 0, 2147483647L);
        else if (!strcmp(a, "--mixed"))
            o->mixed = (int)parse_long(a, v, 0, 64);
        else if (!strcmp(a, "--lo"))
            o->lo = parse_double(a, v, 1e-12, 0.25);
        else if (!strcmp(a, "--methods"))
            o->methods = v;
        else if (!strcmp(a, "--csv"))
            o->csv = v;
        else
            o->md = v;
    }
    parse_sizes(o, sizes ? sizes
                         : o->quick ? "128x128,256x256,384x96,96x384"
                                    : "256x256,1024x1024,4096x1024,1024x4096,2048x2048");
    parse_ps(o, ps ? ps : "1/2,1/4,0");
    o->repeats = repeats ? repeats : 5;
    if (o->repeats < o->min_repeats)
        o->min_repeats = o->repeats;
}

static int selected(const options *o, const char *name)
{
    char buf[1024], *item[MAX_LIST];
    int n, i;

    /* The x64 rows time 64 applies a run: only when asked for by name. */
    if (!o->methods)
        return strstr(name, "-x64") == NULL;
    if (strlen(o->methods) >= sizeof buf)
        return 0;
    strcpy(buf, o->methods);
    n = split(buf, item, MAX_LIST, "--methods");
    for (i = 0; i < n; i++)
        if (strstr(name, item[i]) && (!strstr(name, "-x64") || strstr(item[i], "x64")))
            return 1;
    return 0;
}

static void cpu_model(char *buf, size_t n)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];

    snprintf(buf, n, "unknown");
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        char *c = strchr(line, ':');
        if (!strncmp(line, "model name", 10) && c) {
            c += 1 + (c[1] == ' ');
            c[strcspn(c, "\n")] = '\0';
            snprintf(buf, n, "%s", c);
            break;
        }
    }
    fclose(f);
}

static const char *prec_name(int f32)
{
    return f32 ? "f32" : "f64";
}

static void p_text(char *buf, size_t n, int num, int den)
{
    if (den == 1)
        snprintf(buf, n, "%d", num);
    else
        snprintf(buf, n, "%d/%d", num, den);
}

/* The plain spow job of the same p and precision, or NULL. */
static const job *spow_peer(const job *jobs, int nj, const job *j)
{
    int i;

    for (i = 0; i < nj; i++)
        if (!strcmp(jobs[i].m->name, "spow") && jobs[i].m->f32 == j->m->f32
            && jobs[i].c.p_num == j->c.p_num && jobs[i].c.p_den == j->c.p_den)
            return jobs[i].ok ? &jobs[i] : NULL;
    return NULL;
}

typedef struct row {
    double med, min, ratio, gflop, gfs, gemm_gfs, gemm_share, lapack_share;
    double other;   /* mean seconds per run outside GEMM and LAPACK */
} row;

/* Median of f(i) over the timed runs of j. */
static double med_of(const job *j, int what)
{
    double *v = malloc((size_t)j->ntimes * sizeof *v), m;
    int i;

    if (!v)
        return 0.0;
    for (i = 0; i < j->ntimes; i++) {
        double w = j->times[i], g = j->gemm[i], l = j->lapack[i];
        v[i] = what == 0 ? w
             : what == 1 ? g
             : what == 2 ? (w > 0 ? g / w : 0.0)
             : what == 3 ? (w > 0 ? l / w : 0.0)
             : w - g - l;
    }
    m = bench_median(v, j->ntimes);
    free(v);
    return m;
}

/* Every column is a median over the timed runs (of the time, of the time
 * in GEMM, of the GEMM share...), so one disturbed run moves none of them. */
static void job_row(row *r, const job *jobs, int nj, const job *j)
{
    const job *sp = spow_peer(jobs, nj, j);
    double gemm = med_of(j, 1);
    int i;

    r->med = med_of(j, 0);
    r->min = j->times[0];
    for (i = 1; i < j->ntimes; i++)
        if (j->times[i] < r->min)
            r->min = j->times[i];
    r->ratio = sp ? r->med / med_of(sp, 0) : 0.0;
    r->gflop = j->flops * 1e-9;
    r->gfs = r->med > 0 ? r->gflop / r->med : 0.0;
    r->gemm_gfs = gemm > 0 ? r->gflop / gemm : 0.0;
    r->gemm_share = med_of(j, 2);
    r->lapack_share = med_of(j, 3);
    r->other = med_of(j, 4);
}

static const char *table_head =
    "| p | method | prec | median ms | min ms | x spow | GEMMs | GFLOP | GFLOP/s "
    "| in-GEMM GFLOP/s | GEMM % | LAPACK % | other ms | rel. Frobenius err | max sv rel. err |";

static void print_job(FILE *f, int md, const job *jobs, int nj, const job *j)
{
    row r;
    char p[32], ratio[32];

    p_text(p, sizeof p, j->c.p_num, j->c.p_den);
    if (!j->ok) {
        fprintf(f, md ? "| %s | %s | %s | failed | | | | | | | | | | | |\n"
                      : "%-5s %-13s %-4s  failed\n",
                p, j->m->name, prec_name(j->m->f32));
        return;
    }
    job_row(&r, jobs, nj, j);
    if (r.ratio > 0)
        snprintf(ratio, sizeof ratio, "%.2f", r.ratio);
    else
        snprintf(ratio, sizeof ratio, "-");
    if (md)
        fprintf(f, "| %s | %s | %s | %.1f | %.1f | %s | %ld | %.3g | %.1f | %.1f "
                   "| %.0f | %.0f | %.1f | %.1e | %.1e |\n",
                p, j->m->name, prec_name(j->m->f32), 1e3 * r.med, 1e3 * r.min,
                ratio, j->calls, r.gflop, r.gfs, r.gemm_gfs, 100 * r.gemm_share,
                100 * r.lapack_share, 1e3 * r.other, j->acc.fro, j->acc.sv_max);
    else
        fprintf(f, "%-5s %-13s %-4s %10.2f %10.2f %6s %5ld %8.3g %7.1f %7.1f "
                   "%5.1f %5.1f %7.2f %9.2e %9.2e\n",
                p, j->m->name, prec_name(j->m->f32), 1e3 * r.med, 1e3 * r.min,
                ratio, j->calls, r.gflop, r.gfs, r.gemm_gfs, 100 * r.gemm_share,
                100 * r.lapack_share, 1e3 * r.other, j->acc.fro, j->acc.sv_max);
}

static void print_csv(FILE *f, int size_index, const job *jobs, int nj, const job *j)
{
    row r;

    if (!j->ok)
        return;
    job_row(&r, jobs, nj, j);
    fprintf(f, "%d,%zux%zu,%zu,%zu,%d,%d,%g,%s,%s,%d,%.6g,%.6g,%.4g,%ld,%.6g,%.4g,%.4g,"
               "%.4f,%.4f,%.6g,%.3e,%.3e,%d\n",
            size_index, j->c.rows, j->c.cols, j->c.rows, j->c.cols, j->c.p_num,
            j->c.p_den, (double)j->c.p_num / j->c.p_den, j->m->name,
            prec_name(j->m->f32), j->m->f32, r.med, r.min, r.ratio, j->calls,
            r.gflop, r.gfs, r.gemm_gfs, r.gemm_share, r.lapack_share, r.other,
            j->acc.fro, j->acc.sv_max, j->acc.n_in);
}

/* The acceptance checks of issue 5, for float p = 1/2. */
static void print_checks(FILE *f, const job *jobs, int nj)
{
    const job *sp = NULL, *sv = NULL;
    row rs, rv;
    int i;

    for (i = 0; i < nj; i++)
        if (jobs[i].ok && jobs[i].m->f32 && jobs[i].c.p_num == 1 && jobs[i].c.p_den == 2) {
            if (!strcmp(jobs[i].m->name, "spow"))
                sp = &jobs[i];
            else if (!strcmp(jobs[i].m->name, "sgesdd"))
                sv = &jobs[i];
        }
    if (!sp)
        return;
    job_row(&rs, jobs, nj, sp);
    fprintf(f, "spow f32 p=1/2: %.2f ms, GEMM share %.1f%% (%.2f ms a run outside GEMM), "
               "max sv err %.1e", 1e3 * rs.med, 100 * rs.gemm_share, 1e3 * rs.other,
            sp->acc.sv_max);
    if (sv) {
        job_row(&rv, jobs, nj, sv);
        fprintf(f, "; sgesdd route %.2f ms (%.2fx spow's time), max sv err %.1e",
                1e3 * rv.med, rv.ratio, sv->acc.sv_max);
    }
    fprintf(f, "\n");
}

static void run_one(job *j, void *out, double *wall, bench_counter *cnt)
{
    double t0;

    memset(cnt, 0, sizeof *cnt);
    t0 = bench_now();
    if (j->m->run(j->state, &j->c, out, cnt))
        j->ok = 0;
    *wall = bench_now() - t0;
}

static int bench_size(const options *o, int si, FILE *csv, FILE *md)
{
    size_t rows = o->sizes[si].rows, cols = o->sizes[si].cols, n = rows * cols, i;
    size_t k = rows < cols ? rows : cols;
    double *g64 = malloc(n * sizeof *g64), *gr = malloc(n * sizeof *gr);
    double *refp64 = malloc(n * sizeof *refp64), *refp32 = malloc(n * sizeof *refp32);
    double *out = malloc(n * sizeof *out), alpha = 0.0, warm = 0.0, t0;
    float *g32 = malloc(n * sizeof *g32);
    bench_ref ref64, ref32;
    job *jobs = calloc((size_t)(o->np * bench_nmethods), sizeof *jobs);
    int nj = 0, pi, mi, ji, r, repeats, rc = -1;

    if (!g64 || !gr || !refp64 || !refp32 || !out || !g32 || !jobs) {
        fprintf(stderr, "%s: out of memory at %zux%zu\n", progname, rows, cols);
        goto done;
    }
    t0 = bench_now();
    if (bench_testmat(g64, &alpha, rows, cols, 2.0 * o->lo, 3.0, o->seed + (unsigned)si)) {
        fprintf(stderr, "%s: test matrix %zux%zu failed\n", progname, rows, cols);
        goto done;
    }
    for (i = 0; i < n; i++) {
        g32[i] = (float)g64[i];
        gr[i] = (double)g32[i];
    }
    if (bench_ref_init(&ref64, rows, cols, g64)) {
        fprintf(stderr, "%s: reference dgesdd failed\n", progname);
        goto done;
    }
    if (bench_ref_init(&ref32, rows, cols, gr)) {
        bench_ref_free(&ref64);
        fprintf(stderr, "%s: reference dgesdd failed\n", progname);
        goto done;
    }
    printf("\n== %zu x %zu (Gram side %zu): s_i ~ (i+1)^-%.3f, normalized singular "
           "values in [%.2e, %.3f]; references in %.1f s\n",
           rows, cols, k, alpha, ref64.s[k - 1] / ref64.norm, ref64.s[0] / ref64.norm,
           bench_now() - t0);
    fflush(stdout);

    /* Jobs, grouped by p; warm-up runs and accuracy per p. */
    for (pi = 0; pi < o->np; pi++) {
        const p_spec *ps = &o->ps[pi];
        double p = (double)ps->num / ps->den;

        if (bench_ref_power(refp64, &ref64, p) || bench_ref_power(refp32, &ref32, p))
            goto free_refs;
        for (mi = 0; mi < bench_nmethods; mi++) {
            const bench_method *m = &bench_methods[mi];
            job *j;
            bench_counter cnt;
            double w;
            if (!selected(o, m->name) || !m->supports(ps->num, ps->den))
                continue;
            j = &jobs[nj++];
            j->m = m;
            j->c.rows = rows;
            j->c.cols = cols;
            j->c.g64 = g64;
            j->c.g32 = g32;
            j->c.p_num = ps->num;
            j->c.p_den = ps->den;
            j->c.lo = o->lo;
            j->c.mixed_steps = o->mixed;
            j->times = calloc((size_t)o->repeats, sizeof *j->times);
            j->gemm = calloc((size_t)o->repeats, sizeof *j->gemm);
            j->lapack = calloc((size_t)o->repeats, sizeof *j->lapack);
            j->ok = j->times && j->gemm && j->lapack
                    && m->setup(&j->state, &j->c, m->f32) == 0;
            if (!j->ok)
                continue;
            run_one(j, out, &w, &cnt);
            j->warm_s = w;
            warm += w;
            j->calls = cnt.gemm_calls;
            j->flops = cnt.flops;
            if (j->ok && bench_accuracy(&j->acc, m->f32 ? &ref32 : &ref64, p, o->lo,
                                        m->f32 ? refp32 : refp64, out, m->f32))
                j->ok = 0;
        }
    }

    /* As many repeats as the budget allows, but at least min_repeats. */
    repeats = o->repeats;
    if (warm > 0 && warm * repeats > o->budget) {
        repeats = (int)(o->budget / warm);
        if (repeats < o->min_repeats)
            repeats = o->min_repeats;
    }
    printf("%d methods x p; warm-up %.1f s; %d timed repeats, order rotated each repeat\n",
           nj, warm, repeats);
    fflush(stdout);
    for (r = 0; r < repeats; r++)
        for (ji = 0; ji < nj; ji++) {
            job *j = &jobs[(ji + r) % nj];
            bench_counter cnt;
            double w;
            if (!j->ok)
                continue;
            run_one(j, out, &w, &cnt);
            j->times[j->ntimes] = w;
            j->gemm[j->ntimes] = cnt.gemm_s;
            j->lapack[j->ntimes] = cnt.lapack_s;
            j->ntimes++;
        }

    printf("%-5s %-13s %-4s %10s %10s %6s %5s %8s %7s %7s %5s %5s %7s %9s %9s\n", "p",
           "method", "prec", "median ms", "min ms", "xspow", "GEMMs", "GFLOP", "GF/s",
           "inGEMM", "GEMM%", "LAPK%", "otherms", "rel.Frob", "max.sv");
    for (ji = 0; ji < nj; ji++)
        print_job(stdout, 0, jobs, nj, &jobs[ji]);
    print_checks(stdout, jobs, nj);
    fflush(stdout);
    if (md) {
        fprintf(md, "\n### %zu x %zu\n\n%s\n", rows, cols, table_head);
        fprintf(md, "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (ji = 0; ji < nj; ji++)
            print_job(md, 1, jobs, nj, &jobs[ji]);
        fprintf(md, "\n");
        print_checks(md, jobs, nj);
    }
    if (csv)
        for (ji = 0; ji < nj; ji++)
            print_csv(csv, si, jobs, nj, &jobs[ji]);
    rc = 0;

free_refs:
    bench_ref_free(&ref64);
    bench_ref_free(&ref32);
done:
    for (ji = 0; jobs && ji < nj; ji++) {
        if (jobs[ji].state)
            jobs[ji].m->teardown(jobs[ji].state);
        free(jobs[ji].times);
        free(jobs[ji].gemm);
        free(jobs[ji].lapack);
    }
    free(jobs);
    free(g64);
    free(gr);
    free(refp64);
    free(refp32);
    free(out);
    free(g32);
    return rc;
}

int main(int argc, char **argv)
{
    options o;
    char cpu[256], when[64];
    time_t now = time(NULL);
    FILE *csv = NULL, *md = NULL;
    double t0 = bench_now();
    int i, rc = 0;

    parse_args(&o, argc, argv);
    if (o.threads)
        openblas_set_num_threads(o.threads);
    cpu_model(cpu, sizeof cpu);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime(&now));

    if (o.csv && !(csv = fopen(o.csv, "w"))) {
        fprintf(stderr, "%s: cannot write %s: %s\n", progname, o.csv, strerror(errno));
        return 1;
    }
    if (o.md && !(md = fopen(o.md, "w"))) {
        fprintf(stderr, "%s: cannot write %s: %s\n", progname, o.md, strerror(errno));
        if (csv)
            fclose(csv);
        return 1;
    }
    printf("spow-bench:");
    for (i = 1; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n%s; CPU: %s, %ld online cores; OpenBLAS threads: %d (%s)\n", when, cpu,
           sysconf(_SC_NPROCESSORS_ONLN), openblas_get_num_threads(), openblas_get_config());
    printf("Every column is a median over the timed repeats.  xspow: time / spow's time\n"
           "(same p and precision).  GFLOP: GEMM flops of one run (LAPACK's own work is\n"
           "not counted).  GF/s: GFLOP / time.  inGEMM: GFLOP / time inside GEMM.\n"
           "GEMM%%, LAPK%%: share of the time inside GEMM, inside gesdd/syevd; otherms:\n"
           "the rest, in ms.  Errors against a double SVD of the input (f32 methods: of\n"
           "the float input); max.sv: max |u_i^T out v_i / s_i^p - 1| over the singular\n"
           "values in [lo, 1] after scaling by ||G||_F, lo = %g.\n", o.lo);
    if (md) {
        fprintf(md, "Run: `spow-bench");
        for (i = 1; i < argc; i++)
            fprintf(md, " %s", argv[i]);
        fprintf(md, "` on %s; CPU: %s, %ld online cores; OpenBLAS threads: %d (%s).\n",
                when, cpu, sysconf(_SC_NPROCESSORS_ONLN), openblas_get_num_threads(),
                openblas_get_config());
    }
    if (csv)
        fprintf(csv, "size_index,size,rows,cols,p_num,p_den,p,method,prec,f32,median_s,"
                     "min_s,x_spow,gemm_calls,gflop,gflops,gemm_gflops,gemm_share,"
                     "lapack_share,other_s,rel_frob,max_sv_err,n_sv\n");
    for (i = 0; i < o.nsizes; i++)
        if (bench_size(&o, i, csv, md))
            rc = 1;
    printf("\ntotal %.1f s\n", bench_now() - t0);
    if (csv)
        fclose(csv);
    if (md)
        fclose(md);
    return rc;
}
