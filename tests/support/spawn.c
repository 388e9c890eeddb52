/* spawn.c -- run a program, capture what it prints (see spawn.h). */
#include <check.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "spow_spawn.h"

extern char **environ;

char *spow_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0, r;
    char *buf = malloc(cap);
    while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n < 2)
            buf = realloc(buf, cap *= 2);
    }
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = n;
    return buf;
}

spow_run spow_run_program(const char *prog, const char *const *args, const char *path_env)
{
    /* files rather than pipes: no deadlock whatever the program prints */
    char outp[] = "/tmp/spow-test-outXXXXXX", errp[] = "/tmp/spow-test-errXXXXXX";
    int fo = mkstemp(outp), fe = mkstemp(errp);
    ck_assert(fo >= 0 && fe >= 0);
    const char *argv[96];
    int n = 0;
    argv[n++] = prog;
    for (; *args && n < 95; args++)
        argv[n++] = *args;
    argv[n] = NULL;
    char **envp = environ, *own[256], pathvar[512];
    if (path_env) {
        int m = 0;
        for (char **e = environ; *e && m < 250; e++)
            if (strncmp(*e, "PATH=", 5) != 0)
                own[m++] = *e;
        snprintf(pathvar, sizeof pathvar, "PATH=%s", path_env);
        own[m++] = pathvar;
        own[m] = NULL;
        envp = own;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fo, 1);
    posix_spawn_file_actions_adddup2(&fa, fe, 2);
    pid_t pid;
    ck_assert_int_eq(posix_spawn(&pid, prog, &fa, NULL, (char *const *)argv, envp), 0);
    spow_run r;
    ck_assert_int_eq(waitpid(pid, &r.status, 0), pid);
    posix_spawn_file_actions_destroy(&fa);
    close(fo);
    close(fe);
    r.out = spow_slurp(outp, &r.out_len);
    r.err = spow_slurp(errp, NULL);
    unlink(outp);
    unlink(errp);
    return r;
}

void spow_run_free(spow_run *r)
{
    free(r->out);
    free(r->err);
}

int spow_run_exit_code(const spow_run *r)
{
    return WIFEXITED(r->status) ? WEXITSTATUS(r->status) : -1;
}

void spow_run_refused(const char *prog, const char *const *args, const char *out,
                      const char *prefix, size_t min_len)
{
    const char *argv[84];
    char joined[600] = "";
    int n = 0;
    for (; args[n]; n++) {
        ck_assert_int_lt(n, 80);
        argv[n] = args[n];
        /* the failure messages name the case by its arguments */
        size_t len = strlen(joined);
        snprintf(joined + len, sizeof joined - len, "%s ", args[n]);
    }
    argv[n++] = "-o";
    argv[n++] = out;
    argv[n] = NULL;
    spow_run r = spow_run_program(prog, argv, NULL);
    ck_assert_msg(spow_run_exit_code(&r) == 2, "'%s': exit %d, want 2 (%s)", joined,
                  spow_run_exit_code(&r), r.err);
    ck_assert_msg(r.out_len == 0, "'%s': wrote to stdout", joined);
    ck_assert_msg(strncmp(r.err, prefix, strlen(prefix)) == 0 && strlen(r.err) > min_len,
                  "'%s': no clear message: '%s'", joined, r.err);
    struct stat st;
    ck_assert_msg(stat(out, &st) != 0, "'%s': created the output file", joined);
    spow_run_free(&r);
}

double spow_number_after(const char *text, const char *pat)
{
    const char *s = strstr(text, pat);
    ck_assert_msg(s != NULL, "no '%s' in\n%s", pat, text);
    return strtod(s + strlen(pat), NULL);
}
