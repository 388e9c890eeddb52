/* output.c -- writing results: atomically to a file, and JSON strings.
 * Shared by spow-gen and spow-inspect. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "spow_gen.h"

int spow_write_atomic(const char *path, int (*write)(FILE *, const void *), const void *ctx)
{
    /* FILE.tmp.<pid> renamed over FILE: a failure leaves no partial file, and
     * a reader never sees a half-written one */
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (tmp == NULL)
        return SPOW_GEN_ENOMEM;
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    int rc = f ? write(f, ctx) : SPOW_GEN_EIO;
    if (f && fclose(f) != 0)
        rc = SPOW_GEN_EIO;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = SPOW_GEN_EIO;
    if (rc)
        remove(tmp);
    free(tmp);
    return rc;
}

void spow_json_put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", (unsigned)(unsigned char)*s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}
