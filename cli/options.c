/* options.c -- the command-line conventions shared by spow-gen and
 * spow-inspect: the option loop, usage errors, number parsers. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include "spow_cli.h"

int spow_cli_fail(const spow_cli *cli, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", cli->program);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry '%s --help'.\n", cli->program);
    va_end(ap);
    return 2;
}

enum { OPT_HELP = 'h', OPT_OUTPUT = 'o', OPT_VERSION = 255, OPT_FIRST = 256 };

int spow_cli_parse(const spow_cli *cli, const spow_cli_option *opts, int nopts,
                   const char **output, int argc, char **argv)
{
    /* getopt_long's table: the program's options are told apart by their
     * index (OPT_FIRST + i), so their order is the caller's only */
    struct option longopts[SPOW_CLI_MAX_OPTIONS + 3];
    if (nopts > SPOW_CLI_MAX_OPTIONS)
        return spow_cli_fail(cli, "%s", "internal error: too many options");
    for (int i = 0; i < nopts; i++)
        longopts[i] = (struct option){ opts[i].name,
                                       opts[i].slot ? required_argument : no_argument, NULL,
                                       OPT_FIRST + i };
    longopts[nopts] = (struct option){ "version", no_argument, NULL, OPT_VERSION };
    longopts[nopts + 1] = (struct option){ "help", no_argument, NULL, OPT_HELP };
    longopts[nopts + 2] = (struct option){ NULL, 0, NULL, 0 };

    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
        if (c == OPT_HELP) {
            cli->usage(stdout);
            return 0;
        }
        if (c == OPT_VERSION) {
            printf("%s %s\n", cli->program, SPOW_VERSION);
            return 0;
        }
        if (c == ':')
            return spow_cli_fail(cli, "option '%s' needs an argument", argv[optind - 1]);
        if (c == '?')
            return spow_cli_fail(cli, "unknown option '%s'", argv[optind - 1]);
        const spow_cli_option *o = c == OPT_OUTPUT ? NULL : &opts[c - OPT_FIRST];
        if (o && o->action)
            return o->action();
        const char **dst = o ? o->slot : output;
        if (*dst != NULL)
            return spow_cli_fail(cli, "option '%s' given twice", argv[optind - 1]);
        *dst = optarg;
    }
    if (optind < argc)
        return spow_cli_fail(cli, "unexpected argument '%s'", argv[optind]);
    return -1;
}

int spow_cli_parse_long(long *v, const char *s, long lo, long hi)
{
    char *e;
    errno = 0;
    long x = strtol(s, &e, 10);
    if (errno || e == s || *e != '\0' || x < lo || x > hi)
        return -1;
    *v = x;
    return 0;
}

int spow_cli_parse_double(double *v, const char *s)
{
    char *e;
    errno = 0;
    double x = strtod(s, &e);
    if (errno || e == s || *e != '\0' || !isfinite(x))
        return -1;
    *v = x;
    return 0;
}
