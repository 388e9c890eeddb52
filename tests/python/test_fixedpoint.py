"""Fixed-point tables (family "fixed-point", the Muon^p paper's recurrence):
loading, refusing malformed ones, and spectral_power against the scalar
recurrence run per singular value.

The tables are built here as JSON the way the format note fixes them
(docs/python.md, "Fixed-point tables"): p = a/b with a, b odd, g_k(t) =
1 - c_k t^((b-1)/2) in Paterson-Stockmeyer blocks with alpha = 1, beta = 0,
"constants" [[c_k]].  The constants are the paper's and modest ones: they
do NOT make y_K converge to s^p, so the reference is the same recurrence
y <- y - c_k (y^b - s^a) run on each singular value s / c in long double,
mapped back as c^p U diag(y_K) V^T -- with U, V the prescribed orthogonal
factors, and again with the factors of torch.linalg.svd.

Tolerances (fp_tolerance): each of the `gemms` products errs by at most
about n u relative (n the longest inner dimension), the float input and the
reference add about as much again, and the remaining steps amplify an error
by at most L, the first-order amplification of the recurrence computed from
the table's constants on the test's spectrum (amplification()).  L is 1 or
close to it for every table here except the per-step constants C_STEPS,
whose c_3 = 19.7 makes the map y - c_3 y^3 steep near y = 1 (L about 300).
"""
import copy
import json
import math
import os
import tempfile
import unittest
from fractions import Fraction

import numpy as np
import torch
from numpy.polynomial import chebyshev

import spow
from spow_testutil import prescribed, rel_fro, svd_power

# p = 1/3 with the published constant, and with per-step constants an early
# search found (they overshoot: c_3 = 19.7)
C_066 = [0.66] * 6
C_STEPS = [0.887495, 0.334893, 19.6866, 0.116154, 0.855405, 1.98807]
SHAPES = ((40, 40), (64, 40), (40, 64))  # square, tall, wide
SCALINGS = ("frobenius", "gram2", "gram4")
U64, U32 = 2.0 ** -53, 2.0 ** -24


def power_products(e):
    """Products for M^e by binary powering (0 for e = 1, 1 for 2, 2 for 3)."""
    return (e.bit_length() - 1) + (bin(e).count("1") - 1)


def fixed_point_dict(a, b, constants, lo=1e-3, hi=1.0, split=False):
    """A fixed-point table as spow-gen --family fixed-point writes it (the
    format note): g_k in the Chebyshev basis of t (alpha = 1, beta = 0),
    one block of baby = (b-1)/2 or, with split (degree 3), baby 2 in two
    blocks; step_gemms 1 (Gram) + PS products + 1 (Y g), the first step
    plus X^a's 1 + powers + 1 when a > 1."""
    deg = (b - 1) // 2
    ev, mono, gemms = [], [], []
    for k, c in enumerate(constants):
        m = [1.0] + [0.0] * (deg - 1) + [-c]
        cheb = [float(x) for x in chebyshev.poly2cheb(m)]
        if split:  # degree 3: T_3 = 2 T_2 T_1 - T_1
            assert deg == 3
            c0, c1, c2, c3 = cheb
            ps, baby, blocks = [c0, c1 - c3, c2, 0.0, 2.0 * c3, 0.0], 2, 2
        else:
            ps, baby, blocks = cheb, deg, 1
        ev.append({"degree": deg, "baby": baby, "blocks": blocks, "t_lo": -1, "t_hi": 1,
                   "alpha": 1, "beta": 0, "ps": ps, "cheb": cheb})
        mono.append(m)
        g = 1 + (baby - 1) + (blocks - 1) + 1
        if k == 0 and a > 1:
            g += 1 + power_products((a - 1) // 2) + 1
        gemms.append(g)
    # the certificate fields: the recurrence's error against s^p on [lo, hi]
    s = np.logspace(math.log10(lo), math.log10(hi), 400)
    errs = [float(np.abs(y / s ** (a / b) - 1).max())
            for y in recurrence(constants, a, b, s, every=True)[1:]]
    return {"format": "spow-table", "version": 1, "name": f"fp_p{a}_{b}_test",
            "command": "test_fixedpoint.py", "family": "fixed-point",
            "p_num": a, "p_den": b, "lo": lo, "hi": hi, "y_power": b, "x_power": a,
            "steps": len(constants), "degree": [deg] * len(constants),
            "coefficients": mono, "evaluation": ev, "step_gemms": gemms,
            "gemms": sum(gemms), "max_rel_err": errs[-1], "max_rel_err_f32": errs[-1],
            "step_errors": errs, "constants": [[c] for c in constants]}


def recurrence(constants, a, b, s, every=False):
    """y_K of y_0 = x = s, y <- y - c_k (y^b - x^a), per entry of s, in long
    double (or every y_k with every=True), returned as float64."""
    x = np.asarray(s, dtype=np.longdouble)
    y = x.copy()
    ys = [y]
    for c in constants:
        y = y - np.longdouble(c) * (y ** b - x ** a)
        ys.append(y)
    out = [np.asarray(v, dtype=np.float64) for v in ys]
    return out if every else out[-1]


def amplification(constants, a, b, s):
    """The largest factor by which the remaining steps of the recurrence
    magnify a first-order perturbation of Y = diag(y) (its entries (i, j)
    and (j, i) mix by a symmetric 2x2 map built from g(y^2) and its divided
    differences), over every pair of singular values s (and 0, the rows
    outside the range of a rectangular Y) and every step it enters at."""
    d = (b - 1) // 2
    x = np.append(np.asarray(s, dtype=np.float64), 0.0)
    y = x.copy()
    I, J = np.meshgrid(np.arange(x.size), np.arange(x.size), indexing="ij")
    maps = []
    for c in constants:
        t = y * y
        g = 1.0 - c * t ** d
        ti, tj = t[I], t[J]
        close = np.abs(ti - tj) <= 1e-12 * np.maximum(ti, 1e-300)
        dd = np.where(close, -c * d * ti ** (d - 1),
                      (g[I] - g[J]) / np.where(close, 1.0, ti - tj))
        yi, yj = y[I], y[J]
        M = np.empty(I.shape + (2, 2))
        M[..., 0, 0] = g[J] + yi * yi * dd
        M[..., 0, 1] = M[..., 1, 0] = yi * yj * dd
        M[..., 1, 1] = g[I] + yj * yj * dd
        maps.append(M)
        y = y - c * (y ** b - x ** a)
    P = np.broadcast_to(np.eye(2), I.shape + (2, 2)).copy()
    worst = 1.0
    for M in reversed(maps):
        P = P @ M
        worst = max(worst, float(np.linalg.norm(P, ord=2, axis=(-2, -1)).max()))
    return worst


def fp_tolerance(t, constants, s_scaled, u, rows, cols):
    """(gemms + 2) n u L: every product's rounding (n u at most, n the longest
    inner dimension) plus the input's and the reference's, each amplified by
    at most L = amplification() (first order; module docstring)."""
    L = amplification(constants, t.p_num, t.p_den, s_scaled)
    return (t.gemms + 2) * max(rows, cols) * u * L


def write_json(case, obj):
    fd, path = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(obj, f)
    case.addCleanup(os.unlink, path)
    return path


# (a, b, constants, split): the tables of the apply tests
CASES = {
    "1/3 c=0.66": (1, 3, C_066, False),
    "1/3 per-step": (1, 3, C_STEPS, False),
    "3/5": (3, 5, [0.2] * 6, False),
    "1/5": (1, 5, [0.2] * 6, False),
    "1/7 two blocks": (1, 7, [0.3] * 5, True),
    "5/7": (5, 7, [0.3] * 5, False),
    "7/9": (7, 9, [0.2] * 4, False),  # (X^T X)^3: a square and a product
}


class Tables:
    """The CASES tables, loaded once per test class from JSON files."""

    @classmethod
    def setUpClass(cls):
        cls.tables = {}
        cls.dir = tempfile.mkdtemp()
        for name, (a, b, cs, split) in CASES.items():
            path = os.path.join(cls.dir, f"t{len(cls.tables)}.json")
            with open(path, "w") as f:
                json.dump(fixed_point_dict(a, b, cs, split=split), f)
            cls.tables[name] = (spow.load_table_file(path), cs)

    @classmethod
    def tearDownClass(cls):
        for n in os.listdir(cls.dir):
            os.unlink(os.path.join(cls.dir, n))
        os.rmdir(cls.dir)


def reference(t, cs, U, s, V, c, normalized=False):
    """c^p U diag(y_K(s / c)) V^T (U, V: (batch, m, k), (batch, n, k))."""
    y = torch.from_numpy(recurrence(cs, t.p_num, t.p_den, s.numpy() / c))
    if not normalized:
        y = y * c ** float(t.p)
    return U @ torch.diag_embed(y) @ V.mT


class Load(Tables, unittest.TestCase):
    def test_fields_and_cost(self):
        # the format note's cost: p = 1/3 two products a step; b = 5 three
        # (one for T_2); a = 3 adds X^T X and X (X^T X) to the first step;
        # a = 5 also the square of X^T X, a = 7 its square and a product;
        # degree 3 costs two for g either way, degree 4 three
        want = {"1/3 c=0.66": (12, [2] * 6), "1/3 per-step": (12, [2] * 6),
                "3/5": (20, [5] + [3] * 5), "1/5": (18, [3] * 6),
                "1/7 two blocks": (20, [4] * 5), "5/7": (23, [7] + [4] * 4),
                "7/9": (24, [9] + [5] * 3)}
        for name, (t, cs) in self.tables.items():
            self.assertEqual(t.family, "fixed-point", name)
            self.assertEqual((t.gemms, [st.gemms for st in t.steps]), want[name], name)
            self.assertEqual([st.constant for st in t.steps], cs, name)
            self.assertEqual((t.y_power, t.x_power), (t.p_den, t.p_num))
            self.assertIn("fixed-point", repr(t))
        self.assertEqual(self.tables["3/5"][0].p, Fraction(3, 5))

    def test_coupled_tables_unchanged(self):
        for t in spow.shipped_tables():
            self.assertEqual(t.family, "coupled", t.name)
            self.assertTrue(all(st.constant is None for st in t.steps), t.name)


class Malformed(unittest.TestCase):
    def check(self, d, pattern):
        path = write_json(self, d)
        with self.assertRaisesRegex(ValueError, pattern) as cm:
            spow.load_table_file(path)
        self.assertIn(path, str(cm.exception))

    def mutated(self, f, a=1, b=3, cs=C_066):
        d = fixed_point_dict(a, b, cs)
        f(d)
        return d

    def test_good_table_loads(self):
        # the base of every mutation below is accepted as it is
        for a, b in ((1, 3), (3, 5), (1, 5)):
            spow.load_table_file(write_json(self, fixed_point_dict(a, b, [0.2] * 3)))

    def test_p(self):
        # a or b even, a >= b, p <= 0 (powers kept consistent with p so that
        # the family's own check is the one that fires)
        self.check(self.mutated(lambda d: d.update(p_num=2, x_power=2)), "odd")
        d = fixed_point_dict(1, 5, [0.2] * 3)
        d.update(p_den=4, y_power=4)
        self.check(d, "odd")
        self.check(self.mutated(lambda d: d.update(p_num=5, x_power=5)), "0 < a < b")
        self.check(self.mutated(lambda d: d.update(p_num=-1, x_power=-1)), "0 < a < b")
        self.check(self.mutated(lambda d: d.update(family="fixedpoint")), "family")

    def test_powers(self):
        self.check(self.mutated(lambda d: d.update(y_power=2)), "y_power/x_power")
        self.check(self.mutated(lambda d: d.update(x_power=2)), "y_power/x_power")

    def test_degree(self):
        # a consistent degree-2 step where p = 1/3 needs degree 1
        def deg2(d):
            d["evaluation"][2].update(degree=2, baby=2, ps=[1 - 0.33, 0.0, -0.33])
        self.check(self.mutated(deg2), r"evaluation\[2\]\.degree 2.*\(b - 1\)/2 = 1")
        self.check(self.mutated(lambda d: d.update(degree=[2] * 6)), r"degree \[2")

    def test_alpha_beta(self):
        self.check(self.mutated(lambda d: d["evaluation"][1].update(alpha=2.0)),
                   r"evaluation\[1\].*alpha")
        self.check(self.mutated(lambda d: d["evaluation"][4].update(beta=-1.0)),
                   r"evaluation\[4\].*beta")

    def test_constants(self):
        self.check(self.mutated(lambda d: d.pop("constants")), "constants is missing")
        self.check(self.mutated(lambda d: d["constants"].pop()), "constants")
        self.check(self.mutated(lambda d: d["constants"].__setitem__(3, [0.67])),
                   r"constants\[3\] 0\.67 disagrees")
        self.check(self.mutated(lambda d: d["constants"].__setitem__(0, 0.66)),
                   r"constants\[0\] must be \[c\]")
        self.check(self.mutated(lambda d: d["constants"].__setitem__(0, [0.66, 0.66])),
                   r"constants\[0\] must be \[c\]")
        self.check(self.mutated(lambda d: d["constants"].__setitem__(0, [float("nan")])),
                   r"constants\[0\] must be \[c\]")

    def test_coefficients_and_blocks_agree(self):
        self.check(self.mutated(lambda d: d.pop("coefficients")), "coefficients")
        # g must be 1 - c t^d: no other monomial
        self.check(self.mutated(lambda d: d["coefficients"][1].__setitem__(0, 0.9)),
                   r"coefficients\[1\].*is not 1 - c t\^1")
        d = fixed_point_dict(1, 5, [0.2] * 3)
        d["coefficients"][0][1] = 0.1
        self.check(d, r"coefficients\[0\].*is not 1 - c t\^2")
        # the blocks evaluating another g than the constant says
        self.check(self.mutated(lambda d: d["evaluation"][5]["ps"].__setitem__(1, -0.65)),
                   r"evaluation\[5\]\.ps does not evaluate")
        # constants and coefficients changed together, the blocks left alone
        def both(d):
            d["constants"][2] = [0.5]
            d["coefficients"][2][-1] = -0.5
        self.check(self.mutated(both), r"evaluation\[2\]\.ps does not evaluate")

    def test_no_sastre_form(self):
        # p = 1/17: degree 8, which a Sastre form with k = 2 could carry
        d = fixed_point_dict(1, 17, [0.1] * 2)
        d["evaluation"][1].update(scheme="sastre", k=2, sign=1, shift=0.0, form=[0.5] * 9)
        self.check(d, r"evaluation\[1\]: a fixed-point step has no Sastre scheme")

    def test_gemms(self):
        def g(k, n):
            def f(d):
                d["step_gemms"][k] += n
                d["gemms"] += n
            return f
        self.check(self.mutated(g(3, 1)), r"step_gemms\[3\] 3: .* costs 2 products")
        # p = 3/5 without X^a's products charged to step 1 (and with them on step 2)
        d = fixed_point_dict(3, 5, [0.2] * 3)
        d["step_gemms"][0] -= 2
        d["step_gemms"][1] += 2
        self.check(d, r"step_gemms\[0\] 3: .* costs 5 products")
        self.check(self.mutated(lambda d: d.update(gemms=13)), "sum of step_gemms")

    def test_no_steps(self):
        d = self.mutated(lambda d: None)
        for key in ("degree", "coefficients", "evaluation", "step_gemms", "step_errors",
                    "constants"):
            d[key] = []
        d.update(steps=0, gemms=0)
        self.check(d, "at least one step")


class Apply(Tables, unittest.TestCase):
    def test_float64_against_the_recurrence_and_svd(self):
        gen = torch.Generator().manual_seed(11)
        for name, (t, cs) in self.tables.items():
            for rows, cols in SHAPES:
                for scaling in SCALINGS:
                    G, U, s, V = prescribed(rows, cols, 1e-2, 3.7, gen)
                    st = {}
                    F = spow.spectral_power(t, G, scaling=scaling, stats=st)
                    self.assertEqual((F.dtype, F.shape), (G.dtype, G.shape))
                    c = float(st["norm"])
                    tol = fp_tolerance(t, cs, s.numpy() / c, U64, rows, cols)
                    why = (name, rows, cols, scaling)
                    self.assertLessEqual(rel_fro(F, reference(t, cs, U, s, V, c)), tol, why)
                    Us, S, Vh = torch.linalg.svd(G, full_matrices=False)
                    self.assertLessEqual(rel_fro(F, reference(t, cs, Us, S, Vh.mT, c)),
                                         tol, why)

    def test_the_tolerance_separates(self):
        # The references discriminate: the paper's constants do not give s^p
        # (errors of order 1 at s = 1e-2), and the per-step constants in
        # another order give a result far outside the tolerance.
        gen = torch.Generator().manual_seed(12)
        t, cs = self.tables["1/3 per-step"]
        G, U, s, V = prescribed(64, 40, 1e-2, 1.0, gen)
        st = {}
        F = spow.spectral_power(t, G, stats=st)
        c = float(st["norm"])
        tol = fp_tolerance(t, cs, s.numpy() / c, U64, 64, 40)
        self.assertLess(tol, 1e-9)
        self.assertGreater(rel_fro(F, svd_power(G, t.p)), 1e-2)
        self.assertGreater(rel_fro(F, reference(t, cs[::-1], U, s, V, c)), 1e3 * tol)
        t66, _ = self.tables["1/3 c=0.66"]
        self.assertGreater(rel_fro(spow.spectral_power(t66, G), svd_power(G, t.p)), 1e-2)

    def test_float32(self):
        # Float32 steps: the same bound with u = 2^-24.  With f64_steps = K
        # every step and X^a run in float64 and only the output is rounded
        # (2^-24 per entry), against the SVD of the float32 input itself.
        gen = torch.Generator().manual_seed(13)
        for name, (t, cs) in self.tables.items():
            K = len(t.steps)
            for rows, cols in SHAPES:
                for scaling in SCALINGS:
                    G, U, s, V = prescribed(rows, cols, 1e-2, 0.37, gen)
                    G32 = G.float()
                    st = {}
                    F = spow.spectral_power(t, G32, scaling=scaling, stats=st)
                    self.assertEqual(F.dtype, torch.float32)
                    c = float(st["norm"])
                    tol = fp_tolerance(t, cs, s.numpy() / c, U32, rows, cols)
                    why = (name, rows, cols, scaling)
                    self.assertLessEqual(rel_fro(F, reference(t, cs, U, s, V, c)), tol, why)
                    # against the SVD of the float32 input, each run with
                    # its own c (the Gram bound's w is rounded to the dtype
                    # of the first step, and y_K(s / c) is not s^p: c counts)
                    Us, S, Vh = torch.linalg.svd(G32.double(), full_matrices=False)

                    def exact(st):
                        return reference(t, cs, Us, S, Vh.mT, float(st["norm"]))
                    st64 = {}
                    F64 = spow.spectral_power(t, G32, scaling=scaling, f64_steps=K, stats=st64)
                    self.assertEqual(F64.dtype, torch.float32)
                    tol64 = fp_tolerance(t, cs, S.numpy() / float(st64["norm"]), U64, rows, cols)
                    self.assertLessEqual(rel_fro(F64, exact(st64)), 2.0 ** -24 + tol64, why)
                    self.assertEqual(st64["gemms"], st["gemms"])
                    # a float32 compute dtype for a float64 input: as F
                    stc = {}
                    Fc = spow.spectral_power(t, G32.double(), scaling=scaling,
                                             compute_dtype=torch.float32, stats=stc)
                    self.assertEqual(Fc.dtype, torch.float64)
                    self.assertLessEqual(rel_fro(Fc, exact(stc)), tol, why)
                    # some steps in float64, the rest in float32
                    sth = {}
                    Fh = spow.spectral_power(t, G32, scaling=scaling, f64_steps=K // 2, stats=sth)
                    self.assertLessEqual(rel_fro(Fh, exact(sth)), tol, why)

    def test_bfloat16_input_in_float32(self):
        # bf16 in and out, float32 steps: the float32 bound plus the output
        # rounding to bf16 (2^-9 relative per entry); bf16 steps are refused
        # for a table with hi < 1.01, as for coupled tables.
        gen = torch.Generator().manual_seed(14)
        t, cs = self.tables["1/3 c=0.66"]
        G = prescribed(48, 32, 1e-1, 1.0, gen)[0].bfloat16()
        st = {}
        F = spow.spectral_power(t, G, compute_dtype=torch.float32, stats=st)
        self.assertEqual(F.dtype, torch.bfloat16)
        c = float(st["norm"])
        Us, S, Vh = torch.linalg.svd(G.double(), full_matrices=False)
        tol = fp_tolerance(t, cs, S.numpy() / c, U32, 48, 32) + 2.0 ** -9
        self.assertLessEqual(rel_fro(F, reference(t, cs, Us, S, Vh.mT, c)), tol)
        with self.assertRaisesRegex(ValueError, "bfloat16"):
            spow.spectral_power(t, G)

    def test_batches_normalized_and_zero(self):
        gen = torch.Generator().manual_seed(15)
        for name, (t, cs) in self.tables.items():
            for rows, cols in SHAPES:
                G, Us, s, Vs = prescribed(rows, cols, 1e-2, 2.0, gen, batch=(2, 3))
                G = G.clone()
                G[1, 2] = 0.0
                st = {}
                F = spow.spectral_power(t, G, stats=st)
                Fn = spow.spectral_power(t, G, normalized=True)
                self.assertEqual((F.shape, Fn.shape), (G.shape, G.shape))
                self.assertEqual(st["norm"].shape, (2, 3))
                self.assertTrue(bool((F[1, 2] == 0).all()) and bool((Fn[1, 2] == 0).all()))
                self.assertEqual(float(st["norm"][1, 2]), 0.0)
                c = st["norm"].reshape(-1)
                for i in range(5):  # the nonzero matrices
                    ci = float(c[i])
                    tol = fp_tolerance(t, cs, s.numpy() / ci, U64, rows, cols)
                    Fi, Fni = F.reshape(-1, rows, cols)[i], Fn.reshape(-1, rows, cols)[i]
                    why = (name, rows, cols, i)
                    self.assertLessEqual(
                        rel_fro(Fi, reference(t, cs, Us[i], s, Vs[i], ci)), tol, why)
                    self.assertLessEqual(
                        rel_fro(Fni, reference(t, cs, Us[i], s, Vs[i], ci, normalized=True)),
                        tol, why)
                    # normalized skips only the final c^p (float64 products)
                    self.assertLessEqual(rel_fro(Fni * ci ** float(t.p), Fi), 1e-14, why)
                    # batched GEMMs may order sums differently: a few ulps,
                    # magnified by the remaining steps as any rounding
                    one = spow.spectral_power(t, G.reshape(-1, rows, cols)[i])
                    self.assertLessEqual(rel_fro(Fi, one), tol, why)

    def test_scales(self):
        # c from each scaling, as documented for spectral_power: ||G||_F,
        # and the Gram bounds c^2 >= ||G^T G||_F, c^4 >= ||(G^T G)^2||_F
        # (rounding-aware, so above by the factor 1 + 2^-20 and m u terms)
        gen = torch.Generator().manual_seed(16)
        t, _ = self.tables["3/5"]
        G = prescribed(64, 40, 1e-2, 5.0, gen)[0]
        A = G.mT @ G
        want = {"frobenius": float(torch.linalg.norm(G)),
                "gram2": float(torch.linalg.norm(A)) ** 0.5,
                "gram4": float(torch.linalg.norm(A @ A)) ** 0.25}
        for scaling, c in want.items():
            st = {}
            spow.spectral_power(t, G, scaling=scaling, stats=st)
            self.assertGreaterEqual(float(st["norm"]), c * (1 - 1e-14), scaling)
            self.assertLessEqual(float(st["norm"]), c * (1 + 1e-5), scaling)
        self.assertGreater(want["frobenius"], 1.2 * want["gram4"])

    def test_product_count(self):
        # the table's gemms, plus one for "gram4" when the first step has no
        # T_2 (b = 3, degree 1: S = A A^T is then an extra product, as in
        # the runtime, apply_impl.h)
        for name, (t, _) in self.tables.items():
            for shape in ((9, 6), (6, 9)):
                for scaling in SCALINGS:
                    st = {}
                    spow.spectral_power(t, torch.randn(*shape, dtype=torch.float64),
                                        scaling=scaling, stats=st)
                    extra = 1 if scaling == "gram4" and t.steps[0].baby == 1 else 0
                    self.assertEqual(st["gemms"], t.gemms + extra, (name, shape, scaling))

    def test_options_refused(self):
        t, _ = self.tables["1/5"]
        G = torch.randn(8, 5, dtype=torch.float64)
        with self.assertRaisesRegex(ValueError, "small_side=True is not supported for the "
                                                "fixed-point table"):
            spow.spectral_power(t, G, small_side=True)
        with self.assertRaisesRegex(ValueError, "NaN or Inf"):
            spow.spectral_power(t, torch.full((3, 3), float("nan")))
        for bad in (dict(f64_steps=-1), dict(scaling="spectral"), dict(small_side=1)):
            with self.assertRaises(ValueError, msg=repr(bad)):
                spow.spectral_power(t, G, **bad)


class Optimizer(unittest.TestCase):
    """MuonP chooses its table by p among the tables of SPOW_TABLES_DIR: a
    directory holding a fixed-point table gives fixed-point updates."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.path = os.path.join(self.dir, "fp_p1_3.json")
        with open(self.path, "w") as f:
            json.dump(fixed_point_dict(1, 3, C_066), f)
        old = os.environ.get("SPOW_TABLES_DIR")
        os.environ["SPOW_TABLES_DIR"] = self.dir

        def restore():
            if old is None:
                del os.environ["SPOW_TABLES_DIR"]
            else:
                os.environ["SPOW_TABLES_DIR"] = old
            os.unlink(self.path)
            os.rmdir(self.dir)
        self.addCleanup(restore)

    def test_update_is_the_recurrence(self):
        gen = torch.Generator().manual_seed(17)
        w = torch.nn.Parameter(torch.randn(24, 16, dtype=torch.float64, generator=gen))
        w0 = w.detach().clone()
        grad = torch.randn(24, 16, dtype=torch.float64, generator=gen)
        w.grad = grad.clone()
        lr = 0.1
        opt = spow.MuonP([w], lr=lr, p="1/3")
        self.assertEqual(spow.load_table("1/3").family, "fixed-point")
        opt.step()
        update = (w0 - w.detach()) / (lr * math.sqrt(24 / 16))
        # the update is the normalized power of the Nesterov momentum, a
        # multiple of the gradient at the first step: its SVD is the gradient's
        U, S, Vh = torch.linalg.svd(grad, full_matrices=False)
        c = float(torch.linalg.norm(grad))
        y = torch.from_numpy(recurrence(C_066, 1, 3, S.numpy() / c))
        ref = U @ torch.diag(y) @ Vh
        t = spow.load_table("1/3")
        self.assertLessEqual(rel_fro(update, ref),
                             fp_tolerance(t, C_066, S.numpy() / c, U64, 24, 16))

    def test_refusals(self):
        w = torch.nn.Parameter(torch.randn(6, 4, dtype=torch.float64))
        with self.assertRaisesRegex(ValueError, "small_side=True.*fixed-point"):
            spow.MuonP([w], lr=0.1, p="1/3", small_side=True)
        t = spow.load_table_file(self.path)
        with self.assertRaisesRegex(ValueError, "is a table"):
            spow.MuonP([w], lr=0.1, p=t)


# The runtime-only builds (SPOW_BLAS=cblas in .ci/run) have no generator; the
# main build, which builds spow-gen, always runs this.
@unittest.skipUnless(os.environ.get("SPOW_GEN"), "spow-gen is not built here")
class GeneratedTables(unittest.TestCase):
    """Tables as spow-gen writes them (SPOW_GEN, set by ctest), applied by
    this package and by libspow (SPOW_LIBRARY, through ctypes) to the same
    matrices: each within fp_tolerance of the scalar recurrence of the
    table's constants, so within twice that of each other, and with the
    same product count."""

    ARGS = (("1/3", "6"), ("3/5", "4"), ("1/5", "4"))

    def test_python_and_libspow_agree(self):
        import subprocess
        from spow_ctypes import LibSpow
        lib = LibSpow()
        gen = torch.Generator().manual_seed(21)
        for p, steps in self.ARGS:
            path = write_json(self, {})
            subprocess.run([os.environ["SPOW_GEN"], "--family", "fixed-point", "--p", p,
                            "--lo", "1e-3", "--steps", steps, "--fit-starts", "4", "-o", path],
                           check=True, capture_output=True)
            with open(path) as f:
                d = json.load(f)
            t = spow.load_table_file(path)
            cs = [c[0] for c in d["constants"]]
            name = "gen-" + p
            lib.add_table(name, d)
            for rows, cols in SHAPES:
                G, U, s, V = prescribed(rows, cols, 1e-2, 3.7, gen)
                st = {}
                Fp = spow.spectral_power(t, G, scaling="frobenius", stats=st)
                Fc, cst = lib.apply(name, G, scale="frobenius")
                c = float(st["norm"])
                tol = fp_tolerance(t, cs, s.numpy() / c, U64, rows, cols)
                why = (p, rows, cols)
                self.assertLessEqual(rel_fro(Fp, reference(t, cs, U, s, V, c)), tol, why)
                self.assertLessEqual(rel_fro(Fc, reference(t, cs, U, s, V, c)), tol, why)
                self.assertLessEqual(rel_fro(Fp, Fc), 2 * tol, why)
                self.assertEqual(st["gemms"], cst.gemm_calls, why)
                self.assertEqual(cst.gemm_calls, d["gemms"], why)


if __name__ == "__main__":
    unittest.main()
