#!/usr/bin/python3
"""nested16_fit.py -- can a 4-product degree-16 g replace a table's last step?
(issue 14, item 2: p = 1/2 in 20 products)

    /usr/bin/python3 tools/nested16_fit.py TABLE.json [--starts N] [--seed S]

TABLE.json is a coupled table from spow-gen --format json (for example
--p 1/2 --lo 1e-3 --hi 1.001 --degree 8,8,15).  Its last step takes y in the
interval the previous steps leave, and the final x over s^p is
y^(1-p) g(y^2); the table's g makes that 1 within its step error.  This
script fits, in the table's variable u (affine in t = y^2), the nested form

    u2 = u u;  y0 = u2 (a2 u2 + a1 u)                                  (2)
    y1 = (y0 + b2 u2 + b1 u)(y0 + c2 u2) + e y0                        (3)
    g  = (y1 + d0 y0 + d2 u2 + d1 u)(s y1 + f0 y0 + f2 u2 + f1 u)
         + h1 y1 + h0 y0 + l2 u2 + l1 u + l0                           (4)

(degree 16, 4 products, s = +1 or -1) to minimise max |y^(1-p) g - 1| on
4001 Chebyshev points of that interval: least squares towards the table's g
from a random start, then Lawson reweighting towards the minimax.  The
reachable set of 4 products has dimension at most 16, so this is a fit
inside a constrained set: non-convex, and a local search from random starts
(no claim of optimality).  Prints each start's grid maximum and the best.
"""
import argparse
import sys

import numpy as np
from numpy.polynomial import chebyshev as C

from sastre_plan import (U_EXACT, Fraction, exact, in_t, load_coupled, run, sastre_form,
                         step_exact_t, write_polys)


def nested(v, sign, u):
    a1, a2, b1, b2, c2, e, d0, d1, d2, f0, f1, f2, h1, h0, l2, l1, l0 = v
    u2 = u * u
    y0 = u2 * (a2 * u2 + a1 * u)
    y1 = (y0 + b2 * u2 + b1 * u) * (y0 + c2 * u2) + e * y0
    return ((y1 + d0 * y0 + d2 * u2 + d1 * u) * (sign * y1 + f0 * y0 + f2 * u2 + f1 * u)
            + h1 * y1 + h0 * y0 + l2 * u2 + l1 * u + l0)


def nested_exact(v, sign):
    """The nested form's polynomial in u, exactly, from its doubles."""
    return nested(exact(v), Fraction(sign), U_EXACT)


def levenberg_marquardt(fun, v, iters):
    lam, r = 1e-3, fun(v)
    for _ in range(iters):
        J = np.empty((len(r), len(v)))
        for j in range(len(v)):
            h = 1e-7 * max(1.0, abs(v[j]))
            w = v.copy()
            w[j] += h
            J[:, j] = (fun(w) - r) / h
        JtJ = J.T @ J
        while True:
            step = np.linalg.lstsq(JtJ + lam * np.diag(np.diag(JtJ) + 1e-30), -J.T @ r,
                                   rcond=None)[0]
            r2 = fun(v + step)
            if r2 @ r2 < r @ r:
                v, r, lam = v + step, r2, max(lam / 3, 1e-12)
                break
            lam *= 10
            if lam > 1e12:
                return v
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("table")
    ap.add_argument("--starts", type=int, default=10, help="random starts per sign (default 10)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the starts (default 0)")
    ap.add_argument("--coef-out", metavar="FILE",
                    help="write g of every step in monomials of t, exactly: Sastre's form "
                         "for the earlier steps of degree 8, 12 or 16 (sastre_plan.py), the "
                         "table's doubles for the others, the best nested form for the "
                         "last; as spow-inspect --coef LIST")
    args = ap.parse_args()
    if args.starts < 1:
        ap.error("--starts must be >= 1")
    table = load_coupled(args.table, "nested16_fit.py")
    if len(table["evaluation"]) < 2:
        sys.exit("nested16_fit.py: needs a table of at least two steps")
    ev = table["evaluation"][-1]
    ylo, yhi = table["y_intervals"][-2]
    y = np.cos(np.linspace(np.pi, 0, 4001)) * (yhi - ylo) / 2 + (yhi + ylo) / 2
    u = ev["alpha"] * y * y + ev["beta"]
    weight = y ** (1 - table["p_num"] / table["p_den"])
    g_table = C.chebval(u, ev["cheb"])
    print(f"last step: y in [{ylo:.6g}, {yhi:.6g}], table's degree {ev['degree']}: "
          f"grid max error {np.max(np.abs(weight * g_table - 1)):.3e}")
    rng = np.random.default_rng(args.seed)
    best = None
    for sign in (1.0, -1.0):
        for start in range(args.starts):
            v = levenberg_marquardt(lambda v: weight * (nested(v, sign, u) - g_table),
                                    rng.normal(size=17), 200)
            wt = np.ones_like(u)
            for _ in range(30):
                v = levenberg_marquardt(
                    lambda v: np.sqrt(wt) * (weight * nested(v, sign, u) - 1), v, 40)
                r = np.abs(weight * nested(v, sign, u) - 1)
                wt = np.maximum(wt * r / (wt * r).sum() * len(u), 1e-12)
            err = np.max(np.abs(weight * nested(v, sign, u) - 1))
            print(f"sign {sign:+.0f} start {start}: grid max error {err:.3e}, "
                  f"largest coefficient {np.max(np.abs(v)):.3g}", flush=True)
            if best is None or err < best[0]:
                best = (err, sign, v)
    print(f"best: {best[0]:.3e} (sign {best[1]:+.0f}); parameters "
          + ",".join(f"{x:.17g}" for x in best[2]))
    s = np.geomspace(table["lo"], table["hi"], 200001)
    sign, v = best[1], best[2]
    # every step as the table has it, the last by the nested form
    forms = [None] * (len(table["evaluation"]) - 1) + [
        lambda u, dtype: nested(np.asarray(v, dtype), dtype(sign), u).astype(dtype)]
    for dtype in (np.float64, np.float32):
        print(f"whole recurrence on a 200001-point log grid of [lo, hi], last step by "
              f"the best form, {np.dtype(dtype).name}: {run(table, forms, s, dtype):.3e}")
    if args.coef_out:
        write_coef(args.coef_out, table, sign, v)


def write_coef(path, table, sign, v):
    rng = np.random.default_rng(1)
    polys = []
    for ev, coef in zip(table["evaluation"][:-1], table["coefficients"]):
        form = sastre_form(ev, 12, rng) if ev["degree"] in (8, 12, 16) else None
        if ev["degree"] in (8, 12, 16) and form is None:
            sys.exit(f"nested16_fit.py: no real Sastre form for a degree-{ev['degree']} step")
        polys.append(step_exact_t(ev, coef, form))
    ev = table["evaluation"][-1]
    polys.append(in_t(nested_exact(v, sign), Fraction(ev["alpha"]), Fraction(ev["beta"])))
    write_polys(path, table, polys, "nested16_fit.py")


if __name__ == "__main__":
    main()
