"""A first-order rounding model of the coupled recurrence, computed from a
table's own polynomials: how far two correct implementations of the same
operation sequence (spow.spectral_power and libspow) may drift apart.

Per singular value s the matrices carry (x_k, y_k); step k maps
    y' = y g(y^2)^n,    x' = x g(y^2)^(n-m)    (no y update in the last step)
so a relative perturbation dy of a step's input moves its output by
    dy' = a dy,  dx' = dx + b dy,  a = 1 + 2 n t g'(t)/g(t),  b = 2 (n-m) t g'(t)/g(t)
at t = y^2 (first order).  Back from the end, the effect on the final x of a
relative error in y at the input of step k is E_k = b_k + a_k E_{k+1}
(E_K = 0: y_K is unused; for p = 0, x = y: E_k = a_k E_{k+1}, E_K = 1), and
of one in x it is 1.

Rounding: a product of matrices whose spectral norms are N errs by about
sqrt(d) u N in spectral norm (d the inner dimension, u the unit roundoff;
sqrt(d) is the usual random-walk model of a d-term float sum, not the worst
case d u); for the singular value s that is a relative error sqrt(d) u N / v(s),
v(s) the value the product carries for s.  The sources of step k:
  - the products that form g (Gram, T_2..T_baby, Horner): an error dg of g
    moves log y by n dg and log x by (n-m) dg, so its effect on the final x is
    |(n-m) + n E_{k+1}| dg: for p != 0 the two nearly cancel, because powers of
    one g multiply X and Y and keep x = s^p y^(1-p) whatever g is;
  - the powers of g and the update products Y P, X P: independent for X and
    Y, effects |E_{k+1}| and 1.
Adding up gives drift(s); two implementations differ by at most twice that
(each drifts from the exact-arithmetic evaluation of the same table), and the
result weighs s by s^p, so the relative Frobenius difference is bounded by the
per-value bounds combined with those weights (drift()).
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
    """Bound on the relative Frobenius drift of the result from rounding
    alone, for the normalized singular values svals, unit roundoff u, inner
    dimension d: the per-value bounds drift(s) combined with the weights s^p
    the result gives them, sqrt(sum (drift(s) s^p)^2 / sum s^(2p))."""
    t = _steps(path)[0]
    p = t["p_num"] / t["p_den"]
    per = drift_per_value(path, svals, u, d)
    num = sum((e * s ** p) ** 2 for e, s in zip(per, svals))
    den = sum(s ** (2 * p) for s in svals)
    return math.sqrt(num / den)


def drift_per_value(path, svals, u, d):
    """The bound drift(s) for each normalized singular value s of svals."""
    t, steps = _steps(path)
    ev = t["evaluation"]
    n, m = t["p_den"], t["p_num"]
    K = len(steps)
    traj = []  # per s: y_k, x_k (k = 0..K), g_k, a_k, b_k
    for s in svals:
        x = y = float(s)
        ys, xs, gs, a, b = [y], [x], [], [], []
        for k, (al, be, ch, _) in enumerate(steps):
            tt = y * y
            uu = al * tt + be
            g = C.chebval(uu, ch)
            r = 2.0 * tt * C.chebval(uu, C.chebder(ch)) * al / g
            gs.append(g)
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
        traj.append((ys, xs, gs, a, b))
    # spectral norms (largest over the spectrum): the scale of absolute rounding
    ymax = [max(tr[0][k] for tr in traj) for k in range(K + 1)]
    xmax = [max(tr[1][k] for tr in traj) for k in range(K + 1)]
    gmax = [max(tr[2][k] for tr in traj) for k in range(K)]
    out = []
    for ys, xs, gs, a, b in traj:
        # E[k]: effect on the final x of a relative error in y_k (the input of
        # step k); E[K] = 1 for p = 0 (x is y), 0 otherwise (y_K is unused)
        E = [0.0] * (K + 1)
        E[K] = 1.0 if m == 0 else 0.0
        for k in range(K - 1, -1, -1):
            E[k] = a[k] * E[k + 1] if m == 0 else b[k] + a[k] * E[k + 1]
        tot = 0.0
        for k in range(K):
            e = ev[k]
            ey = n if (m == 0 or k < K - 1) else 0
            ex = 0 if m == 0 else n - m
            one = math.sqrt(d) * u
            # g itself: the Gram product, T_2..T_baby, the Horner products.  A
            # relative error dg of g moves log y by ey dg and log x by ex dg;
            # for p != 0 the two nearly cancel in the final x (the invariant
            # x = s^p y^(1-p) survives any error of g), hence the combined factor.
            ng = 1 + (e["baby"] - 1) + (e["blocks"] - 1)
            dg = ng * one * gmax[k] / gs[k]
            sens = abs(ey * E[k + 1]) if m == 0 else abs(ex + ey * E[k + 1])
            tot += sens * dg
            # the powers of g and the update products: X and Y apart
            npow = max(ey, ex).bit_length() - 1 + max(bin(max(ey, ex)).count("1") - 1, 0)
            tot += (npow + 1) * one * ymax[k + 1] / ys[k + 1] * abs(E[k + 1])
            if m != 0:
                tot += (npow + 1) * one * xmax[k + 1] / xs[k + 1]
        out.append(tot)
    return out
