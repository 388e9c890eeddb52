"""The finetuning experiment's own code (python/experiments/): the released
DynMuon transform against torch.linalg.svd, its optimizer against MuonP, and
the driver end to end on generated text (CI does not install the fortune
packages the real experiment reads)."""
import json
import math
import os
import sys
import tempfile
import unittest
from fractions import Fraction

import torch

import spow

sys.path.insert(0, os.path.join(os.environ.get("SPOW_SOURCE_DIR", os.path.join(
    os.path.dirname(__file__), "..", "..")), "python", "experiments"))
import finetune  # noqa: E402
from released_dynmuon import NS_COEFFS, NS_STEPS, ReleasedDynMuon, released_transform  # noqa: E402


def matrix_with_spectrum(rows, cols, s, seed):
    g = torch.Generator().manual_seed(seed)
    U, _ = torch.linalg.qr(torch.randn(rows, rows, generator=g, dtype=torch.float64))
    V, _ = torch.linalg.qr(torch.randn(cols, cols, generator=g, dtype=torch.float64))
    r = len(s)
    return U[:, :r], V[:, :r], (U[:, :r] * s) @ V[:, :r].T


def ns5_scalar(x):
    """Muon's quintic on one singular value, in Python floats (the reference
    the matrix iteration must reproduce per singular value)."""
    a, b, c = NS_COEFFS
    for _ in range(NS_STEPS):
        x = a * x + b * x ** 3 + c * x ** 5
    return x


class ReleasedTransform(unittest.TestCase):
    # 12 x 8 and 8 x 12, float64, about 20 products of 12 x 12 at most: the
    # rounding is a few 1e-15 relative to the output's norm (about 3); 1e-12
    # leaves three orders of margin and still fails on any wrong formula
    # (the branches differ by O(1)).
    TOL = 1e-12

    def check(self, rows, cols, p, scalar_map):
        s = torch.logspace(-2, 0, min(rows, cols), dtype=torch.float64) * 5.0
        U, V, G = matrix_with_spectrum(rows, cols, s, seed=rows * 31 + cols)
        sn = s / torch.linalg.matrix_norm(G)
        want = (U * torch.tensor([scalar_map(float(x)) for x in sn],
                                 dtype=torch.float64)) @ V.T
        got = released_transform(G, p)
        err = float(torch.linalg.matrix_norm(got - want) / torch.linalg.matrix_norm(want))
        self.assertLess(err, self.TOL, f"{rows}x{cols} p={p}: {err:.3e}")

    def test_branches_against_svd(self):
        for rows, cols in ((12, 8), (8, 12), (10, 10)):
            with self.subTest(shape=(rows, cols)):
                # p >= 1/4: G itself, on the normalized scale
                self.check(rows, cols, 0.5, lambda x: x)
                self.check(rows, cols, 0.25, lambda x: x)
                # 0 <= p < 1/4: Newton-Schulz's polar factor
                self.check(rows, cols, 0.2, ns5_scalar)
                self.check(rows, cols, 0.0, ns5_scalar)
                # p < 0: O (I + pE + p(p-1)/2 E^2), E = O^T X - I, per singular
                # value f(s) * taylor(f(s) s) with f the Newton-Schulz map
                for p in (-0.25, -0.1):
                    def expand(x, p=p):
                        o = ns5_scalar(x)
                        e = o * x - 1
                        return o * (1 + p * e + p * (p - 1) / 2 * e * e)
                    self.check(rows, cols, p, expand)

    def test_batched_equals_one_by_one(self):
        g = torch.Generator().manual_seed(3)
        G = torch.randn(3, 9, 6, generator=g, dtype=torch.float64)
        for p in (0.5, 0.1, -0.25):
            each = torch.stack([released_transform(G[i], p) for i in range(3)])
            self.assertTrue(torch.allclose(released_transform(G, p), each,
                                           rtol=0, atol=1e-13), p)


class SameStepAsMuonP(unittest.TestCase):
    def test_only_the_transform_differs(self):
        """With spow's own spectral power plugged in, ReleasedDynMuon makes
        MuonP's steps (momentum, Nesterov, decay, rms_norm rule, schedule
        position): the comparison in the experiment changes the transform
        alone."""
        shapes = [(6, 4), (4, 6), (6, 4), (5, 5)]
        g = torch.Generator().manual_seed(7)
        init = [torch.randn(*s, generator=g, dtype=torch.float64) for s in shapes]
        grads = [[torch.randn(*s, generator=g, dtype=torch.float64) for s in shapes]
                 for _ in range(6)]
        sched = spow.DynMuon(total_steps=6, tau_ratio=0.5, width_ratio=0.1)
        a = [w.clone().requires_grad_() for w in init]
        b = [w.clone().requires_grad_() for w in init]
        opt_a = spow.MuonP(a, lr=0.05, p=sched, weight_decay=0.1, adjust_lr="rms_norm")

        def spow_transform(M, p):
            q = Fraction(p).limit_denominator(64)
            return spow.spectral_power(spow.load_table(q), M, normalized=True,
                                       scaling="frobenius")
        opt_b = ReleasedDynMuon(b, lr=0.05, schedule=sched, weight_decay=0.1,
                                scale=finetune.rms_norm_factor, transform=spow_transform)
        ps = set()
        for gs in grads:
            for wa, wb, gr in zip(a, b, gs):
                wa.grad = gr.clone()
                wb.grad = gr.clone()
            opt_a.step()
            opt_b.step()
            ps.add(opt_a.param_groups[0]["p_used"])
        self.assertGreater(len(ps), 1, "the schedule should switch tables")
        for wa, wb in zip(a, b):
            # same float64 operations up to the batching (cat vs stack)
            self.assertTrue(torch.allclose(wa, wb, rtol=0, atol=1e-13),
                            float((wa - wb).abs().max()))


def write_fortunes(directory, words, seed, entries=300):
    """A fortune file of generated sentences (entries separated by %)."""
    os.makedirs(directory)
    g = torch.Generator().manual_seed(seed)
    out = []
    for _ in range(entries):
        idx = torch.randint(0, len(words), (12,), generator=g).tolist()
        out.append(" ".join(words[i] for i in idx).capitalize() + ".")
    with open(os.path.join(directory, "generated"), "w") as f:
        f.write("\n%\n".join(out) + "\n%\n")


class DriverSmoke(unittest.TestCase):
    def test_quick_run_on_generated_text(self):
        with tempfile.TemporaryDirectory() as tmp:
            en, de = os.path.join(tmp, "en"), os.path.join(tmp, "de")
            write_fortunes(en, "the cat sat on a mat and then it ran far away".split(), 1)
            write_fortunes(de, "die katze sass auf der matte und lief dann weit fort".split(), 2)
            out = os.path.join(tmp, "out")
            summary = finetune.main([
                "--out", out, "--quick", "--workers", "1",
                "--methods", "adamw,muon,dynmuon_released",
                "--pretrain-dir", en, "--finetune-dir", de])
            start = summary["pretrain"]["german_val"]
            for m in ("adamw", "muon", "dynmuon_released"):
                s = summary["methods"][m]
                self.assertTrue(math.isfinite(s["mean"]), m)
                # 20 steps on a 12-word language: every optimizer must learn
                self.assertLess(s["mean"], start - 0.1, m)
                self.assertGreater(s["opt_ms"], 0, m)
            with open(os.path.join(out, "runs.jsonl")) as f:
                runs = [json.loads(line) for line in f]
            cfg = finetune.QUICK
            self.assertEqual(len(runs), 3 * len(cfg["lrs"]) * len(cfg["seeds"]))
            self.assertTrue(os.path.exists(os.path.join(out, "table.md")))


if __name__ == "__main__":
    unittest.main()
