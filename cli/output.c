/* output.c -- how both programs write a result: to standard output or
 * atomically to -o FILE, and how a failure to write is reported. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "spow_cli.h"

int spow_cli_write_atomic(const char *path, int (*write)(FILE *, const void *), const void *ctx)
{
    /* FILE.tmp.<pid> renamed over FILE: a failure leaves no partial file, and
     * a reader never sees a half-written one */
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (tmp == NULL)
        return -1;
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    errno = 0;
    FILE *f = fopen(tmp, "w");
    int bad = f == NULL || write(f, ctx) != 0;
    int saved = errno;
    if (f && fclose(f) != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    if (!bad && rename(tmp, path) != 0) {
        bad = 1;
        saved = errno;
    }
    if (bad)
        remove(tmp);
    free(tmp);
    errno = saved;
    return bad ? -1 : 0;
}

int spow_cli_write(const spow_cli *cli, const char *path, int (*write)(FILE *, const void *),
                   const void *ctx)
{
    int bad;
    errno = 0;
    if (path == NULL) {
        bad = write(stdout, ctx) != 0;
        int saved = errno;
        if (fflush(stdout) != 0 && !bad) {
            bad = 1;
            saved = errno;
        }
        errno = saved;
    } else {
        bad = spow_cli_write_atomic(path, write, ctx) != 0;
    }
    if (!bad)
        return 0;
    fprintf(stderr, "%s: cannot write '%s': %s\n", cli->program, path ? path : "stdout",
            errno ? strerror(errno) : "write error");
    return 1;
}

int spow_cli_check_writable(const spow_cli *cli, const char *path)
{
    struct stat sb;
    const char *why = NULL;
    size_t len = strlen(path);
    if (len == 0 || path[len - 1] == '/' || (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)))
        why = strerror(EISDIR);
    if (why == NULL) {
        /* the directory the temporary file and the rename need */
        char *dir = malloc(len + 2);
        if (dir == NULL)
            return 0; /* the write itself will say so */
        memcpy(dir, path, len + 1);
        char *slash = strrchr(dir, '/');
        if (slash == NULL)
            strcpy(dir, ".");
        else if (slash == dir)
            dir[1] = '\0';
        else
            *slash = '\0';
        if (stat(dir, &sb) != 0)
            why = strerror(errno);
        else if (!S_ISDIR(sb.st_mode))
            why = strerror(ENOTDIR);
        else if (access(dir, W_OK) != 0)
            why = strerror(errno);
        free(dir);
    }
    if (why == NULL)
        return 0;
    fprintf(stderr, "%s: cannot write '%s': %s\n", cli->program, path, why);
    return 1;
}
