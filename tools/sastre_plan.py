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
from numpy.polynomial import Polynomial
from numpy.polynomial import polynomial as P


def sastre_parts(k, v, sign, u, rnd):
    """The form's pieces at u (an array, or a Polynomial for coefficients):
    the base powers u^0..u^k, y0 and the two factors, each product passed
    through rnd (rounding to a float type, or nothing)."""
    a, b, c = v[:k], v[k:2 * k], v[2 * k:3 * k - 1]
    pw = [u ** 0, u]
    for _ in range(2, k + 1):
        pw.append(rnd(pw[-1] * u))                     # the base powers
    comb = lambda coef, first: sum(rnd(coef[j - first] * pw[j]) for j in range(first, k + 1))
    y0 = rnd(pw[k] * comb(a, 1))
    f1 = rnd(y0 + comb(b, 1))
    f2 = rnd(sign * y0 + comb(c, 2))
    return pw, y0, f1, f2


def sastre_value(k, v, sign, low, u, rnd):
    """g at u: the product f1 f2, e y0 and the free terms."""
    pw, y0, f1, f2 = sastre_parts(k, v, sign, u, rnd)
    lowp = sum(rnd(low[j] * pw[j]) for j in range(k + 1))
    return rnd(f1 * f2 + v[3 * k - 1] * y0 + lowp)


def as_is(x):
    return x


# u as a polynomial: the form evaluated on it gives its coefficients
U_FLOAT = Polynomial([0.0, 1.0])
U_EXACT = Polynomial([Fraction(0), Fraction(1)])


def sastre_poly(k, v, sign):
    """Coefficients (ascending, in u) of the product part of the form for
    parameters v = (a_1..a_k, b_1..b_k, c_2..c_k, e)."""
    return sastre_value(k, v, sign, [0.0] * (k + 1), U_FLOAT, as_is).coef


def residual_and_jacobian(k, v, sign, target):
    """The 3k equations (coefficients of u^(k+1)..u^(4k) minus the target's)
    and their Jacobian: g is bilinear in the factors, so each column is one
    polynomial product."""
    _, y0, f1, f2 = sastre_parts(k, v, sign, U_FLOAT, as_is)
    e = v[3 * k - 1]
    fit = lambda q: np.pad(q.coef, (0, 8 * k + 2))[k + 1:4 * k + 1]
    r = fit(f1 * f2 + e * y0) - target[k + 1:]
    cols = [fit(U_FLOAT ** (k + j) * (f2 + sign * f1 + e)) for j in range(1, k + 1)]  # a_j
    cols += [fit(U_FLOAT ** j * f2) for j in range(1, k + 1)]                       # b_j
    cols += [fit(U_FLOAT ** j * f1) for j in range(2, k + 1)]                       # c_j
    cols.append(fit(y0))                                                            # e
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
    return sastre_value(k, np.asarray(v, dtype), dtype(sign), np.asarray(low, dtype),
                        u.astype(dtype), lambda x: x.astype(dtype))


# ---- exact expansion, for spow-inspect's exact arithmetic ------------------
# The doubles a form is made of are exact rationals: evaluated on U_EXACT
# (Fractions), the form gives the polynomial they define exactly, which
# spow-inspect (MPFR) certifies instead of a grid.

def exact(xs):
    return [Fraction(float(x)) for x in xs]


def sastre_exact(k, v, sign, low):
    """The Sastre form's polynomial in w, exactly, from its doubles."""
    return sastre_value(k, exact(v), Fraction(sign), exact(low), U_EXACT, as_is)


def in_t(g_w, alpha, beta):
    """g(alpha t + beta) in monomials of t, exactly (g_w a Polynomial over
    Fractions, alpha and beta Fractions); Horner, since numpy's composition
    goes through floats."""
    w = Polynomial([beta, alpha])
    out = Polynomial([g_w.coef[-1]])
    for c in g_w.coef[-2::-1]:
        out = out * w + c
    return list(out.coef)


def step_exact_t(ev, coef, form):
    """Step i's g in monomials of t, exactly: the table's doubles (form None)
    or the Sastre form's."""
    if form is None:
        return exact(coef)
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
