/* json_string.c -- JSON strings, escaped; shared by spow-gen's JSON emitter and
 * spow-inspect's JSON report.  (Files are written by cli/.) */
#include "spow_gen.h"

void spow_json_put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", (unsigned)(unsigned char)*s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}
