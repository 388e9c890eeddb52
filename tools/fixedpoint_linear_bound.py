#!/usr/bin/python3
"""fixedpoint_linear_bound.py -- why per-step constants cannot make the Muon^p
fixed point fast on [lo, 1]: the bound for its linearised error.
A measurement behind docs/design-space.md, not a fit spow ships.

    /usr/bin/python3 tools/fixedpoint_linear_bound.py P_DEN STEPS [LO]

For p = 1/b (b = P_DEN) the fixed-point step is y <- y - c_k (y^b - s) with
y_0 = s.  In e = y / s^p and lam = s^((b-1)/b) (in [LO^((b-1)/b), 1]) it
reads e <- e + lam c_k (1 - e^b), e_0 = lam, so that

    e_K - 1 = (lam - 1) prod_k (1 - lam c_k q_k),   q_k = (1 - e_k^b) / (1 - e_k).

If the q_k did not depend on lam (they do, through e_k: that dependence is
the only way around this bound), the product would be a polynomial P of
degree K in lam with P(0) = 1, and the error after K steps could not be
below

    E_K = min over such P of max over lam of (1 - lam) |P(lam)|.

This script computes E_K: Lawson's algorithm gives a polynomial whose
maximum is an upper bound, and de la Vallee Poussin's theorem turns the
K + 1 alternating extrema of its error into a lower bound (the weighted
powers lam^j (1 - lam), j = 1..K, form a Haar system on (0, 1), so any K + 1
points where the error alternates in sign bound the best error from below
by the smallest of them).
"""
import argparse
import sys

import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("p_den", type=int, help="b of p = 1/b, >= 2")
    ap.add_argument("steps", type=int, help="number of steps K, 1..12")
    ap.add_argument("lo", type=float, nargs="?", default=1e-3,
                    help="lower end of the s interval (default 1e-3)")
    args = ap.parse_args()
    b, K, lo = args.p_den, args.steps, args.lo
    if b < 2 or not 1 <= K <= 12 or not 0 < lo < 1:
        ap.error("needs P_DEN >= 2, 1 <= STEPS <= 12, 0 < LO < 1")
    a = lo ** ((b - 1) / b)
    # Chebyshev points of [a, 1] (dense near both ends, where the extrema sit)
    lam = np.cos(np.linspace(np.pi, 0.0, 20001)) * (1 - a) / 2 + (1 + a) / 2
    w = 1.0 - lam
    V = np.stack([lam ** j for j in range(1, K + 1)], 1)
    weights = np.full(len(lam), 1.0 / len(lam))
    for _ in range(3000):
        sq = np.sqrt(weights) * w
        coef = np.linalg.lstsq(sq[:, None] * V, -sq, rcond=None)[0]
        err = w * (1.0 + V @ coef)
        weights = weights * np.abs(err)
        weights /= weights.sum()
    upper = float(np.max(np.abs(err)))
    # the local extrema of err, merged into runs of one sign, largest of each
    mag = np.abs(err)
    idx = [i for i in range(len(err))
           if (i == 0 or mag[i] >= mag[i - 1]) and (i == len(err) - 1 or mag[i] >= mag[i + 1])]
    runs = []
    for i in idx:
        if runs and np.sign(err[runs[-1]]) == np.sign(err[i]):
            if abs(err[i]) > abs(err[runs[-1]]):
                runs[-1] = i
        else:
            runs.append(i)
    if len(runs) < K + 1:
        sys.exit(f"fixedpoint_linear_bound.py: only {len(runs)} alternating extrema, "
                 f"need {K + 1}: no lower bound")
    # the K + 1 consecutive alternating extrema whose smallest is largest
    lower = max(min(abs(err[runs[j + i]]) for i in range(K + 1))
                for j in range(len(runs) - K))
    print(f"p = 1/{b}, {K} steps, s in [{lo:g}, 1]: lam = s^({b - 1}/{b}) in [{a:.6g}, 1]")
    print(f"linearised error bound E_{K}: {lower:.6f} <= E_{K} <= {upper:.6f} "
          f"({len(runs)} alternating extrema)")


if __name__ == "__main__":
    main()
