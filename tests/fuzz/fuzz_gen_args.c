/* fuzz_gen_args.c -- spow-gen's command line: every option and its value
 * parser (p, degree lists, numbers, names), in-process.
 *
 * The input is split at newlines into at most 16 arguments after
 * "spow-gen".  gen/main.c is compiled into this target with main renamed
 * to spow_gen_main, and spow_fit is replaced by a stub that refuses: what is
 * fuzzed is everything before the fit (a real fit takes seconds), so no
 * input reaches the output code and no file is ever written.  Inputs that
 * ask for --degree auto, --search or --pareto are skipped for the same
 * reason: their schedule search runs before spow_fit.  getopt's state is
 * reset before each call.
 *
 * Properties: no crash, no leak, no sanitizer report, an exit status of 0
 * (help, version, family list), 1 (the stub's refusal) or 2 (usage error),
 * and 0 only when one of the informational options was given. */
#include <getopt.h>
#include <string.h>

#include "fuzz.h"
#include "spow_gen.h"

int spow_gen_main(int argc, char **argv);

/* Linked before libspowgen.a, so the archive's fit.c is never pulled in
 * (it defines nothing else); a link error here means it now does. */
int spow_fit(spow_recurrence *rec, const spow_family *fam, const spow_fit_params *par,
             mpfr_prec_t prec, mpfr_prec_t *used_prec)
{
    (void)rec;
    (void)fam;
    (void)par;
    (void)prec;
    (void)used_prec;
    return SPOW_GEN_EARG;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *devnull;
    char *buf = malloc(size + 1), *argv[18], *p;
    int argc = 0, rc, info = 0, i;
    FILE *saved_out, *saved_err;

    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    argv[argc++] = "spow-gen";
    for (p = buf; argc < 17;) {
        char *nl = strchr(p, '\n');
        argv[argc++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    argv[argc] = NULL;
    for (i = 1; i < argc; i++) {
        /* --search and --pareto (and prefixes of them) search before the fit too */
        if (strstr(argv[i], "auto") || strncmp(argv[i], "--se", 4) == 0 ||
            strncmp(argv[i], "--pa", 4) == 0) {
            free(buf);
            return 0;
        }
        /* getopt_long takes unambiguous prefixes: --he, --vers, --li. */
        if ((strncmp(argv[i], "--h", 3) == 0 || strcmp(argv[i], "-h") == 0
             || strncmp(argv[i], "--v", 3) == 0 || strncmp(argv[i], "--li", 4) == 0
             || (argv[i][0] == '-' && argv[i][1] != '-' && strchr(argv[i], 'h'))))
            info = 1;
    }
    /* Messages go to /dev/null through the FILE pointers only: file
     * descriptor 2 stays open for sanitizer reports. */
    if (!devnull)
        devnull = fopen("/dev/null", "w");
    saved_out = stdout;
    saved_err = stderr;
    stdout = stderr = devnull;
    optind = 0; /* glibc: a full re-initialisation of getopt */
    rc = spow_gen_main(argc, argv);
    stdout = saved_out;
    stderr = saved_err;
    FUZZ_CHECK(rc == 0 || rc == 1 || rc == 2, "exit status %d", rc);
    FUZZ_CHECK(rc != 0 || info, "exit 0 without --help, --version or --list-families");
    free(buf);
    return 0;
}
