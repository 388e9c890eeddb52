/* fuzz_json.c -- spow_inspect_json_parse, the strict JSON reader behind spow-inspect's
 * table loading.
 *
 * Properties: no crash, no read past the buffer (it is not NUL-terminated),
 * no leak, bounded nesting (no stack overflow however deep the input
 * nests); a refusal comes with a "line L, column C: ..." message and an
 * empty root; an accepted document is a well-formed tree: arrays and
 * objects with n items, objects with n non-NULL keys, no NaN numbers
 * (the grammar has none), depth within SPOW_INSPECT_JSON_MAX_DEPTH. */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "json_read.h"
#include "spow_gen.h"

static void walk(const spow_inspect_json *v, int depth)
{
    size_t i;

    FUZZ_CHECK(depth <= SPOW_INSPECT_JSON_MAX_DEPTH + 1, "depth %d", depth);
    switch (v->type) {
    case SPOW_INSPECT_JSON_NUMBER:
        FUZZ_CHECK(!isnan(v->number), "NaN number");
        break;
    case SPOW_INSPECT_JSON_STRING:
        FUZZ_CHECK(v->string != NULL, "string without text");
        break;
    case SPOW_INSPECT_JSON_ARRAY:
    case SPOW_INSPECT_JSON_OBJECT:
        FUZZ_CHECK(v->n == 0 || v->items != NULL, "%zu items, no array", v->n);
        for (i = 0; i < v->n; i++) {
            if (v->type == SPOW_INSPECT_JSON_OBJECT) {
                FUZZ_CHECK(v->keys && v->keys[i], "object key %zu missing", i);
                FUZZ_CHECK(spow_inspect_json_get(v, v->keys[i]) != NULL, "key '%s' not found",
                           v->keys[i]);
            }
            walk(&v->items[i], depth + 1);
        }
        break;
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    spow_inspect_json root;
    char err[256];
    /* A copy of exactly size bytes: the reader must stop at len. */
    char *text = malloc(size ? size : 1);
    int rc;

    if (!text)
        return 0;
    memcpy(text, data, size);
    rc = spow_inspect_json_parse(&root, text, size, err, sizeof err);
    if (rc == 0) {
        walk(&root, 0);
        spow_inspect_json_clear(&root);
    } else {
        FUZZ_CHECK(rc == SPOW_GEN_EARG || rc == SPOW_GEN_ENOMEM, "rc %d", rc);
        FUZZ_CHECK(rc != SPOW_GEN_EARG || strncmp(err, "line ", 5) == 0, "message '%s'", err);
        FUZZ_CHECK(root.type == SPOW_INSPECT_JSON_NULL && root.n == 0 && !root.items,
                   "root not empty after a refusal");
    }
    free(text);
    return 0;
}
