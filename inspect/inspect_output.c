/* inspect_output.c -- the reports of spow-inspect: a summary for people
 * (text), the curves or the matrix check as CSV, everything as JSON. */
#include <math.h>
#include <string.h>
#include "spow_inspect.h"

/* ---- helpers ------------------------------------------------------------- */

/* Decimal digits to which a and b agree (0..15). */
static int agree_digits(double a, double b)
{
    if (!isfinite(a) || !isfinite(b) || b == 0)
        return 0;
    double r = fabs(a - b) / fabs(b);
    if (r == 0)
        return 15;
    int d = (int)floor(-log10(r));
    return d < 0 ? 0 : (d > 15 ? 15 : d);
}

static void put_e(FILE *f, double v, int width)
{
    if (isnan(v))
        fprintf(f, "%*s", width, "-");
    else if (isinf(v))
        fprintf(f, "%*s", width, "inf");
    else
        fprintf(f, "%*.3e", width, v);
}

static const char *p_text(char *buf, size_t n, const spow_recurrence *r)
{
    if (r->p_den == 1)
        snprintf(buf, n, "%ld", r->p_num);
    else
        snprintf(buf, n, "%ld/%ld", r->p_num, r->p_den);
    return buf;
}

/* ---- text ------------------------------------------------------------------ */

static void text_matrix(FILE *f, const spow_inspection *in)
{
    const spow_inspect_matrix_result *mx = in->mx;
    const spow_inspect_curves *cv = in->cv;
    fprintf(f, "\nmatrix check: %zu x %zu, seed %lu, %s vs LAPACKE_dgesdd\n", mx->rows, mx->cols,
            mx->seed, mx->engine);
    fprintf(f, "  spectrum: one singular value at 1/sqrt(2), %zu geometric from %.3g up, "
               "||G||_F = 1\n", mx->r - 1, mx->s[mx->r - 1]);
    fprintf(f, "  GEMM calls: %ld (double), %ld (float); cost model %d\n", mx->gemm_calls[0],
            mx->gemm_calls[1], spow_inspect_source_gemms(in->src));
    fprintf(f, "  ||F - F_ref||_F / ||F_ref||_F: double %.3e, float %.3e\n", mx->fro[0],
            mx->fro[1]);
    fprintf(f, "  max |u_i^T F v_i / s_i^p - 1| over s_i in [%g, %g]: double %.3e, float %.3e\n",
            cv->lo, cv->hi, mx->max_in[0], mx->max_in[1]);
    fprintf(f, "  max off-diagonal |u_i^T F v_j| / ||F||_2: double %.3e, float %.3e\n",
            mx->max_offdiag[0], mx->max_offdiag[1]);
    fprintf(f, "  %6s %12s %12s %12s %12s\n", "i", "s_i", "double", "float", "scalar");
    size_t stride = mx->r > 16 ? mx->r / 16 : 1;
    for (size_t i = 0; i < mx->r; i++) {
        if (i % stride != 0 && i != mx->r - 1)
            continue;
        fprintf(f, "  %6zu %12.4e ", i, mx->s[i]);
        put_e(f, mx->err[0][i], 12);
        fputc(' ', f);
        put_e(f, mx->err[1][i], 12);
        fputc(' ', f);
        put_e(f, mx->scalar[i], 12);
        fprintf(f, "%s\n", mx->s[i] < cv->lo || mx->s[i] > cv->hi ? "  (outside [lo, hi])" : "");
    }
    fputs("  (scalar: the exact scalar curve at s_i, what the matrix result would show "
          "without rounding)\n", f);
}

int spow_inspect_write_text(FILE *f, const spow_inspection *in)
{
    const spow_inspect_source *src = in->src;
    const spow_recurrence *r = &src->rec;
    const spow_inspect_curves *cv = in->cv;
    const int K = cv->steps;
    char pb[64];
    fprintf(f, "%s: p = %s, family %s, %d steps, %d GEMMs (per step:", src->name,
            p_text(pb, sizeof pb, r), r->family->name, K, spow_inspect_source_gemms(src));
    for (int k = 0; k < K; k++)
        fprintf(f, " %d", r->step[k].gemms);
    fprintf(f, ")\n  source: %s\n", src->desc);
    fprintf(f, "  start: x_0 = y_0 = s (normalized singular value); error |x_k(s)/s^p - 1| "
               "after step k\n");
    fprintf(f, "  interval [lo, hi] = [%g, %g]; grid %d points on [%g, %g]; maxima on [lo, hi] "
               "from %d samples (exact: every local maximum refined)\n\n",
            cv->lo, cv->hi, cv->n, cv->s[0], cv->s[cv->n - 1], cv->exact_samples);
    fprintf(f, "%4s %5s | %12s %12s %12s | %12s %12s %12s\n", "step", "gemms", "exact[lo,hi]",
            "double", "float", "grid,bounded", "below lo", "above hi");
    for (int k = 0; k < K; k++) {
        fprintf(f, "%4d %5d |", k + 1, r->step[k].gemms);
        for (int a = 0; a < SPOW_INSPECT_NARITH; a++) {
            fputc(' ', f);
            put_e(f, cv->sum[a].max_in[k], 12);
        }
        fputs(" |", f);
        fputc(' ', f);
        put_e(f, cv->sum[SPOW_INSPECT_EXACT].max_finite[k], 12);
        fputc(' ', f);
        put_e(f, cv->sum[SPOW_INSPECT_EXACT].max_below[k], 12);
        fputc(' ', f);
        put_e(f, cv->sum[SPOW_INSPECT_EXACT].max_above[k], 12);
        fputc('\n', f);
    }
    fprintf(f, "(grid,bounded / below lo / above hi: exact arithmetic, grid points where the "
               "state stays bounded)\n\n");
    fprintf(f, "divergence on the grid (|x| or |y| above %g, or not finite):\n", cv->threshold);
    for (int a = 0; a < SPOW_INSPECT_NARITH; a++) {
        const spow_inspect_arith_summary *sm = &cv->sum[a];
        if (!sm->diverges) {
            fprintf(f, "  %-6s bounded on the whole grid\n", spow_inspect_arith_name[a]);
            continue;
        }
        fprintf(f, "  %-6s diverges: first at s = %.6g (step %d), %d of %d grid points; ",
                spow_inspect_arith_name[a], sm->first_s, sm->first_step, sm->ndiv, cv->n);
        if (sm->ndiv_in)
            fprintf(f, "%d inside [lo, hi], from s = %.6g\n", sm->ndiv_in, sm->first_s_in);
        else
            fputs("none inside [lo, hi]\n", f);
    }
    const double last = cv->sum[SPOW_INSPECT_EXACT].max_in[K - 1];
    if (src->have_cert) {
        fprintf(f, "\ncertificate carried by the table: %.6e; exact maximum found here: %.6e "
                   "(agree to %d digits)\n", src->cert, last, agree_digits(last, src->cert));
    }
    if (!isnan(cv->cert_now))
        fprintf(f, "%scertificate recomputed (%s): %.6e\n", src->have_cert ? "" : "\n",
                src->rec.family == &spow_family_coupled ? "exact interval propagation"
                                                        : "interval arithmetic on pieces",
                cv->cert_now);
    if (in->mx)
        text_matrix(f, in);
    return ferror(f) ? SPOW_GEN_EIO : 0;
}

/* ---- CSV ------------------------------------------------------------------- */

/* Writes ,nan ,inf or ,-inf and returns 1 if v is one of them (the C
 * library may spell them otherwise); 0 and nothing written for a number. */
static int csv_nonfinite(FILE *f, double v)
{
    if (isnan(v))
        fputs(",nan", f);
    else if (isinf(v))
        fputs(v > 0 ? ",inf" : ",-inf", f);
    else
        return 0;
    return 1;
}

static void csv_e(FILE *f, double v)
{
    if (!csv_nonfinite(f, v))
        fprintf(f, ",%.6e", v);
}

static void csv_g(FILE *f, double v)
{
    if (!csv_nonfinite(f, v))
        fprintf(f, ",%.17g", v);
}

int spow_inspect_write_csv_curves(FILE *f, const spow_inspection *in)
{
    const spow_inspect_curves *cv = in->cv;
    fputs("step,s,in_interval,err_exact,err_f64,err_f32,out_exact,out_f64,out_f32,"
          "blown_exact,blown_f64,blown_f32\n", f);
    for (int k = 0; k < cv->steps; k++)
        for (int i = 0; i < cv->n; i++) {
            const size_t at = (size_t)k * (size_t)cv->n + (size_t)i;
            fprintf(f, "%d,%.17g,%d", k + 1, cv->s[i], cv->s[i] >= cv->lo && cv->s[i] <= cv->hi);
            for (int a = 0; a < SPOW_INSPECT_NARITH; a++)
                csv_e(f, cv->err[a][at]);
            for (int a = 0; a < SPOW_INSPECT_NARITH; a++)
                csv_g(f, cv->out[a][at]);
            for (int a = 0; a < SPOW_INSPECT_NARITH; a++)
                fprintf(f, ",%d", cv->div[a][at]);
            fputc('\n', f);
        }
    return ferror(f) ? SPOW_GEN_EIO : 0;
}

int spow_inspect_write_csv_matrix(FILE *f, const spow_inspection *in)
{
    const spow_inspect_matrix_result *mx = in->mx;
    const spow_inspect_curves *cv = in->cv;
    fputs("i,s,in_interval,err_f64,err_f32,err_scalar_exact\n", f);
    for (size_t i = 0; i < mx->r; i++) {
        fprintf(f, "%zu,%.17g,%d", i, mx->s[i], mx->s[i] >= cv->lo && mx->s[i] <= cv->hi);
        csv_e(f, mx->err[0][i]);
        csv_e(f, mx->err[1][i]);
        csv_e(f, mx->scalar[i]);
        fputc('\n', f);
    }
    return ferror(f) ? SPOW_GEN_EIO : 0;
}

/* ---- JSON ------------------------------------------------------------------- */

/* JSON has no Inf or NaN: Inf as 1e999 (as spow-gen writes it), NaN as null. */
static void json_num(FILE *f, double v, int digits)
{
    if (isnan(v))
        fputs("null", f);
    else if (isinf(v))
        fputs(v > 0 ? "1e999" : "-1e999", f);
    else
        fprintf(f, "%.*g", digits, v);
}

static void json_vec(FILE *f, const double *v, int n, int digits)
{
    fputc('[', f);
    for (int i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        json_num(f, v[i], digits);
    }
    fputc(']', f);
}

/* v[0] and v[1], the double and the float result, as {"f64": .., "f32": ..}. */
static void json_f64_f32(FILE *f, const double v[2])
{
    fputs("{\"f64\": ", f);
    json_num(f, v[0], 6);
    fputs(", \"f32\": ", f);
    json_num(f, v[1], 6);
    fputc('}', f);
}

static void json_matrix(FILE *f, const spow_inspection *in)
{
    const spow_inspect_matrix_result *mx = in->mx;
    fprintf(f, ",\n  \"matrix\": {\"rows\": %zu, \"cols\": %zu, \"seed\": %lu, \"engine\": ",
            mx->rows, mx->cols, mx->seed);
    spow_json_put_string(f, mx->engine);
    fprintf(f, ", \"gemm_calls\": {\"f64\": %ld, \"f32\": %ld},\n    \"fro_rel_err\": ",
            mx->gemm_calls[0], mx->gemm_calls[1]);
    json_f64_f32(f, mx->fro);
    fputs(",\n    \"max_err_interval\": ", f);
    json_f64_f32(f, mx->max_in);
    fputs(",\n    \"max_offdiag\": ", f);
    json_f64_f32(f, mx->max_offdiag);
    fputs(",\n    \"s\": ", f);
    json_vec(f, mx->s, (int)mx->r, 17);
    fputs(",\n    \"err_f64\": ", f);
    json_vec(f, mx->err[0], (int)mx->r, 6);
    fputs(",\n    \"err_f32\": ", f);
    json_vec(f, mx->err[1], (int)mx->r, 6);
    fputs(",\n    \"err_scalar_exact\": ", f);
    json_vec(f, mx->scalar, (int)mx->r, 6);
    fputs("}", f);
}

int spow_inspect_write_json(FILE *f, const spow_inspection *in)
{
    const spow_inspect_source *src = in->src;
    const spow_recurrence *r = &src->rec;
    const spow_inspect_curves *cv = in->cv;
    const int K = cv->steps;
    fputs("{\n  \"format\": \"spow-inspect\",\n  \"version\": 1,\n  \"name\": ", f);
    spow_json_put_string(f, src->name);
    fputs(",\n  \"source\": ", f);
    spow_json_put_string(f, src->desc);
    fputs(",\n  \"command\": ", f);
    spow_json_put_string(f, in->command);
    spow_json_put_problem(f, r->family->name, r->p_num, r->p_den, cv->lo, cv->hi);
    fprintf(f, ",\n  \"steps\": %d,\n  \"gemms\": %d,\n  \"step_gemms\": [", K,
            spow_inspect_source_gemms(src));
    for (int k = 0; k < K; k++)
        fprintf(f, "%s%d", k ? ", " : "", r->step[k].gemms);
    fprintf(f, "],\n  \"threshold\": ");
    json_num(f, cv->threshold, 6);
    fprintf(f, ",\n  \"grid\": {\"n\": %d, \"s_min\": ", cv->n);
    json_num(f, cv->s[0], 17);
    fputs(", \"s_max\": ", f);
    json_num(f, cv->s[cv->n - 1], 17);
    fprintf(f, ", \"samples\": %d},\n  \"certificate\": ", cv->exact_samples);
    json_num(f, src->have_cert ? src->cert : NAN, 7);
    fputs(",\n  \"certificate_recomputed\": ", f);
    json_num(f, cv->cert_now, 7);
    fputs(",\n  \"max_err_interval\": ", f);
    json_num(f, cv->sum[SPOW_INSPECT_EXACT].max_in[K - 1], 7);
    for (int a = 0; a < SPOW_INSPECT_NARITH; a++) {
        const spow_inspect_arith_summary *sm = &cv->sum[a];
        fprintf(f, ",\n  \"%s\": {\n    \"diverges\": %s, \"first_diverging_s\": ",
                spow_inspect_arith_key[a], sm->diverges ? "true" : "false");
        json_num(f, sm->first_s, 17);
        fprintf(f, ", \"first_diverging_step\": %d, \"diverging_points\": %d,\n", sm->first_step,
                sm->ndiv);
        fprintf(f, "    \"diverges_in_interval\": %s, \"first_diverging_s_in_interval\": ",
                sm->ndiv_in ? "true" : "false");
        json_num(f, sm->first_s_in, 17);
        fprintf(f, ", \"diverging_points_in_interval\": %d,\n", sm->ndiv_in);
        fputs("    \"max_err_interval\": ", f);
        json_vec(f, sm->max_in, K, 7);
        fputs(",\n    \"argmax_interval\": ", f);
        json_vec(f, sm->argmax_in, K, 17);
        fputs(",\n    \"max_err_bounded\": ", f);
        json_vec(f, sm->max_finite, K, 7);
        fputs(",\n    \"max_err_below_lo\": ", f);
        json_vec(f, sm->max_below, K, 7);
        fputs(",\n    \"max_err_above_hi\": ", f);
        json_vec(f, sm->max_above, K, 7);
        fputs("\n  }", f);
    }
    fputs(",\n  \"curves\": {\n    \"s\": ", f);
    json_vec(f, cv->s, cv->n, 17);
    for (int a = 0; a < SPOW_INSPECT_NARITH; a++) {
        fprintf(f, ",\n    \"err_%s\": [", spow_inspect_arith_key[a]);
        for (int k = 0; k < K; k++) {
            fputs(k ? ",\n      " : "\n      ", f);
            json_vec(f, cv->err[a] + (size_t)k * (size_t)cv->n, cv->n, 7);
        }
        fputs("]", f);
    }
    fputs("\n  }", f);
    if (in->mx)
        json_matrix(f, in);
    fputs("\n}\n", f);
    return ferror(f) ? SPOW_GEN_EIO : 0;
}
