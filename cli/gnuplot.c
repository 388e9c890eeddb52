/* gnuplot.c -- run gnuplot on a script and put its figure in place
 * atomically (a temporary file renamed over the target): spow-inspect's
 * error curves and spow-gen's error-vs-cost front. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "spow_cli.h"

extern char **environ;

const char *spow_cli_path_base(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* gnuplot's full path on PATH into buf, or -1. */
static int find_gnuplot(char *buf, size_t n)
{
    const char *path = getenv("PATH");
    if (path == NULL || *path == '\0')
        return -1;
    while (*path) {
        const char *end = strchr(path, ':');
        size_t len = end ? (size_t)(end - path) : strlen(path);
        if (len > 0 && len + 10 < n) {
            memcpy(buf, path, len);
            strcpy(buf + len, "/gnuplot");
            if (access(buf, X_OK) == 0)
                return 0;
        }
        if (end == NULL)
            break;
        path = end + 1;
    }
    return -1;
}

/* "dir/name.png" -> "dir" (or "."), into buf. */
static void dir_of(char *buf, size_t n, const char *path)
{
    const char *s = strrchr(path, '/');
    if (s == NULL)
        snprintf(buf, n, ".");
    else if (s == path)
        snprintf(buf, n, "/");
    else
        snprintf(buf, n, "%.*s", (int)(s - path), path);
}

int spow_cli_gnuplot(const char *path, const char *script, const char *data, char *msg,
                     size_t msglen)
{
    char gp[4096];
    if (find_gnuplot(gp, sizeof gp) != 0) {
        snprintf(msg, msglen, "gnuplot not found on PATH: %s not drawn; the data is in %s and "
                 "the script in %s (install gnuplot-nox, then run 'gnuplot %s' in that "
                 "directory)", path, data, script, spow_cli_path_base(script));
        return SPOW_CLI_ENOGNUPLOT;
    }
    const size_t len = strlen(path);
    const int svg = len > 4 && strcmp(path + len - 4, ".svg") == 0;
    char *tmp = malloc(len + 40);
    if (tmp == NULL) {
        snprintf(msg, msglen, "out of memory");
        return -1;
    }
    /* gnuplot works in the figure's directory (its first command is a cd, so
     * the script finds its data by name) and writes a temporary file */
    char dir[4096], pre[8400];
    dir_of(dir, sizeof dir, path);
    snprintf(tmp, len + 40, "%s.tmp.%ld%s", path, (long)getpid(), svg ? ".svg" : ".png");
    snprintf(pre, sizeof pre, "cd '%s'; outfile = '%s'", dir, spow_cli_path_base(tmp));
    char *argv[] = { "gnuplot", "-e", pre, (char *)spow_cli_path_base(script), NULL };
    pid_t pid;
    int status = 0, rc = 0;
    if (posix_spawn(&pid, gp, NULL, NULL, argv, environ) != 0 || waitpid(pid, &status, 0) != pid ||
        !WIFEXITED(status) || WEXITSTATUS(status) != 0 || rename(tmp, path) != 0) {
        remove(tmp);
        snprintf(msg, msglen, "gnuplot failed on %s (data in %s), or the figure could not be "
                 "put in place; %s not drawn", script, data, path);
        rc = -1;
    }
    free(tmp);
    return rc;
}
