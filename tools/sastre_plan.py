#!/usr/bin/python3
"""sastre_plan.py -- can Sastre-type formulas form spow's fitted g? (issue 14, item 2)

    /usr/bin/python3 tools/sastre_plan.py TABLE.json [--starts N] [--seed S]

TABLE.json is any coupled table written by spow-gen --format json whose step
degrees are 8, 12 or 16 (other degrees are evaluated as the table says).  For
each such step the fitted g, a polynomial in u = alpha t + beta (the table's
own affine map onto [-1, 1]), is matched exactly by Sastre's product form
with k = d/4 base powers u, u^2, ..., u^k (k - 1 products):

    y0 = u^k (a_k u^k + ... + a_1 u)                          (1 product)
    g  = (y0 + b_k u^k + ... + b_1 u) (s y0 + c_k u^k + ... + c_2 u)
         + e y0 + (l_k u^k + ... + l_0)                       (1 product)

that is d = 4k with k + 1 products (8 with 3, 12 with 4, 16 with 5), against
Paterson-Stockmeyer's 9 with 4, 12 with 5, 16 with 6.  The 3k coefficients of
u^(k+1) .. u^(4k) give 3k polynomial equations in a, b, c, e (s = +1 or -1
follows the sign of the leading coefficient); the rest are the free l.  Not
every g has a real solution: the script searches with damped Newton from
--starts random points and keeps the real solution whose largest coefficient
is smallest (the one float evaluation likes best).

It then runs the scalar recurrence y <- y g(y^2)^n, x <- x g(y^2)^(n-m) on a
dense grid of [lo, hi] three ways -- g as the table's monomial coefficients in
float64, g by Sastre's form in float64 and in float32 (every intermediate
rounded to float, as a float GEMM would) -- and prints the maximum relative
error of x against s^p for each, beside the table's certificate.  This is a
planning check, not a certificate: the grid is dense but finite and the
float32 run mimics rounding of scalar, not matrix, products.
"""
import argparse
import decimal
import json
import sys
from fractions import Fraction

import numpy as np
from numpy.polynomial import chebyshev as C
from numpy.polynomial import polynomial as P


def sastre_poly(k, v, sign):
    """Coefficients (ascending, in u) of the product part of the form for
    parameters v = (a_1..a_k, b_1..b_k, c_2..c_k, e)."""
    a, b, c, e = v[:k], v[k:2 * k], v[2 * k:3 * k - 1], v[3 * k - 1]
    y0 = np.concatenate([np.zeros(k + 1), a])          # u^k * sum a_j u^j
    f1 = P.polyadd(y0, np.concatenate([[0.0], b]))
    f2 = P.polyadd(sign * y0, np.concatenate([[0.0, 0.0], c]))
    return P.polyadd(P.polymul(f1, f2), e * y0)


def residual_and_jacobian(k, v, sign, target):
    """The 3k equations (coefficients of u^(k+1)..u^(4k) minus the target's)
    and their Jacobian: g is bilinear in the factors, so each column is one
    polynomial product."""
    a, b, c, e = v[:k], v[k:2 * k], v[2 * k:3 * k - 1], v[3 * k - 1]
    deg = 4 * k + 1
    mono = lambda j: np.eye(deg)[j]
    y0 = P.polyadd(np.zeros(deg), np.concatenate([np.zeros(k + 1), a]))
    f1 = P.polyadd(y0, np.concatenate([[0.0], b]))
    f2 = P.polyadd(sign * y0, np.concatenate([[0.0, 0.0], c]))
    fit = lambda q: np.pad(q, (0, 2 * deg))[k + 1:deg]
    r = fit(P.polyadd(P.polymul(f1, f2), e * y0)) - target[k + 1:]
    cols = [fit(P.polyadd(P.polymul(mono(k + j), P.polyadd(f2, sign * f1)), e * mono(k + j)))
            for j in range(1, k + 1)]                              # a_j
    cols += [fit(P.polymul(mono(j), f2)) for j in range(1, k + 1)]  # b_j
    cols += [fit(P.polymul(mono(j), f1)) for j in range(2, k + 1)]  # c_j
    cols.append(fit(y0))                                            # e
    return r, np.array(cols).T


def solve(k, target, starts, rng):
    """Real parameters matching target's coefficients of u^(k+1)..u^(4k),
    or None.  Damped Newton (Levenberg-Marquardt); the residual
    is scaled by the target's size so that one tolerance serves every step."""
    sign = 1.0 if target[4 * k] > 0 else -1.0
    scale = max(1.0, np.max(np.abs(target)))
    best = None
    n = 3 * k
    for _ in range(starts):
        v = rng.normal(size=n) * np.sqrt(scale) ** (1.0 / k)
        lam = 1e-3
        r, J = residual_and_jacobian(k, v, sign, target)
        r, J = r / scale, J / scale
        for _ in range(120):
            try:
                step = np.linalg.solve(J.T @ J + lam * np.eye(n), -J.T @ r)
            except np.linalg.LinAlgError:
                break
            w = v + step
            rw, Jw = residual_and_jacobian(k, w, sign, target)
            rw, Jw = rw / scale, Jw / scale
            if np.linalg.norm(rw) < np.linalg.norm(r):
                v, r, J, lam = w, rw, Jw, max(lam / 10, 1e-15)
            else:
                lam *= 10
                if lam > 1e10:
                    break
            if np.linalg.norm(r) < 1e-14:
                break
        if np.linalg.norm(r) < 1e-12:
            size = np.max(np.abs(v))
            if best is None or size < best[0]:
                best = (size, v.copy(), sign)
    return best


# The form is applied to w = u - shift: the shift costs no product (it moves
# the affine map's constant), and whether a real solution exists depends on it.
SHIFTS = np.linspace(-2.0, 2.0, 17)


def shifted(g_u, shift):
    """Ascending coefficients of g(w + shift) in w."""
    out = np.zeros(len(g_u))
    power = np.array([1.0])
    for coef in g_u:
        out[:len(power)] += coef * power
        power = P.polymul(power, [shift, 1.0])
    return out


def eval_sastre(k, v, sign, low, u, dtype):
    """g(u) by the product form, every intermediate rounded to dtype."""
    u = u.astype(dtype)
    pw = [np.ones_like(u), u]
    for _ in range(2, k + 1):
        pw.append((pw[-1] * u).astype(dtype))        # the base powers
    a, b, c, e = [np.asarray(x, dtype) for x in (v[:k], v[k:2 * k], v[2 * k:3 * k - 1], [v[3 * k - 1]])]
    comb = lambda coef, first: sum((coef[j - first] * pw[j]).astype(dtype) for j in range(first, k + 1))
    y0 = (pw[k] * comb(a, 1)).astype(dtype)
    f1 = (y0 + comb(b, 1)).astype(dtype)
    f2 = (dtype(sign) * y0 + comb(c, 2)).astype(dtype)
    lowp = sum((dtype(low[j]) * pw[j]).astype(dtype) for j in range(k + 1))
    return (f1 * f2 + e[0] * y0 + lowp).astype(dtype)


# ---- exact expansion, for spow-inspect's exact arithmetic ------------------
# Polynomials as ascending lists of Fractions: the doubles a form is made of
# are exact rationals, so the polynomial they define can be written out
# exactly and handed to spow-inspect (MPFR) instead of trusting a grid.

def xadd(p, q):
    n = max(len(p), len(q))
    return [(p[i] if i < len(p) else 0) + (q[i] if i < len(q) else 0) for i in range(n)]


def xmul(p, q):
    out = [Fraction(0)] * (len(p) + len(q) - 1)
    for i, pi in enumerate(p):
        for j, qj in enumerate(q):
            out[i + j] += pi * qj
    return out


def xscale(p, c):
    return [c * x for x in p]


def xmono(j, c=1):
    return [Fraction(0)] * j + [Fraction(c)]


def sastre_exact(k, v, sign, low):
    """The Sastre form's polynomial in w, exactly, from its doubles."""
    v = [Fraction(float(x)) for x in v]
    a, b, c, e = v[:k], v[k:2 * k], v[2 * k:3 * k - 1], v[3 * k - 1]
    comb = lambda coef, first: [Fraction(0)] * first + list(coef)
    y0 = xmul(xmono(k), comb(a, 1))
    f1 = xadd(y0, comb(b, 1))
    f2 = xadd(xscale(y0, Fraction(sign)), comb(c, 2))
    return xadd(xadd(xmul(f1, f2), xscale(y0, e)), [Fraction(float(x)) for x in low])


def in_t(g_w, alpha, beta):
    """g(alpha t + beta) in monomials of t, exactly (alpha, beta exact)."""
    out, power = [Fraction(0)], [Fraction(1)]
    for c in g_w:
        out = xadd(out, xscale(power, c))
        power = xmul(power, [beta, alpha])
    return out


def step_exact_t(ev, coef, form):
    """Step i's g in monomials of t, exactly: the table's doubles (form None)
    or the Sastre form's."""
    if form is None:
        return [Fraction(float(x)) for x in coef]
    k, v, sign, low, shift = form
    return in_t(sastre_exact(k, v, sign, low), Fraction(ev["alpha"]),
                Fraction(ev["beta"]) - Fraction(shift))


def coef_list(polys):
    """spow-inspect --coef LIST: 70 significant digits a coefficient, far
    below any error of interest and within its 200-character numbers."""
    ctx = decimal.Context(prec=70)
    num = lambda c: str(ctx.divide(decimal.Decimal(c.numerator), decimal.Decimal(c.denominator)))
    return ";".join(",".join(num(c) for c in g) for g in polys)


def run(table, forms, s, dtype):
    """max |x - s^p| / s^p of the recurrence on the points s, every operation
    rounded to dtype.  forms[i] says how step i forms g: None for the table's
    own polynomial, a Sastre form (k, parameters, sign, free terms, shift),
    or a function of (u, dtype)."""
    m, n = table["p_num"], table["p_den"]
    x = s.astype(dtype)
    y = s.astype(dtype)
    for i, ev in enumerate(table["evaluation"]):
        form = forms[i] if forms is not None else None
        t = (y * y).astype(dtype)
        shift = form[4] if isinstance(form, tuple) else 0.0
        u = (dtype(ev["alpha"]) * t + dtype(ev["beta"] - shift)).astype(dtype)
        if form is None:
            # the table's g as a power series in u, Horner in dtype: the
            # float baseline (libspow's Paterson-Stockmeyer blocks are
            # Horner in u^baby)
            g = np.zeros_like(u)
            for cj in C.cheb2poly(np.asarray(ev["cheb"]))[::-1]:
                g = (g * u + dtype(cj)).astype(dtype)
        elif isinstance(form, tuple):
            g = eval_sastre(*form[:4], u, dtype)
        else:
            g = form(u, dtype)
        y = (y * g ** n).astype(dtype)
        x = (x * g ** (n - m)).astype(dtype)
    exact = s ** (m / n)
    return float(np.max(np.abs(x.astype(np.float64) - exact) / exact))


def load_coupled(path, prog):
    """The coupled table spow-gen wrote to path, or exit naming prog."""
    try:
        with open(path) as f:
            table = json.load(f)
    except (OSError, ValueError) as err:
        sys.exit(f"{prog}: {path}: {err}")
    if not isinstance(table, dict) or table.get("family") != "coupled" \
            or "evaluation" not in table:
        sys.exit(f"{prog}: {path}: not a coupled spow table with an evaluation form")
    return table


def sastre_form(ev, starts, rng):
    """(k, parameters, sign, free terms, shift) of the real form of the
    step's g with the smallest largest coefficient, or None."""
    k = ev["degree"] // 4
    g_u = C.cheb2poly(np.asarray(ev["cheb"]))
    best = None
    for shift in SHIFTS:
        target = shifted(g_u, shift)
        found = solve(k, target, starts, rng)
        if found is not None and (best is None or found[0] < best[0]):
            size, v, sign = found
            # the free terms: what the product part leaves of u^0..u^k
            prod = np.pad(sastre_poly(k, v, sign), (0, 4 * k + 1))
            best = (size, (k, v, sign, target[:k + 1] - prod[:k + 1], shift))
    return None if best is None else best[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("table")
    ap.add_argument("--starts", type=int, default=12,
                    help="random starts of the solver per shift (default 12)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the starts (default 1)")
    ap.add_argument("--grid", type=int, default=200001,
                    help="points of the log grid on [lo, hi] (default 200001)")
    ap.add_argument("--coef-out", metavar="FILE",
                    help="write every step's g in monomials of t, exactly as the forms' "
                         "doubles define it, as spow-inspect --coef LIST")
    args = ap.parse_args()
    if args.starts < 1 or args.grid < 2:
        ap.error("--starts must be >= 1 and --grid >= 2")
    table = load_coupled(args.table, "sastre_plan.py")
    rng = np.random.default_rng(args.seed)
    forms, saved = [], 0
    for i, ev in enumerate(table["evaluation"]):
        d = ev["degree"]
        form = sastre_form(ev, args.starts, rng) if d in (8, 12, 16) else None
        forms.append(form)
        if d not in (8, 12, 16):
            print(f"step {i + 1}: degree {d}, kept in the table's form")
        elif form is None:
            print(f"step {i + 1}: degree {d}: no real {d // 4 + 1}-product form found "
                  f"({args.starts} starts at each of {len(SHIFTS)} shifts)")
        else:
            # Paterson-Stockmeyer forms degree 8, 12, 16 with 4, 5, 6 products
            saved += 1
            print(f"step {i + 1}: degree {d} with {d // 4 + 1} products: real form found "
                  f"at shift {form[4]:+.2f}, largest coefficient {np.max(np.abs(form[1])):.3g}")
    print(f"products per apply (square input): {table['gemms']} as tabled, "
          f"{table['gemms'] - saved} with these forms")
    s = np.geomspace(table["lo"], table["hi"], args.grid)
    print(f"certificate (table, exact): {table['max_rel_err_exact']:.3e}")
    print(f"grid max error, table's g in float64:    {run(table, None, s, np.float64):.3e}")
    print(f"grid max error, table's g in float32:    {run(table, None, s, np.float32):.3e}")
    print(f"grid max error, Sastre's form in float64: {run(table, forms, s, np.float64):.3e}")
    print(f"grid max error, Sastre's form in float32: {run(table, forms, s, np.float32):.3e}")
    print(f"table's certificate with float coefficients: {table['max_rel_err_f32']:.3e}")
    if args.coef_out:
        write_coef(args.coef_out, table, forms, "sastre_plan.py")


def write_coef(path, table, forms, prog):
    """Every step's g, as the table or its Sastre form defines it, exactly
    into path as spow-inspect's --coef LIST."""
    write_polys(path, table, [step_exact_t(ev, coef, form) for ev, coef, form
                              in zip(table["evaluation"], table["coefficients"], forms)], prog)


def write_polys(path, table, polys, prog):
    try:
        with open(path, "w") as f:
            f.write(coef_list(polys) + "\n")
    except OSError as err:
        sys.exit(f"{prog}: {path}: {err}")
    print(f"wrote {path}: spow-inspect --family coupled --p {table['p_num']}/{table['p_den']} "
          f"--lo {table['lo']:g} --hi {table['hi']:g} --coef \"$(cat {path})\"")


if __name__ == "__main__":
    main()
