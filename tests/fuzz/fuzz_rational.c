/* fuzz_rational.c -- spow_rational_parse, the parser of spow-gen's --p.
 *
 * Properties: it never crashes and never reads past the string; a refusal
 * leaves the outputs alone; an accepted p is reduced with a positive
 * denominator; and its value is the one written, checked by exact
 * cross-multiplication in 128 bits for "a/b" and "a.digits" inputs the
 * harness can parse itself.  Anything outside [0-9+-./] must be refused. */
#include <ctype.h>
#include <string.h>

#include "fuzz.h"
#include "spow_cli.h"

typedef __int128 i128;

/* The harness's own Euclid, independent of the code under test. */
static long long gcd_ll(long long a, long long b)
{
    return b ? gcd_ll(b, a % b) : (a < 0 ? -a : a);
}

/* [+-]digits, at most 18 of them, into *v; the end in *end.  0 if not. */
static int whole(i128 *v, const char *s, const char **end)
{
    int neg = 0, nd = 0;
    i128 x = 0;

    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    while (isdigit((unsigned char)*s) && nd < 19) {
        x = 10 * x + (*s++ - '0');
        nd++;
    }
    if (nd == 0 || nd > 18)
        return 0;
    *v = neg ? -x : x;
    *end = s;
    return 1;
}

/* The value the string spells, as num/den, when it is "a/b" or "a.digits"
 * with short enough parts; 0 when the harness does not judge it. */
static int expected(i128 *num, i128 *den, const char *s)
{
    const char *e;

    if (!whole(num, s, &e))
        return 0;
    *den = 1;
    if (*e == '/')
        return whole(den, e + 1, &e) && *e == '\0' && *den != 0;
    if (*e == '.') {
        int neg = s[0] == '-', k = 0;
        for (e++; isdigit((unsigned char)*e) && k < 18; e++, k++) {
            *num = 10 * *num + (neg ? -(*e - '0') : *e - '0');
            *den *= 10;
        }
        return *e == '\0';
    }
    return *e == '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    long m = 12345, n = 54321;
    i128 en, ed;
    size_t i;
    int rc, odd = 0;

    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    /* The parser sees the string up to the first NUL, like argv would. */
    for (i = 0; s[i]; i++)
        if (!(isdigit((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'
              || s[i] == '/'))
            odd = 1;
    rc = spow_rational_parse(&m, &n, s);
    if (rc != 0) {
        FUZZ_CHECK(m == 12345 && n == 54321, "'%s' refused but wrote %ld/%ld", s, m, n);
    } else {
        FUZZ_CHECK(!odd, "'%s' accepted with a stray character", s);
        FUZZ_CHECK(n > 0, "'%s' -> %ld/%ld: denominator not positive", s, m, n);
        FUZZ_CHECK(gcd_ll(m, n) == 1, "'%s' -> %ld/%ld: not reduced", s, m, n);
        if (expected(&en, &ed, s))
            FUZZ_CHECK((i128)m * ed == en * (i128)n, "'%s' -> %ld/%ld: wrong value", s, m, n);
    }
    free(s);
    return 0;
}
