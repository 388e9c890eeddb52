/* t_scale.c -- spow_options.scale: the scale c the runtime divides by.
 *
 * G = k U diag(s) V^T with prescribed s (testutil.h), so sigma_max = k s_0
 * and the closed forms of spow.h are known exactly:
 *
 *   Frobenius  c = ||G||_F = k ||s||_2
 *   GRAM2      c = k (sum s_i^4)^(1/4)
 *   GRAM4      c = k (sum s_i^8)^(1/8)
 *
 * The runtime reports c in stats.norm.  It must never be below sigma_max
 * (that is what keeps the certificate's meaning), and the Gram bounds must
 * be their closed forms up to the rounding terms of spow.h, which for these
 * sizes (k u below 1e-5) are below 1e-4 relative. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_run.h"
#include "testutil.h"

#define MAXN 64

static const size_t shapes[][2] = {{40, 12}, {12, 40}, {30, 30}, {1, 9}, {64, 64}};
#define NSHAPES 5
static const int scales[] = {SPOW_SCALE_FROBENIUS, SPOW_SCALE_GRAM2, SPOW_SCALE_GRAM4,
                             SPOW_SCALE_DEFAULT};

/* Spectrum kind: 0 rank one (every bound is sigma_max exactly: the tight
 * case), 1 dominant, 2 geometric spread, 3 flat (all equal: the bounds are
 * furthest from sigma_max, r^(1/8) for GRAM4). */
static void spectrum(double *s, size_t r, int kind)
{
    size_t i;

    if (kind == 0) {
        memset(s, 0, r * sizeof *s);
        s[0] = 1.0;
    } else if (kind == 1)
        tu_spectrum_dominant(s, r, 1e-3);
    else if (kind == 2)
        tu_spectrum_spread(s, r, 1e-3);
    else
        for (i = 0; i < r; i++)
            s[i] = 1.0 / sqrt((double)r);
}

static double closed_form(const double *s, size_t r, int scale)
{
    int q = scale == SPOW_SCALE_FROBENIUS ? 2 : scale == SPOW_SCALE_GRAM2 ? 4 : 8;
    double sum = 0.0;
    size_t i;

    for (i = 0; i < r; i++)
        sum += pow(s[i], q);
    return pow(sum, 1.0 / q);
}

/* _i: shape x spectrum kind x scaling; f64, f32 and f32 with the first
 * step in double. */
START_TEST(scale_is_its_bound)
{
    const size_t rows = shapes[_i % NSHAPES][0], cols = shapes[_i % NSHAPES][1];
    const size_t r = rows < cols ? rows : cols;
    const int kind = (_i / NSHAPES) % 4, scale = scales[(_i / (4 * NSHAPES)) % 4];
    const spow_table *t = spow_table_find(1, 2, 1e-3);
    const double k = 3.5;
    double s[MAXN], *g = malloc(rows * cols * sizeof *g), *out = malloc(rows * cols * sizeof *out);
    float *gf = malloc(rows * cols * sizeof *gf), *outf = malloc(rows * cols * sizeof *outf);
    double want;
    tu_rng rng = {77u + (uint64_t)_i};
    tu_case tc;
    int nd;

    spectrum(s, r, kind);
    want = closed_form(s, r, scale == SPOW_SCALE_DEFAULT ? SPOW_SCALE_GRAM4 : scale);
    tu_case_init(&tc, rows, cols, s, &rng);
    tu_case_matrix(g, cols, &tc, k, 1.0);
    for (size_t i = 0; i < rows * cols; i++)
        gf[i] = (float)g[i];
    for (nd = -1; nd <= 1; nd++) {
        spow_options opt = {0};
        spow_stats st;
        double c, lo, hi;
        int rc;
        opt.scale = scale;
        opt.stats = &st;
        opt.f64_steps = nd < 0 ? 0 : nd;
        rc = nd < 0 ? spow_apply_f64_ex(t, rows, cols, g, cols, out, cols, &opt)
                    : spow_apply_f32_ex(t, rows, cols, gf, cols, outf, cols, &opt);
        ck_assert_int_eq(rc, SPOW_OK);
        c = st.norm / k;
        /* Never below sigma_max = s_0: forming G (and rounding it to float)
         * moves sigma_max by at most u ||G||_F, so the lower limit allows
         * u sqrt(r) relative. */
        lo = s[0] * (1.0 - (nd < 0 ? 0x1p-53 : 0x1p-24) * 4.0 * sqrt((double)r));
        /* Frobenius: a double sum, of G or of G rounded to float (which
         * moves ||G||_F by u_f relative at most).  Gram bounds: the
         * rounding terms of spow.h, below 1e-4 here. */
        hi = want * (scale != SPOW_SCALE_FROBENIUS ? 1.0 + 1e-4 : nd < 0 ? 1.0 + 1e-13
                                                                       : 1.0 + 0x1p-22);
        ck_assert_msg(c >= lo && c <= hi,
                      "%zux%zu kind %d scale %d f64_steps %d (%s): c / k = %.17g outside "
                      "[%.17g, %.17g], sigma_max %.17g", rows, cols, kind, scale, nd,
                      nd < 0 ? "f64" : "f32", c, lo, hi, s[0]);
    }
    tu_case_clear(&tc);
    free(g);
    free(out);
    free(gf);
    free(outf);
}
END_TEST

/* |u_i^T F v_i / (k s_i)^p - 1|, the largest over i (F rows x cols). */
static double sv_err(const double *f, const tu_case *tc, const double *s, double k, double p)
{
    double worst = 0.0;
    size_t i, a, b;

    for (i = 0; i < tc->r; i++) {
        double d = 0.0;
        for (a = 0; a < tc->rows; a++)
            for (b = 0; b < tc->cols; b++)
                d += tc->u[a * tc->r + i] * f[a * tc->cols + b] * tc->v[b * tc->r + i];
        d = fabs(d / pow(k * s[i], p) - 1.0);
        if (d > worst)
            worst = d;
    }
    return worst;
}

/* A high-rank G, singular values geometric from sigma_max down to 2e-3
 * sigma_max: ||G||_F is about 3 sigma_max, so Frobenius scaling puts the
 * smallest below lo = 1e-3 and GRAM4 (c about 1.1 sigma_max) does not.
 * With the default every singular value is certified: the error stays
 * within the certificate (rounding, below 1e-12 in double at this size,
 * is covered by the factor 1.5); with Frobenius the smallest are not, and
 * their error is well above it. */
START_TEST(default_certifies_high_rank)
{
    const size_t rows = 120, cols = 60, r = 60;
    const double k = 0.75;
    double s[60], p, *g = malloc(rows * cols * sizeof *g), *out = malloc(rows * cols * sizeof *out);
    const spow_table *t = spow_table_find(_i ? -1 : 1, _i ? 4 : 2, 1e-3);
    tu_rng rng = {4242};
    tu_case tc;
    spow_options opt = {0};
    spow_stats st;
    double e_def, e_fro;
    size_t i;

    for (i = 0; i < r; i++)
        s[i] = pow(2e-3, (double)i / (double)(r - 1));
    p = (double)t->p_num / t->p_den;
    tu_case_init(&tc, rows, cols, s, &rng);
    tu_case_matrix(g, cols, &tc, k, 1.0);
    opt.stats = &st;
    ck_assert_int_eq(spow_apply_f64_ex(t, rows, cols, g, cols, out, cols, &opt), SPOW_OK);
    ck_assert_msg(k * s[r - 1] / st.norm >= t->lo, "default c = %g sigma_max leaves "
                  "sigma_min below lo", st.norm / k);
    e_def = sv_err(out, &tc, s, k, p);
    opt.scale = SPOW_SCALE_FROBENIUS;
    ck_assert_int_eq(spow_apply_f64_ex(t, rows, cols, g, cols, out, cols, &opt), SPOW_OK);
    ck_assert_msg(k * s[r - 1] / st.norm < t->lo, "Frobenius c = %g sigma_max", st.norm / k);
    e_fro = sv_err(out, &tc, s, k, p);
    if (getenv("TU_VERBOSE"))
        printf("p = %g: default %.3g, Frobenius %.3g, cert %.3g\n", p, e_def, e_fro,
               t->max_rel_err);
    ck_assert_msg(e_def <= 1.5 * t->max_rel_err, "p = %g default: %.3g > 1.5 x cert %.3g", p,
                  e_def, t->max_rel_err);
    ck_assert_msg(e_fro > 10.0 * t->max_rel_err, "p = %g Frobenius: %.3g, cert %.3g", p, e_fro,
                  t->max_rel_err);
    tu_case_clear(&tc);
    free(g);
    free(out);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("scale");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, scale_is_its_bound, 0, 4 * 4 * NSHAPES);
    tcase_add_loop_test(tc, default_certifies_high_rank, 0, 2);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
