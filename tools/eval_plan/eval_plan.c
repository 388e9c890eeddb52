/* eval_plan.c -- planning figures for cheaper evaluation schemes of g
 * (issue 14, item 2): the cheapest coupled schedule if a degree-d g could be
 * formed with fewer products than Paterson-Stockmeyer, searched exactly like
 * spow-gen --degree auto (core/search.c) with that cost model.
 *
 *   spow-eval-plan P LO TARGET SCHEME     (SCHEME: ps, sastre, sastre15, nested16)
 *
 * ps: 1,2,4,6,9,12,16 at 0..6 products (what spow-gen uses); sastre: degree
 * 8, 12, 16 at 3, 4, 5 products (with 1, 2, 4 at 0, 1, 2); sastre15: as
 * sastre but degree 15 at 4 products; nested16: 8 at 3 and 16 at 4 (the
 * nested form of tools/nested16_fit.py, which reaches only part of the
 * degree-16 polynomials).  The fits are unconstrained minimax
 * polynomials, so for a scheme whose reachable set is smaller (not every
 * degree-8 polynomial has a 3-product form) the figures are lower bounds on
 * the cost, not tables: nothing here is certified or emitted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "spow_cli.h"
#include "spow_gen.h"

static const int ps_deg[] = { 1, 2, 4, 6, 9, 12, 16 }, ps_cost[] = { 0, 1, 2, 3, 4, 5, 6 };
static const int sa_deg[] = { 1, 2, 4, 8, 12, 16 }, sa_cost[] = { 0, 1, 2, 3, 4, 5 };
static const int s15_deg[] = { 1, 2, 4, 8, 15, 16 }, s15_cost[] = { 0, 1, 2, 3, 4, 5 };
static const int n16_deg[] = { 1, 2, 4, 8, 16 }, n16_cost[] = { 0, 1, 2, 3, 4 };
static const int *deg_list, *cost_list;
static int ndeg;

/* Gram, powers and updates as spow counts them (a degree-1 g costs no
 * product), plus the scheme's products for g. */
static int cost(int degree, int last, long m, long n)
{
    int i = 0;
    while (deg_list[i] != degree)
        i++;
    return spow_cost_step(1, 0, last ? 1 : 2, m, n) + cost_list[i];
}

int main(int argc, char **argv)
{
    long m, n;
    if (argc != 5 || spow_rational_parse(&m, &n, argv[1]) != 0) {
        fputs("usage: spow-eval-plan P LO TARGET ps|sastre|sastre15|nested16\n", stderr);
        return 2;
    }
    const char *scheme = argv[4];
    if (strcmp(scheme, "ps") == 0) {
        deg_list = ps_deg, cost_list = ps_cost, ndeg = 7;
    } else if (strcmp(scheme, "sastre") == 0) {
        deg_list = sa_deg, cost_list = sa_cost, ndeg = 6;
    } else if (strcmp(scheme, "sastre15") == 0) {
        deg_list = s15_deg, cost_list = s15_cost, ndeg = 6;
    } else if (strcmp(scheme, "nested16") == 0) {
        deg_list = n16_deg, cost_list = n16_cost, ndeg = 5;
    } else {
        fprintf(stderr, "spow-eval-plan: unknown scheme '%s'\n", scheme);
        return 2;
    }
    spow_search_space sp = spow_space_coupled_ps;
    sp.scheme = scheme;
    sp.degrees = deg_list;
    sp.ndegrees = ndeg;
    sp.cost = cost;
    spow_fit_params par;
    mpfr_inits2(128, par.lo, par.hi, par.margin, (mpfr_ptr)0);
    mpfr_set_str(par.lo, argv[2], 10, MPFR_RNDN);
    mpfr_set_str(par.hi, "1.001", 10, MPFR_RNDN);
    mpfr_set_ui(par.margin, 0, MPFR_RNDN);
    par.p_num = m;
    par.p_den = n;
    par.target_err = atof(argv[3]);
    par.scheme = SPOW_SCHEME_PS;
    spow_search s;
    spow_schedule b;
    spow_search_init(&s, &sp, &par, 128);
    int rc = spow_search_run(&b, &s, par.target_err, NULL);
    char buf[4 * SPOW_GEN_MAX_STEPS];
    spow_schedule_format(buf, sizeof buf, &b);
    if (rc == 0)
        printf("p = %s, lo = %s, hi = 1.001, target %s, %s: %s, %d products, exact error "
               "%.3e\n", argv[1], argv[2], argv[3], scheme, buf, b.cost, b.err);
    else
        printf("p = %s: %s\n", argv[1], spow_gen_strerror(rc));
    spow_search_clear(&s);
    mpfr_clears(par.lo, par.hi, par.margin, (mpfr_ptr)0);
    mpfr_free_cache();
    return rc ? 1 : 0;
}
