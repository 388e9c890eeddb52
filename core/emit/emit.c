/* emit.c -- the output formats by name (spow-gen --format). */
#include <string.h>
#include "spow_gen.h"

static const spow_emitter emitters[] = {
    { "c", spow_emit_c },
    { "json", spow_emit_json },
    { "csv", spow_emit_csv },
    { "text", spow_emit_text },
    { "quintic", spow_emit_quintic },
    { NULL, NULL },
};

const spow_emitter *spow_emitter_find(const char *format)
{
    for (const spow_emitter *e = emitters; e->format; e++)
        if (strcmp(e->format, format) == 0)
            return e;
    return NULL;
}
