"""spow.spectral_power against libspow (the shared library, through ctypes):
every shipped table, float64 and float32, square, tall and wide.

Both run the same operations in the same order (apply.py follows apply.c and
apply_impl.h), so they differ only by rounding: other GEMM kernels (torch's
matmul against libspow's ?syrk for symmetric products), other summation
orders.  The tolerance is the first-order rounding model of spow_rounding.py
(derivation there): twice the drift of one implementation from the exact
evaluation of the table, computed from the table's own polynomials and the
test matrix's singular values.  It is an upper bound, not a typical value:
measured differences are 1-13% of it for p != 0 and 4-40% for p = 0 (the
model assigns every product's rounding to the worst singular direction, where
a real rounding error spreads over all of them).  What it excludes is any
difference of algorithm: a step done another way changes the result at the
level of the certificate (1e-7), while float64 agreement is at 1e-14.
One exception to the model: the 6-step table (p = 0, lo = 1e-4,
tables/target/) drifts up to 1.3x past it (the random-walk sqrt(d) of the
model is not a worst case, and six composed steps show it); tables of six
steps or more get the worst-case factor d instead of sqrt(d) (model_tol).
"""
import itertools
import unittest

import torch

import spow
from spow_ctypes import LibSpow
from spow_rounding import drift
from spow_testutil import every_table, prescribed, rel_fro, svd_power

SHAPES = ((40, 40), (56, 24), (24, 56))
UNIT = {torch.float64: 2.0 ** -53, torch.float32: 2.0 ** -24}


def model_tol(t, svals, u, d):
    """Twice the rounding model's drift; d u instead of sqrt(d) u per product
    for tables of six steps or more (module docstring)."""
    return 2 * drift(t.source, svals, u, d) * (d ** 0.5 if len(t.steps) >= 6 else 1.0)


class AgreeWithLibspow(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lib = LibSpow()

    def test_registry_matches_the_json(self):
        for t in every_table():
            self.assertIn(t.name, self.lib.tables)
            c = self.lib.tables[t.name].contents
            self.assertEqual((c.p_num, c.p_den, c.steps, c.gemms, c.lo, c.hi),
                             (t.p_num, t.p_den, len(t.steps), t.gemms, t.lo, t.hi), t.name)

    def test_every_table_both_precisions_all_shapes(self):
        gen = torch.Generator().manual_seed(11)
        for t in every_table():
            smin = 1e-2 if t.lo <= 1e-3 else 1e-1
            for rows, cols in SHAPES:
                G, _, s, _ = prescribed(rows, cols, smin, 2.5, gen)
                # the runtime's default scaling (Gram bound) on both sides,
                # then Frobenius asked for explicitly on both
                for dt, (py_scale, c_scale) in itertools.product(
                        (torch.float64, torch.float32),
                        ((None, "default"), ("frobenius", "frobenius"))):
                    Gd = G.to(dt)
                    st = {}
                    Fp = spow.spectral_power(t, Gd, stats=st, scaling=py_scale)
                    Fc, cst = self.lib.apply(t.name, Gd, scale=c_scale)
                    # singular values as the steps saw them: s / c
                    svals = (s / cst.norm).tolist()
                    tol = model_tol(t, svals, UNIT[dt], max(rows, cols))
                    what = (t.name, rows, cols, str(dt), c_scale)
                    self.assertLessEqual(rel_fro(Fp, Fc), tol, what)
                    self.assertEqual(st["gemms"], cst.gemm_calls, what)
                    self.assertEqual(cst.gemm_calls, t.gemms, what)
                    # the scale: the same sums of squares in float64, other
                    # order; the Gram bound's w is then rounded to the step's
                    # dtype, so the two may differ by one ulp of it
                    ulp = 1e-14 if c_scale == "frobenius" else 1e-14 + 4.0 * UNIT[dt]
                    self.assertAlmostEqual(float(st["norm"]), cst.norm,
                                           delta=ulp * cst.norm, msg=what)
                    if c_scale == "default":  # a Gram bound: c <= ||G||_F
                        self.assertLessEqual(cst.norm, float(torch.linalg.norm(G)) * (1 + 1e-12))

    def test_normalized_and_mixed_precision(self):
        gen = torch.Generator().manual_seed(12)
        for name in ("1/2", "-1/4", "0", "2/3"):
            t = spow.load_table(name)
            G, _, s, _ = prescribed(48, 32, 1e-2, 1e3, gen)
            svals = (s / torch.linalg.norm(G)).tolist()
            for dt in (torch.float64, torch.float32):
                Fp = spow.spectral_power(t, G.to(dt), normalized=True)
                Fc, cst = self.lib.apply(t.name, G.to(dt), normalized=True, scale="default")
                sv = (s / cst.norm).tolist()
                self.assertLessEqual(rel_fro(Fp, Fc), model_tol(t, sv, UNIT[dt], 48))
            # f64_steps = 1: the first step in double, the rest in float; the
            # float model bounds it (fewer float roundings than plain float)
            Fp = spow.spectral_power(t, G.float(), f64_steps=1)
            Fc, cst = self.lib.apply(t.name, G.float(), f64_steps=1, scale="default")
            sv = (s / cst.norm).tolist()
            self.assertLessEqual(rel_fro(Fp, Fc), model_tol(t, sv, UNIT[torch.float32], 48))

    def test_small_side(self):
        """small_side=True against libspow's SPOW_SMALL_SIDE and the exact
        answer.  The small side carries the Gram matrix, whose rounding
        reaches a singular value s as u / s^2 instead of u / s, so the
        rounding model's drift is divided by smin^2 (smin the smallest
        singular value the steps see); measured differences are below 3% of
        that (worst: p = 0, 24 x 56, 1.7e-12)."""
        gen = torch.Generator().manual_seed(13)
        for t in every_table():
            smin = 1e-2 if t.lo <= 1e-3 else 1e-1
            for rows, cols in SHAPES:
                G, U, s, V = prescribed(rows, cols, smin, 2.5, gen)
                exact = U[0] @ torch.diag(s.pow(float(t.p))) @ V[0].mT
                # float32 with f64_steps = 1 runs all of the small side in double
                for dt, f64_steps in ((torch.float64, 0), (torch.float32, 1)):
                    st = {}
                    Gd = G.to(dt)
                    Fp = spow.spectral_power(t, Gd, small_side=True, f64_steps=f64_steps,
                                             stats=st)
                    Fc, cst = self.lib.apply(t.name, Gd, small_side=True, f64_steps=f64_steps,
                                             scale="default")
                    sv = (s / cst.norm).tolist()
                    tol = model_tol(t, sv, UNIT[torch.float64], max(rows, cols)) / min(sv) ** 2
                    what = (t.name, rows, cols, str(dt))
                    self.assertLessEqual(rel_fro(Fp, Fc), tol, what)
                    self.assertEqual(st["gemms"], cst.gemm_calls, what)
                    # and within the certificate of the answer: the exact one
                    # for float64; for float32 the SVD's of G rounded to float
                    # (the matrix libspow was given: rounding G moves U S^p V^T
                    # by the conditioning of the matrix function, not libspow's
                    # error), plus one float rounding of the result
                    ref = exact if dt == torch.float64 else svd_power(Gd.double(), t.p)
                    bound = t.max_rel_err + tol + (UNIT[dt] if dt == torch.float32 else 0)
                    self.assertLessEqual(rel_fro(Fc, ref), bound, what)
        with self.assertRaises(ValueError):
            spow.spectral_power(t, G, small_side="yes")


if __name__ == "__main__":
    unittest.main()
