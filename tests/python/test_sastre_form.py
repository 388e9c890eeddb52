"""Sastre-form steps in the Python package: python/spow/tables.py reads the
keys of a Sastre step ("scheme", "k", "sign", "shift", "form") and refuses
malformed ones, and spectral_power evaluates g by the form (apply.py's
_eval_form, the order of libspow's eval_form).  The table is the fixture
tests/data/sastre_p1_2.json (spow-gen --p 1/2 --lo 1e-3 --hi 1.001 --degree
8,12,12 --scheme sastre: a form on every step), whose ps hold the
forms' exact polynomials: the same table with scheme "ps" evaluates the same
g by Paterson-Stockmeyer.

Tolerances, as tests/runtime/t_sastre.c derives them: against the SVD,
cert + A k (gemms + 2) u + D (D = 0: spow-gen certifies the forms'
polynomial itself; A, the scalar map's amplification, is
about 1.2 for these spectra and taken as 2 here); between two evaluations
of the same table (Python and libspow, or the form and Paterson-Stockmeyer),
twice the rounding term.  Measured (40 x 40 .. 24 x 56): 3e-14 to 5e-14 in
float64 (tolerance 4e-13 to 6e-13), 1e-5 to 3e-5 in float32 (tolerance
~2e-4); against the answer 7e-8 to 8e-8 in float64 (certificate 1.09e-7)."""
import json
import os
import unittest

import torch

import spow
from spow_ctypes import LibSpow
from spow_testutil import as_ps, prescribed, rel_fro, svd_power
from spow_testutil import table_from_dict as load

FIXTURE = os.path.join(os.environ.get("SPOW_SOURCE_DIR", os.path.join(
    os.path.dirname(__file__), "..", "..")), "tests", "data", "sastre_p1_2.json")
UNIT = {torch.float64: 2.0 ** -53, torch.float32: 2.0 ** -24}
SHAPES = ((40, 40), (56, 24), (24, 56))
AMP = 2.0
D = 0.0


def load_dict():
    with open(FIXTURE) as f:
        return json.load(f)


def rounding(t, k, gemms, u):
    return AMP * k * (gemms + 2) * u


class Loading(unittest.TestCase):
    def test_fixture_loads_with_its_forms(self):
        t = spow.load_table_file(FIXTURE)
        self.assertEqual([s.scheme for s in t.steps], ["sastre"] * 3)
        self.assertEqual([s.form_k for s in t.steps], [2, 3, 3])
        self.assertEqual([len(s.form) for s in t.steps], [9, 13, 13])
        self.assertEqual(t.gemms, 21)
        for s in load(as_ps(load_dict())).steps:
            self.assertEqual((s.scheme, s.form), ("ps", None))

    def test_malformed_keys_are_refused(self):
        def broken(change):
            d = load_dict()
            change(d["evaluation"][0])
            return d
        cases = [
            ("scheme", lambda e: e.update(scheme="horner")),
            ("scheme", lambda e: e.update(scheme=None)),
            (".k", lambda e: e.update(k=5)),
            (".k", lambda e: e.update(k=1)),
            (".k", lambda e: e.update(k="2")),
            (".k", lambda e: e.update(k=3)),          # degree 8 is not 12
            (".k", lambda e: e.pop("k")),
            (".sign", lambda e: e.update(sign=0)),
            (".sign", lambda e: e.update(sign=True)),
            (".sign", lambda e: e.update(sign=1.0)),
            (".shift", lambda e: e.update(shift=float("nan"))),
            (".shift", lambda e: e.update(shift=float("inf"))),
            (".shift", lambda e: e.pop("shift")),
            (".form", lambda e: e.update(form=e["form"][:-1])),
            (".form", lambda e: e.update(form=e["form"] + [0.0])),
            (".form", lambda e: e["form"].__setitem__(0, float("nan"))),
            (".form", lambda e: e["form"].__setitem__(3, "1")),
            (".form", lambda e: e.update(form=None)),
            ("no \"scheme\"", lambda e: e.pop("scheme")),  # form keys left behind
        ]
        for key, change in cases:
            with self.assertRaises(ValueError, msg=key) as cm:
                load(broken(change))
            self.assertIn("evaluation[0]", str(cm.exception), key)
            self.assertIn(key, str(cm.exception))


class Apply(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lib = LibSpow()
        d = load_dict()
        cls.t, cls.t_ps = load(d), load(as_ps(d))
        cls.lib.add_table("sastre", d)
        cls.lib.add_table("sastre_ps", as_ps(d))

    def test_against_libspow_svd_and_ps(self):
        gen = torch.Generator().manual_seed(21)
        t = self.t
        for (rows, cols), small in ((s, sm) for s in SHAPES for sm in (False, True)):
            G, U, s, V = prescribed(rows, cols, 1e-2, 2.5, gen)
            k = max(rows, cols)
            for dt, f64_steps in ((torch.float64, 0), (torch.float32, 0), (torch.float32, 1)):
                if small and dt == torch.float32 and f64_steps == 0:
                    continue  # a float small side is for spectra near 1 (spow.h)
                what = (rows, cols, small, str(dt), f64_steps)
                Gd = G.to(dt)
                st, st_ps = {}, {}
                Fp = spow.spectral_power(t, Gd, small_side=small, f64_steps=f64_steps, stats=st)
                Fq = spow.spectral_power(self.t_ps, Gd, small_side=small, f64_steps=f64_steps,
                                         stats=st_ps)
                Fc, cst = self.lib.apply("sastre", Gd, small_side=small, f64_steps=f64_steps,
                                         scale="default")
                Fc_ps, cst_ps = self.lib.apply("sastre_ps", Gd, small_side=small,
                                               f64_steps=f64_steps, scale="default")
                # one product fewer per form, in both implementations
                self.assertEqual(st["gemms"], cst.gemm_calls, what)
                self.assertEqual(st_ps["gemms"] - st["gemms"], 3, what)
                self.assertEqual(cst_ps.gemm_calls - cst.gemm_calls, 3, what)
                if not small:
                    self.assertEqual(st["gemms"], t.gemms, what)
                # the small side's float64 run, or all in float32
                u = UNIT[torch.float64] if small or dt == torch.float64 else UNIT[dt]
                smin = float(s.min() / cst.norm)
                rnd = rounding(t, k, cst.gemm_calls, u) / (smin ** 2 if small else 1.0)
                self.assertLessEqual(rel_fro(Fp, Fc), 2 * rnd, what)
                self.assertLessEqual(rel_fro(Fp, Fq), 2 * rnd, what)
                self.assertLessEqual(rel_fro(Fc, Fc_ps), 2 * rnd, what)
                # and the answer: the exact one in float64; in float32 the
                # SVD's of G rounded to float (the matrix given), plus one
                # float rounding of the result
                if dt == torch.float64:
                    ref, cert = U[0] @ torch.diag(s.sqrt()) @ V[0].mT, t.max_rel_err
                else:
                    ref = svd_power(Gd.double(), t.p)
                    cert = t.max_rel_err_f32 if u == UNIT[torch.float32] else t.max_rel_err
                    rnd += UNIT[torch.float32]
                self.assertLessEqual(rel_fro(Fp, ref), cert + rnd + D, what)

    def test_scalings_and_batch(self):
        """The Frobenius and gram2 scalings (P_2 by a product, not from S)
        and a batch, against libspow in float64."""
        gen = torch.Generator().manual_seed(22)
        G, _, s, _ = prescribed(48, 32, 1e-2, 3.0, gen, batch=(2,))
        for scaling in ("frobenius", "gram2"):
            st = {}
            Fp = spow.spectral_power(self.t, G, scaling=scaling, stats=st)
            self.assertEqual(st["gemms"], self.t.gemms)
            for i in range(2):
                Fc, cst = self.lib.apply("sastre", G[i], scale=scaling)
                self.assertEqual(cst.gemm_calls, self.t.gemms)
                tol = 2 * rounding(self.t, 48, self.t.gemms, UNIT[torch.float64])
                self.assertLessEqual(rel_fro(Fp[i], Fc), tol, (scaling, i))


if __name__ == "__main__":
    unittest.main()
