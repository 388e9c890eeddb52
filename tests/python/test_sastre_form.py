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
from spow_testutil import as_ps, check_form_apply, check_form_scalings
from spow_testutil import table_from_dict as load

FIXTURE = os.path.join(os.environ.get("SPOW_SOURCE_DIR", os.path.join(
    os.path.dirname(__file__), "..", "..")), "tests", "data", "sastre_p1_2.json")
SHAPES = ((40, 40), (56, 24), (24, 56))
AMP = 2.0
D = 0.0


def load_dict():
    with open(FIXTURE) as f:
        return json.load(f)


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

    def libspow(self, name, G, small, f64_steps, scale):
        return self.lib.apply(name, G, small_side=small, f64_steps=f64_steps, scale=scale)

    def test_against_libspow_svd_and_ps(self):
        """One product fewer per form (3) in both implementations
        (spow_testutil.check_form_apply)."""
        gen = torch.Generator().manual_seed(21)
        check_form_apply(self, self.t, self.t_ps, self.libspow, "sastre", 3, gen, SHAPES, AMP,
                         D)

    def test_scalings_and_batch(self):
        """The Frobenius and gram2 scalings (P_2 by a product, not from S)
        and a batch, against libspow in float64."""
        gen = torch.Generator().manual_seed(22)
        check_form_scalings(self, self.t, self.libspow, "sastre", gen, ("frobenius", "gram2"),
                            AMP)


if __name__ == "__main__":
    unittest.main()
