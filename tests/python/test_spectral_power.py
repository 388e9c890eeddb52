"""spectral_power against torch.linalg.svd on prescribed spectra, batched shapes,
the product count, and bad input."""
import math
import unittest

import torch

import spow
from spow_testutil import every_table, prescribed, rel_fro, svd_power

SHAPES = ((48, 48), (64, 40), (40, 64))  # square, tall, wide


def spectrum_floor(t):
    """Smallest prescribed singular value (relative to the largest): 1e-2 for the
    lo = 1e-3 tables; for lo = 1e-2 tables 1e-1, because after scaling by the
    Frobenius norm (sqrt(k) times the largest at most) 1e-2 would fall below lo."""
    return 1e-2 if t.lo <= 1e-3 else 1e-1


class AgainstSVD(unittest.TestCase):
    def test_float64_within_certificate(self):
        # In float64 the error is the certificate (exact arithmetic) plus
        # rounding.  Rounding: each product errs by about k u (u = 1.1e-16,
        # k <= 64); the first steps amplify what it does to the X/Y invariant
        # by at most ~1e3 (measured in float, where it shows: 5.6e-5 / 6e-8,
        # docs/runtime.md), and the SVD reference errs by u ||G|| / s_min
        # relative, 1e-14 here: 64 * 1.1e-16 * 1e3 + 1e-14 < 1e-10.
        gen = torch.Generator().manual_seed(1)
        for t in every_table():
            for rows, cols in SHAPES:
                for c in (3.7, 2.5e-4, 6.0e5):
                    G, U, s, V = prescribed(rows, cols, spectrum_floor(t), c, gen)
                    k = min(rows, cols)
                    self.assertGreaterEqual(float(s[0] / torch.linalg.norm(G)), t.lo)
                    F = spow.spectral_power(t, G)
                    ref = svd_power(G, t.p)
                    tol = t.max_rel_err + 1e-10
                    self.assertLessEqual(rel_fro(F, ref), tol, (t.name, rows, cols, c))
                    # per singular value: |u_i^T F v_i / s_i^p - 1|, the
                    # quantity the certificate bounds
                    d = torch.diagonal(U[0].mT @ F @ V[0]) / s.pow(float(t.p))
                    self.assertLessEqual(float((d - 1).abs().max()), tol, t.name)
                    self.assertEqual(k, d.numel())

    def test_float32(self):
        # Float32 adds to the certificate the rounding of 24-bit products
        # amplified by the first steps: the runtime measured at most 5.6e-5
        # (docs/runtime.md, 512x256, every lo = 1e-3 table); 1e-4 leaves room
        # for another summation order.
        # f64_steps = steps runs everything in double: then only the final
        # rounding to float (2^-24 per entry) is added to the certificate.
        gen = torch.Generator().manual_seed(2)
        for t in every_table():
            for rows, cols in SHAPES:
                G = prescribed(rows, cols, spectrum_floor(t), 1.3, gen)[0].float()
                ref = svd_power(G.double(), t.p)
                F = spow.spectral_power(t, G)
                self.assertEqual(F.dtype, torch.float32)
                self.assertLessEqual(rel_fro(F, ref), t.max_rel_err + 1e-4, t.name)
                F = spow.spectral_power(t, G, f64_steps=len(t.steps))
                self.assertLessEqual(rel_fro(F, ref), t.max_rel_err + 2.0 ** -23, t.name)

    def test_bfloat16_computed_in_float32(self):
        # bf16 in, float32 steps, bf16 out: the output rounding (2^-9 relative
        # per entry) on top of the float32 error (1e-4 above).
        gen = torch.Generator().manual_seed(3)
        for t in every_table():
            G = prescribed(40, 32, spectrum_floor(t), 1.0, gen)[0].bfloat16()
            F = spow.spectral_power(t, G, compute_dtype=torch.float32)
            self.assertEqual(F.dtype, torch.bfloat16)
            self.assertLessEqual(rel_fro(F, svd_power(G.double(), t.p)),
                                 t.max_rel_err + 2.0 ** -9 + 1e-4, t.name)

    def test_bfloat16_arithmetic_with_the_bf16_tables(self):
        # Every product rounded to bf16 (2^-9): measured with
        # bench/python/bf16_error.py (128..256, 3 seeds, singular values in
        # range) between 4.8e-3 and 2.5e-2 (p = -1/8), docs/python.md.  The
        # bound, 5e-2, is twice the worst measured; a table that is not fit
        # for bf16 (the shipped lo = 1e-3 ones) gives Inf, NaN or errors
        # above 1 on these inputs.
        gen = torch.Generator().manual_seed(6)
        tables = spow.shipped_tables(bf16=True)
        self.assertEqual(len(tables), 12)
        for t in tables:
            self.assertEqual(spow.load_table(t.p, 1e-2, bf16=True).name, t.name)
            for rows, cols in ((96, 64), (64, 96)):
                G = prescribed(rows, cols, 1e-1, 1.0, gen)[0].bfloat16()
                F = spow.spectral_power(t, G)
                self.assertEqual(F.dtype, torch.bfloat16)
                self.assertLessEqual(rel_fro(F, svd_power(G.double(), t.p)), 5e-2, t.name)

    def test_default_scale_near_sigma_max(self):
        # A Gaussian matrix: ||G||_F is ~sqrt(n)/2 sigma_max, the runtime's
        # default Gram bound ||(G^T G)^2||_F^(1/4) stays within 2x of it
        # (Marchenko-Pastur: about 1.6x at this size), and the Gram-scaled
        # apply is as accurate as Frobenius on singular values both cover.
        gen = torch.Generator().manual_seed(7)
        G = torch.randn(256, 256, generator=gen, dtype=torch.float64)
        t = spow.load_table("1/2")
        smax = float(torch.linalg.matrix_norm(G, ord=2))
        st, stf = {}, {}
        F = spow.spectral_power(t, G, stats=st)
        spow.spectral_power(t, G, stats=stf, scaling="frobenius")
        self.assertLessEqual(float(st["norm"]), 2.0 * smax)
        self.assertGreaterEqual(float(st["norm"]), smax)
        self.assertGreater(float(stf["norm"]), 4.0 * smax)
        U, S, Vh = torch.linalg.svd(G)
        # per singular value inside the certified interval [lo c, c]
        keep = S >= t.lo * float(st["norm"]) * 1.01
        d = torch.einsum("ij,jk,ki->i", U.mT, F, Vh.mT)
        err = ((d / S.pow(float(t.p)) - 1).abs()[keep]).max()
        self.assertLessEqual(float(err), t.max_rel_err + 1e-9)

    def test_normalized_and_scale_invariance(self):
        gen = torch.Generator().manual_seed(4)
        t = spow.load_table("-1/4")
        G = prescribed(30, 20, 1e-2, 7.0, gen)[0]
        st = {}
        F = spow.spectral_power(t, G, stats=st)
        Fn = spow.spectral_power(t, G, normalized=True)
        c = float(st["norm"])
        # the default scale is a Gram bound: between sigma_max and ||G||_F
        smax = float(torch.linalg.matrix_norm(G, ord=2))
        self.assertLessEqual(smax, c)
        self.assertLessEqual(c, float(torch.linalg.norm(G)) * (1 + 1e-14))
        stf = {}
        spow.spectral_power(t, G, stats=stf, scaling="frobenius")
        self.assertAlmostEqual(float(stf["norm"]), float(torch.linalg.norm(G)),
                               delta=1e-14 * float(stf["norm"]))
        self.assertLessEqual(rel_fro(Fn * c ** float(t.p), F), 1e-14)
        # normalized output depends on G / c only
        self.assertLessEqual(rel_fro(spow.spectral_power(t, G * 1024.0, normalized=True), Fn),
                             1e-14)


class Shapes(unittest.TestCase):
    def test_batched_equals_one_by_one(self):
        gen = torch.Generator().manual_seed(5)
        t = spow.load_table("1/3")
        for rows, cols in ((12, 9), (9, 12), (1, 7), (7, 1), (1, 1)):
            G = torch.randn(2, 3, rows, cols, dtype=torch.float64, generator=gen)
            F = spow.spectral_power(t, G)
            self.assertEqual(F.shape, G.shape)
            for i in range(2):
                for j in range(3):
                    one = spow.spectral_power(t, G[i, j])
                    # the same operations on one matrix; batched GEMMs may
                    # order sums differently: a few ulps
                    self.assertLessEqual(rel_fro(F[i, j], one), 1e-13, (rows, cols))
            self.assertLessEqual(rel_fro(F.reshape(-1, rows, cols),
                                         svd_power(G.reshape(-1, rows, cols), t.p)),
                                 t.max_rel_err + 1e-10)

    def test_rank_one_1xn(self):
        # a 1 x n matrix has the one singular value ||g||: U S^p V^T = g ||g||^(p-1)
        g = torch.tensor([[3.0, -4.0, 0.0, 12.0]], dtype=torch.float64)
        for t in every_table():
            F = spow.spectral_power(t, g)
            want = g * 13.0 ** (float(t.p) - 1)
            self.assertLessEqual(rel_fro(F, want), t.max_rel_err + 1e-12, t.name)

    def test_zero_matrix_and_empty_batch(self):
        t = spow.load_table(0)
        G = torch.zeros(2, 5, 4)
        G[1, 0, 0] = 2.0
        F = spow.spectral_power(t, G)
        self.assertTrue(bool((F[0] == 0).all()))
        self.assertAlmostEqual(float(F[1, 0, 0]), 1.0, delta=1e-6)
        self.assertEqual(spow.spectral_power(t, torch.zeros(0, 3, 3)).shape, (0, 3, 3))

    def test_product_count_is_the_tables(self):
        # no matrix_power or extra product beyond the cost model
        for t in every_table():
            for shape in ((6, 4), (4, 6)):
                st = {}
                spow.spectral_power(t, torch.randn(*shape, dtype=torch.float64), stats=st)
                self.assertEqual(st["gemms"], t.gemms, (t.name, shape))


class BadInput(unittest.TestCase):
    def test_nonfinite_names_the_batch_index(self):
        t = spow.load_table("1/2")
        for bad in (float("nan"), float("inf"), -float("inf")):
            G = torch.randn(2, 3, 5, 4)
            G[1, 2, 3, 0] = bad
            with self.assertRaisesRegex(ValueError, r"batch index \(1, 2\)"):
                spow.spectral_power(t, G)
        with self.assertRaisesRegex(ValueError, "NaN or Inf"):
            spow.spectral_power(t, torch.full((3, 3), float("nan")))

    def test_bad_arguments(self):
        t = spow.load_table("1/2")
        G = torch.randn(4, 3)
        bad = [
            dict(table=None, G=G),
            dict(table="1/2", G=G),
            dict(table=t, G=G.numpy()),
            dict(table=t, G=torch.randn(5)),
            dict(table=t, G=torch.zeros(0, 3)),
            dict(table=t, G=torch.zeros(3, 0)),
            dict(table=t, G=torch.ones(3, 3, dtype=torch.int64)),
            dict(table=t, G=torch.ones(3, 3, dtype=torch.float16)),
            dict(table=t, G=G, f64_steps=-1),
            dict(table=t, G=G, f64_steps=1.5),
            dict(table=t, G=G, compute_dtype=torch.int32),
            dict(table=t, G=G, scaling="spectral"),
            dict(table=t, G=G, stats=[]),
            dict(table=t, G=G.bfloat16()),  # a table not fitted for bf16 steps
            dict(table=t, G=G, compute_dtype=torch.bfloat16),
        ]
        for kw in bad:
            with self.assertRaises(ValueError, msg=repr(kw)):
                spow.spectral_power(kw.pop("table"), kw.pop("G"), **kw)

    def test_input_untouched(self):
        t = spow.load_table("1/2")
        G = torch.randn(6, 5)
        G0 = G.clone()
        spow.spectral_power(t, G)
        self.assertTrue(torch.equal(G, G0))


if __name__ == "__main__":
    unittest.main()
