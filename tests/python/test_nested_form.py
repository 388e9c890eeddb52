"""Nested-form steps in the Python package (scheme "nested", spow.h's
SPOW_SCHEME_NESTED): python/spow/tables.py reads a degree-16 step's "sign",
"shift" and 17-entry "form" and refuses malformed ones; spectral_power
evaluates g by the form in 4 products (apply.py's _eval_nested).

Tables: the fixtures tests/data/nested_p1_2.json (spow-gen --p 1/2 --lo 1e-3
--hi 1.001 --degree 8,8,16 --scheme nested: Sastre forms, then the nested
one) and tests/data/nested_first_p1_2.json (--degree 16,8,8: the nested step
first, where the default gram4 scaling hands it P_2 made from the Gram
bound's S); with SPOW_GEN set (ctest, wherever spow-gen is built) both are
generated again from their "command" and checked the same way.  Their ps,
cheb and "coefficients" hold the forms' exact polynomials rounded to double,
so the same tables with scheme "ps" evaluate the same g by Paterson-Stockmeyer.

Checks:
  g       the form evaluated in long double on a grid of the step's
          [t_lo, t_hi] against the Chebyshev series cheb (within 4 u sum
          |cheb_i|: cheb's rounding) and the monomials in t (4 u sum
          |m_i| t^i); the package's g of a matrix Q diag(t) Q^T against Q
          diag(g(t)) Q^T within n u M / min |g|, M the form evaluated in
          magnitudes (the usual forward bound of its products and sums).
  apply   against the SVD within cert + AMP k (gemms + 2) u (k the larger
          dimension; the small side divides by s_min^2, as in
          test_sastre_form.py), against libspow and against the
          Paterson-Stockmeyer table within twice the rounding term; the
          product count 4 for g (2 fewer than Paterson-Stockmeyer's 6).
AMP = 2, as in test_sastre_form.py, although nested_first_p1_2.json's form
cancels (form_ld(..., absolute=True) on its step's [t_lo, t_hi] reaches
7.6e5 where |g| <= 10.6): a float32 apply of it without f64_steps measured
2.1e-5 to 3.2e-5 against the SVD on 40 x 40 .. 24 x 56 (the same table by
Paterson-Stockmeyer: 2.2e-6 to 3.6e-6; allowance 1.1e-4 to 1.5e-4, at least 3.6
times the error), and 1.8e-5 to 3.2e-5 between the package's, libspow's and the
Paterson-Stockmeyer applies (allowance 2.1e-4 to 2.9e-4); nested_p1_2.json
3.7e-6 to 6.4e-6 against the SVD.  float64: 4.4e-7 to 6.4e-7 (certificates
8.37e-7 and 8.72e-7)."""
import functools
import json
import os
import subprocess
import tempfile
import unittest

import numpy as np
import torch

import spow
from spow import apply as spow_apply
from spow_ctypes import LibSpow
from spow_testutil import (as_ps, check_form_apply, check_form_scalings, orthonormal, rel_fro,
                           table_from_dict)

DATA = os.path.join(os.environ.get("SPOW_SOURCE_DIR", os.path.join(
    os.path.dirname(__file__), "..", "..")), "tests", "data")
FIXTURES = ("nested_p1_2.json", "nested_first_p1_2.json")
SHAPES = ((40, 40), (56, 24), (24, 56))
AMP = 2.0
NESTED = 2  # the nested step of nested_p1_2.json, the one the malformed cases break


def fixture(name):
    with open(os.path.join(DATA, name)) as f:
        return json.load(f)


def form_ld(form, sign, w, absolute=False):
    """g(w) of a nested form in long double (spow.h's recurrence), or with
    absolute=True the same recurrence in magnitudes (every coefficient and w
    by its absolute value, sign +1): the scale of its rounding."""
    ab = np.abs if absolute else (lambda x: x)
    a1, a2, b1, b2, c2, e, d0, d1, d2, f0, f1, f2, h0, h1, l0, l1, l2 = (
        ab(np.longdouble(x)) for x in form)
    w = ab(np.asarray(w, dtype=np.longdouble))
    s = 1 if absolute else sign
    p2 = w * w
    y0 = p2 * (a1 * w + a2 * p2)
    y1 = (y0 + b1 * w + b2 * p2) * (y0 + c2 * p2) + e * y0
    return ((y1 + d0 * y0 + d1 * w + d2 * p2) * (s * y1 + f0 * y0 + f1 * w + f2 * p2)
            + h0 * y0 + h1 * y1 + l0 + l1 * w + l2 * p2)


def nested_steps(d):
    return [k for k, e in enumerate(d["evaluation"]) if e.get("scheme") == "nested"]


class Checks:
    """The checks of a table dict d, for the fixtures and generated tables."""

    def check_loads(self, d):
        t = table_from_dict(d)
        ps = table_from_dict(as_ps(d))
        nested = nested_steps(d)
        self.assertTrue(nested)
        last = len(t.steps) - 1
        for k, (st, e) in enumerate(zip(t.steps, d["evaluation"])):
            if k not in nested:
                continue
            self.assertEqual((st.scheme, st.form_k, st.degree), ("nested", 0, 16))
            self.assertEqual(len(st.form), spow.tables.NESTED_NFORM)
            self.assertEqual(st.form, tuple(e["form"]))
            self.assertEqual((st.form_sign, st.form_shift), (e["sign"], e["shift"]))
            self.assertEqual(spow.tables.form_products(st), 4)
            # p = 1/2: A, g, then Y g^2 (a square, a product) and X g, or
            # only X g in the last step
            self.assertEqual(st.gemms, 1 + 4 + (1 if k == last else 3), k)
            self.assertEqual(ps.steps[k].gemms - st.gemms, 2, k)
            self.assertEqual((ps.steps[k].scheme, ps.steps[k].form), ("ps", None))
        return t

    def check_g_scalar(self, d):
        for k in nested_steps(d):
            e = d["evaluation"][k]
            t = np.linspace(e["t_lo"], e["t_hi"], 2001).astype(np.longdouble)
            u = np.longdouble(e["alpha"]) * t + np.longdouble(e["beta"])
            g = form_ld(e["form"], e["sign"], u - np.longdouble(e["shift"]))
            cheb = np.array(e["cheb"], dtype=np.longdouble)
            mono = np.array(d["coefficients"][k], dtype=np.longdouble)
            gc = np.polynomial.chebyshev.chebval(u, cheb)
            gm = np.polynomial.polynomial.polyval(t, mono)
            u64 = 2.0 ** -53
            tol_c = 4 * u64 * float(np.abs(cheb).sum())
            tol_m = 4 * u64 * np.polynomial.polynomial.polyval(np.abs(t), np.abs(mono))
            self.assertLessEqual(float(np.abs(g - gc).max()), tol_c, k)
            self.assertTrue(bool((np.abs(g - gm) <= tol_m).all()), k)
            self.assertGreater(float(np.abs(g).min()), 0.0, k)

    def check_g_matrix(self, d, gen):
        t = table_from_dict(d)
        for k in nested_steps(d):
            st = t.steps[k]
            for n in (8, 40):
                Q = orthonormal(n, n, gen)
                tt = torch.linspace(st.t_lo, st.t_hi, n, dtype=torch.float64)
                w = (np.longdouble(st.alpha) * tt.numpy().astype(np.longdouble)
                     + np.longdouble(st.beta) - np.longdouble(st.form_shift))
                g = form_ld(st.form, st.form_sign, w)
                mag = float(form_ld(st.form, st.form_sign, w, absolute=True).max())
                A = Q @ torch.diag(tt) @ Q.mT
                W = st.alpha * A + (st.beta - st.form_shift) * torch.eye(n, dtype=torch.float64)
                run = spow_apply._Run(n, n)
                got = spow_apply._eval_g(run, None, st, (W.unsqueeze(0), None))[0]
                self.assertEqual(run.gemms, 4)
                ref = Q @ torch.diag(torch.from_numpy(g.astype(np.float64))) @ Q.mT
                tol = n * 2.0 ** -53 * mag / float(np.abs(g).min())
                self.assertLessEqual(rel_fro(got, ref), tol, (k, n))

    def check_apply(self, d, name, lib, gen, shapes=SHAPES):
        """spow_testutil.check_form_apply: against the SVD, libspow and the
        Paterson-Stockmeyer table, which takes the forms' saving more."""
        t, t_ps = table_from_dict(d), table_from_dict(as_ps(d))
        lib.add_table(name, d)
        lib.add_table(name + "_ps", as_ps(d))
        fewer = sum(t_ps.steps[k].gemms - t.steps[k].gemms for k in range(len(t.steps)))
        check_form_apply(self, t, t_ps, functools.partial(self.libspow, lib), name, fewer, gen,
                         shapes, AMP)

    def libspow(self, lib, name, G, small, f64_steps, scale="default"):
        """libspow's apply; a refusal of the table fails the test by name
        (libspow applies the nested scheme: runtime/src/validate.c)."""
        try:
            return lib.apply(name, G, small_side=small, f64_steps=f64_steps, scale=scale)
        except RuntimeError as e:
            self.fail(f"libspow refused or failed on {name} ({e}): it must apply "
                      f"SPOW_SCHEME_NESTED tables as spow.h specifies")


class Loading(unittest.TestCase, Checks):
    def test_fixtures_load_with_their_forms(self):
        t = self.check_loads(fixture(FIXTURES[0]))
        self.assertEqual([s.scheme for s in t.steps], ["sastre", "sastre", "nested"])
        self.assertEqual((t.gemms, t.max_rel_err), (20, 8.372783e-07))
        t = self.check_loads(fixture(FIXTURES[1]))
        self.assertEqual([s.scheme for s in t.steps], ["nested", "sastre", "sastre"])
        self.assertEqual((t.gemms, t.max_rel_err), (20, 8.722536e-07))

    def test_malformed_nested_steps_are_refused(self):
        def degree12(e):  # a consistent degree-12 Paterson-Stockmeyer layout
            e.update(degree=12, baby=4, blocks=3, ps=e["ps"][:15], cheb=e["cheb"][:13])
        cases = [
            (".degree 12: the nested form has degree 16", degree12),
            (".k", lambda e: e.update(k=4)),           # a Sastre k that fits degree 16
            (".k", lambda e: e.update(k=None)),
            (".scheme", lambda e: e.update(scheme="Nested")),
            ("no \"scheme\"", lambda e: e.pop("scheme")),  # form keys left behind
            (".sign", lambda e: e.update(sign=0)),
            (".sign", lambda e: e.update(sign=2)),
            (".sign", lambda e: e.update(sign=True)),
            (".sign", lambda e: e.update(sign=-1.0)),
            (".sign", lambda e: e.pop("sign")),
            (".shift", lambda e: e.update(shift=float("nan"))),
            (".shift", lambda e: e.update(shift=float("-inf"))),
            (".shift", lambda e: e.update(shift="0")),
            (".shift", lambda e: e.pop("shift")),
            (".form", lambda e: e.update(form=e["form"][:-1])),
            (".form", lambda e: e.update(form=e["form"] + [0.0])),
            (".form", lambda e: e.update(form=e["form"][:13])),  # Sastre k = 3's length
            (".form", lambda e: e["form"].__setitem__(0, float("nan"))),
            (".form", lambda e: e["form"].__setitem__(16, float("inf"))),
            (".form", lambda e: e["form"].__setitem__(5, "1")),
            (".form", lambda e: e.update(form=None)),
            (".form", lambda e: e.pop("form")),
        ]
        for key, change in cases:
            d = fixture(FIXTURES[0])
            change(d["evaluation"][NESTED])
            with self.assertRaises(ValueError, msg=key) as cm:
                table_from_dict(d)
            self.assertIn(f"evaluation[{NESTED}]", str(cm.exception), key)
            self.assertIn(key, str(cm.exception))
            self.assertIn("not a usable spow table", str(cm.exception))


class FormValue(unittest.TestCase, Checks):
    def test_form_against_cheb_and_monomials(self):
        for name in FIXTURES:
            with self.subTest(name):
                self.check_g_scalar(fixture(name))

    def test_package_g_against_long_double(self):
        gen = torch.Generator().manual_seed(31)
        for name in FIXTURES:
            with self.subTest(name):
                self.check_g_matrix(fixture(name), gen)


class Apply(unittest.TestCase, Checks):
    @classmethod
    def setUpClass(cls):
        cls.lib = LibSpow()

    def test_against_svd_libspow_and_ps(self):
        gen = torch.Generator().manual_seed(21)
        for name in FIXTURES:
            self.check_apply(fixture(name), name, self.lib, gen)

    def test_scalings_and_batch(self):
        """The Frobenius and gram2 scalings (the first step's P_2 by a
        product, not from S) and a batch, against libspow in float64."""
        gen = torch.Generator().manual_seed(22)
        d = fixture(FIXTURES[1])
        self.lib.add_table("nested_first", d)
        check_form_scalings(self, table_from_dict(d), functools.partial(self.libspow, self.lib),
                            "nested_first", gen, ("frobenius", "gram2", "gram4"), AMP)


# The runtime-only builds (SPOW_BLAS=cblas in .ci/run) have no generator; the
# main build, which builds spow-gen, always runs this.
@unittest.skipUnless(os.environ.get("SPOW_GEN"), "spow-gen is not built here")
class Generated(unittest.TestCase, Checks):
    """The fixtures' tables as today's spow-gen writes them (their "command"
    run again), through every check above but the malformed cases."""

    def test_generated_tables(self):
        lib = LibSpow()
        gen = torch.Generator().manual_seed(23)
        tmp = tempfile.mkdtemp()
        procs = []
        for name in FIXTURES:
            args = fixture(name)["command"].split()
            self.assertEqual(args[0], "spow-gen")
            path = os.path.join(tmp, name)
            procs.append((name, path, subprocess.Popen(
                [os.environ["SPOW_GEN"]] + args[1:] + ["-o", path],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE)))
        try:
            for name, path, proc in procs:
                out, err = proc.communicate()
                self.assertEqual(proc.returncode, 0, (name, err.decode()))
                with open(path) as f:
                    d = json.load(f)
                with self.subTest(name):
                    self.check_loads(d)
                    self.check_g_scalar(d)
                    self.check_g_matrix(d, gen)
                    self.check_apply(d, "gen_" + name, lib, gen, shapes=SHAPES[1:2])
        finally:
            for _, path, proc in procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
                if os.path.exists(path):
                    os.unlink(path)
            os.rmdir(tmp)


if __name__ == "__main__":
    unittest.main()
