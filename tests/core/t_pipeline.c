/* t_pipeline.c -- spow_gen_table, spow-gen's pipeline called as a library:
 * it reproduces a shipped table byte for byte (both formats), its degree
 * search gives a schedule that meets the target and costs no more than the
 * shipped hand-written one, and it refuses bad parameters with codes. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "spow_gen.h"
#include "check_main.h"
#include "fit_helper.h"

/* as spow-gen reads --lo and --hi: from decimal strings, not doubles */
static void params_init(spow_gen_params *gp, long m, long n, const char *lo, const char *hi,
                        const int *deg, int ndeg, int nsteps, double target)
{
    memset(gp, 0, sizeof *gp);
    gp->family = &spow_family_coupled;
    gp->samples = 2000;
    spow_test_params(&gp->fit, m, n, 0.5, deg, ndeg, nsteps, target, 256);
    mpfr_set_str(gp->fit.lo, lo, 10, MPFR_RNDN);
    mpfr_set_str(gp->fit.hi, hi, 10, MPFR_RNDN);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static char *emit(int (*fn)(FILE *, const spow_report *), const spow_report *rep, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    ck_assert_int_eq(fn(f, rep), 0);
    fclose(f);
    return buf;
}

START_TEST(test_shipped_table)
{
    /* tables/regenerate.sh's line "1e-2 1/2 4,4,9" */
    static const int deg[] = { 4, 4, 9 };
    spow_gen_params gp;
    params_init(&gp, 1, 2, "1e-2", "1.001", deg, 3, 3, 0);
    spow_gen_result res;
    ck_assert_int_eq(spow_gen_table(&res, &gp, 256), 0);
    const char *base = "spow-gen --family coupled --p 1/2 --lo 1e-2 --hi 1.001 --degree 4,4,9 "
                       "--steps 3 --prec 256 --margin 0 --samples 2000 --format ";
    const struct { const char *fmt, *file; int (*fn)(FILE *, const spow_report *); } out[] = {
        { "json", SPOW_TABLES_DIR "/coupled_p1_2_lo1e-2.json", spow_emit_json },
        { "c", SPOW_TABLES_DIR "/coupled_p1_2_lo1e-2.c", spow_emit_c },
    };
    for (int i = 0; i < 2; i++) {
        char command[256];
        snprintf(command, sizeof command, "%s%s", base, out[i].fmt);
        spow_report rep;
        spow_gen_result_report(&rep, &res, command, "coupled_p1_2_lo1e-2");
        size_t nwant, ngot;
        char *want = slurp(out[i].file, &nwant);
        char *got = emit(out[i].fn, &rep, &ngot);
        ck_assert_msg(ngot == nwant && memcmp(got, want, nwant) == 0,
                      "%s differs from the library's output", out[i].file);
        free(got);
        free(want);
    }
    /* the sample was taken and stays under the certificate (up to the
     * 2^-40 relative slack of the pipeline's own check) */
    const double sampled = mpfr_get_d(res.rec_f64.sampled_err, MPFR_RNDN);
    const double cert = mpfr_get_d(res.rec_f64.max_rel_err, MPFR_RNDN);
    ck_assert_msg(sampled > 0 && sampled <= cert * (1 + 1e-12), "sample %g, cert %g", sampled,
                  cert);
    ck_assert(res.prec >= 256);
    spow_gen_result_clear(&res);
    spow_gen_result_clear(&res);    /* clearing twice is harmless */
    spow_test_params_clear(&gp.fit);
}
END_TEST

START_TEST(test_auto_degree)
{
    /* the search meets the target and is at least as cheap as the shipped
     * schedule for p = 0 on [1e-2, 1.001] (2,4,4,4: 3 + 4 + 4 + 4 = 15 GEMMs
     * by the cost model; the search may only do better or equal) */
    static const int ignored[] = { 16 };
    spow_gen_params gp;
    params_init(&gp, 0, 1, "1e-2", "1.001", ignored, 1, 0, 1e-6);
    gp.auto_degree = 1;
    spow_gen_result res;
    ck_assert_int_eq(spow_gen_table(&res, &gp, 256), 0);
    ck_assert(mpfr_cmp_d(res.rec_f64.max_rel_err, 1e-6) <= 0);
    ck_assert(res.rec.steps >= 1);
    static const int shipped[] = { 2, 4, 4, 4 };
    int shipped_cost = 0;
    for (int k = 0; k < 4; k++)
        shipped_cost += spow_cost_step(shipped[k], k, 4, 0, 1);
    ck_assert_int_le(spow_report_gemms(&res.rec_f64), shipped_cost);
    spow_gen_result_clear(&res);
    spow_test_params_clear(&gp.fit);
}
END_TEST

static int no_fit_certify(spow_recurrence *rec)
{
    (void)rec;
    return 0;
}

START_TEST(test_refusals)
{
    static const int deg[] = { 2 };
    spow_gen_params gp;
    params_init(&gp, 1, 2, "1e-2", "1", deg, 1, 1, 0);
    spow_gen_result res;
    const spow_family *saved = gp.family;
    gp.family = NULL;
    ck_assert_int_eq(spow_gen_table(&res, &gp, 256), SPOW_GEN_EARG);
    spow_gen_result_clear(&res);
    gp.family = saved;
    gp.samples = 1;
    ck_assert_int_eq(spow_gen_table(&res, &gp, 256), SPOW_GEN_EARG);
    spow_gen_result_clear(&res);
    gp.samples = 2000;
    ck_assert_int_eq(spow_gen_table(&res, &gp, SPOW_GEN_MIN_PREC - 1), SPOW_GEN_EARG);
    ck_assert_int_eq(spow_gen_table(&res, &gp, SPOW_GEN_MAX_PREC + 1), SPOW_GEN_EARG);
    /* a family that cannot be fitted, or cannot search a schedule */
    const spow_family evaluation_only = { .name = "eval-only", .summary = "test",
                                          .certify = no_fit_certify,
                                          .apply_step = spow_family_coupled.apply_step };
    gp.family = &evaluation_only;
    ck_assert_int_eq(spow_gen_table(&res, &gp, 256), SPOW_GEN_ENOFIT);
    spow_gen_result_clear(&res);
    gp.auto_degree = 1;
    ck_assert_int_eq(spow_gen_table(&res, &gp, 256), SPOW_GEN_EARG);
    spow_gen_result_clear(&res);
    spow_test_params_clear(&gp.fit);
    /* every code has its own message */
    for (int c = SPOW_GEN_EARG; c >= SPOW_GEN_ENOFORM; c--) {
        ck_assert_str_ne(spow_gen_strerror(c), "unknown error");
        for (int d = c - 1; d >= SPOW_GEN_ENOFORM; d--)
            ck_assert_str_ne(spow_gen_strerror(c), spow_gen_strerror(d));
    }
    ck_assert_str_eq(spow_gen_strerror(SPOW_GEN_ENOFORM - 1), "unknown error");
}
END_TEST

SPOW_CHECK_TESTS("pipeline", 600, test_shipped_table, test_auto_degree, test_refusals)
