/* design.h -- the design search: the cheapest certified recurrence over
 * every family and evaluation scheme spow-gen can search, and the
 * error-vs-cost front (spow-gen --search, --degree auto, --pareto, --plot).
 */
#ifndef SPOW_GEN_DESIGN_H
#define SPOW_GEN_DESIGN_H

#include <stdio.h>
#include "families/family.h"
#include "search.h"

/* Every searchable (family, evaluation scheme), NULL-terminated. */
const spow_search_space *const *spow_design_spaces(void);

/* The cheapest schedule reaching par->target_err over every space of the
 * named family (NULL: every space), into *best and *space.  Progress of long
 * searches goes to log (or nowhere when NULL).  When a budget of `budget` fits
 * per space (<= 0: the default) runs out after a schedule was found, that
 * schedule is returned with 0 and log is told it may not be the cheapest.
 * Otherwise returns SPOW_GEN_ESEARCH, SPOW_GEN_ETARGET, or SPOW_GEN_EARG when
 * the family has no search space.  p = 1 gives 0 steps. */
int spow_design_choose(spow_schedule *best, const spow_search_space **space, const char *family,
                       const spow_fit_params *par, mpfr_prec_t prec, long budget, FILE *log);

/* The same over the spaces of one evaluation scheme (SPOW_SCHEME_*; -1:
 * every scheme), with schedules scored by flops on an input whose long side
 * is aspect_num/aspect_den times its short side (spow_search_set_aspect; 1/1
 * is the GEMM count); SPOW_GEN_EARG for an aspect the search cannot weigh. */
int spow_design_choose_shape(spow_schedule *best, const spow_search_space **space,
                             const char *family, int scheme, const spow_fit_params *par,
                             mpfr_prec_t prec, long budget, long aspect_num, long aspect_den,
                             FILE *log);

/* Re-fits a schedule the normal way (precision escalation from fit_prec) and
 * certifies it: *err = the larger of the two double forms' certificates,
 * rounded up, after checking it against an independent dense sample. */
int spow_design_certify(double *err, const spow_search_space *space, const spow_fit_params *par,
                        const spow_schedule *sch, mpfr_prec_t fit_prec);

/* One point of the front: the cheapest certified schedule for a target. */
typedef struct spow_front_point {
    double target;
    int rc;                         /* 0, or why there is no point */
    const spow_search_space *space;
    spow_schedule sch;
    double certified;               /* certificate of the re-fitted table */
} spow_front_point;

#define SPOW_FRONT_NPOINTS 10       /* targets 1e-1, 1e-2, ..., 1e-10 */

/* The front for p and [lo, hi] of par (par->target_err is ignored): every
 * target shares one cache of step fits per space. */
void spow_design_front(spow_front_point pts[SPOW_FRONT_NPOINTS], const spow_fit_params *par,
                       mpfr_prec_t search_prec, mpfr_prec_t fit_prec, long budget, FILE *log);
/* The same with designs scored by flops on an input of aspect
 * aspect_num/aspect_den (spow_search_set_aspect; 1/1 is the front above);
 * an aspect the search cannot weigh gives every point SPOW_GEN_EARG. */
void spow_design_front_shape(spow_front_point pts[SPOW_FRONT_NPOINTS], const spow_fit_params *par,
                             mpfr_prec_t search_prec, mpfr_prec_t fit_prec, long budget,
                             long aspect_num, long aspect_den, FILE *log);

/* The front as text (with the command behind every point) or CSV; lo and hi
 * as the user typed them; aspect the one it was searched for (1: square),
 * whose small-side products the CSV always carries and the text adds when
 * the aspect is not 1. */
int spow_front_write(FILE *f, const spow_front_point *pts, int npts, const spow_fit_params *par,
                     const char *lo, const char *hi, double aspect, int csv);

#endif /* SPOW_GEN_DESIGN_H */
