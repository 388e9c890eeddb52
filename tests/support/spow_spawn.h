/* spow_spawn.h -- the tests' way of running a program as a user does: arguments in,
 * exit status, stdout and stderr out. */
#ifndef SPOW_TEST_SPAWN_H
#define SPOW_TEST_SPAWN_H
#include <stddef.h>

typedef struct spow_run {
    int status;             /* as from waitpid */
    char *out, *err;        /* NUL-terminated captures */
    size_t out_len;
} spow_run;

/* Runs prog with args (NULL-terminated, at most 90); path_env non-NULL
 * replaces PATH in the child's environment.  Fails the Check test if the
 * program cannot be started. */
spow_run spow_run_program(const char *prog, const char *const *args, const char *path_env);
void spow_run_free(spow_run *r);
/* The exit code, or -1 if the program did not exit normally. */
int spow_run_exit_code(const spow_run *r);
/* Runs prog with args (NULL-terminated, at most 80) and "-o out", and checks
 * that it refuses them as a user error should be refused: exit code 2,
 * nothing on stdout, a message longer than min_len that starts with
 * "prefix" on stderr, and no file at out. */
void spow_run_refused(const char *prog, const char *const *args, const char *out,
                      const char *prefix, size_t min_len);
/* A whole file, NUL-terminated (NULL if it cannot be opened); *len its size. */
char *spow_slurp(const char *path, size_t *len);
/* The number right after the first pat in text; fails the Check test when
 * pat is not there. */
double spow_number_after(const char *text, const char *pat);

#endif
