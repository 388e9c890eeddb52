/* json_string.c -- JSON strings, escaped, and the members that state the
 * problem; shared by spow-gen's JSON emitter and spow-inspect's JSON report.
 * (Files are written by cli/.) */
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

void spow_json_put_problem(FILE *f, const char *family, long p_num, long p_den, double lo,
                           double hi)
{
    fputs(",\n  \"family\": ", f);
    spow_json_put_string(f, family);
    fprintf(f, ",\n  \"p_num\": %ld,\n  \"p_den\": %ld,\n  \"lo\": %.17g,\n  \"hi\": %.17g",
            p_num, p_den, lo, hi);
}
