/* fuzz_table.c -- hand-made tables, valid or not, through the runtime:
 * spow_apply_f64/_f32_ex, the workspace queries and spow_table_find.
 *
 * The runtime has no table loader (tables are compiled in), but a table is
 * still input: a user can build one from spow-gen's JSON.  Every field is
 * taken from the bytes, from plausible values and from the extremes (INT_MIN,
 * NaN, NULL).  With bit 6 of the first byte set the table is laid out as a
 * fixed-point one (family "fixed-point", p = a/b, degree (b-1)/2, alpha 1,
 * beta 0, mono {1, 0, ..., -c}, ps its Paterson-Stockmeyer blocks, gemms
 * the documented cost), right or broken in one chosen way per field and
 * per step; otherwise as a coupled one, every field from the bytes, and
 * from bytes appended after the options (so that older seeds decode as
 * before) each step's evaluation scheme: Paterson-Stockmeyer, or a Sastre
 * or nested product form, right or broken in one chosen way (form_step()),
 * or another scheme number.
 *
 * Properties: the runtime accepts exactly the tables spow.h describes as
 * well formed, worked out here on its own (well_formed(): version, family
 * "coupled" or "fixed-point", p_den > 0, per step 1 <= degree <=
 * SPOW_MAX_DEGREE, 1 <= baby <= degree, blocks = ceil(degree / baby),
 * non-NULL arrays, finite alpha, beta and Paterson-Stockmeyer coefficients,
 * a complete Sastre or nested form if the scheme is one of those; for
 * "coupled" p <= 1,
 * y_power = p_den, x_power = p_den - p_num; for "fixed-point" the rules of
 * fixed_point_verdict()), with one tolerance where spow.h says "within
 * rounding" and either answer is taken; options a valid table cannot be
 * applied with (SPOW_SMALL_SIDE with a fixed-point table) give
 * SPOW_EINVAL; the workspace queries return 0 exactly for the refused
 * tables (and the _ex ones for refused options); a refused call writes
 * nothing; an accepted fixed-point table makes exactly the GEMM calls its
 * gemms state (counted by callbacks, and in spow_stats).  The output of an
 * accepted table with arbitrary coefficients may be anything, so it is not
 * judged; what must not happen is a crash, a sanitizer report or a hang.
 * spow_table_find must return NULL or a table with the same p (by
 * cross-multiplication) whose interval covers [lo, 1]. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "spow.h"

#define MAXSTEPS 4
#define PSLEN (SPOW_MAX_DEGREE * (SPOW_MAX_DEGREE + 1) + SPOW_MAX_DEGREE + 1)

/* One byte picks one of period choices: an edge value (its index, below
 * nedge) or, with -1, an ordinary value the caller reads from the next
 * byte. */
static int edge_index(fuzz_reader *r, unsigned period, unsigned nedge)
{
    unsigned k = fuzz_byte(r) % period;
    return k < nedge ? (int)k : -1;
}

static int int_value(fuzz_reader *r)
{
    static const int edge[] = {INT_MIN, INT_MAX, -INT_MAX, 1 << 30, -1000000, 64};
    int i = edge_index(r, 16, sizeof edge / sizeof edge[0]);
    return i >= 0 ? edge[i] : (signed char)fuzz_byte(r) % 8;
}

static double coef(fuzz_reader *r)
{
    static const double edge[] = {NAN, INFINITY, -INFINITY, 1e300, 0x1p-1074};
    int i = edge_index(r, 32, sizeof edge / sizeof edge[0]);
    return i >= 0 ? edge[i] : (double)(signed char)fuzz_byte(r) / 64.0;
}

/* ---- The model: which tables spow.h calls well formed --------------------
 *
 * Verdicts are three-valued: MUST_ACCEPT, MUST_REFUSE, and EITHER for the
 * one rule that is a tolerance, not an equality (below). */
enum { MUST_REFUSE = 0, MUST_ACCEPT = 1, EITHER = -1 };

static int all_finite(const double *v, int n)
{
    int i;

    for (i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

/* A Sastre step (spow.h): k = form_k in 2..4, degree 4k, form_sign +-1 and
 * a form of 4k + 1 coefficients.  spow.h does not say that the form and
 * form_shift must be finite; the runtime evaluates them instead of ps, and
 * refuses non-finite ones as it does non-finite ps (validate.c), so the
 * model asks the same of them. */
static int sastre_ok(const spow_step *st)
{
    return st->form_k >= 2 && st->form_k <= 4 && st->degree == 4 * st->form_k
           && (st->form_sign == 1 || st->form_sign == -1) && st->form
           && isfinite(st->form_shift) && all_finite(st->form, 4 * st->form_k + 1);
}

/* A nested step (spow.h): degree 16, form_k 0, form_sign +-1 and a form
 * of SPOW_NESTED_NFORM coefficients, finite like the shift (as for Sastre). */
static int nested_ok(const spow_step *st)
{
    return st->form_k == 0 && st->degree == 16 && (st->form_sign == 1 || st->form_sign == -1)
           && st->form && isfinite(st->form_shift) && all_finite(st->form, SPOW_NESTED_NFORM);
}

/* The layout every step of either family has (spow.h's spow_step). */
static int step_layout_ok(const spow_step *st)
{
    if (st->degree < 1 || st->degree > SPOW_MAX_DEGREE || st->baby < 1
        || st->baby > st->degree || st->blocks != (st->degree + st->baby - 1) / st->baby
        || !st->ps || !st->cheb || !st->mono || !isfinite(st->alpha) || !isfinite(st->beta))
        return 0;
    if (!all_finite(st->ps, st->blocks * (st->baby + 1)))
        return 0;
    return st->scheme == SPOW_SCHEME_PS || (st->scheme == SPOW_SCHEME_SASTRE && sastre_ok(st))
           || (st->scheme == SPOW_SCHEME_NESTED && nested_ok(st));
}

static int coupled_ok(const spow_table *t)
{
    return t->y_power == t->p_den && t->p_num <= t->p_den
           && (long long)t->x_power == (long long)t->p_den - t->p_num;
}

/* GEMMs of Z^e by repeated squaring (spow.h: "its power (a-1)/2 by
 * squaring"; the count is not spelled out there, this is the binary method
 * validate.c's comment describes): Z^2, Z^4, ... up to the highest power
 * of two in e, then one product for every other set bit of e.  Z^1 is free. */
static int squaring_gemms(int e)
{
    int top = 0, ones = 0, v;

    for (v = e; v > 1; v >>= 1)
        top++;
    for (v = e; v > 0; v >>= 1)
        ones += v & 1;
    return e >= 1 ? top + ones - 1 : 0;
}

/* The GEMMs spow.h says a fixed-point step costs: the Gram matrix, the
 * Paterson-Stockmeyer products ((baby - 1) for T_2..T_baby, (blocks - 1)
 * Horner steps), Y g(A); step 0 also forms X^a when a > 1 (X^T X, its power
 * (a - 1)/2, the product with X). */
static long long fp_step_gemms(const spow_step *st, int k, int a)
{
    long long n = 1 + (st->baby - 1) + (st->blocks - 1) + 1;

    if (k == 0 && a > 1)
        n += 2 + squaring_gemms((a - 1) / 2);
    return n;
}

#define NMONO (2 * SPOW_MAX_DEGREE + 2)

/* p(t) * q(t) for coefficient vectors of length NMONO (degrees stay below). */
static void poly_mul(long double *out, const long double *p, const long double *q)
{
    long double r[NMONO];
    int i, j;

    memset(r, 0, sizeof r);
    for (i = 0; i < NMONO; i++)
        for (j = 0; i + j < NMONO; j++)
            r[i + j] += p[i] * q[j];
    memcpy(out, r, sizeof r);
}

/* Does ps, expanded fully to monomials in t (u = t), give mono = {1, 0, ...,
 * 0, -c}?  spow.h: "ps expands to it within rounding", no number given.
 * The model expands in long double, term by term (sum_j B_j(t) T_s(t)^j,
 * every power written out), and takes as the scale of the rounding of
 * coefficient q the sum M_q of the magnitudes of all terms that land on t^q
 * (that is, the expansion with every coefficient replaced by its absolute
 * value).  A double expansion of any order rounds within a few (d + 2) eps
 * M_q, so: a difference up to 2 (d + 2) eps M_q is rounding and must be
 * accepted; beyond 32 (d + 2) eps M_q (plus 2^-1000 for subnormal
 * coefficients, whose rounding is absolute) it is a real difference and
 * must be refused; in between either answer is fine, as it is when a
 * magnitude is near DBL_MAX, where no double expansion can be checked. */
static int ps_matches_mono(const spow_step *st)
{
    long double tch[SPOW_MAX_DEGREE + 1][NMONO], tabs[SPOW_MAX_DEGREE + 1][NMONO];
    long double pw[NMONO], pwabs[NMONO], e[NMONO], m[NMONO], term[NMONO], termabs[NMONO];
    const int d = st->degree, s = st->baby;
    const long double eps = DBL_EPSILON;
    int i, j, q, verdict = MUST_ACCEPT;

    /* T_i in monomials, from T_0 = 1, T_1 = t, T_i = 2 t T_(i-1) - T_(i-2),
     * and the same with absolute values. */
    memset(tch, 0, sizeof tch);
    tch[0][0] = 1;
    if (s >= 1)
        tch[1][1] = 1;
    for (i = 2; i <= s; i++)
        for (q = 0; q < NMONO; q++)
            tch[i][q] = (q > 0 ? 2 * tch[i - 1][q - 1] : 0) - tch[i - 2][q];
    for (i = 0; i <= s; i++)
        for (q = 0; q < NMONO; q++)
            tabs[i][q] = fabsl(tch[i][q]);

    memset(e, 0, sizeof e);
    memset(m, 0, sizeof m);
    memset(pw, 0, sizeof pw);
    memset(pwabs, 0, sizeof pwabs);
    pw[0] = pwabs[0] = 1; /* T_s^0 */
    for (j = 0; j < st->blocks; j++) {
        for (i = 0; i <= s; i++) {
            long double c = st->ps[j * (s + 1) + i];
            poly_mul(term, tch[i], pw);
            poly_mul(termabs, tabs[i], pwabs);
            for (q = 0; q < NMONO; q++) {
                e[q] += c * term[q];
                m[q] += fabsl(c) * termabs[q];
            }
        }
        poly_mul(pw, pw, tch[s]);
        poly_mul(pwabs, pwabs, tabs[s]);
    }
    for (q = 0; q < NMONO; q++) {
        long double want = q <= d ? st->mono[q] : 0, diff = fabsl(e[q] - want);
        if (!(m[q] <= DBL_MAX / 1024))
            verdict = EITHER;
        else if (diff > 32 * (d + 2) * eps * m[q] + 0x1p-1000L)
            return MUST_REFUSE;
        else if (!(diff <= 2 * (d + 2) * eps * m[q]))
            verdict = EITHER;
    }
    return verdict;
}

/* The fixed-point family, from spow.h's "fixed-point" paragraphs and
 * /work/notes/fixedpoint_format.md:
 *  - p = a/b with a and b odd and 0 < a < b; p_num = x_power = a,
 *    p_den = y_power = b.  (spow.h's "reduced" is not required, for this
 *    family as for the coupled one: 3/9 is refused by neither.)
 *  - every step: degree (b - 1)/2 (within 1..SPOW_MAX_DEGREE like any
 *    step), alpha exactly 1, beta exactly 0 (-0.0 is 0), scheme
 *    SPOW_SCHEME_PS (the form fields are then not looked at), mono exactly
 *    {1, 0, ..., 0, -c} with c finite (any sign, 0 included), ps expanding
 *    to mono within rounding (ps_matches_mono).  cheb, t_lo and t_hi are
 *    documented values but no condition: spow.h's refusal clause names only
 *    mono and ps, and the runtime reads neither cheb nor the interval.
 *  - gemms as spow.h counts them (fp_step_gemms), and the table's gemms
 *    their sum (spow.h: "sum of step costs"; the note: "t->gemms = sum"). */
static int fixed_point_verdict(const spow_table *t)
{
    const int a = t->p_num, b = t->p_den;
    long long total = 0;
    int k, i, verdict = MUST_ACCEPT;

    if (a <= 0 || a >= b || a % 2 != 1 || b % 2 != 1 || t->y_power != b || t->x_power != a)
        return MUST_REFUSE;
    for (k = 0; k < t->steps; k++) {
        const spow_step *st = &t->step[k];
        const int d = (b - 1) / 2;
        int v;
        if (st->degree != d || st->alpha != 1.0 || st->beta != 0.0
            || st->scheme != SPOW_SCHEME_PS || st->mono[0] != 1.0 || !isfinite(st->mono[d]))
            return MUST_REFUSE;
        for (i = 1; i < d; i++)
            if (st->mono[i] != 0.0)
                return MUST_REFUSE;
        if (st->gemms != fp_step_gemms(st, k, a))
            return MUST_REFUSE;
        total += st->gemms;
        v = ps_matches_mono(st);
        if (v == MUST_REFUSE)
            return MUST_REFUSE;
        if (v == EITHER)
            verdict = EITHER;
    }
    return t->gemms == total ? verdict : MUST_REFUSE;
}

static int well_formed(const spow_table *t)
{
    int k, fixed;

    if (t->version != SPOW_TABLE_VERSION || !t->family || t->p_den <= 0 || t->steps < 0
        || (t->steps > 0 && !t->step))
        return MUST_REFUSE;
    fixed = strcmp(t->family, "fixed-point") == 0;
    if (!fixed && strcmp(t->family, "coupled") != 0)
        return MUST_REFUSE;
    for (k = 0; k < t->steps; k++)
        if (!step_layout_ok(&t->step[k]))
            return MUST_REFUSE;
    if (fixed)
        return fixed_point_verdict(t);
    return coupled_ok(t) ? MUST_ACCEPT : MUST_REFUSE;
}

/* ---- Fixed-point tables, plausible or broken ------------------------------ */

/* t^d in the Chebyshev basis: 2^(1-d) sum_k C(d, k) T_(d-2k), the term
 * k = d/2 (d even) halved.  Dyadic rationals with small numerators: exact. */
static void power_cheb(double *w, int d)
{
    double binom = 1.0;
    int k;

    for (k = 0; k <= d; k++)
        w[k] = 0.0;
    for (k = 0; 2 * k <= d; k++) {
        w[d - 2 * k] = ldexp(binom, 1 - d) / (2 * k == d ? 2.0 : 1.0);
        binom = binom * (d - k) / (k + 1);
    }
}

/* Paterson-Stockmeyer blocks of the Chebyshev series ch (degree d) for
 * baby s: the remainders of repeated division by T_s (T_n = 2 T_s T_(n-s)
 * - T_|n-2s|), the last quotient as the top block. */
static void fp_ps(double *ps, const double *ch, int d, int s)
{
    double f[NMONO], q[NMONO];
    int blocks = (d + s - 1) / s, deg = d, j, n, i;

    memset(f, 0, sizeof f);
    memcpy(f, ch, (size_t)(d + 1) * sizeof *ch);
    for (j = 0; j < blocks - 1; j++) {
        memset(q, 0, sizeof q);
        for (n = deg; n >= s; n--) {
            double v = f[n];
            f[n] = 0.0;
            if (n == s) {
                q[0] += v;
            } else {
                q[n - s] += 2.0 * v;
                f[n > 2 * s ? n - 2 * s : 2 * s - n] -= v;
            }
        }
        for (i = 0; i < s; i++)
            ps[j * (s + 1) + i] = f[i];
        ps[j * (s + 1) + s] = 0.0;
        memcpy(f, q, sizeof f);
        deg -= s;
    }
    for (i = 0; i <= s; i++)
        ps[(blocks - 1) * (s + 1) + i] = f[i];
}

static double fp_constant(fuzz_reader *r)
{
    /* The published and test constants, then ordinary and extreme values. */
    static const double plausible[] = {0.66, 0.2, 0.3, 0.887495, 1.98807, 19.7, 0.5, 1.0,
                                       0.0, -0.25, 0x1p-1074, 1e300};
    unsigned k = fuzz_byte(r);
    switch (k % 4) {
    case 0: return plausible[(k / 4) % (sizeof plausible / sizeof plausible[0])];
    case 3: return coef(r);
    default: return (double)(signed char)fuzz_byte(r) / 32.0;
    }
}

#define MONOLEN (SPOW_MAX_DEGREE + 2)

/* A table of the fixed-point layout for p = a/b: mostly right, or broken in
 * one chosen way for p, for the table's other fields and for each step (a
 * byte each, 0..9 of 16 leaving p, 0..9 the fields and 0..2 a step as they
 * are; step variant 3 is ps from a double generator, 4..7 are changes
 * that must not matter: cheb, t_lo, t_hi, the form fields of a PS step,
 * -0.0 for 0; 8..15 break one rule).  The model decides in every case. */
static void fixed_point_table(fuzz_reader *r, spow_table *t, spow_step *step,
                              double ps[][PSLEN], double mono[][MONOLEN],
                              double cheb[][MONOLEN], double *form)
{
    static const char *const families[8] = {"fixed-point", "fixed-point", "fixed-point",
                                            "fixed-point", "fixed-point", "fixed-point",
                                            "coupled", "fixed point"};
    unsigned fam = fuzz_byte(r), pb = fuzz_byte(r), pa = fuzz_byte(r);
    unsigned pk = fuzz_byte(r) % 16, tf = fuzz_byte(r) % 16;
    int b = 3 + 2 * (int)(pb % 17), a = 1 + 2 * (int)(pa % (unsigned)((b - 1) / 2));
    double wch[MONOLEN], wps[PSLEN];
    int d, k, j;
    long long total = 0;

    t->family = families[fam % 8];
    switch (pk) {
    case 10: a += 1; break;                  /* a even */
    case 11: b += 1; break;                  /* b even */
    case 12: a = b; break;                   /* p = 1 */
    case 13: a = b + 2; break;               /* p > 1 */
    case 14: a = pa & 1 ? -a : 0; break;     /* p <= 0 */
    case 15: a = int_value(r); b = int_value(r); break;
    default: break;
    }
    t->p_num = a;
    t->p_den = b;
    t->y_power = tf == 10 ? (int)((unsigned)b + 2u) : b;
    t->x_power = tf == 11 ? (int)((unsigned)b - (unsigned)a) : a; /* coupled's n - m */
    if (tf == 15)
        t->version = SPOW_TABLE_VERSION + 1;
    t->steps = (int)(fuzz_byte(r) % (MAXSTEPS + 2)) - 1;
    t->step = tf == 14 ? NULL : step;
    /* The layout follows p_den where it can (an even b too), else 3..35. */
    d = b >= 3 && b <= 35 ? (b - 1) / 2 : 1 + (int)(pb % 17);
    for (k = 0; k < MAXSTEPS; k++) {
        spow_step *st = &step[k];
        unsigned sf = fuzz_byte(r) % 16, how = fuzz_byte(r);
        double c = fp_constant(r);
        int s = 1 + (int)(fuzz_byte(r) % (unsigned)d), n;

        st->degree = d;
        st->baby = s;
        st->blocks = (d + s - 1) / s;
        st->alpha = 1.0;
        st->beta = 0.0;
        st->t_lo = -1.0;
        st->t_hi = 1.0;
        st->scheme = SPOW_SCHEME_PS;
        st->ps = ps[k];
        st->cheb = cheb[k];
        st->mono = mono[k];
        mono[k][0] = 1.0;
        mono[k][d] = -c;
        /* cheb and ps of t^d are exact (the division by T_s too: dyadic
         * rationals), so -c times them, plus 1 on T_0, is every entry
         * correctly rounded, exact zeros included, as spow-gen writes
         * them (from MPFR).  Variant 3 instead divides the rounded cheb of
         * g in double, as a double generator would: its rounding leaves
         * residues where the exact entry is 0, which are not "within
         * rounding" of the terms that land there (the model decides). */
        power_cheb(wch, d);
        if (d <= SPOW_MAX_DEGREE)
            fp_ps(wps, wch, d, s);
        for (j = 0; j <= d; j++)
            cheb[k][j] = -c * wch[j];
        cheb[k][0] += 1.0;
        n = st->blocks * (s + 1);
        for (j = 0; j < n; j++)
            ps[k][j] = -c * wps[j];
        ps[k][0] += 1.0;
        if (sf == 3 && d <= SPOW_MAX_DEGREE)
            fp_ps(ps[k], cheb[k], d, s);
        switch (sf) {
        case 4: cheb[k][how % (unsigned)(d + 1)] = coef(r); break; /* must not matter */
        case 5:
            st->t_lo = coef(r);
            st->t_hi = coef(r);
            st->y_lo = st->max_rel_err = coef(r);
            break;
        case 6: /* form fields of a PS step: not looked at */
            st->form_k = (int)(how % 8);
            st->form_sign = how & 8 ? 7 : 1;
            st->form_shift = NAN;
            st->form = how & 16 ? form : NULL;
            break;
        case 7: /* -0.0 is 0 */
            st->beta = -0.0;
            for (j = 1; j < d; j++)
                mono[k][j] = -0.0;
            break;
        case 8: { /* degree */
            static const int delta[] = {-1, 1, -100, 0};
            st->degree = how & 4 ? 2 * d : d + delta[how % 4];
            if (st->degree >= 1)
                st->blocks = (st->degree + s - 1) / s;
            break;
        }
        case 9: /* baby or blocks */
            switch (how % 5) {
            case 0: st->baby = 0; break;
            case 1: st->baby = d + 1; break;
            case 2: st->blocks += 1; break;
            case 3: st->blocks -= 1; break;
            default: /* another baby, ps still for s */
                st->baby = 1 + (int)((how / 8) % (unsigned)d);
                st->blocks = (d + st->baby - 1) / st->baby;
                break;
            }
            break;
        case 10: { /* alpha, beta */
            static const double alphas[] = {1.0 + DBL_EPSILON, 2.0, -1.0, NAN};
            static const double betas[] = {-1.0, 0x1p-1074, 1.0, INFINITY};
            if (how & 4)
                st->beta = betas[how % 4];
            else
                st->alpha = alphas[how % 4];
            break;
        }
        case 11: /* mono */
            switch (how % 6) {
            case 0: mono[k][0] = 1.0 + DBL_EPSILON; break;
            case 1:
                if (d >= 2)
                    mono[k][1 + (how / 8) % (unsigned)(d - 1)] = 0x1p-60;
                else
                    mono[k][0] = 0.5;
                break;
            case 2: mono[k][d] = NAN; break;
            case 3: mono[k][d] = nextafter(mono[k][d], INFINITY); break; /* still exact */
            case 4: mono[k][d] *= 1.001; break;
            default: mono[k][d] = -INFINITY; break;
            }
            break;
        case 12: { /* ps */
            int i = (int)((how / 8) % (unsigned)n);
            switch (how % 8) {
            case 0: ps[k][i] = nextafter(ps[k][i], INFINITY); break; /* rounding */
            case 1: ps[k][i] = nextafter(ps[k][i], -INFINITY); break;
            case 2: ps[k][i] *= 1.0 + ldexp(1.0, -(int)(fuzz_byte(r) % 64)); break;
            case 3: ps[k][i] += ldexp(1.0, -(int)(fuzz_byte(r) % 64)); break;
            case 4: ps[k][i] = -ps[k][i]; break;
            case 5: /* the top entry of block 0: another polynomial, unless
                     * block 1's T_0 entry gives it back (the same g) */
                ps[k][s] += 0.25;
                if (st->blocks > 1 && how & 64)
                    ps[k][s + 1] -= 0.25;
                break;
            default: ps[k][i] = coef(r); break;
            }
            break;
        }
        case 14: /* another scheme */
            st->scheme = how & 1 ? SPOW_SCHEME_SASTRE : (int)(how % 5) - 2;
            st->form_k = d % 4 == 0 ? d / 4 : 2 + (int)(how / 2 % 3);
            st->form_sign = 1;
            st->form_shift = 0.0;
            st->form = form;
            break;
        case 15:
            if (how % 3 == 0)
                st->ps = NULL;
            else if (how % 3 == 1)
                st->cheb = NULL;
            else
                st->mono = NULL;
            break;
        default: break;
        }
        st->gemms = st->baby >= 1 && st->blocks >= 1 ? (int)fp_step_gemms(st, k, a) : 0;
        if (sf == 13) { /* the step's cost */
            switch (how % 4) {
            case 0: st->gemms += 1; break;
            case 1: st->gemms -= 1; break;
            case 2: st->gemms = 2 + (st->baby - 1) + (st->blocks - 1); break; /* no X^a */
            default: st->gemms = INT_MAX; break;
            }
        }
        if (k < t->steps)
            total += st->gemms;
    }
    t->gemms = total > INT_MAX ? INT_MAX : (int)total; /* a step at INT_MAX */
    if (tf == 12)
        t->gemms = t->gemms < INT_MAX ? t->gemms + 1 : 0;
    else if (tf == 13)
        t->gemms = 0;
}

/* ---- Coupled steps with a product form ---------------------------------- */

#define FORMLEN (4 * 4 + 1 > SPOW_NESTED_NFORM ? 4 * 4 + 1 : SPOW_NESTED_NFORM)

/* Step st's scheme from the bytes appended after the options (a zero byte,
 * also when they have run out: Paterson-Stockmeyer, as before): a Sastre
 * form (k = 2..4) or a nested one, with the layout made to fit it (degree
 * 4k or 16, blocks from baby), sign, shift and coefficients from the bytes
 * and the entries past the form NaN (never read); then one rule kept or
 * broken (0..7 kept; 8 form_k, 9 degree, 10 sign, 11 form NULL, 12 shift,
 * 13 an entry non-finite, 14 labelled as the other form, 15 an entry huge
 * but finite, which must not matter); or a scheme number spow.h does not
 * define.  The model decides in every case. */
static void form_step(fuzz_reader *r, spow_step *st, double *form)
{
    static const int others[] = {3, -1, INT_MIN, INT_MAX};
    static const double bad[] = {NAN, INFINITY, -INFINITY};
    unsigned fb = fuzz_byte(r), brk, how;
    int n, j;

    switch (fb % 4) {
    case 0: return;
    case 3: st->scheme = others[(fb / 4) % 4]; st->form = form; return;
    case 1:
        st->scheme = SPOW_SCHEME_SASTRE;
        st->form_k = 2 + (int)((fb / 4) % 3);
        st->degree = 4 * st->form_k;
        n = 4 * st->form_k + 1;
        break;
    default:
        st->scheme = SPOW_SCHEME_NESTED;
        st->form_k = 0;
        st->degree = 16;
        n = SPOW_NESTED_NFORM;
        break;
    }
    if (st->baby < 1 || st->baby > st->degree)
        st->baby = 4;
    st->blocks = (st->degree + st->baby - 1) / st->baby;
    st->form_sign = fb & 64 ? -1 : 1;
    st->form = form;
    st->form_shift = (double)(signed char)fuzz_byte(r) / 64.0;
    for (j = 0; j < FORMLEN; j++)
        form[j] = j < n ? (double)(signed char)fuzz_byte(r) / 32.0 : NAN;
    brk = fuzz_byte(r) % 16;
    how = fuzz_byte(r);
    switch (brk) {
    case 8:
        st->form_k = st->scheme == SPOW_SCHEME_NESTED ? 1 + (int)(how % 4)
                                                      : (int)(how % 6) - 1; /* -1..4 */
        break;
    case 9: {
        static const int nested_deg[] = {8, 12, 15, 17};
        st->degree = st->scheme == SPOW_SCHEME_NESTED ? nested_deg[how % 4]
                                                      : st->degree + (how & 1 ? 4 : -4);
        if (st->degree >= 1 && st->baby <= st->degree)
            st->blocks = (st->degree + st->baby - 1) / st->baby;
        break;
    }
    case 10: {
        static const int signs[] = {0, 2, -2, INT_MIN};
        st->form_sign = signs[how % 4];
        break;
    }
    case 11: st->form = NULL; break;
    case 12: st->form_shift = bad[how % 3]; break;
    case 13: form[how % (unsigned)n] = bad[(how / 32) % 3]; break;
    case 14:
        st->scheme = st->scheme == SPOW_SCHEME_NESTED ? SPOW_SCHEME_SASTRE : SPOW_SCHEME_NESTED;
        break;
    case 15: form[how % (unsigned)n] = how & 128 ? 1e300 : -1e300; break;
    default: break;
    }
}

/* GEMM callbacks that count their calls (ctx: long[2], f64 and f32) and
 * hand them to the default GEMM. */
static int count_f64(void *ctx, int ta, int tb, size_t m, size_t n, size_t k, double alpha,
                     const double *a, size_t lda, const double *b, size_t ldb, double beta,
                     double *c, size_t ldc)
{
    ((long *)ctx)[0]++;
    return spow_gemm_cblas_f64(NULL, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

static int count_f32(void *ctx, int ta, int tb, size_t m, size_t n, size_t k, float alpha,
                     const float *a, size_t lda, const float *b, size_t ldb, float beta,
                     float *c, size_t ldc)
{
    ((long *)ctx)[1]++;
    return spow_gemm_cblas_f32(NULL, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/* rc of an apply that may or may not accept the table (verdict EITHER):
 * the refusal the options would give a valid table, or SPOW_OK. */
static int accepted_rc(const spow_table *t, const spow_options *opt)
{
    return t->family && strcmp(t->family, "fixed-point") == 0 && (opt->flags & SPOW_SMALL_SIDE)
               ? SPOW_EINVAL
               : SPOW_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const families[4] = {"coupled", "coupled", "fixedpoint", NULL};
    static double ps[MAXSTEPS][PSLEN], other[SPOW_MAX_DEGREE + 1];
    static double mono[MAXSTEPS][MONOLEN], cheb[MAXSTEPS][MONOLEN], form[FORMLEN];
    static double forms[MAXSTEPS][FORMLEN];
    fuzz_reader rd = {data, size};
    spow_step step[MAXSTEPS];
    spow_table t;
    spow_options opt = {0};
    spow_stats stats;
    const spow_table *found;
    double g[6 * 6], o[6 * 6];
    float gf[6 * 6], of[6 * 6];
    long calls[2];
    unsigned flags, ob;
    size_t rows, cols, i;
    int k, j, ok, rc, verdict, fm, fd, fixed, gzero;
    double lo;

    memset(&t, 0, sizeof t);
    memset(step, 0, sizeof step);
    memset(ps, 0, sizeof ps);
    memset(mono, 0, sizeof mono);
    memset(cheb, 0, sizeof cheb);
    for (j = 0; j < FORMLEN; j++)
        form[j] = 0.125 * j;
    flags = fuzz_byte(&rd);
    t.version = flags & 1 ? SPOW_TABLE_VERSION + 1 : SPOW_TABLE_VERSION;
    t.name = t.command = "fuzz";
    t.lo = 1e-3;
    t.hi = 1.0;
    if (flags & 64) {
        t.version = SPOW_TABLE_VERSION;
        fixed_point_table(&rd, &t, step, ps, mono, cheb, form);
    } else {
        t.family = families[(flags >> 1) % 4];
        t.p_num = int_value(&rd);
        t.p_den = int_value(&rd);
        /* Mostly consistent powers, so that the steps get exercised. */
        t.y_power = flags & 8 ? int_value(&rd) : t.p_den;
        t.x_power = flags & 16 ? int_value(&rd) : (int)((unsigned)t.p_den - (unsigned)t.p_num);
        t.steps = (int)(fuzz_byte(&rd) % (MAXSTEPS + 2)) - 1;
        t.step = flags & 32 ? NULL : step;
        for (k = 0; k < MAXSTEPS; k++) {
            spow_step *st = &step[k];
            unsigned sf = fuzz_byte(&rd);
            st->degree = (int)(fuzz_byte(&rd) % (SPOW_MAX_DEGREE + 2));
            st->baby = (int)(fuzz_byte(&rd) % (SPOW_MAX_DEGREE + 2));
            st->blocks = sf & 1 || st->baby <= 0 ? (int)(fuzz_byte(&rd) % 20)
                                                  : (st->degree + st->baby - 1) / st->baby;
            st->alpha = sf & 2 ? coef(&rd) : 2.0;
            st->beta = sf & 4 ? coef(&rd) : -1.0;
            for (j = 0; j < PSLEN; j++)
                ps[k][j] = j < 20 ? coef(&rd) : 0.0;
            if (!(sf & 8))
                ps[k][0] += 1.0; /* g near 1: a recurrence that stays bounded */
            st->ps = sf & 16 ? NULL : ps[k];
            st->cheb = sf & 32 ? NULL : other;
            st->mono = sf & 64 ? NULL : other;
        }
    }
    rows = 1 + fuzz_byte(&rd) % 6;
    cols = 1 + fuzz_byte(&rd) % 6;
    gzero = 1;
    for (i = 0; i < rows * cols; i++) {
        g[i] = (double)(signed char)fuzz_byte(&rd) / 16.0;
        gf[i] = (float)g[i];
        gzero &= g[i] == 0.0;
    }
    opt.f64_steps = (int)(fuzz_byte(&rd) % 4);
    fm = int_value(&rd);
    fd = int_value(&rd);
    lo = coef(&rd);
    /* Appended, so that the older seeds decode as before: the scale, and
     * SPOW_NORMALIZED or SPOW_SMALL_SIDE (refused with a fixed-point table). */
    ob = fuzz_byte(&rd);
    opt.scale = (int)(ob % 4);
    opt.flags = (ob >> 2) % 8 == 6 ? SPOW_NORMALIZED : (ob >> 2) % 8 == 7 ? SPOW_SMALL_SIDE : 0;
    if (!(flags & 64))
        for (k = 0; k < MAXSTEPS; k++)
            form_step(&rd, &step[k], forms[k]);
    opt.gemm_f64 = count_f64;
    opt.gemm_f32 = count_f32;
    opt.gemm_ctx = calls;
    opt.stats = &stats;

    verdict = well_formed(&t);
    fixed = t.family && strcmp(t.family, "fixed-point") == 0;
    for (i = 0; i < rows * cols; i++) {
        o[i] = -7.0;
        of[i] = -7.0f;
    }
    calls[0] = calls[1] = 0;
    rc = spow_apply_f64_ex(&t, rows, cols, g, cols, o, cols, &opt);
    FUZZ_CHECK(verdict == EITHER ? rc == SPOW_ETABLE || rc == accepted_rc(&t, &opt)
                                 : rc == (verdict ? accepted_rc(&t, &opt) : SPOW_ETABLE),
               "f64: rc %d (%s), model %d (family %s p %d/%d powers %d %d steps %d)", rc,
               spow_strerror(rc), verdict, t.family ? t.family : "NULL", t.p_num, t.p_den,
               t.y_power, t.x_power, t.steps);
    ok = rc != SPOW_ETABLE; /* the runtime's answer, the model's where it has one */
#ifdef FUZZ_TABLE_TRACE /* what the inputs reach: -DFUZZ_TABLE_TRACE, replay a corpus */
    fprintf(stderr, "trace family %s p %d/%d steps %d model %d rc %d\n",
            t.family ? t.family : "NULL", t.p_num, t.p_den, t.steps, verdict, rc);
#endif
    /* The cost a fixed-point table states is what an apply does: t->gemms,
     * plus the product SPOW_SCALE_GRAM4 adds when the first step has no
     * T_2 (baby 1); none when there is no step or G = 0. */
    if (rc == SPOW_OK && fixed) {
        long want = t.steps == 0 || gzero ? 0
                    : t.gemms + ((opt.scale == SPOW_SCALE_DEFAULT || opt.scale == SPOW_SCALE_GRAM4)
                                 && t.step[0].baby == 1);
        FUZZ_CHECK(calls[0] == want && calls[1] == 0 && stats.gemm_calls == want,
                   "f64 GEMMs: %ld called, %ld in stats, want %ld (p %d/%d, %d steps, scale %d)",
                   calls[0], stats.gemm_calls, want, t.p_num, t.p_den, t.steps, opt.scale);
    }
    calls[0] = calls[1] = 0;
    rc = spow_apply_f32_ex(&t, rows, cols, gf, cols, of, cols, &opt);
    FUZZ_CHECK(rc == (ok ? accepted_rc(&t, &opt) : SPOW_ETABLE), "f32: rc %d, f64 accepted %d",
               rc, ok);
    if (rc == SPOW_OK && fixed) {
        long want = t.steps == 0 || gzero ? 0
                    : t.gemms + ((opt.scale == SPOW_SCALE_DEFAULT || opt.scale == SPOW_SCALE_GRAM4)
                                 && t.step[0].baby == 1);
        FUZZ_CHECK(calls[0] + calls[1] == want && stats.gemm_calls == want,
                   "f32 GEMMs: %ld + %ld called, %ld in stats, want %ld (f64_steps %d)", calls[0],
                   calls[1], stats.gemm_calls, want, opt.f64_steps);
    }
    if (rc != SPOW_OK)
        for (i = 0; i < rows * cols; i++)
            FUZZ_CHECK(o[i] == -7.0 && of[i] == -7.0f, "out written for a refused table");
    FUZZ_CHECK((spow_workspace_size_f64(&t, rows, cols) > 0) == ok, "f64 workspace query");
    FUZZ_CHECK((spow_workspace_size_f32(&t, rows, cols) > 0) == ok, "f32 workspace query");
    FUZZ_CHECK((spow_workspace_size_f32_mixed(&t, rows, cols, opt.f64_steps) > 0) == ok,
               "mixed workspace query");
    FUZZ_CHECK((spow_workspace_size_f64_ex(&t, rows, cols, &opt) > 0) == (rc == SPOW_OK),
               "f64 workspace query with options");
    FUZZ_CHECK((spow_workspace_size_f32_ex(&t, rows, cols, &opt) > 0) == (rc == SPOW_OK),
               "f32 workspace query with options");

    found = spow_table_find(fm, fd, lo);
    if (found)
        FUZZ_CHECK(fd != 0 && (long long)found->p_num * fd == (long long)fm * found->p_den
                       && found->lo <= lo && found->hi >= 1.0,
                   "spow_table_find(%d, %d, %g) -> %s", fm, fd, lo, found->name);
    return 0;
}
