#!/usr/bin/python3
"""fixedpoint_search.py -- how good can per-step constants make the Muon^p
fixed point?  A measurement behind docs/design-space.md, not a fit spow ships.

    /usr/bin/python3 tools/fixedpoint_search.py P_DEN STEPS [RESTARTS]

For p = 1/P_DEN (P_DEN odd) the recurrence is y <- y - c_k (y^P_DEN - s),
y_0 = s (spow-inspect --family fixedpoint).  This minimises the largest
relative error |y_K / s^p - 1| over a 4000-point log grid of [1e-3, 1.001]
over the K constants, by Nelder-Mead from random starts (numpy, double),
and prints the best constants as a --coef string.  A sampled maximum and a
local optimiser only bound the best achievable error from above; re-evaluate
the printed constants with spow-inspect (MPFR, every local maximum refined).
"""
import argparse

import numpy as np


def max_error(c, s, target, b):
    y = s.copy()
    with np.errstate(all="ignore"):
        for ck in c:
            y = y - ck * (y ** b - s)
        e = np.abs(y / target - 1)
    return float(np.where(np.isfinite(e), e, 1e300).max())


def nelder_mead(f, x0, step, iters):
    n = len(x0)
    pts = [x0] + [x0 + step * np.eye(n)[i] for i in range(n)]
    vals = [f(p) for p in pts]
    for _ in range(iters):
        order = np.argsort(vals)
        pts = [pts[i] for i in order]
        vals = [vals[i] for i in order]
        cen = np.mean(pts[:-1], axis=0)
        xr = cen + (cen - pts[-1])
        fr = f(xr)
        if fr < vals[0]:
            xe = cen + 2 * (cen - pts[-1])
            fe = f(xe)
            pts[-1], vals[-1] = (xe, fe) if fe < fr else (xr, fr)
        elif fr < vals[-2]:
            pts[-1], vals[-1] = xr, fr
        else:
            xc = cen + 0.5 * (pts[-1] - cen)
            fc = f(xc)
            if fc < vals[-1]:
                pts[-1], vals[-1] = xc, fc
            else:
                pts = [pts[0] + 0.5 * (p - pts[0]) for p in pts]
                vals = [f(p) for p in pts]
    i = int(np.argmin(vals))
    return pts[i], vals[i]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("p_den", type=int, help="b of p = 1/b, odd, >= 3")
    ap.add_argument("steps", type=int, help="number of steps, 1..64")
    ap.add_argument("restarts", type=int, nargs="?", default=60,
                    help="random starts of Nelder-Mead (default 60)")
    args = ap.parse_args()
    if args.p_den < 3 or args.p_den % 2 == 0 or not 1 <= args.steps <= 64 or args.restarts < 1:
        ap.error("needs an odd P_DEN >= 3, 1 <= STEPS <= 64 and RESTARTS >= 1")
    b, steps, restarts = args.p_den, args.steps, args.restarts
    s = np.geomspace(1e-3, 1.001, 4000)
    target = s ** (1.0 / b)
    f = lambda c: max_error(c, s, target, b)
    rng = np.random.default_rng(1)
    best_c, best = None, np.inf
    for _ in range(restarts):
        x0 = rng.uniform(0, 3, steps) * rng.choice([1, 5, 20], steps)
        c, v = nelder_mead(f, x0, 0.5, 1500)
        if v < best:
            best_c, best = c, v
    print("p = 1/%d, %d steps: best sampled max error %.4g" % (b, steps, best))
    print("--coef '%s'" % ";".join("%.6g" % c for c in best_c))


if __name__ == "__main__":
    main()
