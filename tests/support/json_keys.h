/* json_keys.h -- a minimal reader for the keys of spow-gen's JSON that the
 * command-line tests need: deliberately not the JSON reader under test. */
#ifndef SPOW_JSON_KEYS_H
#define SPOW_JSON_KEYS_H
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where the value of "name" starts; fails the test when the key is absent. */
static inline const char *spow_test_key(const char *json, const char *name)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", name);
    const char *p = strstr(json, pat);
    ck_assert_msg(p != NULL, "key %s missing", name);
    return p + strlen(pat);
}

static inline double spow_test_num(const char *json, const char *name)
{
    return strtod(spow_test_key(json, name), NULL);
}
#endif
