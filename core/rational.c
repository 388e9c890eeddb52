/* rational.c -- parse the exponent p as an exact rational m/n. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include "spow_gen.h"

static long gcd(long a, long b)
{
    if (a < 0)
        a = -a;
    while (b) {
        long t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* A whole number with optional sign, no spaces; 0 on success. */
static int parse_long(long *v, const char *s, const char **end)
{
    if (!(isdigit((unsigned char)s[0]) ||
          ((s[0] == '-' || s[0] == '+') && isdigit((unsigned char)s[1]))))
        return -1;
    char *e;
    errno = 0;
    long x = strtol(s, &e, 10);
    if (errno == ERANGE || x == LONG_MIN)
        return -1;
    *v = x;
    *end = e;
    return 0;
}

int spow_rational_parse(long *num, long *den, const char *s)
{
    long m, n = 1;
    const char *e;
    if (s == NULL || parse_long(&m, s, &e) != 0)
        return SPOW_GEN_EARG;
    if (*e == '/') {
        if (parse_long(&n, e + 1, &e) != 0 || n == 0)
            return SPOW_GEN_EARG;
    } else if (*e == '.') {
        /* a short decimal: digits after the point scale the denominator */
        int neg = s[0] == '-';
        for (e++; isdigit((unsigned char)*e); e++) {
            /* m 10 + digit must fit: (LONG_MAX - 9) / 10, not LONG_MAX / 10 */
            if (n > LONG_MAX / 10 || m > (LONG_MAX - 9) / 10 || m < LONG_MIN / 10 + 10)
                return SPOW_GEN_EARG;
            m = m * 10 + (neg ? -(*e - '0') : (*e - '0'));
            n *= 10;
        }
    }
    if (*e != '\0')
        return SPOW_GEN_EARG;
    if (n < 0) {
        if (m == LONG_MIN)
            return SPOW_GEN_EARG;
        m = -m;
        n = -n;
    }
    long g = gcd(m, n);
    *num = m / g;
    *den = n / g;
    return 0;
}
