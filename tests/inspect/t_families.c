/* t_families.c -- spow-inspect's families (inspect/families/): the
 * evaluation-only ones' scalar steps against a direct MPFR loop written here
 * from the published formulas, their refusals, that the generator cannot fit
 * them, and the registry. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "spow_inspect.h"
#include "check_main.h"
#include "fit_helper.h"

#define PREC 256

/* rec from per-step constants given as decimal strings ("0.66", "1/15"). */
static int build(spow_recurrence *rec, const spow_inspect_family *fam, long m, long n, int K,
                 const char *const *per_step, int nper, char *msg, size_t msglen)
{
    mpfr_t lo, hi;
    mpfr_inits2(PREC, lo, hi, (mpfr_ptr)0);
    mpfr_set_d(lo, 1e-3, MPFR_RNDN);
    mpfr_set_ui(hi, 1, MPFR_RNDN);
    spow_recurrence_init(rec, fam->family, m, n, lo, hi, PREC);
    mpfr_clears(lo, hi, (mpfr_ptr)0);
    mpfr_t *coef[SPOW_GEN_MAX_STEPS];
    int ncoef[SPOW_GEN_MAX_STEPS];
    for (int k = 0; k < K; k++) {
        coef[k] = spow_vec_init(nper, PREC);
        ncoef[k] = nper;
        for (int i = 0; i < nper; i++) {
            const char *txt = per_step[k * nper + i];
            const char *slash = strchr(txt, '/');
            mpfr_set_str(coef[k][i], txt, 10, MPFR_RNDN);
            if (slash) {       /* "1/15": mpfr_set_str stops at the slash */
                char num[32];
                snprintf(num, sizeof num, "%.*s", (int)(slash - txt), txt);
                mpfr_set_str(coef[k][i], num, 10, MPFR_RNDN);
                mpfr_div_ui(coef[k][i], coef[k][i], strtoul(slash + 1, NULL, 10), MPFR_RNDN);
            }
        }
    }
    int rc = fam->set_coef(rec, coef, ncoef, K, msg, msglen);
    for (int k = 0; k < K; k++)
        spow_vec_clear(coef[k], nper);
    return rc;
}

/* The paper's Y after K steps from Y = X = s, written out directly:
 * y^b and s^a by repeated multiplication, no shared code with fixedpoint.c. */
static void direct_fixedpoint(mpfr_t y, const mpfr_t s, long a, long b, mpfr_t *c, mpfr_t *d,
                              int K)
{
    mpfr_t yb, sa, t;
    mpfr_inits2(PREC, yb, sa, t, (mpfr_ptr)0);
    mpfr_set(y, s, MPFR_RNDN);
    for (int k = 0; k < K; k++) {
        if (a == 1 && b == 2) {
            /* y - (y^4 - s^2)(c s + d y) */
            mpfr_mul(yb, y, y, MPFR_RNDN);
            mpfr_mul(yb, yb, yb, MPFR_RNDN);
            mpfr_mul(sa, s, s, MPFR_RNDN);
            mpfr_sub(yb, yb, sa, MPFR_RNDN);
            mpfr_mul(t, c[k], s, MPFR_RNDN);
            mpfr_mul(sa, d[k], y, MPFR_RNDN);
            mpfr_add(t, t, sa, MPFR_RNDN);
            mpfr_mul(yb, yb, t, MPFR_RNDN);
        } else {
            mpfr_set_ui(yb, 1, MPFR_RNDN);
            for (long i = 0; i < b; i++)
                mpfr_mul(yb, yb, y, MPFR_RNDN);
            mpfr_set_ui(sa, 1, MPFR_RNDN);
            for (long i = 0; i < a; i++)
                mpfr_mul(sa, sa, s, MPFR_RNDN);
            mpfr_sub(yb, yb, sa, MPFR_RNDN);
            mpfr_mul(yb, yb, c[k], MPFR_RNDN);
        }
        mpfr_sub(y, y, yb, MPFR_RNDN);
    }
    mpfr_clears(yb, sa, t, (mpfr_ptr)0);
}

/* Agreement to 2^-200 relative (the two orders of operations differ by a
 * few roundings at 256 bits per step; 6 steps amplify that by at most the
 * growth of y, far less than 2^50 on [1e-4, 1.05]). */
static void check_close(const mpfr_t a, const mpfr_t b, const char *what, double s, int k)
{
    mpfr_t d;
    mpfr_init2(d, PREC);
    mpfr_sub(d, a, b, MPFR_RNDN);
    int ok = mpfr_zero_p(d) || (mpfr_number_p(b) && !mpfr_zero_p(b) &&
                                mpfr_get_exp(d) <= mpfr_get_exp(b) - 200);
    ck_assert_msg(ok, "%s, s = %.17g, step %d: %.17g vs %.17g", what, s, k,
                  mpfr_get_d(a, MPFR_RNDN), mpfr_get_d(b, MPFR_RNDN));
    mpfr_clear(d);
}

START_TEST(test_fixedpoint_direct)
{
    struct {
        long a, b;
        int K, nper;
        const char *coef[12];
    } cases[] = {
        { 1, 3, 6, 1, { "0.66", "0.66", "0.66", "0.66", "0.66", "0.66" } },
        { 1, 5, 6, 1, { "0.2", "0.2", "0.2", "0.2", "0.2", "0.2" } },
        { 3, 5, 6, 1, { "0.2", "0.2", "0.2", "0.2", "0.2", "0.2" } },
        { 13, 15, 6, 1, { "1/15", "1/15", "1/15", "1/15", "1/15", "1/15" } },
        { 1, 3, 4, 1, { "0.9", "0.7", "0.5", "0.3" } },                 /* one c per step */
        { 1, 2, 6, 2, { "3.0", "-0.795918", "3.0", "-0.795918", "3.0", "-0.795918",
                        "3.0", "-0.795918", "3.0", "-0.795918", "3.0", "-0.795918" } },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        spow_recurrence rec;
        char msg[300];
        ck_assert_int_eq(build(&rec, &spow_inspect_fixedpoint, cases[i].a, cases[i].b, cases[i].K,
                               cases[i].coef, cases[i].nper, msg, sizeof msg), 0);
        ck_assert_int_eq(rec.steps, cases[i].K);
        mpfr_t *c = spow_vec_init(cases[i].K, PREC), *d = spow_vec_init(cases[i].K, PREC);
        for (int k = 0; k < cases[i].K; k++) {
            mpfr_set(c[k], rec.step[k].cst[0], MPFR_RNDN);
            if (cases[i].nper == 2)
                mpfr_set(d[k], rec.step[k].cst[1], MPFR_RNDN);
        }
        mpfr_t s, x, y, ref, e, sp;
        mpfr_inits2(PREC, s, x, y, ref, e, sp, (mpfr_ptr)0);
        for (int j = 0; j <= 60; j++) {
            const double sd = 1e-4 * __builtin_pow(1.05e4, j / 60.0);
            mpfr_set_d(s, sd, MPFR_RNDN);
            mpfr_set(x, s, MPFR_RNDN);
            mpfr_set(y, s, MPFR_RNDN);
            for (int k = 0; k < cases[i].K; k++) {
                rec.family->apply_step(x, y, &rec, k);     /* odd p: the generator's family */
                direct_fixedpoint(ref, s, cases[i].a, cases[i].b, c, d, k + 1);
                check_close(x, ref, "fixedpoint output", sd, k + 1);
                ck_assert_msg(mpfr_equal_p(y, s), "the paper's X changed");
            }
            /* the error the certifier reports is that of the output */
            spow_certify_rel_err(e, &rec, s, cases[i].K);
            mpfr_pow_si(sp, s, cases[i].a, MPFR_RNDN);
            mpfr_rootn_ui(sp, sp, (unsigned long)cases[i].b, MPFR_RNDN);
            mpfr_div(ref, ref, sp, MPFR_RNDN);
            mpfr_sub_ui(ref, ref, 1, MPFR_RNDN);
            mpfr_abs(ref, ref, MPFR_RNDN);
            if (mpfr_cmp_d(ref, 1e300) < 0)
                check_close(e, ref, "relative error", sd, cases[i].K);
        }
        mpfr_clears(s, x, y, ref, e, sp, (mpfr_ptr)0);
        spow_vec_clear(c, cases[i].K);
        spow_vec_clear(d, cases[i].K);
        spow_recurrence_clear(&rec);
    }
}
END_TEST

START_TEST(test_muon_direct)
{
    const char *coef[] = { "3.4445", "-4.7750", "2.0315", "3.4445", "-4.7750", "2.0315",
                           "3.4445", "-4.7750", "2.0315", "3.4445", "-4.7750", "2.0315",
                           "3.4445", "-4.7750", "2.0315" };
    spow_recurrence rec;
    char msg[300];
    ck_assert_int_eq(build(&rec, &spow_inspect_muon_quintic, 0, 1, 5, coef, 3, msg, sizeof msg), 0);
    mpfr_t s, x, y, ref, y3, y5, t;
    mpfr_inits2(PREC, s, x, y, ref, y3, y5, t, (mpfr_ptr)0);
    for (int j = 0; j <= 60; j++) {
        const double sd = 1e-4 * __builtin_pow(1.05e4, j / 60.0);
        mpfr_set_d(s, sd, MPFR_RNDN);
        mpfr_set(x, s, MPFR_RNDN);
        mpfr_set(y, s, MPFR_RNDN);
        mpfr_set(ref, s, MPFR_RNDN);
        for (int k = 0; k < 5; k++) {
            spow_inspect_muon_quintic.family->apply_step(x, y, &rec, k);
            /* a y + b y^3 + c y^5, term by term */
            mpfr_mul(y3, ref, ref, MPFR_RNDN);
            mpfr_mul(y3, y3, ref, MPFR_RNDN);
            mpfr_mul(y5, y3, ref, MPFR_RNDN);
            mpfr_mul(y5, y5, ref, MPFR_RNDN);
            mpfr_mul(t, rec.step[k].cst[0], ref, MPFR_RNDN);
            mpfr_mul(y3, y3, rec.step[k].cst[1], MPFR_RNDN);
            mpfr_mul(y5, y5, rec.step[k].cst[2], MPFR_RNDN);
            mpfr_add(ref, t, y3, MPFR_RNDN);
            mpfr_add(ref, ref, y5, MPFR_RNDN);
            check_close(x, ref, "muon output", sd, k + 1);
            ck_assert(mpfr_equal_p(x, y));
        }
    }
    /* the constants are the decimal ones, not their doubles */
    mpfr_set_str(t, "3.4445", 10, MPFR_RNDN);
    ck_assert(mpfr_equal_p(rec.step[0].cst[0], t));
    mpfr_clears(s, x, y, ref, y3, y5, t, (mpfr_ptr)0);
    spow_recurrence_clear(&rec);
}
END_TEST

START_TEST(test_refusals)
{
    const char *one[] = { "0.5", "0.5" };
    const char *two[] = { "3.0", "-0.8" };
    const struct {
        const spow_inspect_family *fam;
        long m, n;
        const char *const *coef;
        int nper;
        const char *needle;
    } bad[] = {
        { &spow_inspect_fixedpoint, 1, 4, one, 1, "a, b odd" },     /* b even, not 1/2 */
        { &spow_inspect_fixedpoint, 2, 3, one, 1, "a, b odd" },     /* a even */
        { &spow_inspect_fixedpoint, -1, 3, one, 1, "a, b odd" },    /* negative p */
        { &spow_inspect_fixedpoint, 0, 1, one, 1, "a, b odd" },
        { &spow_inspect_fixedpoint, 1, 2, one, 1, "two constants" },
        { &spow_inspect_fixedpoint, 1, 3, two, 2, "one constant" },
        { &spow_inspect_muon_quintic, 1, 2, two, 2, "p must be 0" },
        { &spow_inspect_muon_quintic, 0, 1, two, 2, "three constants" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        spow_recurrence rec;
        char msg[300] = "";
        int rc = build(&rec, bad[i].fam, bad[i].m, bad[i].n, 1, bad[i].coef, bad[i].nper, msg,
                       sizeof msg);
        ck_assert_msg(rc == SPOW_GEN_EARG && strstr(msg, bad[i].needle),
                      "case %zu: rc %d, message '%s'", i, rc, msg);
        spow_recurrence_clear(&rec);
    }
    /* evaluation only: no fit, no certificate, no schedule search */
    static const int deg[] = { 2 };
    spow_recurrence rec;
    const spow_inspect_family *evo[] = { &spow_inspect_fixedpoint, &spow_inspect_muon_quintic };
    for (int i = 0; i < 2; i++) {
        const spow_family *f = evo[i]->family;
        mpfr_prec_t used = 0;
        spow_fit_params par;
        spow_test_params(&par, 1, 3, 1e-3, deg, 1, 1, 0, PREC);
        ck_assert_int_eq(spow_fit(&rec, f, &par, PREC, &used), SPOW_GEN_ENOFIT);
        spow_test_params_clear(&par);
        ck_assert_ptr_null(f->fit);
        ck_assert_ptr_null(f->certify);
        ck_assert_ptr_null(f->search_schedule);
        /* spow-inspect finds them; the generator does not know them */
        ck_assert_ptr_eq(spow_inspect_family_find(f->name), evo[i]);
        ck_assert_ptr_null(spow_family_find(f->name));
    }
    ck_assert_ptr_eq(spow_inspect_family_find("coupled")->family, &spow_family_coupled);
    ck_assert_ptr_eq(spow_family_find("coupled"), &spow_family_coupled);
    ck_assert_ptr_nonnull(strstr(spow_gen_strerror(SPOW_GEN_ENOFIT), "evaluation-only"));
}
END_TEST

START_TEST(test_published)
{
    int steps = 0;
    const char *c = spow_inspect_fixedpoint.published(1, 2, &steps);
    ck_assert(c && strcmp(c, "3.0,-0.795918") == 0 && steps == 6);
    c = spow_inspect_fixedpoint.published(1, 3, &steps);
    ck_assert(c && strcmp(c, "0.66") == 0 && steps == 6);
    ck_assert_ptr_null(spow_inspect_fixedpoint.published(1, 4, &steps));
    c = spow_inspect_muon_quintic.published(0, 1, &steps);
    ck_assert(c && strcmp(c, "3.4445,-4.7750,2.0315") == 0 && steps == 5);
    ck_assert_ptr_null(spow_inspect_coupled.published);
}
END_TEST

SPOW_CHECK_TESTS("families", 0, test_fixedpoint_direct, test_muon_direct, test_refusals,
                 test_published)
