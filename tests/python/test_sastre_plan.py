"""tools/sastre_plan.py, the planning check behind docs/design-space.md's
Sastre figures: its Jacobian against finite differences, its solver on
polynomials known to have a real form, and on a table spow-gen fits, the
form's g against the table's and the recurrence's error against the
multiprecision certificate."""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

import numpy as np
from numpy.polynomial import chebyshev as C

sys.path.insert(0, os.path.join(os.environ.get("SPOW_SOURCE_DIR", os.path.join(
    os.path.dirname(__file__), "..", "..")), "tools"))
import sastre_plan as S  # noqa: E402

GEN = os.environ.get("SPOW_GEN")
INSPECT = os.environ.get("SPOW_INSPECT")


class Solver(unittest.TestCase):
    def test_jacobian_matches_finite_differences(self):
        rng = np.random.default_rng(3)
        for k in (2, 3, 4):
            for sign in (1.0, -1.0):
                v, target = rng.normal(size=3 * k), rng.normal(size=4 * k + 1)
                r, J = S.residual_and_jacobian(k, v, sign, target)
                h = 1e-7
                for j in range(3 * k):
                    w = v.copy()
                    w[j] += h
                    fd = (S.residual_and_jacobian(k, w, sign, target)[0] - r) / h
                    # forward differences of a quadratic: error h * (second
                    # derivative), below 1e-5 for these O(1) parameters
                    np.testing.assert_allclose(J[:, j], fd, atol=1e-5)

    def test_solver_recovers_representable_polynomials(self):
        rng = np.random.default_rng(7)
        for k in (2, 3, 4):
            for sign in (1.0, -1.0):
                v = rng.normal(size=3 * k)
                target = np.pad(S.sastre_poly(k, v, sign), (0, 4 * k))[:4 * k + 1]
                found = S.solve(k, target, 40, rng)
                self.assertIsNotNone(found, f"k={k} sign={sign}")
                _, w, s = found
                self.assertEqual(s, sign)
                got = np.pad(S.sastre_poly(k, w, s), (0, 4 * k))[:4 * k + 1]
                # the solver stops at a residual of 1e-12 relative to the
                # largest coefficient; the low u^0..u^k terms are free
                np.testing.assert_allclose(got[k + 1:], target[k + 1:],
                                           atol=1e-11 * np.max(np.abs(target)))


@unittest.skipUnless(GEN, "SPOW_GEN is not set (ctest sets it to spow-gen)")
class OnAFittedTable(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        out = subprocess.run([GEN, "--p", "1/3", "--lo", "1e-3", "--hi", "1.001",
                              "--degree", "8,8", "--format", "json"],
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        cls.table = json.loads(out.stdout)
        rng = np.random.default_rng(1)
        cls.forms = [S.sastre_form(ev, 12, rng) for ev in cls.table["evaluation"]]

    @unittest.skipUnless(INSPECT, "SPOW_INSPECT is not set (ctest sets it to spow-inspect)")
    def test_exact_coefficients_certify_as_the_table(self):
        """The forms' polynomials, written out exactly, certified by
        spow-inspect's MPFR interval propagation: the same certificate as the
        table's (the forms match g to ~1e-14 relative; the certificates are
        printed to 7 digits, rounded up)."""
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "coef")
            S.write_coef(path, self.table, self.forms, "test")
            with open(path) as f:
                coef = f.read().strip()
        self.assertEqual(coef.count(";"), len(self.table["evaluation"]) - 1)
        out = subprocess.run([INSPECT, "--family", "coupled", "--p", "1/3", "--lo", "1e-3",
                              "--hi", "1.001", "--coef", coef],
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        m = re.search(r"certificate recomputed \(exact interval propagation\): (\S+)", out.stdout)
        self.assertIsNotNone(m, out.stdout)
        cert = self.table["max_rel_err_exact"]
        self.assertLessEqual(abs(float(m.group(1)) - cert), 1e-5 * cert)

    def test_forms_reproduce_g_and_the_certificate(self):
        table, forms = self.table, self.forms
        for ev, form in zip(table["evaluation"], forms):
            self.assertIsNotNone(form)
            t = np.linspace(ev["t_lo"], ev["t_hi"], 1001)
            u = ev["alpha"] * t + ev["beta"]
            k, v, sign, low, shift = form
            g = C.chebval(u, ev["cheb"])
            got = S.eval_sastre(k, v, sign, low, u - shift, np.float64)
            # the same polynomial in two double evaluations: rounding of
            # terms up to ~10 times max|g|
            np.testing.assert_allclose(got, g, rtol=0, atol=1e-12 * np.max(np.abs(g)))
        s = np.geomspace(table["lo"], table["hi"], 200001)
        err = S.run(table, forms, s, np.float64)
        cert = table["max_rel_err_exact"]
        # the certificate bounds the exact recurrence; double rounding adds
        # ~1e-14, and a 2e5-point log grid comes within 1% of the maximum
        self.assertLessEqual(err, cert * (1 + 1e-6) + 1e-13)
        self.assertGreaterEqual(err, 0.99 * cert)


if __name__ == "__main__":
    unittest.main()
