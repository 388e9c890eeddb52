/* design.c -- the design search and the error-vs-cost front.
 *
 * A design is a family, an evaluation scheme for its polynomials and a
 * per-step degree schedule.  Each searchable (family, scheme) pair is a
 * spow_search_space (search.c); the design search runs the schedule search
 * in every space and keeps the cheapest result, which is then fitted and
 * certified exactly like a hand-typed schedule.  The front repeats this for
 * the targets 1e-1 ... 1e-10, every target sharing the spaces' step fits.
 */
#include <stdlib.h>
#include <string.h>
#include "spow_gen.h"

static const spow_search_space *const spaces[] = { &spow_space_coupled_ps,
                                                   &spow_space_coupled_sastre, NULL };

const spow_search_space *const *spow_design_spaces(void)
{
    return spaces;
}

/* Which of two schedules is the better design: fewer flops (products, for a
 * square input), then the smaller error; the first listed space wins exact
 * ties. */
static int better(const spow_schedule *a, const spow_schedule *b)
{
    return a->flops < b->flops || (a->flops == b->flops && a->err < b->err);
}

static void say_incomplete(FILE *log, const spow_search_space *sp, const spow_schedule *sch,
                           long budget)
{
    char buf[4 * SPOW_GEN_MAX_STEPS];
    spow_schedule_format(buf, sizeof buf, sch);
    fprintf(log, "spow-gen: the %s/%s search spent its budget of %ld fits before proving a "
                 "schedule cheapest; using the cheapest found so far, %s (%d products, error "
                 "%.3e before certification); a larger --search-budget may find a cheaper one\n",
            sp->family, sp->scheme, budget > 0 ? budget : SPOW_SEARCH_BUDGET, buf, sch->cost,
            sch->err);
}

/* Runs one space for one target; *found when sch holds a schedule. */
static int run_space(spow_schedule *sch, int *found, spow_search *s, double target, long budget,
                     FILE *log)
{
    spow_search_opts opt = { budget, log };
    int rc = spow_search_run(sch, s, target, &opt);
    *found = rc == 0 || (rc == SPOW_GEN_ESEARCH && sch->nsteps > 0);
    if (rc == SPOW_GEN_ESEARCH && *found && log)
        say_incomplete(log, s->space, sch, budget);
    return rc;
}

int spow_design_choose(spow_schedule *best, const spow_search_space **space, const char *family,
                       const spow_fit_params *par, mpfr_prec_t prec, long budget, FILE *log)
{
    return spow_design_choose_shape(best, space, family, -1, par, prec, budget, 1, 1, log);
}

int spow_design_choose_shape(spow_schedule *best, const spow_search_space **space,
                             const char *family, int scheme, const spow_fit_params *par,
                             mpfr_prec_t prec, long budget, long aspect_num, long aspect_den,
                             FILE *log)
{
    int rc = SPOW_GEN_EARG, have = 0;
    for (int i = 0; spaces[i]; i++) {
        const spow_search_space *sp = spaces[i];
        if ((family && strcmp(family, sp->family) != 0) || (scheme >= 0 && scheme != sp->eval))
            continue;
        if (par->p_num == par->p_den) {     /* p = 1: the identity, no step */
            best->nsteps = best->cost = 0;
            best->flops = best->err = 0;
            *space = sp;
            return 0;
        }
        spow_search s;
        spow_schedule sch;
        int found;
        spow_search_init(&s, sp, par, prec);
        int r = spow_search_set_aspect(&s, aspect_num, aspect_den);
        if (r) {
            spow_search_clear(&s);
            return r;
        }
        r = run_space(&sch, &found, &s, par->target_err, budget, log);
        spow_search_clear(&s);
        if (found && (!have || better(&sch, best))) {
            *best = sch;
            *space = sp;
            have = 1;
        } else if (!found && r != SPOW_GEN_ETARGET && r != SPOW_GEN_ESEARCH) {
            return r;
        }
        if (!found && (rc == SPOW_GEN_EARG || r == SPOW_GEN_ESEARCH))
            rc = r;
    }
    return have ? 0 : rc;
}

int spow_design_certify(double *err, const spow_search_space *space, const spow_fit_params *par,
                        const spow_schedule *sch, mpfr_prec_t fit_prec)
{
    const spow_family *fam = spow_family_find(space->family);
    if (fam == NULL)
        return SPOW_GEN_EARG;
    spow_fit_params fp = *par;      /* shares par's numbers, read only */
    fp.nsteps = sch->nsteps;
    fp.degrees = sch->degree;
    fp.ndegrees = sch->nsteps;
    fp.target_err = 0;
    fp.scheme = space->eval;
    spow_recurrence rec, r64, rmono;
    mpfr_prec_t used;
    int rc = spow_fit(&rec, fam, &fp, fit_prec, &used);
    if (rc)
        return rc;
    spow_recurrence_round(&r64, &rec, 53);
    spow_recurrence_round_mono(&rmono, &rec, 53);
    if ((rc = fam->certify(&r64)) == 0)
        rc = fam->certify(&rmono);
    mpfr_t cert, sampled, argmax, bound;
    mpfr_inits2(used, cert, sampled, argmax, bound, (mpfr_ptr)0);
    mpfr_max(cert, r64.max_rel_err, rmono.max_rel_err, MPFR_RNDU);
    /* the independent check of every emitted table, on a lighter grid */
    spow_certify_sample(sampled, argmax, &r64, 500);
    mpfr_mul_2si(bound, r64.max_rel_err, -40, MPFR_RNDU);
    mpfr_add(bound, bound, r64.max_rel_err, MPFR_RNDU);
    if (rc == 0 && (!mpfr_number_p(cert) || mpfr_cmp(sampled, bound) > 0))
        rc = SPOW_GEN_ECONVERGE;
    *err = mpfr_get_d(cert, MPFR_RNDU);
    mpfr_clears(cert, sampled, argmax, bound, (mpfr_ptr)0);
    spow_recurrence_clear(&rmono);
    spow_recurrence_clear(&r64);
    spow_recurrence_clear(&rec);
    return rc;
}

void spow_design_front(spow_front_point pts[SPOW_FRONT_NPOINTS], const spow_fit_params *par,
                       mpfr_prec_t search_prec, mpfr_prec_t fit_prec, long budget, FILE *log)
{
    spow_design_front_shape(pts, par, search_prec, fit_prec, budget, 1, 1, log);
}

void spow_design_front_shape(spow_front_point pts[SPOW_FRONT_NPOINTS], const spow_fit_params *par,
                             mpfr_prec_t search_prec, mpfr_prec_t fit_prec, long budget,
                             long aspect_num, long aspect_den, FILE *log)
{
    int nsp = 0, shape_rc = 0;
    while (spaces[nsp])
        nsp++;
    spow_search *s = malloc((size_t)nsp * sizeof *s);
    for (int i = 0; s && i < nsp; i++) {
        spow_search_init(&s[i], spaces[i], par, search_prec);
        if (!shape_rc)
            shape_rc = spow_search_set_aspect(&s[i], aspect_num, aspect_den);
    }
    double target = 1e-1;
    for (int k = 0; k < SPOW_FRONT_NPOINTS; k++, target /= 10) {
        spow_front_point *pt = &pts[k];
        pt->target = target;
        pt->rc = s ? SPOW_GEN_ETARGET : SPOW_GEN_ENOMEM;
        if (shape_rc) {
            pt->rc = shape_rc;
            continue;
        }
        pt->space = NULL;
        pt->certified = 1;
        spow_schedule *sch = malloc((size_t)nsp * sizeof *sch);
        int *found = calloc((size_t)nsp, sizeof *found);
        if (!sch || !found)
            pt->rc = SPOW_GEN_ENOMEM;
        for (int i = 0; s && sch && found && i < nsp; i++) {
            int r = run_space(&sch[i], &found[i], &s[i], target, budget, log);
            if (!found[i] && r != SPOW_GEN_ETARGET)
                pt->rc = r;
        }
        /* The cheapest design first; when its fit fails (a g without a
         * Sastre form) the next one is certified instead. */
        for (;;) {
            int pick = -1;
            for (int i = 0; sch && found && i < nsp; i++)
                if (found[i] && (pick < 0 || better(&sch[i], &sch[pick])))
                    pick = i;
            if (pick < 0)
                break;
            found[pick] = 0;
            pt->sch = sch[pick];
            pt->space = spaces[pick];
            pt->rc = spow_design_certify(&pt->certified, pt->space, par, &pt->sch, fit_prec);
            if (pt->rc != SPOW_GEN_ENOFORM)
                break;
            if (log)
                fprintf(log, "spow-gen: front: target %.0e: the %s/%s design has a step "
                             "without a real Sastre form; taking the next one\n", target,
                        pt->space->family, pt->space->scheme);
        }
        free(found);
        free(sch);
        if (log)
            fprintf(log, "spow-gen: front: target %.0e done (%ld step fits so far)\n", target,
                    s ? s[0].fitted : 0L);
    }
    for (int i = 0; s && i < nsp; i++)
        spow_search_clear(&s[i]);
    free(s);
}

/* The command that reproduces one point's table. */
static void point_command(char *buf, size_t len, const spow_front_point *pt,
                          const spow_fit_params *par, const char *lo, const char *hi)
{
    char deg[4 * SPOW_GEN_MAX_STEPS];
    spow_schedule_format(deg, sizeof deg, &pt->sch);
    snprintf(buf, len, "spow-gen --family %s --p %ld/%ld --lo %s --hi %s --degree %s%s%s "
                       "--format text", pt->space->family, par->p_num, par->p_den, lo, hi, deg,
             pt->space->eval == SPOW_SCHEME_PS ? "" : " --scheme ",
             pt->space->eval == SPOW_SCHEME_PS ? "" : pt->space->scheme);
}

int spow_front_write(FILE *f, const spow_front_point *pts, int npts, const spow_fit_params *par,
                     const char *lo, const char *hi, double aspect, int csv)
{
    char cmd[512], deg[4 * SPOW_GEN_MAX_STEPS];
    const int shaped = aspect != 1;
    if (csv) {
        /* small_side_products before the command, whose quotes hold commas */
        fputs("target,products,certified_err,steps,degrees,family,scheme,small_side_products,"
              "command\n", f);
    } else if (shaped) {
        fprintf(f, "# error-vs-cost front: p = %ld/%ld, s in [%s, %s]; the cheapest certified "
                   "schedule per target on a %g:1 input (cost: small-side products)\n"
                   "# %-7s %8s %9s %11s %5s  %-20s %s\n",
                par->p_num, par->p_den, lo, hi, aspect, "target", "products", "at aspect",
                "certified", "steps", "degrees", "command");
    } else {
        fprintf(f, "# error-vs-cost front: p = %ld/%ld, s in [%s, %s]; the cheapest certified "
                   "schedule per target\n# %-7s %8s %11s %5s  %-20s %s\n",
                par->p_num, par->p_den, lo, hi, "target", "products", "certified", "steps",
                "degrees", "command");
    }
    for (int k = 0; k < npts; k++) {
        const spow_front_point *pt = &pts[k];
        if (pt->rc) {
            if (csv)
                fprintf(f, "%.0e,,,,,,,,\n", pt->target);
            else
                fprintf(f, "  %-7.0e %s\n", pt->target, spow_gen_strerror(pt->rc));
            continue;
        }
        spow_schedule_format(deg, sizeof deg, &pt->sch);
        point_command(cmd, sizeof cmd, pt, par, lo, hi);
        if (csv) {
            /* spaces, not commas, between the degrees: gnuplot reads this file too */
            for (char *q = deg; *q; q++)
                *q = *q == ',' ? ' ' : *q;
            fprintf(f, "%.0e,%d,%.3e,%d,%s,%s,%s,%g,\"%s\"\n", pt->target, pt->sch.cost,
                    pt->certified, pt->sch.nsteps, deg, pt->space->family, pt->space->scheme,
                    pt->sch.flops, cmd);
        } else if (shaped) {
            fprintf(f, "  %-7.0e %8d %9g %11.3e %5d  %-20s %s\n", pt->target, pt->sch.cost,
                    pt->sch.flops, pt->certified, pt->sch.nsteps, deg, cmd);
        } else {
            fprintf(f, "  %-7.0e %8d %11.3e %5d  %-20s %s\n", pt->target, pt->sch.cost,
                    pt->certified, pt->sch.nsteps, deg, cmd);
        }
    }
    return ferror(f) ? SPOW_GEN_EIO : 0;
}
