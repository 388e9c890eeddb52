/* fuzz_table.c -- hand-made tables, valid or not, through the runtime:
 * spow_apply_f64/_f32_ex, the workspace queries and spow_table_find.
 *
 * The runtime has no table loader (tables are compiled in), but a table is
 * still input: a user can build one from spow-gen's JSON.  Every field is
 * taken from the bytes, from plausible values and from the extremes (INT_MIN,
 * NaN, NULL).  Properties: the runtime accepts exactly the tables spow.h
 * describes as well formed (version, family "coupled", p = p_num/p_den with
 * p_den > 0 and p <= 1, y_power = p_den, x_power = p_den - p_num, and per
 * step 1 <= degree <= SPOW_MAX_DEGREE, 1 <= baby <= degree, blocks =
 * ceil(degree / baby), non-NULL arrays, finite alpha, beta and
 * Paterson-Stockmeyer coefficients), worked out here on its own; the
 * workspace queries return 0 exactly for the others; a refused call writes
 * nothing.  The output of an accepted table with arbitrary coefficients may
 * be anything, so it is not judged; what must not happen is a crash, a
 * sanitizer report or a hang.  spow_table_find must return NULL or a table
 * with the same p (by cross-multiplication) whose interval covers [lo, 1]. */
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

static int well_formed(const spow_table *t)
{
    int k, i;

    if (t->version != SPOW_TABLE_VERSION || !t->family || strcmp(t->family, "coupled") != 0)
        return 0;
    if (t->p_den <= 0 || t->p_num > t->p_den || t->y_power != t->p_den
        || (long long)t->x_power != (long long)t->p_den - t->p_num || t->steps < 0
        || (t->steps > 0 && !t->step))
        return 0;
    for (k = 0; k < t->steps; k++) {
        const spow_step *st = &t->step[k];
        if (st->degree < 1 || st->degree > SPOW_MAX_DEGREE || st->baby < 1
            || st->baby > st->degree || st->blocks != (st->degree + st->baby - 1) / st->baby
            || !st->ps || !st->cheb || !st->mono || !isfinite(st->alpha) || !isfinite(st->beta))
            return 0;
        for (i = 0; i < st->blocks * (st->baby + 1); i++)
            if (!isfinite(st->ps[i]))
                return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const families[4] = {"coupled", "coupled", "fixedpoint", NULL};
    static double ps[MAXSTEPS][PSLEN], other[SPOW_MAX_DEGREE + 1];
    fuzz_reader rd = {data, size};
    spow_step step[MAXSTEPS];
    spow_table t;
    spow_options opt = {0};
    const spow_table *found;
    double g[6 * 6], o[6 * 6];
    float gf[6 * 6], of[6 * 6];
    unsigned flags;
    size_t rows, cols, i;
    int k, j, ok, rc, want, fm, fd;
    double lo;

    memset(&t, 0, sizeof t);
    memset(step, 0, sizeof step);
    flags = fuzz_byte(&rd);
    t.version = flags & 1 ? SPOW_TABLE_VERSION + 1 : SPOW_TABLE_VERSION;
    t.family = families[(flags >> 1) % 4];
    t.name = t.command = "fuzz";
    t.p_num = int_value(&rd);
    t.p_den = int_value(&rd);
    /* Mostly consistent powers, so that the steps get exercised. */
    t.y_power = flags & 8 ? int_value(&rd) : t.p_den;
    t.x_power = flags & 16 ? int_value(&rd) : (int)((unsigned)t.p_den - (unsigned)t.p_num);
    t.steps = (int)(fuzz_byte(&rd) % (MAXSTEPS + 2)) - 1;
    t.step = flags & 32 ? NULL : step;
    t.lo = 1e-3;
    t.hi = 1.0;
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
    rows = 1 + fuzz_byte(&rd) % 6;
    cols = 1 + fuzz_byte(&rd) % 6;
    for (i = 0; i < rows * cols; i++) {
        g[i] = (double)(signed char)fuzz_byte(&rd) / 16.0;
        gf[i] = (float)g[i];
    }
    opt.f64_steps = (int)(fuzz_byte(&rd) % 4);

    ok = well_formed(&t);
    want = ok ? SPOW_OK : SPOW_ETABLE;
    for (i = 0; i < rows * cols; i++) {
        o[i] = -7.0;
        of[i] = -7.0f;
    }
    rc = spow_apply_f64_ex(&t, rows, cols, g, cols, o, cols, &opt);
    FUZZ_CHECK(rc == want, "f64: rc %d (%s), want %d (p %d/%d powers %d %d steps %d)", rc,
               spow_strerror(rc), want, t.p_num, t.p_den, t.y_power, t.x_power, t.steps);
    rc = spow_apply_f32_ex(&t, rows, cols, gf, cols, of, cols, &opt);
    FUZZ_CHECK(rc == want, "f32: rc %d, want %d", rc, want);
    if (!ok)
        for (i = 0; i < rows * cols; i++)
            FUZZ_CHECK(o[i] == -7.0 && of[i] == -7.0f, "out written for a refused table");
    FUZZ_CHECK((spow_workspace_size_f64(&t, rows, cols) > 0) == ok, "f64 workspace query");
    FUZZ_CHECK((spow_workspace_size_f32(&t, rows, cols) > 0) == ok, "f32 workspace query");
    FUZZ_CHECK((spow_workspace_size_f32_mixed(&t, rows, cols, opt.f64_steps) > 0) == ok,
               "mixed workspace query");

    fm = int_value(&rd);
    fd = int_value(&rd);
    lo = coef(&rd);
    found = spow_table_find(fm, fd, lo);
    if (found)
        FUZZ_CHECK(fd != 0 && (long long)found->p_num * fd == (long long)fm * found->p_den
                       && found->lo <= lo && found->hi >= 1.0,
                   "spow_table_find(%d, %d, %g) -> %s", fm, fd, lo, found->name);
    return 0;
}
