/* replay.c -- a main for the fuzz targets when libFuzzer is not linked in:
 * runs LLVMFuzzerTestOneInput once on each file named on the command line,
 * or on every regular file of a named directory.  Arguments starting with
 * '-' are libFuzzer options and are skipped, so one command line serves
 * both builds.  Each input gets a buffer of exactly its size, so that a
 * sanitizer build catches a read past its end.  Fails when it ran nothing:
 * a corpus path gone wrong must not pass silently. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    long n;
    uint8_t *buf;

    if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        if (f)
            fclose(f);
        return -1;
    }
    /* malloc(0) may return NULL; one spare byte keeps the pointer valid
     * without making the input longer. */
    buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, (size_t)n);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    long ran = 0;
    int i;

    for (i = 1; i < argc; i++) {
        struct stat st;
        if (argv[i][0] == '-')
            continue;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s does not exist\n", argv[i]);
            return 1;
        }
        if (S_ISDIR(st.st_mode)) {
            DIR *d = opendir(argv[i]);
            struct dirent *e;
            if (!d) {
                fprintf(stderr, "replay: cannot open %s\n", argv[i]);
                return 1;
            }
            while ((e = readdir(d)) != NULL) {
                char path[4096];
                struct stat fs;
                snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
                if (stat(path, &fs) != 0 || !S_ISREG(fs.st_mode))
                    continue;
                if (run_file(path) != 0) {
                    closedir(d);
                    return 1;
                }
                ran++;
            }
            closedir(d);
        } else {
            if (run_file(argv[i]) != 0)
                return 1;
            ran++;
        }
    }
    printf("replay: %ld inputs, no failure\n", ran);
    return ran > 0 ? 0 : 1;
}
