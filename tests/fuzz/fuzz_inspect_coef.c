/* fuzz_inspect_coef.c -- spow_inspect_source_coef, spow-inspect's parser of typed
 * constants (--coef "a,b,c;d,e" with decimals or N/D) and of --lo/--hi,
 * for every family, followed by the family's construction of the
 * recurrence from them.
 *
 * Input: byte 0 the family (index into spow_inspect_family_list()), byte 1 the
 * exponent from a list (valid and invalid), byte 2 --steps, 0..64 as
 * spow-inspect's command line allows (0: as many as given; the function
 * itself does not check the bound and overruns its arrays above 64),
 * byte 3 the --lo/--hi pair from a list, byte 4 bit 0: no --coef (the
 * family's published constants); the rest is the --coef text.
 * Properties: no crash, leak or sanitizer report; a refusal carries a
 * message; an accepted source has 1..64 steps. */
#include <string.h>

#include "fuzz.h"
#include "spow_inspect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const long ps[][2] = {{1, 2}, {0, 1}, {-1, 4}, {1, 3}, {2, 1}, {1, 65}, {-3, 1}, {1, 1}};
    static const char *const bounds[][2] = {
        {"1e-3", "1"}, {"1e-2", "1.001"}, {"0", "1"}, {"1e-3", "1e-3"}, {"x", "1"},
        {"1e-13", "1"}, {"1e-3", "1e7"}, {"", ""},
    };
    fuzz_reader rd = {data, size};
    const spow_inspect_family *const *fams = spow_inspect_family_list();
    const spow_inspect_family *fam;
    spow_inspect_source src;
    char msg[2048], *coef;
    unsigned nfam = 0, b0, b1, b2, b3, b4;
    int rc;

    while (fams[nfam])
        nfam++;
    b0 = fuzz_byte(&rd);
    b1 = fuzz_byte(&rd) % 8;
    b2 = fuzz_byte(&rd) % (SPOW_GEN_MAX_STEPS + 1);
    b3 = fuzz_byte(&rd) % 8;
    b4 = fuzz_byte(&rd);
    fam = fams[b0 % nfam];
    coef = malloc(rd.n + 1);
    if (!coef)
        return 0;
    memcpy(coef, rd.p, rd.n);
    coef[rd.n] = '\0';
    msg[0] = '\0';
    rc = spow_inspect_source_coef(&src, fam, ps[b1][0], ps[b1][1], bounds[b3][0], bounds[b3][1],
                          b4 & 1 ? NULL : coef, (int)b2, 64, msg, sizeof msg);
    if (rc == 0) {
        FUZZ_CHECK(src.have_rec, "accepted without a recurrence");
        FUZZ_CHECK(src.rec.steps >= 1 && src.rec.steps <= SPOW_GEN_MAX_STEPS, "%d steps",
                   src.rec.steps);
    } else {
        FUZZ_CHECK(msg[0] != '\0', "refused (%d) without a message", rc);
    }
    spow_inspect_source_clear(&src);
    free(coef);
    return 0;
}
