/* search.h -- the cheapest certified degree schedule of a recurrence.
 *
 * A greedy step's result depends only on the ratio b/a of the y interval it
 * is fitted on, so the state of the search is one number, u = log(b/a), and
 * the cost of a schedule is a whole number of products.  The search is a
 * best-first sweep over the products spent so far: for every cost c it keeps
 * the smallest u any schedule of cost c reaches, and expands it only if no
 * cheaper schedule reached a u as small (a larger u can never finish more
 * cheaply: the step maps are monotone in u).  It fits at most one state per
 * cost level, so it is linear in the final cost instead of exponential in
 * the number of steps.  See docs/mathematics.md, section 5.
 */
#ifndef SPOW_GEN_SEARCH_H
#define SPOW_GEN_SEARCH_H

#include <stdio.h>
#include "families/family.h"

/* Step fits one search may spend (cache hits are free). */
#define SPOW_SEARCH_BUDGET 20000L

/* One coupled step of the given degree, fitted on a y interval of log-ratio
 * u: v = log-ratio of its (centred) image.  0, or a SPOW_GEN_E* code when the
 * fit is beyond the precision (coupled.c). */
int spow_coupled_step_logratio(mpfr_t v, int degree, const mpfr_t u, long m, long n,
                               mpfr_prec_t prec);

/* A family with an evaluation scheme, as the search sees it: the degrees it
 * may use per step (increasing cost; a lower degree of the same cost is never
 * better), their cost, the step map on log-ratios and the error of x after a
 * step that leaves log-ratio u.  New families and evaluation schemes plug in
 * here (design.c lists them). */
typedef struct spow_search_space {
    const char *family;     /* spow_family name whose fit realises a schedule */
    const char *scheme;     /* how g is evaluated: "paterson-stockmeyer" */
    int ndegrees;
    const int *degrees;
    int (*cost)(int degree, int last, long m, long n);
    int (*step)(mpfr_t v, int degree, const mpfr_t u, long m, long n, mpfr_prec_t prec);
    void (*error)(mpfr_t err, const mpfr_t u, long m, long n);
    /* how many of a step's products are rectangular on a tall input (the
     * Gram product and the updates), for costs by shape; NULL: none */
    int (*rect)(int last, long m, long n);
    int eval;               /* the scheme as spow_fit_params.scheme: SPOW_SCHEME_* */
} spow_search_space;

extern const spow_search_space spow_space_coupled_ps;
/* Degrees 8, 12 and 16 by Sastre's form, the rest by Paterson-Stockmeyer.
 * The search assumes every fitted g of those degrees has a real form (every
 * one tried so far had, docs/design-space.md); the fit that realises the
 * schedule finds it or fails with SPOW_GEN_ENOFORM. */
extern const spow_search_space spow_space_coupled_sastre;

typedef struct spow_search_opts {
    long budget;            /* fits allowed; <= 0 means SPOW_SEARCH_BUDGET */
    FILE *progress;         /* progress lines every few seconds, or NULL */
} spow_search_opts;

typedef struct spow_schedule {
    int nsteps;
    int degree[SPOW_GEN_MAX_STEPS];
    int cost;               /* products, per the space's cost model */
    double flops;           /* cost at the search's aspect in small-side products
                             * (spow_cost_shape; = cost for a square input) */
    double err;             /* error with exact coefficients at the search precision */
} spow_schedule;

typedef struct spow_search_fit spow_search_fit;

/* One search problem (space, p, interval) with its cache of step fits, which
 * searches for several targets share (the front). */
typedef struct spow_search {
    const spow_search_space *space;
    long m, n;
    mpfr_prec_t prec;
    mpfr_t u0;              /* log-ratio of the first fitted interval */
    spow_search_fit *fits;
    int nfits, capfits;
    long fitted;            /* fits computed (cache misses), over the search's life */
    long aspect_num, aspect_den;    /* the cost's aspect ratio; 1/1 after init */
} spow_search;

void spow_search_init(spow_search *s, const spow_search_space *space, const spow_fit_params *par,
                      mpfr_prec_t prec);
void spow_search_clear(spow_search *s);

/* Score schedules by flops on an input whose long side is num/den times its
 * short side (num >= den >= 1): rectangular products weigh num/den, the rest
 * 1, so the search finds the cheapest schedule for that shape instead of the
 * fewest products.  The levels of the sweep are in units of 1/den product:
 * den is at most SPOW_SEARCH_MAX_ASPECT_DEN.  Returns 0 or SPOW_GEN_EARG. */
#define SPOW_SEARCH_MAX_ASPECT_DEN 128
int spow_search_set_aspect(spow_search *s, long num, long den);

/* The cheapest schedule whose error is at most target; among equally cheap
 * ones the smallest error.  Returns 0 (proven cheapest in the space),
 * SPOW_GEN_ESEARCH when the budget ran out (best then holds the cheapest
 * schedule found so far if best->nsteps > 0, else nothing was found), or
 * SPOW_GEN_ETARGET when no schedule of at most SPOW_GEN_MAX_STEPS steps
 * reaches the target. */
int spow_search_run(spow_schedule *best, spow_search *s, double target,
                    const spow_search_opts *opt);

/* "4,4,4,6" into buf. */
void spow_schedule_format(char *buf, size_t len, const spow_schedule *sch);

/* The coupled family's search_schedule: spow_space_coupled_ps, default budget,
 * silent. */
int spow_search_degrees(int *degrees, int *nsteps, const spow_fit_params *par, mpfr_prec_t prec);

#endif /* SPOW_GEN_SEARCH_H */
