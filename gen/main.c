/* main.c -- spow-gen: the command line of the generator.
 *
 * Parses and validates everything before any work, then hands it to
 * spow_gen_table (core/pipeline.c: fit with precision escalation, three
 * certificates, an independent dense sample) and writes the result the way
 * cli/ writes every result: atomically with -o, so a failure leaves no file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "front.h"
#include "spow_cli.h"
#include "design.h"
#include "spow_gen.h"

static void usage(FILE *f)
{
    fputs(
"Usage: spow-gen --p P [options]\n"
"\n"
"Fits and certifies a matmul-only recurrence for U S^p V^T (rational p) and\n"
"writes its coefficient table.\n"
"\n"
"  --p P             exponent: m/n, integer or short decimal (1/2, -1/4, 0, 0.6);\n"
"                    reduced automatically; -2 <= p <= 1, denominator <= 64\n"
"  --lo L            lower end of the certified singular-value interval (default 1e-3)\n"
"  --hi H            upper end (default 1)\n"
"  --degree D|LIST|auto\n"
"                    degree of g in t = y^2 per step, 1..16 (default 2); a list such\n"
"                    as 4,4,4,6 gives one degree per step, the last one repeating;\n"
"                    auto searches the schedule with the fewest GEMMs that reaches\n"
"                    --target-err (best-first over products spent, degrees\n"
"                    1,2,4,6,9,12,16; seconds even for --lo 1e-6)\n"
"  --steps K         number of steps, 1..64 (default: the length of a --degree list)\n"
"  --target-err E    fewest steps whose certified error is <= E (default 1e-6 when\n"
"                    neither --steps nor a --degree list is given)\n"
"  --family NAME     recurrence family (default coupled; see --list-families):\n"
"                    coupled, or fixed-point (the Muon^p paper's Y <- Y - c_k (Y^b -\n"
"                    X^a) for p = a/b with a, b odd, one constant per step, fitted\n"
"                    jointly over --steps K, which it needs; no --degree,\n"
"                    --target-err or --scheme)\n"
"  --fit F           fixed-point only: joint (default: the best of Nelder-Mead\n"
"                    searches over all constants, from the greedy ones and 15 fixed\n"
"                    pseudo-random starts) or greedy (each step minimises its own\n"
"                    error; worse for this family, kept for comparison)\n"
"  --fit-starts N    fixed-point, --fit joint: searches started, 1..100000 (default\n"
"                    16, about 1 s for 6 steps); more look further for better\n"
"                    constants\n"
"  --scheme S        how libspow evaluates each g: paterson-stockmeyer (default)\n"
"                    or sastre: the steps of degree 8, 12 and 16 by Sastre's product\n"
"                    form in 3, 4 and 5 products (Paterson-Stockmeyer: 4, 5, 6), the\n"
"                    other degrees as before; fails if a fitted g has no real form.\n"
"                    Exact and double certificates as good; float32 matrix\n"
"                    applies round 2-10x worse (docs/runtime.md).\n"
"                    Or nested: as sastre, but the steps of degree 16 by the\n"
"                    nested form in 4 products, fitted inside the form (96 local\n"
"                    searches, about 5 s a step; not for --search or --degree\n"
"                    auto).\n"
"                    With --search: the schemes searched (default: both)\n"
"  --prec BITS       starting working precision, 64..8192 (default 256); raised\n"
"                    until the double coefficients stop changing\n"
"  --margin M        fit the first step on [lo/(1+M), hi*(1+M)] to absorb rounding\n"
"                    of values just outside [lo, hi]; 0 <= M < 1 (default 0)\n"
"  --samples N       points of the independent dense check, 16..1000000 (default 2000)\n"
"  --format F        c, json (default), csv, text, or quintic (p = 0, degree 2:\n"
"                    one (a, b, c) per step of x <- a x + b x^3 + c x^5)\n"
"  --name NAME       table name (default <family>_p<m>_<n>_lo<L>, _sastre or\n"
"                    _nested appended for --scheme sastre or nested)\n"
"  -o FILE           write to FILE (atomically) instead of standard output\n"
"  --search          the design search: the cheapest certified recurrence for\n"
"                    --target-err over every family and evaluation scheme spow-gen\n"
"                    can search (today: coupled by Paterson-Stockmeyer or Sastre's\n"
"                    form) and every degree schedule; --family and --scheme\n"
"                    restrict it; any --format.  Over both schemes, a Sastre design\n"
"                    whose float-rounded coefficients certify more than 10x worse\n"
"                    than the cheapest Paterson-Stockmeyer design's gives way to\n"
"                    that design (stderr says so)\n"
"  --pareto          print the error-vs-cost front for --p on [--lo, --hi]: the\n"
"                    cheapest certified schedule for each target 1e-1 ... 1e-10,\n"
"                    with the command behind every point (--format text or csv)\n"
"  --plot FILE       with --pareto: draw the front into FILE (.png or .svg) with\n"
"                    gnuplot; data and script are kept next to it\n"
"  --search-budget N step fits a search may spend, 1..100000000 (default 20000);\n"
"                    when it runs out after a schedule was found, that schedule is\n"
"                    used and stderr says so\n"
"  --shape RxC       with --degree auto, --search or --pareto: the cheapest schedule\n"
"                    in flops for an R x C input instead of the fewest GEMMs (the\n"
"                    Gram product and the updates cost max(R,C)/min(R,C) small-side\n"
"                    products each, as libspow's spow_table_find_shape counts);\n"
"                    --pareto then adds the small-side products to its output\n"
"  --aspect A        the same for an aspect ratio A >= 1 (long side over short\n"
"                    side, at most two decimals); --aspect 1 is the GEMM count\n"
"  --list-families   list the families and exit\n"
"  --version         print the version and exit\n"
"  -h, --help        print this help and exit\n"
"\n"
"Exit status: 0 on success, 2 on a usage error, 1 when fitting or writing fails.\n",
          f);
}

typedef struct options {
    const char *p, *lo, *hi, *degree, *steps, *target, *family, *prec, *margin, *samples,
        *format, *name, *output, *plot, *budget, *shape, *aspect, *scheme, *fit, *fit_starts;
    int search, pareto;
} options;

static const spow_cli cli = { "spow-gen", usage };
#define fail_usage(...) spow_cli_fail(&cli, __VA_ARGS__)

/* A finite decimal number, the whole string, into x at x's precision. */
static int parse_real(mpfr_t x, const char *s)
{
    char *e;
    if (s[0] == '\0')
        return -1;
    mpfr_strtofr(x, s, &e, 10, MPFR_RNDN);
    return (*e == '\0' && mpfr_number_p(x)) ? 0 : -1;
}

static int parse_degrees(int *deg, int *n, const char *s)
{
    *n = 0;
    const char *p = s;
    for (;;) {
        char *e;
        errno = 0;
        long d = strtol(p, &e, 10);
        if (errno || e == p || d < 1 || d > SPOW_GEN_MAX_DEGREE || *n == SPOW_GEN_MAX_STEPS)
            return -1;
        deg[(*n)++] = (int)d;
        if (*e == '\0')
            return 0;
        if (*e != ',')
            return -1;
        p = e + 1;
    }
}

/* name: coupled_p1_2_lo1e-3, p with 'm' for a minus sign; _sastre or
 * _nested for tables with product forms */
static void default_name(char *buf, size_t n, const char *family, long m, long d, const char *lo,
                         int scheme)
{
    snprintf(buf, n, "%s_p%s%ld_%ld_lo%s%s", family, m < 0 ? "m" : "", m < 0 ? -m : m, d, lo,
             scheme == SPOW_SCHEME_SASTRE ? "_sastre" : scheme == SPOW_SCHEME_NESTED ? "_nested" : "");
}

/* --scheme: the evaluation scheme by name. */
static int parse_scheme(int *scheme, const char *s)
{
    if (strcmp(s, "paterson-stockmeyer") == 0)
        *scheme = SPOW_SCHEME_PS;
    else if (strcmp(s, "sastre") == 0)
        *scheme = SPOW_SCHEME_SASTRE;
    else if (strcmp(s, "nested") == 0)
        *scheme = SPOW_SCHEME_NESTED;
    else
        return -1;
    return 0;
}

static int valid_name(const char *s)
{
    if (*s == '\0' || strlen(s) > 100)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.' || *s == '+'))
            return 0;
    return 1;
}

typedef struct emit_ctx {
    const spow_emitter *emitter;
    const spow_report *rep;
} emit_ctx;

static int emit_to(FILE *f, const void *vctx)
{
    const emit_ctx *c = vctx;
    return c->emitter->emit(f, c->rep);
}

static int list_families(void)
{
    for (const spow_family *const *f = spow_family_list(); *f; f++)
        printf("%s\t%s\n", (*f)->name, (*f)->summary);
    return 0;
}

/* --search and --pareto are switches: their actions record them (and refuse
 * a repetition) and let parsing go on. */
static int search_seen, pareto_seen;

static int switch_seen(int *seen, const char *name)
{
    if ((*seen)++)
        return fail_usage("option '%s' given twice", name);
    return -1;
}

static int see_search(void)
{
    return switch_seen(&search_seen, "--search");
}

static int see_pareto(void)
{
    return switch_seen(&pareto_seen, "--pareto");
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n > k && strcmp(s + n - k, tail) == 0;
}

/* --search, --pareto, --plot and --search-budget: the combinations that make
 * sense (the family itself is checked before this). */
static int check_design_options(const options *o, const char *format, long *budget)
{
    const int autodeg = o->degree && strcmp(o->degree, "auto") == 0;
    if (o->search && o->pareto)
        return fail_usage("%s", "--search and --pareto exclude each other");
    if ((o->search || o->pareto) && (o->degree || o->steps))
        return fail_usage("%s", "--search and --pareto choose the degrees and steps "
                                "themselves: drop --degree and --steps");
    if (o->pareto && o->target)
        return fail_usage("%s", "--pareto covers the targets 1e-1 ... 1e-10 itself: drop "
                                "--target-err");
    if (o->pareto && strcmp(format, "text") != 0 && strcmp(format, "csv") != 0)
        return fail_usage("--pareto prints text or csv, not '%s'", format);
    if (o->plot && !o->pareto)
        return fail_usage("%s", "--plot draws the front: it needs --pareto");
    if (o->plot && !ends_with(o->plot, ".png") && !ends_with(o->plot, ".svg"))
        return fail_usage("--plot '%s' must name a .png or .svg file", o->plot);
    if (o->budget && !o->search && !o->pareto && !autodeg)
        return fail_usage("%s", "--search-budget needs --search, --pareto or --degree auto");
    *budget = 0;
    if (o->budget && spow_cli_parse_long(budget, o->budget, 1, 100000000) != 0)
        return fail_usage("--search-budget '%s' must be a whole number in 1..100000000",
                          o->budget);
    if ((o->search || o->pareto) && o->family) {
        int any = 0;
        for (const spow_search_space *const *sp = spow_design_spaces(); *sp; sp++)
            any |= strcmp((*sp)->family, o->family) == 0;
        if (!any)
            return fail_usage("family '%s' has no design search (try --list-families)",
                              o->family);
    }
    return 0;
}

/* --pareto: the front, then (with --plot) its figure; the exit status. */
static int run_pareto(const options *o, const spow_fit_params *par, mpfr_prec_t prec, long budget,
                      long aspect_num, long aspect_den)
{
    spow_front_point pts[SPOW_FRONT_NPOINTS];
    spow_design_front_shape(pts, par, prec < 128 ? prec : 128, prec, budget, aspect_num,
                            aspect_den, stderr);
    spow_front_view v = { pts, SPOW_FRONT_NPOINTS, par, o->lo ? o->lo : "1e-3",
                          o->hi ? o->hi : "1", (double)aspect_num / (double)aspect_den,
                          o->format && strcmp(o->format, "csv") == 0 };
    int status = spow_cli_write(&cli, o->output, spow_front_write_to, &v);
    char msg[1024];
    if (status == 0 && o->plot && spow_front_plot(o->plot, &v, msg, sizeof msg) != 0) {
        fprintf(stderr, "spow-gen: %s\n", msg);
        status = 1;
    }
    return status;
}

/* Everything the options say, validated. */
typedef struct settings {
    long m, n, prec, samples, steps, aspect_num, aspect_den;
    const spow_family *fam;
    const char *format;
    const spow_emitter *emitter;
    int degrees[SPOW_GEN_MAX_STEPS], ndeg, autodeg;
    int scheme;             /* SPOW_SCHEME_*, or -1: --search over every scheme */
    int greedy;             /* --fit greedy (joint families) */
    long fit_starts;        /* --fit-starts, 0 for the default */
    double target;
    long budget;            /* --search-budget, 0 for the default */
} settings;

static long gcd(long a, long b)
{
    while (b) {
        long r = a % b;
        a = b;
        b = r;
    }
    return a;
}

/* "4", "2.5", "4.25" (at most two decimals, 1 <= A <= 10000) into num/den. */
static int parse_aspect(long *num, long *den, const char *s)
{
    long whole = 0, frac = 0, scale = 1;
    const char *q = s;
    if (*q < '0' || *q > '9')
        return -1;
    for (; *q >= '0' && *q <= '9'; q++)
        if ((whole = whole * 10 + (*q - '0')) > 10000)
            return -1;
    if (*q == '.') {
        for (q++; *q >= '0' && *q <= '9' && scale < 100; q++, scale *= 10)
            frac = frac * 10 + (*q - '0');
        if (scale == 1)
            return -1;
    }
    if (*q != '\0' || whole * scale + frac < scale || whole * scale + frac > 10000 * scale)
        return -1;
    *num = whole * scale + frac;
    *den = scale;
    const long g = gcd(*num, *den);
    *num /= g;
    *den /= g;
    return 0;
}

/* "4096x1024" into the reduced ratio long side / short side. */
static int parse_shape(long *num, long *den, const char *s)
{
    char *e;
    errno = 0;
    long r = strtol(s, &e, 10);
    if (errno || e == s || *e != 'x' || r < 1 || r > 1000000000L || s[0] == '+')
        return -1;
    const char *c0 = e + 1;
    long c = strtol(c0, &e, 10);
    if (errno || e == c0 || *e != '\0' || c < 1 || c > 1000000000L || c0[0] == '+')
        return -1;
    *num = r > c ? r : c;
    *den = r > c ? c : r;
    const long g = gcd(*num, *den);
    *num /= g;
    *den /= g;
    return 0;
}

/* --shape and --aspect: the flops weighting of the schedule search. */
static int check_shape(settings *st, const options *o)
{
    st->aspect_num = st->aspect_den = 1;
    if (!o->shape && !o->aspect)
        return 0;
    if (o->shape && o->aspect)
        return fail_usage("%s", "--shape and --aspect exclude each other");
    if (!o->search && !o->pareto && !(o->degree && strcmp(o->degree, "auto") == 0))
        return fail_usage("%s", "--shape and --aspect weigh the schedule search: they need "
                                "--degree auto, --search or --pareto");
    if (o->aspect && parse_aspect(&st->aspect_num, &st->aspect_den, o->aspect) != 0)
        return fail_usage("--aspect '%s' must be a number in 1..10000 with at most two "
                          "decimals", o->aspect);
    if (o->shape && parse_shape(&st->aspect_num, &st->aspect_den, o->shape) != 0)
        return fail_usage("--shape '%s' must be ROWSxCOLS, two whole numbers in "
                          "1..1000000000", o->shape);
    if (st->aspect_num > 10000 * st->aspect_den || st->aspect_den > SPOW_SEARCH_MAX_ASPECT_DEN)
        return fail_usage("--shape '%s': its aspect ratio %ld/%ld is beyond what the search "
                          "weighs (denominator <= %d, ratio <= 10000); give --aspect with "
                          "two decimals instead", o->shape, st->aspect_num, st->aspect_den,
                          SPOW_SEARCH_MAX_ASPECT_DEN);
    return 0;
}

/* --degree, --steps and --target-err, which constrain each other. */
static int check_schedule(settings *st, const options *o)
{
    st->ndeg = 1;
    st->degrees[0] = 2;
    st->greedy = 0;
    if (o->fit && !st->fam->joint)
        return fail_usage("--fit is for the fixed-point family (family '%s' fits step by step)",
                          st->fam->name);
    if (o->fit && strcmp(o->fit, "greedy") != 0 && strcmp(o->fit, "joint") != 0)
        return fail_usage("--fit '%s' must be joint or greedy", o->fit);
    if (st->fam->joint) {
        /* the degree follows from p, the fit is over a given number of steps */
        if (o->degree || o->target || o->scheme || !o->steps)
            return fail_usage("family '%s' fits --steps K constants jointly: give --steps "
                              "and no --degree, --target-err or --scheme", st->fam->name);
        st->greedy = o->fit && strcmp(o->fit, "greedy") == 0;
    }
    st->fit_starts = 0;
    if (o->fit_starts && (!st->fam->joint || st->greedy))
        return fail_usage("%s", "--fit-starts is for the fixed-point family's joint fit");
    if (o->fit_starts && spow_cli_parse_long(&st->fit_starts, o->fit_starts, 1, 100000) != 0)
        return fail_usage("--fit-starts '%s' must be a whole number in 1..100000",
                          o->fit_starts);
    st->autodeg = o->degree && strcmp(o->degree, "auto") == 0;
    if (st->autodeg && o->steps)
        return fail_usage("%s", "--degree auto chooses the steps itself: drop --steps");
    if (st->autodeg && st->fam->search_schedule == NULL)
        return fail_usage("family '%s' cannot search a degree schedule", st->fam->name);
    if (o->degree && !st->autodeg && parse_degrees(st->degrees, &st->ndeg, o->degree) != 0)
        return fail_usage("--degree '%s' must be a degree 1..16 or a comma-separated list of "
                          "at most 64 of them", o->degree);
    st->steps = 0;
    if (o->steps && spow_cli_parse_long(&st->steps, o->steps, 1, SPOW_GEN_MAX_STEPS) != 0)
        return fail_usage("--steps '%s' must be a whole number in 1..64", o->steps);
    if (o->steps && o->target)
        return fail_usage("%s", "--steps and --target-err exclude each other");
    if (st->steps > 0 && st->ndeg > st->steps)
        return fail_usage("--degree '%s' lists more degrees than --steps", o->degree);
    st->target = 0;
    if (o->target) {
        if (spow_cli_parse_double(&st->target, o->target) != 0 ||
            !(st->target > 0 && st->target < 1))
            return fail_usage("--target-err '%s' must be a number in (0, 1)", o->target);
    } else if (st->steps == 0) {
        if (st->ndeg > 1)
            st->steps = st->ndeg;
        else
            st->target = 1e-6;
    }
    return 0;
}

/* The options that need no multiprecision number, in the order their errors
 * are reported; 0, or the exit status of a usage error. */
static int check_options(settings *st, const options *o)
{
    if (o->p == NULL)
        return fail_usage("%s", "--p is required");
    if (spow_rational_parse(&st->m, &st->n, o->p) != 0)
        return fail_usage("--p '%s' %s", o->p, spow_rational_why(o->p));
    const spow_p_status pst = spow_p_check(st->m, st->n);
    if (pst == SPOW_P_DEN)
        return fail_usage("--p '%s': denominators above %d are not supported (the powers "
                          "G^n would cost more than the rest of the recurrence)", o->p,
                          SPOW_GEN_MAX_DEN);
    if (pst == SPOW_P_RANGE)
        return fail_usage("--p '%s' is outside -2 <= p <= 1", o->p);
    st->fam = spow_family_find(o->family ? o->family : "coupled");
    if (st->fam == NULL)
        return fail_usage("unknown family '%s' (try --list-families; the evaluation-only "
                          "families are spow-inspect's)", o->family);
    const char *why = st->fam->unsupported ? st->fam->unsupported(st->m, st->n) : NULL;
    if (why)
        return fail_usage("--p '%s': %s", o->p, why);
    st->scheme = o->search && !o->scheme ? -1 : SPOW_SCHEME_PS;
    if (o->scheme && parse_scheme(&st->scheme, o->scheme) != 0)
        return fail_usage("--scheme '%s' must be paterson-stockmeyer, sastre or nested",
                          o->scheme);
    if (st->scheme == SPOW_SCHEME_NESTED &&
        (o->search || (o->degree && strcmp(o->degree, "auto") == 0)))
        return fail_usage("%s", "--scheme nested is not searched (each nested step is a "
                                "local search of its own): give the degrees, e.g. --degree "
                                "8,8,16");
    if (o->scheme && o->pareto)
        return fail_usage("%s", "--pareto covers every evaluation scheme: drop --scheme");
    st->prec = 256;
    if (o->prec &&
        spow_cli_parse_long(&st->prec, o->prec, SPOW_GEN_MIN_PREC, SPOW_GEN_MAX_PREC) != 0)
        return fail_usage("--prec '%s' must be a whole number of bits in 64..8192 (less than "
                          "64 cannot certify double coefficients)", o->prec);
    st->samples = 2000;
    if (o->samples && spow_cli_parse_long(&st->samples, o->samples, 16, 1000000) != 0)
        return fail_usage("--samples '%s' must be a whole number in 16..1000000", o->samples);
    st->format = o->format ? o->format : o->pareto ? "text" : "json";
    st->emitter = spow_emitter_find(st->format);
    if (st->emitter == NULL)
        return fail_usage("--format '%s' must be c, json, csv, text or quintic", st->format);
    if (strcmp(st->format, "quintic") == 0 && st->m != 0)
        return fail_usage("--format quintic writes p = 0 tables only (x <- a x + b x^3 + c x^5)");
    int status = check_design_options(o, st->format, &st->budget);
    if (status == 0)
        status = check_shape(st, o);
    if (status == 0)
        status = check_schedule(st, o);
    /* before the fit, which may take minutes */
    if (status == 0 && o->output && spow_cli_check_writable(&cli, o->output))
        status = 2;
    return status;
}

/* --lo, --hi and --margin into par (initialised at the working precision);
 * 0, or the exit status of a usage error. */
static int check_interval(spow_fit_params *par, const options *o)
{
    if (parse_real(par->lo, o->lo ? o->lo : "1e-3") != 0 || mpfr_sgn(par->lo) <= 0)
        return fail_usage("--lo '%s' must be a positive finite number", o->lo);
    if (parse_real(par->hi, o->hi ? o->hi : "1") != 0 || mpfr_cmp(par->hi, par->lo) <= 0)
        return fail_usage("--hi '%s' must be a finite number above --lo", o->hi ? o->hi : "1");
    if (parse_real(par->margin, o->margin ? o->margin : "0") != 0 ||
        mpfr_sgn(par->margin) < 0 || mpfr_cmp_ui(par->margin, 1) >= 0)
        return fail_usage("--margin '%s' must be a number in [0, 1)", o->margin);
    if (mpfr_cmp_d(par->hi, 1e6) > 0 || mpfr_cmp_d(par->lo, 1e-12) < 0)
        return fail_usage("%s", "--lo and --hi must lie in [1e-12, 1e6]: normalized singular "
                                "values are at most 1");
    /* Allowed (a user may scale differently), but said: the runtime's scaled
     * singular values never exceed 1, so such an interval pays for nothing. */
    if (mpfr_cmp_d(par->hi, 1.1) > 0)
        fprintf(stderr, "spow-gen: warning: --hi %s: after the runtime's scaling no singular "
                        "value exceeds 1 (1.001 covers rounding, 1.02 bf16); the fit spends "
                        "accuracy on [1.1, %s] that is never reached\n", o->hi, o->hi);
    return 0;
}

/* The command that regenerates this output byte for byte (minus -o). */
static void canonical_command(char *command, size_t size, const settings *st, const options *o)
{
    int len = snprintf(command, size, "spow-gen --family %s --p %ld/%ld --lo %s --hi %s",
                       st->fam->name, st->m, st->n, o->lo ? o->lo : "1e-3", o->hi ? o->hi : "1");
    if (st->fam->joint)
        len += snprintf(command + len, size - (size_t)len, " --fit %s",
                        st->greedy ? "greedy" : "joint");
    else
        len += snprintf(command + len, size - (size_t)len, " %s%s%s",
                        o->search ? "--search" : "--degree", o->search ? "" : " ",
                        o->search ? "" : o->degree ? o->degree : "2");
    if (st->fit_starts)
        len += snprintf(command + len, size - (size_t)len, " --fit-starts %ld",
                        st->fit_starts);
    if (o->scheme)
        len += snprintf(command + len, size - (size_t)len, " --scheme %s", o->scheme);
    if (o->budget)
        len += snprintf(command + len, size - (size_t)len, " --search-budget %s", o->budget);
    if (o->shape || o->aspect)
        len += snprintf(command + len, size - (size_t)len, " --%s %s",
                        o->shape ? "shape" : "aspect", o->shape ? o->shape : o->aspect);
    if (st->steps > 0)
        len += snprintf(command + len, size - (size_t)len, " --steps %ld", st->steps);
    else
        len += snprintf(command + len, size - (size_t)len, " --target-err %s",
                        o->target ? o->target : "1e-6");
    snprintf(command + len, size - (size_t)len,
             " --prec %ld --margin %s --samples %ld%s%s --format %s", st->prec,
             o->margin ? o->margin : "0", st->samples, o->name ? " --name " : "",
             o->name ? o->name : "", st->format);
}

/* --degree auto and --search: the design search (progress and a spent
 * budget reported on stderr) decides the schedule at 128 bits, into st and
 * par; the pipeline then fits and certifies it like a typed one.  0, or the
 * exit status. */
static int choose_design(settings *st, spow_fit_params *par, const options *o, char *name,
                         size_t namelen)
{
    spow_schedule sch;
    const spow_search_space *space;
    int rc = spow_design_choose_shape(&sch, &space, o->search ? o->family : st->fam->name,
                                      st->scheme, par,
                                      (mpfr_prec_t)(st->prec < 128 ? st->prec : 128), st->budget,
                                      st->aspect_num, st->aspect_den, stderr);
    if (rc) {
        fprintf(stderr, "spow-gen: %s\n", spow_gen_strerror(rc));
        return 1;
    }
    if (o->shape || o->aspect) {
        char buf[4 * SPOW_GEN_MAX_STEPS];
        spow_schedule_format(buf, sizeof buf, &sch);
        fprintf(stderr, "spow-gen: cheapest for aspect %g: %s, %d GEMMs costing %g small-side "
                        "products\n", (double)st->aspect_num / (double)st->aspect_den, buf,
                sch.cost, sch.flops);
    }
    st->fam = spow_family_find(space->family);
    memcpy(st->degrees, sch.degree, (size_t)sch.nsteps * sizeof *st->degrees);
    st->ndeg = sch.nsteps;
    if (st->ndeg == 0)
        st->degrees[st->ndeg++] = 2;    /* p = 1: no step will be fitted */
    st->autodeg = 0;
    st->scheme = space->eval;
    par->scheme = space->eval;
    if (!o->name)
        default_name(name, namelen, st->fam->name, st->m, st->n, o->lo ? o->lo : "1e-3",
                     st->scheme);
    par->nsteps = st->ndeg;
    par->ndegrees = st->ndeg;
    par->degrees = st->degrees;
    return 0;
}

/* Do both double forms a user may copy (blocks and monomials) certify the
 * target? */
static int reaches_target(const spow_gen_result *res, double target)
{
    return mpfr_cmp_d(res->rec_f64.max_rel_err, target) <= 0 &&
           mpfr_cmp_d(res->rec_mono.max_rel_err, target) <= 0;
}

/* The search judges exact coefficients; a schedule whose double coefficients
 * miss the target is not what was asked for. */
static int misses_target(const spow_gen_result *res, double target)
{
    if (reaches_target(res, target))
        return 0;
    mpfr_fprintf(stderr, "spow-gen: the cheapest schedule reaches --target-err with exact "
                         "coefficients (%.3Re) but not with double ones (%.3Re blocks, %.3Re "
                         "monomials): no table written; give --degree explicitly\n",
                 res->rec.max_rel_err, res->rec_f64.max_rel_err, res->rec_mono.max_rel_err);
    return 1;
}

/* --search over both schemes picked a Sastre design (res, st, par): its
 * forms' coefficients can round to float far worse than Paterson-Stockmeyer
 * blocks do (at lo = 1e-5 the float certificate of p = 1/2's cheapest form
 * design is 0.47, the blocks' 1.8e-7).  When the cheapest Paterson-Stockmeyer
 * design that reaches the target certifies its float coefficients more than
 * 10 times better, that design is the table, and stderr says so (--scheme
 * sastre keeps the forms).  Returns 1 when it swapped res, st, par and name. */
static int prefer_float_stable(spow_gen_result *res, settings *st, spow_fit_params *par,
                               const options *o, char *name, size_t namelen, const char *name0)
{
    settings ps = *st;
    spow_fit_params ppar = *par;
    char pname[160];
    snprintf(pname, sizeof pname, "%s", name0);
    ps.scheme = SPOW_SCHEME_PS;
    if (choose_design(&ps, &ppar, o, pname, sizeof pname) != 0)
        return 0;
    spow_gen_params pgp = { ps.fam, ppar, 0, (int)ps.samples };
    spow_gen_result pres;
    if (spow_gen_table(&pres, &pgp, (mpfr_prec_t)ps.prec) != 0) {
        spow_gen_result_clear(&pres);
        return 0;
    }
    mpfr_t bound;
    mpfr_init2(bound, 64);
    mpfr_mul_ui(bound, pres.rec_f32.max_rel_err, 10, MPFR_RNDN);
    const int swap = reaches_target(&pres, ps.target) &&
                     mpfr_cmp(res->rec_f32.max_rel_err, bound) > 0;
    if (swap) {
        mpfr_fprintf(stderr, "spow-gen: the cheapest design, by Sastre's form (%d GEMMs), "
                             "certifies %.3RUe with float coefficients; the cheapest "
                             "Paterson-Stockmeyer design (%d GEMMs) %.3RUe: taking the latter "
                             "(--scheme sastre keeps the form)\n",
                     spow_report_gemms(&res->rec_f64), res->rec_f32.max_rel_err,
                     spow_report_gemms(&pres.rec_f64), pres.rec_f32.max_rel_err);
        spow_gen_result_clear(res);
        *res = pres;
        *st = ps;
        *par = ppar;
        par->degrees = st->degrees;     /* ppar pointed into ps */
        snprintf(name, namelen, "%s", pname);
    } else {
        spow_gen_result_clear(&pres);
    }
    mpfr_clear(bound);
    return swap;
}

/* The work: the design search or the front if asked, spow_gen_table, then
 * the write; the exit status. */
static int run(const settings *st0, const spow_fit_params *par0, const options *o,
               const char *name0)
{
    if (o->pareto)
        return run_pareto(o, par0, (mpfr_prec_t)st0->prec, st0->budget, st0->aspect_num,
                          st0->aspect_den);
    settings st1 = *st0;
    spow_fit_params par1 = *par0;       /* shares the caller's numbers, read only */
    settings *st = &st1;
    const spow_fit_params *par = &par1;
    char name[160];
    snprintf(name, sizeof name, "%s", name0);
    const int searched = st->autodeg || o->search;
    if (searched && choose_design(st, &par1, o, name, sizeof name) != 0)
        return 1;
    char command[1024];
    canonical_command(command, sizeof command, st, o);
    spow_gen_params gp = { st->fam, *par, st->autodeg, (int)st->samples };
    spow_gen_result res;
    int rc = spow_gen_table(&res, &gp, (mpfr_prec_t)st->prec);
    if (rc == SPOW_GEN_ENOFORM && o->search && !o->scheme) {
        /* The search assumed a Sastre form for every step; the cheapest
         * Paterson-Stockmeyer design is the next best, and the user is told. */
        fprintf(stderr, "spow-gen: the cheapest design has a step without a real Sastre form; "
                        "searching Paterson-Stockmeyer designs instead\n");
        spow_gen_result_clear(&res);
        st->scheme = SPOW_SCHEME_PS;
        snprintf(name, sizeof name, "%s", name0);
        if (choose_design(st, &par1, o, name, sizeof name) != 0)
            return 1;
        gp.fit = *par;
        rc = spow_gen_table(&res, &gp, (mpfr_prec_t)st->prec);
    }
    if (rc == 0 && o->search && !o->scheme && st->scheme == SPOW_SCHEME_SASTRE)
        prefer_float_stable(&res, st, &par1, o, name, sizeof name, name0);
    if (rc == 0 && searched && misses_target(&res, st->target)) {
        spow_gen_result_clear(&res);
        return 1;
    }
    if (rc == SPOW_GEN_ESAMPLE) {
        mpfr_fprintf(stderr, "spow-gen: internal error: sampled error %.20Re exceeds the "
                             "certificate %.20Re; no table written\n",
                     res.rec_f64.sampled_err, res.rec_f64.max_rel_err);
    } else if (rc) {
        fprintf(stderr, "spow-gen: %s%s\n", spow_gen_strerror(rc),
                rc == SPOW_GEN_EDOMAIN ? ": no table written" : "");
    } else {
        spow_report rep;
        spow_gen_result_report(&rep, &res, command, name);
        emit_ctx ectx = { st->emitter, &rep };
        /* A certificate this large approximates nothing: x/s^p may be off by
         * half or more.  Written anyway (it is what was asked), but said. */
        if (mpfr_cmp_d(res.rec_f64.max_rel_err, 0.5) >= 0)
            mpfr_fprintf(stderr, "spow-gen: warning: the certified max |x/s^p - 1| is %.3RUe: "
                                 "this recurrence does not approximate s^p on [lo, hi]; use "
                                 "%s\n", res.rec_f64.max_rel_err,
                         st->fam->joint ? "more steps or the coupled family"
                                        : "more steps, higher degrees or --degree auto");
        if (!spow_emit_quintic_fits(rep.rec_mono) && st->emitter->emit == spow_emit_quintic) {
            /* known only after a --degree auto search: refused, nothing written */
            fprintf(stderr, "spow-gen: %s\n", spow_gen_strerror(SPOW_GEN_EFORMAT));
            rc = 1;
        } else {
            rc = spow_cli_write(&cli, o->output, emit_to, &ectx);
        }
    }
    spow_gen_result_clear(&res);
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    options o = { 0 };
    const spow_cli_option opts[] = {
        { "p", &o.p, NULL },           { "lo", &o.lo, NULL },
        { "hi", &o.hi, NULL },         { "degree", &o.degree, NULL },
        { "steps", &o.steps, NULL },   { "target-err", &o.target, NULL },
        { "family", &o.family, NULL }, { "prec", &o.prec, NULL },
        { "margin", &o.margin, NULL }, { "samples", &o.samples, NULL },
        { "format", &o.format, NULL }, { "name", &o.name, NULL },
        { "list-families", NULL, list_families },
        { "search", NULL, see_search },      { "pareto", NULL, see_pareto },
        { "plot", &o.plot, NULL },           { "search-budget", &o.budget, NULL },
        { "shape", &o.shape, NULL },         { "aspect", &o.aspect, NULL },
        { "scheme", &o.scheme, NULL },       { "fit", &o.fit, NULL },
        { "fit-starts", &o.fit_starts, NULL },
    };
    search_seen = pareto_seen = 0;
    int status = spow_cli_parse(&cli, opts, (int)(sizeof opts / sizeof opts[0]), &o.output,
                                argc, argv);
    if (status >= 0)
        return status;
    o.search = search_seen;
    o.pareto = pareto_seen;

    /* ---- validate everything before any work ---- */
    settings st;
    status = check_options(&st, &o);
    if (status)
        return status;
    spow_fit_params par;
    mpfr_inits2((mpfr_prec_t)st.prec, par.lo, par.hi, par.margin, (mpfr_ptr)0);
    char name[160];
    default_name(name, sizeof name, st.fam->name, st.m, st.n, o.lo ? o.lo : "1e-3", st.scheme);
    status = check_interval(&par, &o);
    if (status == 0 && o.name && !valid_name(o.name))
        status = fail_usage("--name '%s' may hold only letters, digits and _ - . +", o.name);
    if (status == 0 && !o.name && !valid_name(name))
        status = fail_usage("--lo '%s' cannot form a table name; give --name", o.lo);
    if (status == 0) {
        par.p_num = st.m;
        par.p_den = st.n;
        par.nsteps = (int)st.steps;
        par.degrees = st.degrees;
        par.ndegrees = st.ndeg;
        par.target_err = st.target;
        par.scheme = st.scheme;
        par.greedy = st.greedy;
        par.fit_starts = (int)st.fit_starts;
        status = run(&st, &par, &o, o.name ? o.name : name);
    }
    mpfr_clears(par.lo, par.hi, par.margin, (mpfr_ptr)0);
    mpfr_free_cache();
    return status;
}
