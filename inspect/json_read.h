/* json_read.h -- a small strict JSON reader (RFC 8259), enough for the
 * tables spow-gen writes.  Anything outside the grammar is an error with its
 * line and column: no comments, no trailing commas, no NaN, no duplicate keys,
 * nothing after the top-level value.  Numbers become doubles (strtod, so the
 * 17-digit numbers spow-gen prints round-trip exactly, and its "1e999" for an
 * infinite error reads as +Inf).  Strings may not contain U+0000. */
#ifndef SPOW_INSPECT_JSON_READ_H
#define SPOW_INSPECT_JSON_READ_H

#include <stddef.h>

typedef enum spow_inspect_json_type {
    SPOW_INSPECT_JSON_NULL,
    SPOW_INSPECT_JSON_FALSE,
    SPOW_INSPECT_JSON_TRUE,
    SPOW_INSPECT_JSON_NUMBER,
    SPOW_INSPECT_JSON_STRING,
    SPOW_INSPECT_JSON_ARRAY,
    SPOW_INSPECT_JSON_OBJECT
} spow_inspect_json_type;

typedef struct spow_inspect_json {
    spow_inspect_json_type type;
    double number;              /* SPOW_INSPECT_JSON_NUMBER */
    char *string;               /* SPOW_INSPECT_JSON_STRING, UTF-8, NUL-terminated */
    size_t n;                   /* entries of an array or object */
    struct spow_inspect_json *items;    /* the n values */
    char **keys;                /* object: the n keys, in file order */
    int line, column;           /* where the value starts (1-based), for messages */
} spow_inspect_json;

#define SPOW_INSPECT_JSON_MAX_DEPTH 64

/* Parses text[0..len-1] into *root.  Returns 0, or SPOW_GEN_EARG with a message
 * "line L, column C: ..." in err (root then holds nothing to clear), or
 * SPOW_GEN_ENOMEM. */
int spow_inspect_json_parse(spow_inspect_json *root, const char *text, size_t len, char *err,
                            size_t errlen);
/* Reads and parses a file; SPOW_GEN_EIO (with strerror in err) if it cannot
 * be read. */
int spow_inspect_json_read_file(spow_inspect_json *root, const char *path, char *err,
                                size_t errlen);
void spow_inspect_json_clear(spow_inspect_json *v);
/* The value of key in an object, or NULL (also when obj is not an object). */
const spow_inspect_json *spow_inspect_json_get(const spow_inspect_json *obj, const char *key);

#endif /* SPOW_INSPECT_JSON_READ_H */
