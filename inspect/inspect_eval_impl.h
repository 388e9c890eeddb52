/* inspect_eval_impl.h -- the scalar recurrence in one floating type.
 *
 * Included by inspect_eval.c once per type with T (double or float) and
 * FN(name) defined; no include guard on purpose.  The order of operations is
 * that of the matrix evaluation, reduced to one singular value (every matrix
 * is diagonal in the singular basis): for the coupled tables the runtime's
 * (runtime/src/apply_impl.h: alpha inside the Gram product, beta and the
 * -1 of T_2 added in double, the blocks B_j formed in double from T
 * operands, the products and the Horner steps in T, powers of g by repeated
 * squaring, set bits multiplied in from the lowest; a Sastre or nested
 * step's form as eval_form computes it); for the evaluation-only
 * families their published matrix code (constants rounded to T). */

/* Products of repeated squares: the set bits of e, lowest first. */
static T FN(power)(T g, int e)
{
    T sq = g, p = 0;
    int have = 0;
    for (; e; e >>= 1) {
        if (e & 1) {
            p = have ? p * sq : sq;
            have = 1;
        }
        if (e >> 1)
            sq = sq * sq;
    }
    return have ? p : (T)1;
}

/* B_j = sum_i c[i] T_i in double, rounded to T (T_0 = 1). */
static T FN(block)(const double *c, const T *tk, int baby)
{
    double v = c[0];
    for (int q = 1; q <= baby; q++)
        v += c[q] * (double)tk[q];
    return (T)v;
}

/* The updates Y <- Y g^ey and X <- X g^ex (X is Y when p = 0). */
static void FN(update)(T *x, T *y, T g, const spow_inspect_eval_step *st, long m)
{
    if (st->ey) {
        *y = *y * FN(power)(g, st->ey);
        if (m == 0)
            *x = *y;
    }
    if (st->ex)
        *x = *x * FN(power)(g, st->ex);
}

/* c0 + sum_q c[q-1] P_q + cy y in double, rounded to T (the runtime's
 * lincomb), P_q = pw[q]. */
static T FN(lincomb)(double c0, const double *c, int n, const T *pw, T y, double cy)
{
    double v = c0;
    for (int q = 1; q <= n; q++)
        v += c[q - 1] * (double)pw[q];
    return (T)(v + cy * (double)y);
}

/* (y + sum b_q P_q) (sign y + sum c_q P_q) + (l0 + sum l_q P_q + e y), q =
 * 1..n: the last product of a Sastre form, both last products of a nested
 * one, as the runtime's form_product makes it (the three linear
 * combinations in double, the free terms preloaded into the GEMM's
 * output). */
static T FN(form_product)(int n, const T *pw, T y, const double *b, const double *c,
                          double sign, double e, double l0, const double *l)
{
    T f1 = FN(lincomb)(0.0, b, n, pw, y, 1.0);
    T f2 = FN(lincomb)(0.0, c, n, pw, y, sign);
    T rest = FN(lincomb)(l0, l, n, pw, y, e);
    T prod = f1 * f2;                                    /* GEMM f1 f2 + rest */
    return prod + rest;
}

/* g by the step's product form at w, in the runtime's order (eval_form):
 * even powers as squares, y0 = P_k (a_1 P_1 + ... + a_k P_k) (k = 2 for
 * the nested form), then form_product: once on P_1..P_k and y0 for
 * Sastre's form; for the nested one y1 on W, P_2 and y0 (f2 without W, no
 * free terms), then g on W, P_2, y0 and y1. */
static T FN(form_g)(const spow_inspect_eval_step *st, T w)
{
    const int nested = st->scheme == SPOW_SCHEME_NESTED;
    const int k = nested ? 2 : st->form_k;
    const double *v = st->form, sign = (double)st->form_sign;
    T pw[SPOW_GEN_MAX_DEGREE / 4 + 2];
    pw[1] = w;
    for (int j = 2; j <= k; j++)
        pw[j] = j % 2 == 0 ? pw[j / 2] * pw[j / 2] : w * pw[j - 1];
    T y0 = pw[k] * FN(lincomb)(0.0, v, k, pw, 0, 0.0);
    if (!nested) {
        /* form[] = a_1..a_k, b_1..b_k, c_2..c_k, e, l_0..l_k */
        const double *b = v + k, *c = b + k, e = c[k - 1], *l = c + k;
        const double c1[4] = { 0.0, k > 1 ? c[0] : 0.0, k > 2 ? c[1] : 0.0, k > 3 ? c[2] : 0.0 };
        return FN(form_product)(k, pw, y0, b, c1, sign, e, l[0], l + 1);
    }
    /* form[] = a_1 a_2 b_1 b_2 c_2 e d_0 d_1 d_2 f_0 f_1 f_2 h_0 h_1 l_0 l_1 l_2;
     * the outer terms in the order of pw: W, P_2, y0 */
    const double c[2] = { 0.0, v[4] }, none[2] = { 0.0, 0.0 };
    const double d[3] = { v[7], v[8], v[6] }, f[3] = { v[10], v[11], v[9] };
    const double l[3] = { v[15], v[16], v[12] };
    T y1 = FN(form_product)(2, pw, y0, v + 2, c, 1.0, v[5], 0.0, none);
    pw[3] = y0;
    return FN(form_product)(3, pw, y1, d, f, sign, v[13], v[14], l);
}

static void FN(coupled_step)(T *x, T *y, const spow_inspect_eval_step *st, long m)
{
    T tk[SPOW_GEN_MAX_DEGREE + 1];
    const T a = (T)st->alpha * (*y * *y);                /* GEMM alpha Y^T Y */
    if (st->scheme != SPOW_SCHEME_PS) {
        /* W = alpha A + (beta - shift) I, the diagonal in double */
        FN(update)(x, y, FN(form_g)(st, (T)((double)a + (st->beta - st->form_shift))), st, m);
        return;
    }
    tk[0] = 1;
    tk[1] = (T)((double)a + st->beta);                   /* + beta I, in double */
    for (int j = 2; j <= st->baby; j++) {
        T prod = tk[1] * tk[j - 1];
        if (j == 2)                                      /* GEMM 2 U U^T, then - I in double */
            tk[j] = (T)((double)((T)2 * prod) - 1.0);
        else                                             /* GEMM 2 U T_{j-1} - T_{j-2} */
            tk[j] = (T)2 * prod - tk[j - 2];
    }
    const int s1 = st->baby + 1;
    T g = FN(block)(st->ps + (size_t)(st->blocks - 1) * (size_t)s1, tk, st->baby);
    for (int j = st->blocks - 2; j >= 0; j--) {
        T b = FN(block)(st->ps + (size_t)j * (size_t)s1, tk, st->baby);
        T prod = g * tk[st->baby];                       /* GEMM acc T_s + B_j */
        g = prod + b;
    }
    FN(update)(x, y, g, st, m);
}

void FN(spow_inspect_eval)(T *out, T *aux, const spow_inspect_eval_plan *plan, T s)
{
    /* x, y: the family interface's output and other state (spow_gen.h) */
    T x = s, y = s, xa = 0, xx = 0;
    if (plan->kind == SPOW_INSPECT_EVAL_FIXEDPOINT)
        xa = plan->m == 1 ? s : FN(power)(s * s, (int)(plan->m - 1) / 2) * s;   /* X^a, once */
    if (plan->kind == SPOW_INSPECT_EVAL_HALF)
        xx = s * s;                                                             /* X X^T, once */
    for (int k = 0; k < plan->steps; k++) {
        const spow_inspect_eval_step *st = &plan->step[k];
        switch (plan->kind) {
        case SPOW_INSPECT_EVAL_COUPLED:
            FN(coupled_step)(&x, &y, st, plan->m);
            break;
        case SPOW_INSPECT_EVAL_FIXEDPOINT: {
            /* Y <- Y - c (Y^b - X^a), Y^b = (Y Y^T)^((b-1)/2) Y; here x is Y */
            const T c = (T)st->cst[0];
            T yb = FN(power)(x * x, (int)(plan->n - 1) / 2) * x;
            T d = yb - xa;
            x = x - c * d;
            break;
        }
        case SPOW_INSPECT_EVAL_HALF: {
            /* Y <- Y - ((Y Y^T)^2 - X X^T)(c X + d Y); x is Y, y is X */
            const T c = (T)st->cst[0], d = (T)st->cst[1];
            T a = x * x;
            T a2 = a * a;
            T mm = a2 - xx;
            T w = c * y + d * x;
            x = x - mm * w;
            break;
        }
        case SPOW_INSPECT_EVAL_MUON: {
            /* A = Y Y^T, B = b A + c A^2, Y <- a Y + B Y */
            const T ca = (T)st->cst[0], cb = (T)st->cst[1], cc = (T)st->cst[2];
            T a = x * x;
            T a2 = a * a;
            T b = cb * a + cc * a2;
            x = ca * x + b * x;
            y = x;
            break;
        }
        }
        out[k] = x;
        aux[k] = y;
    }
}
