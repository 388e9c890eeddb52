/* spow_cli.h -- what spow-gen and spow-inspect share on the command line:
 * the option loop, number parsers, usage errors, --help/--version, and how
 * a result is written (standard output or an atomic -o FILE) and how a
 * failure to write it is reported, and the exponent p as written on a
 * command line.  Plain C and POSIX: spow-bench uses it too.
 *
 * Conventions of both programs: a usage error is one "PROGRAM: ..." line
 * plus "Try 'PROGRAM --help'." on stderr and exit status 2, with nothing on
 * stdout; an option given twice is a usage error.
 */
#ifndef SPOW_CLI_H
#define SPOW_CLI_H

#include <stdio.h>

typedef struct spow_cli {
    const char *program;            /* "spow-gen" */
    void (*usage)(FILE *f);         /* the --help text */
} spow_cli;

/* One long option.  With slot, it takes a value stored there (NULL until
 * given); without, action runs as soon as the option is seen and its return
 * is the program's exit status (--list-families), or -1 to go on parsing (a
 * switch such as spow-gen's --search, which records itself). */
typedef struct spow_cli_option {
    const char *name;               /* without the leading "--" */
    const char **slot;
    int (*action)(void);
} spow_cli_option;

/* ---- options (options.c) ------------------------------------------------- */

#define SPOW_CLI_MAX_OPTIONS 32

/* Parses argv against opts[0..nopts-1] plus -h/--help, --version and
 * -o FILE (into *output).  Returns -1 when the program should go on, else
 * the exit status: 0 after --help, --version or an action, 2 after a usage
 * error (reported).  Positional arguments are usage errors. */
int spow_cli_parse(const spow_cli *cli, const spow_cli_option *opts, int nopts,
                   const char **output, int argc, char **argv);

/* Reports a usage error (printf-style) and returns 2. */
int spow_cli_fail(const spow_cli *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A whole number in [lo, hi], the whole string: 0, or -1. */
int spow_cli_parse_long(long *v, const char *s, long lo, long hi);
/* A finite number, the whole string: 0, or -1. */
int spow_cli_parse_double(double *v, const char *s);

/* ---- the exponent p (rational.c) ------------------------------------------ */

/* Parses "m/n", "m" or a short decimal ("0.25") into m/n in lowest terms with
 * n > 0.  Returns 0, or -1 on anything else (zero denominator, junk,
 * overflow) leaving the outputs alone. */
int spow_rational_parse(long *num, long *den, const char *s);
/* The reason to print when spow_rational_parse refuses s ("is too large..."
 * or "is not a rational number..."), after the quoted string. */
const char *spow_rational_why(const char *s);
/* num/den in lowest terms with den > 0, in place: 0, or -1 (den = 0, or a
 * LONG_MIN that cannot change sign) leaving them alone. */
int spow_rational_reduce(long *num, long *den);

/* ---- output (output.c) ---------------------------------------------------- */

/* Writes through FILE.tmp.<pid> renamed over FILE: 0, or -1 with errno set
 * (write's failure counts: it returns nonzero); no partial file is left. */
int spow_cli_write_atomic(const char *path, int (*write)(FILE *, const void *), const void *ctx);
/* The program's result: through write to standard output (path NULL) or
 * atomically to path.  On failure reports "PROGRAM: cannot write 'PATH':
 * REASON" and returns 1 (the exit status); 0 on success. */
int spow_cli_write(const spow_cli *cli, const char *path, int (*write)(FILE *, const void *),
                   const void *ctx);
/* Before any work: can path be written as a file (not a directory, its
 * directory exists and is writable)?  0, or reports "PROGRAM: cannot write
 * 'PATH': REASON" and returns 1, so a long fit is not lost to a typo. */
int spow_cli_check_writable(const spow_cli *cli, const char *path);

/* The file name without its directory: a plot script refers to its data by
 * name, relative to its own directory (gnuplot runs there). */
const char *spow_cli_path_base(const char *path);

#define SPOW_CLI_ENOGNUPLOT 1       /* spow_cli_gnuplot: no gnuplot on PATH */

/* Runs gnuplot on script in the figure's directory with outfile set to a
 * temporary file next to path (.png or .svg), then renames it over path.
 * Returns 0, or SPOW_CLI_ENOGNUPLOT or -1 (gnuplot or the rename failed; no
 * partial figure is left) with a one-line message naming the figure, its
 * data file and the script in msg. */
int spow_cli_gnuplot(const char *path, const char *script, const char *data, char *msg,
                     size_t msglen);

#endif /* SPOW_CLI_H */
