/* json_read.c -- a strict recursive-descent JSON reader; see json_read.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "json_read.h"
#include "spow_gen.h"

typedef struct parser {
    const char *p, *end, *start;
    int depth;
    char *err;
    size_t errlen;
    int rc;                     /* first error */
} parser;

static void where(const parser *ps, const char *at, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (const char *q = ps->start; q < at; q++) {
        if (*q == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

static int fail(parser *ps, const char *at, const char *fmt, ...)
{
    if (ps->rc)
        return ps->rc;
    int line, col;
    where(ps, at, &line, &col);
    int n = snprintf(ps->err, ps->errlen, "line %d, column %d: ", line, col);
    if (n >= 0 && (size_t)n < ps->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    ps->rc = SPOW_GEN_EARG;
    return ps->rc;
}

static int oom(parser *ps)
{
    if (!ps->rc) {
        snprintf(ps->err, ps->errlen, "out of memory");
        ps->rc = SPOW_GEN_ENOMEM;
    }
    return ps->rc;
}

static void skip_ws(parser *ps)
{
    while (ps->p < ps->end &&
           (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

/* A printable description of the character at p, for messages. */
static const char *describe(const parser *ps, char *buf, size_t n)
{
    if (ps->p >= ps->end)
        return "the end of the input";
    unsigned char c = (unsigned char)*ps->p;
    if (c >= 0x20 && c < 0x7f)
        snprintf(buf, n, "'%c'", c);
    else
        snprintf(buf, n, "byte 0x%02x", c);
    return buf;
}

static int parse_value(parser *ps, spow_inspect_json *v);

static int hex4(const char *s, unsigned *u)
{
    *u = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        *u <<= 4;
        if (c >= '0' && c <= '9')
            *u |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            *u |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            *u |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    return 0;
}

static size_t put_utf8(char *dst, unsigned cp)
{
    if (cp < 0x80) {
        dst[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        dst[0] = (char)(0xc0 | (cp >> 6));
        dst[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        dst[0] = (char)(0xe0 | (cp >> 12));
        dst[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        dst[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    dst[0] = (char)(0xf0 | (cp >> 18));
    dst[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    dst[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    dst[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* ps->p is at the opening quote.  The decoded string is never longer than
 * the raw one, so one allocation of the raw length suffices. */
static int parse_string(parser *ps, char **out)
{
    const char *open = ps->p++;
    const char *q = ps->p;
    while (q < ps->end && *q != '"') {
        if (*q == '\\' && q + 1 < ps->end)
            q++;
        q++;
    }
    if (q >= ps->end)
        return fail(ps, open, "string not closed");
    char *s = malloc((size_t)(q - ps->p) + 1), *d = s;
    if (s == NULL)
        return oom(ps);
    while (*ps->p != '"') {
        unsigned char c = (unsigned char)*ps->p;
        if (c < 0x20) {
            free(s);
            return fail(ps, ps->p, "control character 0x%02x inside a string (escape it)", c);
        }
        if (c != '\\') {
            *d++ = (char)c;
            ps->p++;
            continue;
        }
        const char *esc = ps->p++;
        char e = *ps->p++;
        switch (e) {
        case '"': *d++ = '"'; break;
        case '\\': *d++ = '\\'; break;
        case '/': *d++ = '/'; break;
        case 'b': *d++ = '\b'; break;
        case 'f': *d++ = '\f'; break;
        case 'n': *d++ = '\n'; break;
        case 'r': *d++ = '\r'; break;
        case 't': *d++ = '\t'; break;
        case 'u': {
            unsigned cp, lo;
            if (ps->end - ps->p < 4 || hex4(ps->p, &cp) != 0) {
                free(s);
                return fail(ps, esc, "\\u needs four hex digits");
            }
            ps->p += 4;
            if (cp >= 0xd800 && cp < 0xdc00) {
                if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u' ||
                    hex4(ps->p + 2, &lo) != 0 || lo < 0xdc00 || lo >= 0xe000) {
                    free(s);
                    return fail(ps, esc, "unpaired UTF-16 surrogate in \\u escape");
                }
                ps->p += 6;
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            } else if (cp >= 0xdc00 && cp < 0xe000) {
                free(s);
                return fail(ps, esc, "unpaired UTF-16 surrogate in \\u escape");
            }
            if (cp == 0) {
                free(s);
                return fail(ps, esc, "\\u0000 is not accepted in strings");
            }
            d += put_utf8(d, cp);
            break;
        }
        default:
            free(s);
            return fail(ps, esc, "invalid escape '\\%c'", e);
        }
    }
    ps->p++;
    *d = '\0';
    *out = s;
    return 0;
}

static int is_digit(const parser *ps)
{
    return ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9';
}

static int parse_number(parser *ps, spow_inspect_json *v)
{
    const char *b = ps->p;
    if (ps->p < ps->end && *ps->p == '-')
        ps->p++;
    if (!is_digit(ps))
        return fail(ps, b, "malformed number");
    if (*ps->p == '0') {
        ps->p++;
        if (is_digit(ps))
            return fail(ps, b, "leading zeros are not allowed in numbers");
    } else {
        while (is_digit(ps))
            ps->p++;
    }
    if (ps->p < ps->end && *ps->p == '.') {
        ps->p++;
        if (!is_digit(ps))
            return fail(ps, b, "malformed number: digits must follow '.'");
        while (is_digit(ps))
            ps->p++;
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        ps->p++;
        if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
            ps->p++;
        if (!is_digit(ps))
            return fail(ps, b, "malformed number: digits must follow the exponent");
        while (is_digit(ps))
            ps->p++;
    }
    /* strtod needs a terminated copy: the input is not NUL-terminated here */
    size_t n = (size_t)(ps->p - b);
    char buf[128];
    if (n >= sizeof buf)
        return fail(ps, b, "number too long (%zu characters)", n);
    memcpy(buf, b, n);
    buf[n] = '\0';
    errno = 0;
    v->type = SPOW_INSPECT_JSON_NUMBER;
    v->number = strtod(buf, NULL);   /* overflow gives +-Inf, as spow-gen's 1e999 intends */
    return 0;
}

static int literal(parser *ps, const char *word, spow_inspect_json_type t, spow_inspect_json *v)
{
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) {
        char buf[32];
        return fail(ps, ps->p, "unexpected %s", describe(ps, buf, sizeof buf));
    }
    ps->p += n;
    v->type = t;
    return 0;
}

/* Appends an empty value (and key slot) to v; returns it or NULL. */
static spow_inspect_json *grow(spow_inspect_json *v, size_t *cap, int with_keys)
{
    if (v->n == *cap) {
        size_t nc = *cap ? 2 * *cap : 8;
        spow_inspect_json *items = realloc(v->items, nc * sizeof *items);
        if (items == NULL)
            return NULL;
        v->items = items;
        if (with_keys) {
            char **keys = realloc(v->keys, nc * sizeof *keys);
            if (keys == NULL)
                return NULL;
            v->keys = keys;
        }
        *cap = nc;
    }
    spow_inspect_json *it = &v->items[v->n];
    memset(it, 0, sizeof *it);
    if (with_keys)
        v->keys[v->n] = NULL;
    v->n++;
    return it;
}

/* Steps over the opening bracket and the white space after it; 1 (and over
 * close too) if the list is empty. */
static int open_empty(parser *ps, char close)
{
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return 1;
    }
    return 0;
}

/* After an item of an array or object: 1 if a ',' says another follows, 0
 * if close ends the list, else the error (negative). */
static int next_item(parser *ps, char close, const char *in)
{
    char buf[32];
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ',') {
        ps->p++;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == close)
            return fail(ps, ps->p, "trailing comma before '%c'", close);
        return 1;
    }
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return 0;
    }
    return fail(ps, ps->p, "expected ',' or '%c' in %s, found %s", close, in,
                describe(ps, buf, sizeof buf));
}

/* The key and the ':' of an object's next member; returns the slot for its
 * value, or NULL with ps->rc set. */
static spow_inspect_json *parse_key(parser *ps, spow_inspect_json *v, size_t *cap)
{
    char buf[32];
    skip_ws(ps);
    if (ps->p >= ps->end || *ps->p != '"') {
        fail(ps, ps->p, "expected a quoted key, found %s", describe(ps, buf, sizeof buf));
        return NULL;
    }
    const char *kpos = ps->p;
    char *key;
    if (parse_string(ps, &key))
        return NULL;
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->keys[i], key) == 0) {
            free(key);
            fail(ps, kpos, "duplicate key \"%s\"", v->keys[i]);
            return NULL;
        }
    spow_inspect_json *it = grow(v, cap, 1);
    if (it == NULL) {
        free(key);
        oom(ps);
        return NULL;
    }
    v->keys[v->n - 1] = key;
    skip_ws(ps);
    if (ps->p >= ps->end || *ps->p != ':') {
        fail(ps, ps->p, "expected ':' after key \"%s\", found %s", key,
             describe(ps, buf, sizeof buf));
        return NULL;
    }
    ps->p++;
    return it;
}

/* An array or (object nonzero) an object, from its opening bracket to the
 * closing one: the items are values, or members that start with a key. */
static int parse_items(parser *ps, spow_inspect_json *v, int object)
{
    const char close = object ? '}' : ']';
    size_t cap = 0;
    v->type = object ? SPOW_INSPECT_JSON_OBJECT : SPOW_INSPECT_JSON_ARRAY;
    if (open_empty(ps, close))
        return 0;
    for (;;) {
        spow_inspect_json *it = object ? parse_key(ps, v, &cap) : grow(v, &cap, 0);
        if (it == NULL)
            return object ? ps->rc : oom(ps);
        if (parse_value(ps, it))
            return ps->rc;
        int more = next_item(ps, close, object ? "an object" : "an array");
        if (more <= 0)
            return more;
    }
}

static int parse_value(parser *ps, spow_inspect_json *v)
{
    skip_ws(ps);
    where(ps, ps->p, &v->line, &v->column);
    if (ps->p >= ps->end)
        return fail(ps, ps->p, "unexpected end of input: a value is missing");
    if (++ps->depth > SPOW_INSPECT_JSON_MAX_DEPTH)
        return fail(ps, ps->p, "nesting deeper than %d levels", SPOW_INSPECT_JSON_MAX_DEPTH);
    int rc;
    switch (*ps->p) {
    case '{': rc = parse_items(ps, v, 1); break;
    case '[': rc = parse_items(ps, v, 0); break;
    case '"':
        v->type = SPOW_INSPECT_JSON_STRING;
        rc = parse_string(ps, &v->string);
        break;
    case 't': rc = literal(ps, "true", SPOW_INSPECT_JSON_TRUE, v); break;
    case 'f': rc = literal(ps, "false", SPOW_INSPECT_JSON_FALSE, v); break;
    case 'n': rc = literal(ps, "null", SPOW_INSPECT_JSON_NULL, v); break;
    default:
        if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9')) {
            rc = parse_number(ps, v);
        } else {
            char buf[32];
            rc = fail(ps, ps->p, "unexpected %s where a value should start",
                      describe(ps, buf, sizeof buf));
        }
    }
    ps->depth--;
    return rc;
}

void spow_inspect_json_clear(spow_inspect_json *v)
{
    if (v->type == SPOW_INSPECT_JSON_STRING)
        free(v->string);
    if (v->type == SPOW_INSPECT_JSON_ARRAY || v->type == SPOW_INSPECT_JSON_OBJECT) {
        for (size_t i = 0; i < v->n; i++) {
            spow_inspect_json_clear(&v->items[i]);
            if (v->keys)
                free(v->keys[i]);
        }
        free(v->items);
        free(v->keys);
    }
    memset(v, 0, sizeof *v);
}

int spow_inspect_json_parse(spow_inspect_json *root, const char *text, size_t len, char *err,
                            size_t errlen)
{
    parser ps = { text, text + len, text, 0, err, errlen, 0 };
    memset(root, 0, sizeof *root);
    if (err && errlen)
        err[0] = '\0';
    if (parse_value(&ps, root) == 0) {
        skip_ws(&ps);
        if (ps.p < ps.end) {
            char buf[32];
            fail(&ps, ps.p, "unexpected %s after the top-level value",
                 describe(&ps, buf, sizeof buf));
        }
    }
    if (ps.rc)
        spow_inspect_json_clear(root);
    return ps.rc;
}

int spow_inspect_json_read_file(spow_inspect_json *root, const char *path, char *err, size_t errlen)
{
    memset(root, 0, sizeof *root);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return SPOW_GEN_EIO;
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fclose(f);
        snprintf(err, errlen, "cannot read: %s (a JSON table file is expected)", strerror(EISDIR));
        return SPOW_GEN_EIO;
    }
    size_t cap = 1 << 16, n = 0, r;
    char *buf = malloc(cap);
    if (buf == NULL) {
        fclose(f);
        snprintf(err, errlen, "out of memory");
        return SPOW_GEN_ENOMEM;
    }
    while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            char *nb = cap < ((size_t)1 << 30) ? realloc(buf, cap * 2) : NULL;
            if (nb == NULL) {
                free(buf);
                fclose(f);
                snprintf(err, errlen, "file too large or out of memory");
                return SPOW_GEN_ENOMEM;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        snprintf(err, errlen, "read error");
        return SPOW_GEN_EIO;
    }
    int rc = spow_inspect_json_parse(root, buf, n, err, errlen);
    free(buf);
    return rc;
}

const spow_inspect_json *spow_inspect_json_get(const spow_inspect_json *obj, const char *key)
{
    if (obj == NULL || obj->type != SPOW_INSPECT_JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < obj->n; i++)
        if (strcmp(obj->keys[i], key) == 0)
            return &obj->items[i];
    return NULL;
}
