/* json_read.h -- a small strict JSON reader (RFC 8259), enough for the
 * tables spow-gen writes.  Anything outside the grammar is an error with its
 * line and column: no comments, no trailing commas, no NaN, no duplicate keys,
 * nothing after the top-level value.  Numbers become doubles (strtod, so the
 * 17-digit numbers spow-gen prints round-trip exactly, and its "1e999" for an
 * infinite error reads as +Inf).  Strings may not contain U+0000. */
#ifndef SPOW_JSON_READ_H
#define SPOW_JSON_READ_H

#include <stddef.h>

typedef enum spow_json_type {
    SPOW_JSON_NULL,
    SPOW_JSON_FALSE,
    SPOW_JSON_TRUE,
    SPOW_JSON_NUMBER,
    SPOW_JSON_STRING,
    SPOW_JSON_ARRAY,
    SPOW_JSON_OBJECT
} spow_json_type;

typedef struct spow_json {
    spow_json_type type;
    double number;              /* SPOW_JSON_NUMBER */
    char *string;               /* SPOW_JSON_STRING, UTF-8, NUL-terminated */
    size_t n;                   /* entries of an array or object */
    struct spow_json *items;    /* the n values */
    char **keys;                /* object: the n keys, in file order */
    int line, column;           /* where the value starts (1-based), for messages */
} spow_json;

#define SPOW_JSON_MAX_DEPTH 64

/* Parses text[0..len-1] into *root.  Returns 0, or SPOW_GEN_EARG with a message
 * "line L, column C: ..." in err (root then holds nothing to clear), or
 * SPOW_GEN_ENOMEM. */
int spow_json_parse(spow_json *root, const char *text, size_t len, char *err, size_t errlen);
/* Reads and parses a file; SPOW_GEN_EIO (with strerror in err) if it cannot
 * be read. */
int spow_json_read_file(spow_json *root, const char *path, char *err, size_t errlen);
void spow_json_clear(spow_json *v);
/* The value of key in an object, or NULL (also when obj is not an object). */
const spow_json *spow_json_get(const spow_json *obj, const char *key);

#endif /* SPOW_JSON_READ_H */
