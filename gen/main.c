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
#include "spow_cli.h"
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
"                    --target-err (branch and bound over degrees 1,2,4,6,9,12,16)\n"
"  --steps K         number of steps, 1..64 (default: the length of a --degree list)\n"
"  --target-err E    fewest steps whose certified error is <= E (default 1e-6 when\n"
"                    neither --steps nor a --degree list is given)\n"
"  --family NAME     recurrence family (default coupled; see --list-families)\n"
"  --prec BITS       starting working precision, 64..8192 (default 256); raised\n"
"                    until the double coefficients stop changing\n"
"  --margin M        fit the first step on [lo/(1+M), hi*(1+M)] to absorb rounding\n"
"                    of values just outside [lo, hi]; 0 <= M < 1 (default 0)\n"
"  --samples N       points of the independent dense check, 16..1000000 (default 2000)\n"
"  --format F        c, json (default), csv or text\n"
"  --name NAME       table name (default <family>_p<m>_<n>_lo<L>)\n"
"  -o FILE           write to FILE (atomically) instead of standard output\n"
"  --list-families   list the families and exit\n"
"  --version         print the version and exit\n"
"  -h, --help        print this help and exit\n"
"\n"
"Exit status: 0 on success, 2 on a usage error, 1 when fitting or writing fails.\n",
          f);
}

typedef struct options {
    const char *p, *lo, *hi, *degree, *steps, *target, *family, *prec, *margin, *samples,
        *format, *name, *output;
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

/* name: coupled_p1_2_lo1e-3, p with 'm' for a minus sign */
static void default_name(char *buf, size_t n, const char *family, long m, long d, const char *lo)
{
    snprintf(buf, n, "%s_p%s%ld_%ld_lo%s", family, m < 0 ? "m" : "", m < 0 ? -m : m, d, lo);
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
    };
    int status = spow_cli_parse(&cli, opts, (int)(sizeof opts / sizeof opts[0]), &o.output,
                                argc, argv);
    if (status >= 0)
        return status;

    /* ---- validate everything before any work ---- */
    if (o.p == NULL)
        return fail_usage("%s", "--p is required");
    long m, n;
    if (spow_rational_parse(&m, &n, o.p) != 0)
        return fail_usage("--p '%s' is not a rational number m/n with n != 0", o.p);
    if (n > SPOW_GEN_MAX_DEN)
        return fail_usage("--p '%s': denominators above 64 are not supported (the powers "
                          "G^n would cost more than the rest of the recurrence)", o.p);
    if (m > n || m < -2 * n)
        return fail_usage("--p '%s' is outside -2 <= p <= 1", o.p);
    const spow_family *fam = spow_family_find(o.family ? o.family : "coupled");
    if (fam == NULL)
        return fail_usage("unknown family '%s' (try --list-families; the evaluation-only "
                          "families are spow-inspect's)", o.family);
    long prec = 256;
    if (o.prec && spow_cli_parse_long(&prec, o.prec, SPOW_GEN_MIN_PREC, SPOW_GEN_MAX_PREC) != 0)
        return fail_usage("--prec '%s' must be a whole number of bits in 64..8192 (less than "
                          "64 cannot certify double coefficients)", o.prec);
    long samples = 2000;
    if (o.samples && spow_cli_parse_long(&samples, o.samples, 16, 1000000) != 0)
        return fail_usage("--samples '%s' must be a whole number in 16..1000000", o.samples);
    const char *format = o.format ? o.format : "json";
    const spow_emitter *emitter = spow_emitter_find(format);
    if (emitter == NULL)
        return fail_usage("--format '%s' must be c, json, csv or text", format);
    int degrees[SPOW_GEN_MAX_STEPS], ndeg = 1;
    degrees[0] = 2;
    const int autodeg = o.degree && strcmp(o.degree, "auto") == 0;
    if (autodeg && o.steps)
        return fail_usage("%s", "--degree auto chooses the steps itself: drop --steps");
    if (autodeg && fam->search_schedule == NULL)
        return fail_usage("family '%s' cannot search a degree schedule", fam->name);
    if (o.degree && !autodeg && parse_degrees(degrees, &ndeg, o.degree) != 0)
        return fail_usage("--degree '%s' must be a degree 1..16 or a comma-separated list of "
                          "at most 64 of them", o.degree);
    long steps = 0;
    if (o.steps && spow_cli_parse_long(&steps, o.steps, 1, SPOW_GEN_MAX_STEPS) != 0)
        return fail_usage("--steps '%s' must be a whole number in 1..64", o.steps);
    if (o.steps && o.target)
        return fail_usage("%s", "--steps and --target-err exclude each other");
    if (steps > 0 && ndeg > steps)
        return fail_usage("--degree '%s' lists more degrees than --steps", o.degree);
    double target = 0;
    if (o.target) {
        if (spow_cli_parse_double(&target, o.target) != 0 || !(target > 0 && target < 1))
            return fail_usage("--target-err '%s' must be a number in (0, 1)", o.target);
    } else if (steps == 0) {
        if (ndeg > 1)
            steps = ndeg;
        else
            target = 1e-6;
    }

    spow_gen_params gp = { fam, { 0 }, autodeg, (int)samples };
    spow_fit_params par;
    mpfr_inits2((mpfr_prec_t)prec, par.lo, par.hi, par.margin, (mpfr_ptr)0);
    int bad = 0;
    if (parse_real(par.lo, o.lo ? o.lo : "1e-3") != 0 || mpfr_sgn(par.lo) <= 0)
        bad = fail_usage("--lo '%s' must be a positive finite number", o.lo);
    else if (parse_real(par.hi, o.hi ? o.hi : "1") != 0 || mpfr_cmp(par.hi, par.lo) <= 0)
        bad = fail_usage("--hi '%s' must be a finite number above --lo", o.hi ? o.hi : "1");
    else if (parse_real(par.margin, o.margin ? o.margin : "0") != 0 ||
             mpfr_sgn(par.margin) < 0 || mpfr_cmp_ui(par.margin, 1) >= 0)
        bad = fail_usage("--margin '%s' must be a number in [0, 1)", o.margin);
    else if (mpfr_cmp_d(par.hi, 1e6) > 0 || mpfr_cmp_d(par.lo, 1e-12) < 0)
        bad = fail_usage("%s", "--lo and --hi must lie in [1e-12, 1e6]: normalized singular "
                               "values are at most 1");
    char name[160];
    default_name(name, sizeof name, fam->name, m, n, o.lo ? o.lo : "1e-3");
    if (!bad && o.name && !valid_name(o.name))
        bad = fail_usage("--name '%s' may hold only letters, digits and _ - . +", o.name);
    if (!bad && !o.name && !valid_name(name))
        bad = fail_usage("--lo '%s' cannot form a table name; give --name", o.lo);
    if (bad) {
        mpfr_clears(par.lo, par.hi, par.margin, (mpfr_ptr)0);
        return bad;
    }

    /* The command that regenerates this output byte for byte (minus -o). */
    char command[1024];
    int len = snprintf(command, sizeof command,
                       "spow-gen --family %s --p %ld/%ld --lo %s --hi %s --degree %s",
                       fam->name, m, n, o.lo ? o.lo : "1e-3", o.hi ? o.hi : "1",
                       o.degree ? o.degree : "2");
    if (steps > 0)
        len += snprintf(command + len, sizeof command - (size_t)len, " --steps %ld", steps);
    else
        len += snprintf(command + len, sizeof command - (size_t)len, " --target-err %s",
                        o.target ? o.target : "1e-6");
    snprintf(command + len, sizeof command - (size_t)len,
             " --prec %ld --margin %s --samples %ld%s%s --format %s", prec,
             o.margin ? o.margin : "0", samples, o.name ? " --name " : "", o.name ? o.name : "",
             format);

    par.p_num = m;
    par.p_den = n;
    par.nsteps = (int)steps;
    par.degrees = degrees;
    par.ndegrees = ndeg;
    par.target_err = target;
    gp.fit = par;

    spow_gen_result res;
    int rc = spow_gen_table(&res, &gp, (mpfr_prec_t)prec);
    if (rc == SPOW_GEN_ESAMPLE) {
        mpfr_fprintf(stderr, "spow-gen: internal error: sampled error %.20Re exceeds the "
                             "certificate %.20Re; no table written\n",
                     res.rec_f64.sampled_err, res.rec_f64.max_rel_err);
    } else if (rc) {
        fprintf(stderr, "spow-gen: %s%s\n", spow_gen_strerror(rc),
                rc == SPOW_GEN_EDOMAIN ? ": no table written" : "");
    } else {
        spow_report rep;
        spow_gen_result_report(&rep, &res, command, o.name ? o.name : name);
        emit_ctx ectx = { emitter, &rep };
        rc = spow_cli_write(&cli, o.output, emit_to, &ectx);
    }
    spow_gen_result_clear(&res);
    mpfr_clears(par.lo, par.hi, par.margin, (mpfr_ptr)0);
    mpfr_free_cache();
    return rc ? 1 : 0;
}
