/* main.c -- spow-gen: the command line of the generator.
 *
 * Parses and validates everything before any work, fits with precision
 * escalation, certifies (exact, double-rounded and float-rounded coefficients,
 * plus an independent dense sample), and writes the output atomically: to a
 * temporary file renamed over FILE at the end, so a failure leaves no file.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "spow_gen.h"

#define SPOW_GEN_VERSION "0.1.0"

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

static int fail_usage(const char *fmt, const char *arg)
{
    fputs("spow-gen: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'spow-gen --help'.\n", stderr);
    return 2;
}

/* A whole number in [lo, hi], the whole string. */
static int parse_int(long *v, const char *s, long lo, long hi)
{
    char *e;
    errno = 0;
    long x = strtol(s, &e, 10);
    if (errno || e == s || *e != '\0' || x < lo || x > hi)
        return -1;
    *v = x;
    return 0;
}

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

static void print_text(FILE *f, const spow_report *rep)
{
    const spow_recurrence *r = rep->rec_f64;
    fprintf(f, "%s: p = %ld/%ld, family %s, s in [%g, %g], %d steps, %d GEMMs\n", rep->name,
            r->p_num, r->p_den, r->family->name, mpfr_get_d(r->lo, MPFR_RNDN),
            mpfr_get_d(r->hi, MPFR_RNDN), r->steps, spow_report_gemms(r));
    fprintf(f, "%4s %6s %6s %12s %24s %24s\n", "step", "degree", "gemms", "max_rel_err", "y_lo",
            "y_hi");
    for (int k = 0; k < r->steps; k++) {
        const spow_step_mp *st = &r->step[k];
        mpfr_fprintf(f, "%4d %6d %6d %12.3RUe", k + 1, st->degree, st->gemms, st->err);
        fprintf(f, " %24.17g %24.17g\n", mpfr_get_d(st->y_lo, MPFR_RNDN),
                mpfr_get_d(st->y_hi, MPFR_RNDN));
    }
    mpfr_fprintf(f, "certified max |x/s^p - 1|: %.3RUe (double blocks), %.3RUe (double "
                    "monomials), %.3RUe (exact), %.3RUe (float blocks)\n",
                 r->max_rel_err, rep->rec_mono->max_rel_err, rep->rec->max_rel_err,
                 rep->rec_f32->max_rel_err);
    fprintf(f, "independent dense sample: %.3e; working precision %ld bits\n",
            mpfr_get_d(r->sampled_err, MPFR_RNDU), (long)rep->prec);
}

static int emit(FILE *f, const char *format, const spow_report *rep)
{
    if (strcmp(format, "c") == 0)
        return spow_emit_c(f, rep);
    if (strcmp(format, "json") == 0)
        return spow_emit_json(f, rep);
    if (strcmp(format, "csv") == 0)
        return spow_emit_csv(f, rep);
    print_text(f, rep);
    return ferror(f) ? SPOW_GEN_EIO : 0;
}

typedef struct emit_ctx {
    const char *format;
    const spow_report *rep;
} emit_ctx;

static int emit_to(FILE *f, const void *vctx)
{
    const emit_ctx *c = vctx;
    return emit(f, c->format, c->rep);
}

static int write_output(const char *path, const char *format, const spow_report *rep)
{
    if (path == NULL) {
        int rc = emit(stdout, format, rep);
        return (fflush(stdout) != 0 || rc) ? SPOW_GEN_EIO : 0;
    }
    emit_ctx c = { format, rep };
    return spow_write_atomic(path, emit_to, &c);
}

/* The sample may touch the certificate at the equioscillation points; it may
 * not exceed it by more than the rounding of the working precision. */
static int sample_exceeds(const mpfr_t sampled, const mpfr_t cert, mpfr_prec_t prec)
{
    mpfr_t bound;
    mpfr_init2(bound, prec);
    mpfr_mul_2si(bound, cert, -40, MPFR_RNDU);    /* the sample carries >= 64 guard bits */
    mpfr_add(bound, bound, cert, MPFR_RNDU);
    int over = mpfr_cmp(sampled, bound) > 0;
    mpfr_clear(bound);
    return over;
}

int main(int argc, char **argv)
{
    enum { O_P = 256, O_LO, O_HI, O_DEGREE, O_STEPS, O_TARGET, O_FAMILY, O_PREC, O_MARGIN,
           O_SAMPLES, O_FORMAT, O_NAME, O_LIST, O_VERSION };
    static const struct option longopts[] = {
        { "p", required_argument, 0, O_P },           { "lo", required_argument, 0, O_LO },
        { "hi", required_argument, 0, O_HI },         { "degree", required_argument, 0, O_DEGREE },
        { "steps", required_argument, 0, O_STEPS },   { "target-err", required_argument, 0, O_TARGET },
        { "family", required_argument, 0, O_FAMILY }, { "prec", required_argument, 0, O_PREC },
        { "margin", required_argument, 0, O_MARGIN }, { "samples", required_argument, 0, O_SAMPLES },
        { "format", required_argument, 0, O_FORMAT }, { "name", required_argument, 0, O_NAME },
        { "list-families", no_argument, 0, O_LIST },  { "version", no_argument, 0, O_VERSION },
        { "help", no_argument, 0, 'h' },              { 0, 0, 0, 0 },
    };
    options o = { 0 };
    const char **slot[] = { &o.p, &o.lo, &o.hi, &o.degree, &o.steps, &o.target, &o.family,
                            &o.prec, &o.margin, &o.samples, &o.format, &o.name };
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return 0;
        }
        if (c == O_VERSION) {
            puts("spow-gen " SPOW_GEN_VERSION);
            return 0;
        }
        if (c == O_LIST) {
            for (const spow_family *const *f = spow_family_list(); *f; f++)
                printf("%s\t%s\n", (*f)->name, (*f)->summary);
            return 0;
        }
        if (c == ':')
            return fail_usage("option '%s' needs an argument", argv[optind - 1]);
        if (c == '?')
            return fail_usage("unknown option '%s'", argv[optind - 1]);
        const char **dst = c == 'o' ? &o.output : slot[c - O_P];
        if (*dst != NULL)
            return fail_usage("option '%s' given twice", argv[optind - 1]);
        *dst = optarg;
    }
    if (optind < argc)
        return fail_usage("unexpected argument '%s'", argv[optind]);

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
    if (o.prec && parse_int(&prec, o.prec, SPOW_GEN_MIN_PREC, SPOW_GEN_MAX_PREC) != 0)
        return fail_usage("--prec '%s' must be a whole number of bits in 64..8192 (less than "
                          "64 cannot certify double coefficients)", o.prec);
    long samples = 2000;
    if (o.samples && parse_int(&samples, o.samples, 16, 1000000) != 0)
        return fail_usage("--samples '%s' must be a whole number in 16..1000000", o.samples);
    const char *format = o.format ? o.format : "json";
    if (strcmp(format, "c") && strcmp(format, "json") && strcmp(format, "csv") &&
        strcmp(format, "text"))
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
    if (o.steps && parse_int(&steps, o.steps, 1, SPOW_GEN_MAX_STEPS) != 0)
        return fail_usage("--steps '%s' must be a whole number in 1..64", o.steps);
    if (o.steps && o.target)
        return fail_usage("%s", "--steps and --target-err exclude each other");
    if (steps > 0 && ndeg > steps)
        return fail_usage("--degree '%s' lists more degrees than --steps", o.degree);
    double target = 0;
    if (o.target) {
        char *e;
        errno = 0;
        target = strtod(o.target, &e);
        if (errno || e == o.target || *e != '\0' || !(target > 0 && target < 1))
            return fail_usage("--target-err '%s' must be a number in (0, 1)", o.target);
    } else if (steps == 0) {
        if (ndeg > 1)
            steps = ndeg;
        else
            target = 1e-6;
    }

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

    int rc = 0;
    if (autodeg) {
        /* 128 bits decide any target above 1e-30; the chosen schedule is then
         * fitted and certified at the full working precision */
        rc = fam->search_schedule(degrees, &ndeg, &par, (mpfr_prec_t)(prec < 128 ? prec : 128));
        if (rc == 0 && ndeg == 0)
            degrees[ndeg++] = 2;    /* p = 1: no step will be fitted */
        par.nsteps = ndeg;
        par.ndegrees = ndeg;
    }
    spow_recurrence rec, r64, r32, rmono;
    mpfr_prec_t used = 0;
    if (rc == 0)
        rc = spow_fit(&rec, fam, &par, (mpfr_prec_t)prec, &used);
    mpfr_clears(par.lo, par.hi, par.margin, (mpfr_ptr)0);
    if (rc) {
        fprintf(stderr, "spow-gen: %s\n", spow_gen_strerror(rc));
        return 1;
    }
    spow_recurrence_round(&r64, &rec, 53);
    spow_recurrence_round(&r32, &rec, 24);
    spow_recurrence_round_mono(&rmono, &rec, 53);
    fam->certify(&r64);
    fam->certify(&r32);
    fam->certify(&rmono);
    /* The sample needs the certificate's magnitude plus guard bits, not the
     * escalated working precision (which resolves the exact coefficients'
     * far smaller error): 64 bits beyond -log2(certificate), at least 128. */
    long sample_prec = 128;
    if (mpfr_regular_p(r64.max_rel_err) && 64 - mpfr_get_exp(r64.max_rel_err) > sample_prec)
        sample_prec = 64 - mpfr_get_exp(r64.max_rel_err);
    if (sample_prec > (long)used)
        sample_prec = (long)used;
    mpfr_t argmax, sampled;
    mpfr_inits2((mpfr_prec_t)sample_prec, argmax, sampled, (mpfr_ptr)0);
    spow_certify_sample(sampled, argmax, &r64, (int)samples);
    mpfr_set(r64.sampled_err, sampled, MPFR_RNDN);
    mpfr_clears(argmax, sampled, (mpfr_ptr)0);

    if (!mpfr_number_p(r64.max_rel_err)) {
        fputs("spow-gen: the recurrence leaves the domain where it can be certified "
              "(y reaches 0): no table written\n", stderr);
        rc = 1;
    } else if (sample_exceeds(r64.sampled_err, r64.max_rel_err, used)) {
        /* cannot happen if the certificate is right: refuse rather than ship it */
        mpfr_fprintf(stderr, "spow-gen: internal error: sampled error %.20Re exceeds the "
                             "certificate %.20Re; no table written\n",
                     r64.sampled_err, r64.max_rel_err);
        rc = 1;
    } else {
        spow_report rep = { &rec, &r64, &r32, &rmono, command, o.name ? o.name : name, used };
        rc = write_output(o.output, format, &rep);
        if (rc) {
            fprintf(stderr, "spow-gen: cannot write '%s': %s\n", o.output ? o.output : "stdout",
                    spow_gen_strerror(rc));
            rc = 1;
        }
    }
    spow_recurrence_clear(&rmono);
    spow_recurrence_clear(&r32);
    spow_recurrence_clear(&r64);
    spow_recurrence_clear(&rec);
    mpfr_free_cache();
    return rc;
}
