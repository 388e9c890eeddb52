/* emit.h -- the output formats (emit*.c, json_string.c, report.c). */
#ifndef SPOW_GEN_EMIT_H
#define SPOW_GEN_EMIT_H

#include "recurrence.h"

typedef struct spow_report {
    const spow_recurrence *rec;       /* as fitted (working precision) */
    const spow_recurrence *rec_f64;   /* coefficients rounded to double, certified */
    const spow_recurrence *rec_f32;   /* coefficients rounded to float, certified */
    const spow_recurrence *rec_mono;  /* monomial-t coefficients rounded to double, certified */
    const char *command;              /* canonical command line */
    const char *name;                 /* table name, e.g. coupled_p1_2_lo1e-3 */
    mpfr_prec_t prec;                 /* working precision used */
} spow_report;

/* s as a JSON string literal, escaped (emit/json_string.c). */
void spow_json_put_string(FILE *f, const char *s);
/* The problem every spow JSON document states, as its next members:
 * ,"family","p_num","p_den","lo","hi" (lo and hi finite, %.17g: they read
 * back as the same doubles) (emit/json_string.c). */
void spow_json_put_problem(FILE *f, const char *family, long p_num, long p_den, double lo,
                           double hi);

int spow_emit_c(FILE *f, const spow_report *rep);
int spow_emit_json(FILE *f, const spow_report *rep);
int spow_emit_csv(FILE *f, const spow_report *rep);
int spow_emit_text(FILE *f, const spow_report *rep);
/* p = 0, degree 2 in every step: the (a, b, c) of x <- a x + b x^3 + c x^5
 * per step; SPOW_GEN_EFORMAT for any other table (nothing written). */
int spow_emit_quintic(FILE *f, const spow_report *rep);
/* Can r be written as quintic triples (p = 0, degree 2 in every step)? */
int spow_emit_quintic_fits(const spow_recurrence *r);

/* An output format by its --format name (emit/emit.c): c, json, csv, text. */
typedef struct spow_emitter {
    const char *format;
    int (*emit)(FILE *f, const spow_report *rep);
} spow_emitter;
/* NULL for an unknown name. */
const spow_emitter *spow_emitter_find(const char *format);
/* Total GEMM count of a recurrence. */
int spow_report_gemms(const spow_recurrence *rec);
/* The headline certificate of the JSON and text outputs: the larger of the
 * two double forms a user may copy (blocks and monomials in t). */
void spow_report_max_err(mpfr_t err, const spow_report *rep);

#endif /* SPOW_GEN_EMIT_H */
