/* rational.c -- the exponent p as an exact rational m/n: parsed from the
 * command line (spow-gen, spow-inspect, spow-bench) and reduced. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include "spow_cli.h"

int spow_rational_reduce(long *num, long *den)
{
    long m = *num, n = *den;
    if (n == 0 || m == LONG_MIN || n == LONG_MIN)
        return -1;
    if (n < 0) {
        m = -m;
        n = -n;
    }
    /* Euclid on |m| and n; gcd(0, n) = n, so 0/n becomes 0/1 */
    long a = m < 0 ? -m : m, b = n;
    while (b) {
        long t = a % b;
        a = b;
        b = t;
    }
    *num = m / a;
    *den = n / a;
    return 0;
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
        return -1;
    if (*e == '/') {
        if (parse_long(&n, e + 1, &e) != 0 || n == 0)
            return -1;
    } else if (*e == '.') {
        /* a short decimal: digits after the point scale the denominator */
        int neg = s[0] == '-';
        for (e++; isdigit((unsigned char)*e); e++) {
            /* m 10 + digit must fit: (LONG_MAX - 9) / 10, not LONG_MAX / 10 */
            if (n > LONG_MAX / 10 || m > (LONG_MAX - 9) / 10 || m < LONG_MIN / 10 + 10)
                return -1;
            m = m * 10 + (neg ? -(*e - '0') : (*e - '0'));
            n *= 10;
        }
    }
    if (*e != '\0' || spow_rational_reduce(&m, &n) != 0)
        return -1;
    *num = m;
    *den = n;
    return 0;
}

/* Why spow_rational_parse refused s: a well-formed number whose parts do not
 * fit in a long is "too large", anything else is not a rational number. */
const char *spow_rational_why(const char *s)
{
    const char *e = s;
    int digits = 0, nonzero_den = 0;
    if (s == NULL)
        return "is not a rational number m/n with n != 0";
    if (*e == '-' || *e == '+')
        e++;
    for (; isdigit((unsigned char)*e); e++)
        digits++;
    if (*e == '/' || *e == '.') {
        int slash = *e == '/';
        for (e++; isdigit((unsigned char)*e); e++)
            nonzero_den |= *e != '0';
        if (slash && !nonzero_den)
            digits = 0;
    }
    if (digits > 0 && *e == '\0')
        return "is too large: numerator and denominator must fit in a long";
    return "is not a rational number m/n with n != 0";
}
