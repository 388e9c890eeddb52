"""A first-order rounding model of the coupled recurrence, computed from a
table's own polynomials: how far two correct implementations of the same
operation sequence (spow.spectral_power and libspow) may drift apart.

Per singular value s the matrices carry (x_k, y_k); step k maps
    y' = y g(y^2)^n,    x' = x g(y^2)^(n-m)    (no y update in the last step)
so relative perturbations (dx, dy) of a step's input move its output by
    dy' = a dy,  dx' = dx + b dy,  a = 1 + 2 n t g'(t)/g(t),  b = 2 (n-m) t g'(t)/g(t)
at t = y^2 (first order).  Back from the end, the effect on the final x of a
relative error in y at the input of step k is E_k = b_k + a_k E_{k+1}
(E_{K-1} = b_{K-1}; for p = 0, x = y: E_k = a_k E_{k+1}, E_K = 1), and of
one in x it is 1.

Rounding: step k does n_k products (the table's step_gemms) of matrices whose
singular values are at most ~1 (after scaling), each with an absolute error
of about sqrt(d) u in spectral norm (d the inner dimension, u the unit
roundoff; sqrt(d) is the usual random-walk model of a d-term float sum, not
the worst case d u).  For the singular value s that is an absolute error
n_k sqrt(d) u on y_k(s) and on x_k(s), i.e. a relative one divided by
y_k(s) (resp. x_k(s)).  Adding up,

    drift(s) <= sum_k n_k sqrt(d) u (|E_k| / y_k(s) + 1 / x_k(s)),

and two implementations differ by at most twice that (each drifts from the
exact-arithmetic evaluation of the same table independently).  The bound is
taken as the maximum over the singular values of the test matrix.
"""
import json
import math

import numpy as np
from numpy.polynomial import chebyshev as C


def _steps(path):
    with open(path) as f:
        d = json.load(f)
    return d, [(e["alpha"], e["beta"], np.array(e["cheb"]), n)
               for e, n in zip(d["evaluation"], d["step_gemms"])]


def drift(path, svals, u, d):
    """Bound on the relative drift of the result from rounding alone, for the
    normalized singular values svals, unit roundoff u, inner dimension d."""
    t, steps = _steps(path)
    n, m = t["p_den"], t["p_num"]
    K = len(steps)
    traj = []  # per s: y_k, x_k (k = 0..K), a_k, b_k
    for s in svals:
        x = y = float(s)
        ys, xs, a, b = [y], [x], [], []
        for k, (al, be, ch, _) in enumerate(steps):
            tt = y * y
            uu = al * tt + be
            g = C.chebval(uu, ch)
            r = 2.0 * tt * C.chebval(uu, C.chebder(ch)) * al / g
            a.append(1.0 + n * r)
            b.append((n - m) * r)
            if m == 0:
                y = x = y * g ** n
            else:
                x = x * g ** (n - m)
                if k < K - 1:
                    y = y * g ** n
            ys.append(y)
            xs.append(x)
        traj.append((ys, xs, a, b))
    # spectral norms of Y_k and X_k: the scale of their absolute rounding
    ymax = [max(tr[0][k] for tr in traj) for k in range(K + 1)]
    xmax = [max(tr[1][k] for tr in traj) for k in range(K + 1)]
    worst = 0.0
    for ys, xs, a, b in traj:
        # E[k]: effect on the final x of a relative error in y_k (the input of
        # step k); E[K] = 1 for p = 0 (x is y), 0 otherwise (y_K is unused)
        E = [0.0] * (K + 1)
        E[K] = 1.0 if m == 0 else 0.0
        for k in range(K - 1, -1, -1):
            E[k] = a[k] * E[k + 1] if m == 0 else b[k] + a[k] * E[k + 1]
        # rounding of G / c (one rounding per entry) and of each step's
        # products, entering the step's outputs y_{k+1}, x_{k+1}
        tot = u * (abs(E[0]) / ys[0] + (0.0 if m == 0 else 1.0 / xs[0]))
        for k in range(K):
            eps = steps[k][3] * math.sqrt(d) * u
            tot += eps * ymax[k + 1] * abs(E[k + 1]) / ys[k + 1]
            if m != 0:
                tot += eps * xmax[k + 1] / xs[k + 1]
        worst = max(worst, tot)
    return worst
