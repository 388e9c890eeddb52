/* fuzz_inspect_json.c -- spow_inspect_source_json, spow-inspect's loader of the JSON
 * tables spow-gen writes: the strict reader plus the checks of the keys,
 * the step layout and the coefficients, and the build of the recurrence.
 *
 * The loader takes a path, so each input is written to one temporary file
 * (created once, rewritten per input: no fork, no new file per input).
 * Properties: no crash, leak or sanitizer report; a refusal carries a
 * message naming the file; an accepted table has 0 <= steps <= 64, each
 * step of degree 1..16, and p within the generator's -2 <= p <= 1. */
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "spow_inspect.h"

static char path[64];

/* The one scratch file of a run goes when the run does. */
static void remove_scratch(void)
{
    if (path[0])
        remove(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    spow_inspect_source src;
    char msg[2048];
    FILE *f;
    int rc, k;

    if (!path[0]) {
        int fd;
        snprintf(path, sizeof path, "/tmp/spow-fuzz-json-XXXXXX");
        fd = mkstemp(path);
        if (fd < 0)
            abort();
        close(fd);
        atexit(remove_scratch);
    }
    f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    msg[0] = '\0';
    rc = spow_inspect_source_json(&src, path, 64, msg, sizeof msg);
    if (rc == 0) {
        FUZZ_CHECK(src.have_rec, "accepted without a recurrence");
        FUZZ_CHECK(src.rec.steps >= 0 && src.rec.steps <= SPOW_GEN_MAX_STEPS, "%d steps",
                   src.rec.steps);
        FUZZ_CHECK(src.rec.p_den >= 1 && src.rec.p_num <= src.rec.p_den
                       && src.rec.p_num >= -2 * src.rec.p_den,
                   "p = %ld/%ld", src.rec.p_num, src.rec.p_den);
        for (k = 0; k < src.rec.steps; k++)
            FUZZ_CHECK(src.rec.step[k].degree >= 1
                           && src.rec.step[k].degree <= SPOW_GEN_MAX_DEGREE,
                       "step %d of degree %d", k, src.rec.step[k].degree);
    } else {
        FUZZ_CHECK(strstr(msg, path) != NULL, "message without the file: '%s'", msg);
    }
    spow_inspect_source_clear(&src);
    return 0;
}
