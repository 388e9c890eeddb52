/* t_design.c -- spow-gen's design options as a user runs them: --search,
 * --degree auto with --search-budget (the best-so-far path), --pareto and
 * --plot; refusals of options that do not go together. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check_main.h"
#include "spow_spawn.h"

static spow_run spow_gen(const char *const *args)
{
    return spow_run_program(SPOW_GEN_PATH, args, NULL);
}

START_TEST(test_refusals)
{
    static const char *const bad[][10] = {
        { "--p", "1/2", "--search", "--degree", "4", NULL },
        { "--p", "1/2", "--search", "--steps", "3", NULL },
        { "--p", "1/2", "--search", "--pareto", NULL },
        { "--p", "1/2", "--search", "--search", NULL },
        { "--p", "1/2", "--pareto", "--target-err", "1e-3", NULL },
        { "--p", "1/2", "--pareto", "--format", "json", NULL },
        { "--p", "1/2", "--pareto", "--degree", "auto", NULL },
        { "--p", "1/2", "--plot", "front.png", NULL },
        { "--p", "1/2", "--pareto", "--plot", "front.jpg", NULL },
        { "--p", "1/2", "--pareto", "--plot", ".png", NULL },
        { "--p", "1/2", "--search-budget", "5", NULL },
        { "--p", "1/2", "--search", "--search-budget", "0", NULL },
        { "--p", "1/2", "--search", "--search-budget", "1e3", NULL },
        { "--p", "1/2", "--search", "--family", "fixedpoint", NULL },
        { "--p", "1/2", "--pareto", "--family", "muon-quintic", NULL },
        { "--p", "1/2", "--aspect", "4", NULL },
        { "--p", "1/2", "--degree", "4,4,4,6", "--aspect", "4", NULL },
        { "--p", "1/2", "--search", "--aspect", "4", "--shape", "4x1", NULL },
        { "--p", "1/2", "--search", "--aspect", "0.5", NULL },
        { "--p", "1/2", "--search", "--aspect", "4.125", NULL },
        { "--p", "1/2", "--search", "--aspect", "4.", NULL },
        { "--p", "1/2", "--search", "--aspect", "nan", NULL },
        { "--p", "1/2", "--search", "--aspect", "20000", NULL },
        { "--p", "1/2", "--search", "--shape", "4096", NULL },
        { "--p", "1/2", "--search", "--shape", "4096x0", NULL },
        { "--p", "1/2", "--search", "--shape", "4096x1024x2", NULL },
        { "--p", "1/2", "--search", "--shape", "+4x1", NULL },
        { "--p", "1/2", "--search", "--shape", "4097x1000", NULL },
    };
    char path[64];
    snprintf(path, sizeof path, "/tmp/spow-design-bad-%d.out", (int)getpid());
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        spow_run_refused(SPOW_GEN_PATH, bad[i], path, "spow-gen: ", 20);
}
END_TEST

/* The number after "key": in a JSON text. */
static double json_number(const char *json, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    return spow_number_after(json, pat);
}

/* Runs spow-gen with args1 and with args2: both succeed with the same
 * output, which holds want; the second run is returned for more checks. */
static spow_run same_output(const char *const *args1, const char *const *args2,
                            const char *want)
{
    spow_run a = spow_gen(args1), b = spow_gen(args2);
    ck_assert_msg(spow_run_exit_code(&a) == 0, "%s", a.err);
    ck_assert_msg(spow_run_exit_code(&b) == 0, "%s", b.err);
    ck_assert_str_eq(a.out, b.out);
    ck_assert_msg(strstr(b.out, want) != NULL, "no '%s' in %s", want, b.out);
    spow_run_free(&a);
    return b;
}

START_TEST(test_search_emits_certified_table)
{
    /* lo = 1e-5: where the old search ran out of its budget */
    const char *args[] = { "--p", "1/2", "--lo", "1e-5", "--target-err", "1e-6", "--search",
                           "--format", "json", NULL };
    spow_run a = spow_gen(args), b = spow_gen(args);
    ck_assert_msg(spow_run_exit_code(&a) == 0, "%s", a.err);
    ck_assert_int_eq(a.out_len, b.out_len);
    ck_assert(memcmp(a.out, b.out, a.out_len) == 0);        /* deterministic */
    ck_assert(json_number(a.out, "max_rel_err") <= 1e-6);
    ck_assert_ptr_nonnull(strstr(a.out, "--search --target-err 1e-6"));
    spow_run_free(&a);
    spow_run_free(&b);

    /* --degree auto finds the same schedule for each scheme as --search
     * restricted to it (Sastre's form: 32 products, Paterson-Stockmeyer 35) */
    const char *deg[] = { "--p", "1/2", "--lo", "1e-5", "--target-err", "1e-6", "--degree",
                          "auto", "--scheme", "sastre", "--format", "text", NULL };
    const char *sea[] = { "--p", "1/2", "--lo", "1e-5", "--target-err", "1e-6", "--search",
                          "--scheme", "sastre", "--format", "text", NULL };
    b = same_output(deg, sea, "5 steps, 32 GEMMs");
    spow_run_free(&b);

    /* Over both schemes the search takes the Paterson-Stockmeyer design
     * there: the Sastre forms' float coefficients certify 0.47, the blocks'
     * 1.8e-7 (more than 10 times better), and stderr says so */
    const char *ps[] = { "--p", "1/2", "--lo", "1e-5", "--target-err", "1e-6", "--degree",
                         "auto", "--format", "text", NULL };
    const char *both[] = { "--p", "1/2", "--lo", "1e-5", "--target-err", "1e-6", "--search",
                           "--format", "text", NULL };
    b = same_output(ps, both, "5 steps, 35 GEMMs");
    ck_assert_msg(strstr(b.err, "Paterson-Stockmeyer design (35 GEMMs)") != NULL, "%s", b.err);
    ck_assert(spow_number_after(b.out, "(exact), ") < 1e-6);   /* the float blocks' certificate */
    spow_run_free(&b);
}
END_TEST

START_TEST(test_aspect_chooses_the_4_to_1_schedule)
{
    /* --aspect 4 and --shape 4096x1024 both score by flops at 4:1 and find
     * the shipped tables/a4/ schedule (9,9,12: 47 small-side products against
     * 56 for the square 4,4,4,6); --search --aspect 1 is the plain product
     * count over both schemes: 8,12,12 by Sastre's form, 21 products */
    const char *a4[] = { "--p", "1/2", "--lo", "1e-3", "--hi", "1.001", "--degree", "auto",
                         "--aspect", "4", "--format", "json", NULL };
    const char *sh[] = { "--p", "1/2", "--lo", "1e-3", "--hi", "1.001", "--degree", "auto",
                         "--shape", "1024x4096", "--format", "json", NULL };
    const char *a1[] = { "--p", "1/2", "--lo", "1e-3", "--hi", "1.001", "--search",
                         "--aspect", "1", "--format", "text", NULL };
    spow_run a = spow_gen(a4), b = spow_gen(sh), c = spow_gen(a1);
    ck_assert_msg(spow_run_exit_code(&a) == 0, "%s", a.err);
    ck_assert_msg(spow_run_exit_code(&b) == 0, "%s", b.err);
    ck_assert_msg(spow_run_exit_code(&c) == 0, "%s", c.err);
    ck_assert_ptr_nonnull(strstr(a.err, "9,9,12, 23 GEMMs costing 47 small-side products"));
    ck_assert_ptr_nonnull(strstr(b.err, "9,9,12, 23 GEMMs costing 47 small-side products"));
    ck_assert_ptr_nonnull(strstr(c.err, "8,12,12, 21 GEMMs costing 21 small-side products"));
    ck_assert_ptr_nonnull(strstr(a.out, "--degree auto --aspect 4 --target-err 1e-6"));
    ck_assert_ptr_nonnull(strstr(b.out, "--degree auto --shape 1024x4096 --target-err 1e-6"));
    ck_assert_ptr_nonnull(strstr(a.out, "\"degree\": [9, 9, 12]"));
    ck_assert(json_number(a.out, "max_rel_err") <= 1e-6);
    spow_run_free(&a);
    spow_run_free(&b);
    spow_run_free(&c);
}
END_TEST

START_TEST(test_search_table_applied_by_runtime)
{
    /* The case: p = 1/2 at lo = 1e-3, target 1e-6.  The table --search
     * emits is applied by libspow (spow-inspect --matrix) to a 96 x 48 matrix
     * with a prescribed spectrum and compared with LAPACKE's SVD. */
    char json[64];
    snprintf(json, sizeof json, "/tmp/spow-design-%d.json", (int)getpid());
    const char *gen[] = { "--p", "1/2", "--lo", "1e-3", "--target-err", "1e-6", "--search",
                          "--format", "json", "-o", json, NULL };
    spow_run r = spow_gen(gen);
    ck_assert_msg(spow_run_exit_code(&r) == 0, "%s", r.err);
    spow_run_free(&r);
    const char *insp[] = { "--json", json, "--matrix", "96x48", NULL };
    r = spow_run_program(SPOW_INSPECT_PATH, insp, NULL);
    ck_assert_msg(spow_run_exit_code(&r) == 0, "%s", r.err);
    /* the product count, what the runtime really calls: 21 (8,12,12 with
     * Sastre's forms) against 23 for the Paterson-Stockmeyer 4,4,4,6 */
    ck_assert_ptr_nonnull(strstr(r.out, "GEMM calls: 21 (double), 21 (float); cost model 21"));
    const char *line = strstr(r.out, "max |u_i^T F v_i / s_i^p - 1|");
    ck_assert_ptr_nonnull(line);
    const char *d = strstr(line, "double ");
    ck_assert_ptr_nonnull(d);
    double err = strtod(d + 7, NULL);
    /* certificate 1.09e-7 on [1e-3, 1.001] plus double rounding on a 96 x 48
     * matrix (1e-13 at most): within the 1e-6 target */
    ck_assert_msg(err > 0 && err <= 1e-6, "matrix error %g", err);
    spow_run_free(&r);
    remove(json);
}
END_TEST

START_TEST(test_budget_best_so_far)
{
    const char *full[] = { "--p", "1/2", "--lo", "1e-3", "--degree", "auto", "--format", "text",
                           NULL };
    spow_run f = spow_gen(full);
    ck_assert_int_eq(spow_run_exit_code(&f), 0);
    int partial = 0;
    for (const char *const *budget = (const char *const[]){ "20", "40", "60", NULL }; *budget;
         budget++) {
        const char *args[] = { "--p", "1/2", "--lo", "1e-3", "--degree", "auto", "--search-budget",
                               *budget, "--format", "text", NULL };
        spow_run r = spow_gen(args);
        int code = spow_run_exit_code(&r);
        if (code == 0 && strstr(r.err, "spent its budget")) {
            /* the table of the best so far, and the user is told */
            partial++;
            ck_assert_ptr_nonnull(strstr(r.err, "cheapest found so far"));
            ck_assert_ptr_nonnull(strstr(r.out, "certified max"));
        } else if (code == 0) {
            ck_assert_str_eq(r.out, f.out);     /* enough budget: the full answer */
        } else {
            ck_assert_int_eq(code, 1);
            ck_assert_ptr_nonnull(strstr(r.err, "budget"));
            ck_assert_int_eq((int)r.out_len, 0);
        }
        spow_run_free(&r);
    }
    ck_assert_int_gt(partial, 0);
    const char *tiny[] = { "--p", "1/2", "--degree", "auto", "--search-budget", "1", NULL };
    spow_run r = spow_gen(tiny);
    ck_assert_int_eq(spow_run_exit_code(&r), 1);
    ck_assert_ptr_nonnull(strstr(r.err, "budget"));
    ck_assert_int_eq((int)r.out_len, 0);
    spow_run_free(&r);
    spow_run_free(&f);
}
END_TEST

START_TEST(test_pareto_and_plot)
{
    char png[96], csv[96], gp[96];
    snprintf(png, sizeof png, "/tmp/spow-front-%d.png", (int)getpid());
    snprintf(csv, sizeof csv, "/tmp/spow-front-%d.csv", (int)getpid());
    snprintf(gp, sizeof gp, "/tmp/spow-front-%d.gp", (int)getpid());
    const char *args[] = { "--p", "1/2", "--lo", "1e-2", "--pareto", "--format", "csv", "--plot",
                           png, NULL };
    spow_run r = spow_gen(args);
    ck_assert_msg(spow_run_exit_code(&r) == 0, "%s", r.err);
    /* a header and one line per target, costs never falling as targets tighten,
     * each point certified within its target */
    int lines = 0, last_cost = 0;
    for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n"), lines++) {
        if (lines == 0) {
            ck_assert(strncmp(line, "target,products,certified_err", 29) == 0);
            continue;
        }
        char *e;
        double target = strtod(line, &e);
        int cost = (int)strtol(e + 1, &e, 10);
        double cert = strtod(e + 1, NULL);
        ck_assert_msg(cert <= target, "%s", line);
        ck_assert_int_ge(cost, last_cost);
        last_cost = cost;
    }
    ck_assert_int_eq(lines, 11);
    size_t len;
    char *img = spow_slurp(png, &len);
    ck_assert_ptr_nonnull(img);
    ck_assert(len > 8 && memcmp(img, "\x89PNG", 4) == 0);
    free(img);
    struct stat st;
    ck_assert_int_eq(stat(csv, &st), 0);
    ck_assert_int_eq(stat(gp, &st), 0);
    spow_run_free(&r);
    remove(png);
    remove(csv);
    remove(gp);

    /* without gnuplot: a clear message, exit 1, data and script kept, no figure */
    r = spow_run_program(SPOW_GEN_PATH, args, "/nonexistent");
    ck_assert_int_eq(spow_run_exit_code(&r), 1);
    ck_assert_ptr_nonnull(strstr(r.err, "gnuplot not found"));
    ck_assert_int_ne(stat(png, &st), 0);
    ck_assert_int_eq(stat(csv, &st), 0);
    spow_run_free(&r);
    remove(csv);
    remove(gp);
}
END_TEST

START_TEST(test_pareto_aspect)
{
    /* The 4:1 front: its points are the cheapest in small-side products, as
     * --search --aspect 4 chooses them (1e-6: 8,12,12, 21 GEMMs, 45) */
    const char *args[] = { "--p", "1/2", "--lo", "1e-3", "--hi", "1.001", "--pareto",
                           "--aspect", "4", "--format", "csv", NULL };
    spow_run r = spow_gen(args);
    ck_assert_msg(spow_run_exit_code(&r) == 0, "%s", r.err);
    int lines = 0;
    double last = 0;
    for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n"), lines++) {
        if (lines == 0) {
            ck_assert_str_eq(line, "target,products,certified_err,steps,degrees,family,scheme,"
                                   "small_side_products,command");
            continue;
        }
        double target = strtod(line, NULL);
        const char *f = line;
        double v[8];
        for (int i = 0; i < 8; i++) {   /* the numeric columns; 5-7 are text */
            v[i] = strtod(f, NULL);
            f = strchr(f, ',') + 1;
        }
        const double products = v[1], cert = v[2], small = v[7];
        ck_assert_msg(cert <= target, "%s", line);
        /* 4:1: the Gram product and two updates per step weigh 4 */
        ck_assert_msg(small > products && small <= 4 * products, "%s", line);
        ck_assert(small >= last);
        last = small;
        if (lines == 6)
            ck_assert_msg(products == 21 && small == 45, "%s", line);
    }
    ck_assert_int_eq(lines, 11);
    spow_run_free(&r);
    const char *sea[] = { "--p", "1/2", "--lo", "1e-3", "--hi", "1.001", "--search", "--aspect",
                          "4", "--target-err", "1e-6", "--format", "text", NULL };
    r = spow_gen(sea);
    ck_assert_msg(spow_run_exit_code(&r) == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "8,12,12, 21 GEMMs costing 45 small-side products"));
    spow_run_free(&r);
}
END_TEST

SPOW_CHECK_TESTS("design-cli", 0, test_refusals, test_search_emits_certified_table,
                 test_aspect_chooses_the_4_to_1_schedule,
                 test_search_table_applied_by_runtime, test_budget_best_so_far,
                 test_pareto_and_plot, test_pareto_aspect)
