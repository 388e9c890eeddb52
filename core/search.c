/* search.c -- the cheapest degree schedule: best-first over products spent.
 *
 * State: u = log(b/a) of the y interval the next step is fitted on.  Let
 * f(u) be the fewest products that take u to the target.  Every step map is
 * monotone in u (a minimax error can only grow with the interval), so f is
 * monotone, and a schedule prefix of cost c ending at u is dominated by one
 * of cost c' <= c ending at u' <= u.  Sweeping c = 0, 1, 2, ... and keeping
 * for each c only the smallest u reached with exactly c products, a level is
 * expanded only when its u is below every cheaper level's: at most one state
 * per cost level is fitted, each with the space's handful of degrees.
 *
 * The sweep stops once no level can finish below the best total found, so
 * the result is the cheapest schedule in the space (ties: smallest error).
 * The state is kept exactly (no rounding): the u the search compares are the
 * log-ratios of the fitted steps themselves, and the caller re-fits and
 * certifies the chosen schedule the normal way.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "spow_gen.h"

struct spow_search_fit {
    int degree;
    int rc;
    mpfr_t u, v;
};

/* ---- the coupled family under Paterson-Stockmeyer --------------------- */

/* Only the largest degree at each Paterson-Stockmeyer cost is worth trying: a
 * lower degree of the same cost fits a subset of the same polynomials. */
static const int ps_degrees[] = { 1, 2, 4, 6, 9, 12, 16 };

static int coupled_ps_cost(int degree, int last, long m, long n)
{
    return spow_cost_step(degree, 0, last ? 1 : 2, m, n);
}

static int coupled_rect(int last, long m, long n)
{
    return spow_cost_step_rect(0, last ? 1 : 2, m, n);
}

/* x = s^p y^(1-p) and the step centres y^(1-p) on 1: a y interval of
 * log-ratio u leaves |x/s^p - 1| <= tanh((1-p) u / 2). */
static void coupled_error(mpfr_t err, const mpfr_t u, long m, long n)
{
    mpfr_mul_si(err, u, n - m, MPFR_RNDN);
    mpfr_div_si(err, err, 2 * n, MPFR_RNDN);
    mpfr_tanh(err, err, MPFR_RNDN);
}

/* What every scheme of the coupled family shares: its step map on
 * log-ratios, its error and its rectangular products. */
#define COUPLED_STEP spow_coupled_step_logratio, coupled_error, coupled_rect
#define NDEGREES(list) (int)(sizeof list / sizeof list[0])

const spow_search_space spow_space_coupled_ps = {
    "coupled", "paterson-stockmeyer", NDEGREES(ps_degrees), ps_degrees, coupled_ps_cost,
    COUPLED_STEP, SPOW_SCHEME_PS,
};

/* Sastre's form makes degree 8 as cheap as Paterson-Stockmeyer's 6 and 12
 * as cheap as its 9: only the largest degree at each cost is kept. */
static const int sastre_degrees[] = { 1, 2, 4, 8, 12, 16 };

static int coupled_sastre_cost(int degree, int last, long m, long n)
{
    return spow_cost_step_scheme(degree, SPOW_SCHEME_SASTRE, 0, last ? 1 : 2, m, n);
}

const spow_search_space spow_space_coupled_sastre = {
    "coupled", "sastre", NDEGREES(sastre_degrees), sastre_degrees, coupled_sastre_cost,
    COUPLED_STEP, SPOW_SCHEME_SASTRE,
};

/* ---- the search ---------------------------------------------------------- */

void spow_search_init(spow_search *s, const spow_search_space *space, const spow_fit_params *par,
                      mpfr_prec_t prec)
{
    s->space = space;
    s->m = par->p_num;
    s->n = par->p_den;
    s->prec = prec;
    s->fits = NULL;
    s->nfits = s->capfits = 0;
    s->fitted = 0;
    s->aspect_num = s->aspect_den = 1;
    mpfr_t a, b;
    mpfr_inits2(prec, a, b, (mpfr_ptr)0);
    mpfr_add_ui(a, par->margin, 1, MPFR_RNDN);
    mpfr_mul(b, par->hi, a, MPFR_RNDN);
    mpfr_div(a, par->lo, a, MPFR_RNDN);
    mpfr_div(b, b, a, MPFR_RNDN);
    mpfr_init2(s->u0, prec);
    mpfr_log(s->u0, b, MPFR_RNDN);
    mpfr_clears(a, b, (mpfr_ptr)0);
}

void spow_search_clear(spow_search *s)
{
    for (int i = 0; i < s->nfits; i++)
        mpfr_clears(s->fits[i].u, s->fits[i].v, (mpfr_ptr)0);
    free(s->fits);
    mpfr_clear(s->u0);
}

int spow_search_set_aspect(spow_search *s, long num, long den)
{
    if (den < 1 || num < den || den > SPOW_SEARCH_MAX_ASPECT_DEN || num > 1000000L * den)
        return SPOW_GEN_EARG;
    s->aspect_num = num;
    s->aspect_den = den;
    return 0;
}

/* A step's cost in the sweep's units (1/aspect_den of a small-side
 * product): spow_cost_shape's weighting, scaled to whole numbers. */
static long step_units(const spow_search *s, int d, int last)
{
    const spow_search_space *sp = s->space;
    const long c = sp->cost(d, last, s->m, s->n);
    const long r = sp->rect ? sp->rect(last, s->m, s->n) : 0;
    return (c - r) * s->aspect_den + r * s->aspect_num;
}

/* The schedule's products and flops (its cost fields). */
static void price(spow_schedule *sch, const spow_search *s)
{
    long units = 0;
    sch->cost = 0;
    for (int k = 0; k < sch->nsteps; k++) {
        const int last = k == sch->nsteps - 1;
        sch->cost += s->space->cost(sch->degree[k], last, s->m, s->n);
        units += step_units(s, sch->degree[k], last);
    }
    sch->flops = (double)units / (double)s->aspect_den;
}

/* v = the step map of degree d at u, from the cache or fitted (at up to 4x
 * the precision when the fit's error level is below what prec resolves).
 * Returns 0, a fit's error code (the step is then not available), or
 * SPOW_GEN_ESEARCH when fitting would exceed the budget. */
static int step_map(mpfr_t v, spow_search *s, int d, const mpfr_t u, long budget)
{
    for (int i = s->nfits - 1; i >= 0; i--) {
        const spow_search_fit *f = &s->fits[i];
        if (f->degree == d && mpfr_equal_p(f->u, u)) {
            if (f->rc == 0)
                mpfr_set(v, f->v, MPFR_RNDN);
            return f->rc;
        }
    }
    if (s->fitted >= budget)
        return SPOW_GEN_ESEARCH;
    if (s->nfits == s->capfits) {
        int cap = s->capfits ? 2 * s->capfits : 64;
        spow_search_fit *nf = realloc(s->fits, (size_t)cap * sizeof *nf);
        if (nf == NULL)
            return SPOW_GEN_ENOMEM;
        s->fits = nf;
        s->capfits = cap;
    }
    s->fitted++;
    spow_search_fit *f = &s->fits[s->nfits++];
    f->degree = d;
    mpfr_init2(f->u, s->prec);
    mpfr_init2(f->v, s->prec);
    mpfr_set(f->u, u, MPFR_RNDN);
    int rc = SPOW_GEN_ECONVERGE;
    for (mpfr_prec_t p = s->prec; p <= 4 * s->prec; p *= 2) {
        mpfr_t uu, vv;
        mpfr_inits2(p, uu, vv, (mpfr_ptr)0);
        mpfr_set(uu, u, MPFR_RNDN);
        rc = s->space->step(vv, d, uu, s->m, s->n, p);
        if (rc == 0)
            mpfr_set(f->v, vv, MPFR_RNDN);
        mpfr_clears(uu, vv, (mpfr_ptr)0);
        if (rc != SPOW_GEN_ECONVERGE && rc != SPOW_GEN_ESTEPS)
            break;
    }
    f->rc = rc;
    if (rc == 0)
        mpfr_set(v, f->v, MPFR_RNDN);
    return rc;
}

/* One cost level of the sweep: the smallest u reached with exactly this
 * many products, and how (for the path back). */
typedef struct level {
    int reached;
    int from, degree, depth;
    mpfr_t u;
} level;

static void path_of(spow_schedule *sch, const level *lv, long c, int last_degree)
{
    int k = lv[c].depth + 2;
    sch->nsteps = k;
    sch->degree[--k] = last_degree;
    while (k > 0) {
        sch->degree[--k] = lv[c].degree;
        c = lv[c].from;
    }
}

void spow_schedule_format(char *buf, size_t len, const spow_schedule *sch)
{
    size_t off = 0;
    buf[0] = '\0';
    for (int k = 0; k < sch->nsteps && off < len; k++)
        off += (size_t)snprintf(buf + off, len - off, "%s%d", k ? "," : "", sch->degree[k]);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

static void report_progress(FILE *f, const spow_search *s, long c, const spow_schedule *best)
{
    fprintf(f, "spow-gen: search (%s, %s): %ld fits, schedules up to %g products explored; ",
            s->space->family, s->space->scheme, s->fitted, (double)c / (double)s->aspect_den);
    if (best->nsteps > 0) {
        char buf[4 * SPOW_GEN_MAX_STEPS];
        spow_schedule_format(buf, sizeof buf, best);
        fprintf(f, "best so far %s (%d products, error %.3e)\n", buf, best->cost, best->err);
    } else {
        fputs("nothing reaches the target yet\n", f);
    }
}

/* A first schedule before the sweep: the largest degree at every step until
 * the target is reached.  It costs a few fits, bounds the sweep from the
 * start, and is the best so far should the budget run out early. */
static int dive(spow_schedule *best, mpfr_t best_err, spow_search *s, double target, long budget)
{
    const spow_search_space *sp = s->space;
    const int d = sp->degrees[sp->ndegrees - 1];
    spow_schedule sch;
    mpfr_t u, err;
    mpfr_inits2(s->prec, u, err, (mpfr_ptr)0);
    mpfr_set(u, s->u0, MPFR_RNDN);
    int rc = 0;
    for (sch.nsteps = 1; sch.nsteps <= SPOW_GEN_MAX_STEPS; sch.nsteps++) {
        sch.degree[sch.nsteps - 1] = d;
        if ((rc = step_map(u, s, d, u, budget)) != 0)
            break;
        sp->error(err, u, s->m, s->n);
        if (mpfr_cmp_d(err, target) <= 0) {
            price(&sch, s);
            sch.err = mpfr_get_d(err, MPFR_RNDU);
            *best = sch;
            mpfr_set(best_err, err, MPFR_RNDN);
            break;
        }
    }
    mpfr_clears(u, err, (mpfr_ptr)0);
    /* a dive that cannot finish (a fit beyond the precision) leaves the
     * sweep to decide */
    return rc == SPOW_GEN_ESEARCH || rc == SPOW_GEN_ENOMEM ? rc : 0;
}

int spow_search_run(spow_schedule *best, spow_search *s, double target,
                    const spow_search_opts *opt)
{
    const spow_search_space *sp = s->space;
    const long m = s->m, n = s->n;
    const long budget = s->fitted + (opt && opt->budget > 0 ? opt->budget : SPOW_SEARCH_BUDGET);
    FILE *progress = opt ? opt->progress : NULL;
    /* levels and costs below are in step_units: products for a square input */
    long min_last = step_units(s, sp->degrees[0], 1), max_mid = 0;
    for (int i = 0; i < sp->ndegrees; i++) {
        long c = step_units(s, sp->degrees[i], 1);
        min_last = c < min_last ? c : min_last;
        c = step_units(s, sp->degrees[i], 0);
        max_mid = c > max_mid ? c : max_mid;
    }
    const long nlevels = SPOW_GEN_MAX_STEPS * max_mid + 1;
    level *lv = calloc((size_t)nlevels, sizeof *lv);
    if (lv == NULL)
        return SPOW_GEN_ENOMEM;
    for (long c = 0; c < nlevels; c++)
        mpfr_init2(lv[c].u, s->prec);
    mpfr_t v, err, best_err, frontier;
    mpfr_inits2(s->prec, v, err, best_err, frontier, (mpfr_ptr)0);
    mpfr_set_inf(best_err, 1);
    mpfr_set_inf(frontier, 1);
    best->nsteps = 0;
    best->cost = 0;
    best->flops = 0;
    best->err = 1;
    long best_units = 0;
    lv[0].reached = 1;
    lv[0].depth = -1;
    mpfr_set(lv[0].u, s->u0, MPFR_RNDN);

    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    double next_report = 5.0;
    int rc = dive(best, best_err, s, target, budget);
    if (best->nsteps > 0)
        best_units = (long)(best->flops * (double)s->aspect_den + 0.5);
    for (long c = 0; c < nlevels && rc == 0; c++) {
        if (best->nsteps > 0 && c + min_last > best_units)
            break;
        /* dominated: a cheaper level already reached an interval as narrow */
        if (!lv[c].reached || mpfr_cmp(lv[c].u, frontier) >= 0)
            continue;
        mpfr_set(frontier, lv[c].u, MPFR_RNDN);
        for (int i = 0; i < sp->ndegrees; i++) {
            const int d = sp->degrees[i];
            const long last = c + step_units(s, d, 1), more = c + step_units(s, d, 0);
            if (best->nsteps > 0 && last > best_units)
                break;      /* costs grow with the degree */
            int frc = step_map(v, s, d, lv[c].u, budget);
            if (frc == SPOW_GEN_ESEARCH || frc == SPOW_GEN_ENOMEM) {
                rc = frc;
                break;
            }
            if (progress && seconds_since(&t0) >= next_report) {
                report_progress(progress, s, c, best);
                next_report = seconds_since(&t0) + 10.0;
            }
            if (frc != 0)
                continue;   /* beyond 4x the precision: this step is not available */
            sp->error(err, v, m, n);
            if (mpfr_cmp_d(err, target) <= 0) {
                if (best->nsteps == 0 || last < best_units ||
                    (last == best_units && mpfr_cmp(err, best_err) < 0)) {
                    path_of(best, lv, c, d);
                    price(best, s);
                    best_units = last;
                    mpfr_set(best_err, err, MPFR_RNDN);
                    best->err = mpfr_get_d(err, MPFR_RNDU);
                }
                break;      /* a larger degree reaches it too, at a higher cost */
            }
            if (lv[c].depth + 2 >= SPOW_GEN_MAX_STEPS || more >= nlevels)
                continue;
            if (!lv[more].reached || mpfr_cmp(v, lv[more].u) < 0) {
                lv[more].reached = 1;
                lv[more].from = (int)c;
                lv[more].degree = d;
                lv[more].depth = lv[c].depth + 1;
                mpfr_set(lv[more].u, v, MPFR_RNDN);
            }
        }
    }
    if (rc == 0 && best->nsteps == 0)
        rc = SPOW_GEN_ETARGET;
    mpfr_clears(v, err, best_err, frontier, (mpfr_ptr)0);
    for (long c = 0; c < nlevels; c++)
        mpfr_clear(lv[c].u);
    free(lv);
    return rc;
}

int spow_search_degrees(int *degrees, int *nsteps, const spow_fit_params *par, mpfr_prec_t prec)
{
    if (par->p_num == par->p_den) {
        *nsteps = 0;
        return 0;
    }
    spow_search s;
    spow_schedule best;
    spow_search_init(&s, &spow_space_coupled_ps, par, prec);
    int rc = spow_search_run(&best, &s, par->target_err, NULL);
    spow_search_clear(&s);
    if (rc == 0) {
        memcpy(degrees, best.degree, (size_t)best.nsteps * sizeof *degrees);
        *nsteps = best.nsteps;
    }
    return rc;
}
