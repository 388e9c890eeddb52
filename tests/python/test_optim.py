"""MuonP and the DynMuon schedule: the update rule against an SVD reference,
param groups, batching, state_dict, the schedule's table switches, bad input."""
import copy
import math
import os
import re
import subprocess
import unittest
import warnings
from fractions import Fraction
from unittest import mock

import torch

import spow
import spow.optim
from spow_testutil import rel_fro


def svd_update(M, p):
    """U (S / ||M||_F)^p V^T in float64: MuonP's documented update."""
    U, S, Vh = torch.linalg.svd(M.double(), full_matrices=False)
    return U @ torch.diag_embed((S / torch.linalg.norm(M.double())) ** float(p)) @ Vh


class UpdateRule(unittest.TestCase):
    def test_two_steps_against_svd(self):
        # Step 1: buffer b1 = (1 - mu) g1, Nesterov input (1 - mu)(1 + mu) g1,
        # normalized: the update direction is that of g1.  Step 2: b2 = mu b1 +
        # (1 - mu) g2, input g2 + mu (b2 - g2).  W <- W (1 - lr wd) - lr
        # sqrt(rows/cols) O.  Float32 agreement: 1e-4 relative to the step,
        # the spectral power's float32 bound (test_spectral_power).
        gen = torch.Generator().manual_seed(0)
        W0 = torch.randn(24, 16, generator=gen)
        g1, g2 = torch.randn(24, 16, generator=gen), torch.randn(24, 16, generator=gen)
        lr, wd, mu = 0.02, 0.1, 0.9
        # also with the cheapest 1e-2 table (its certificate on top) and on
        # the small side in float64 (same accuracy as the rectangular form)
        variants = [(p, {}, 1e-4) for p in (0.5, Fraction(-1, 4), "1/3", 0)]
        variants += [("1/2", dict(max_err=1e-2), 1e-2 + 1e-4),
                     (0, dict(small_side=True, f64_steps=1), 1e-4)]
        for p, kw, tol in variants:
            W = W0.clone().requires_grad_(True)
            opt = spow.MuonP([W], lr=lr, p=p, momentum=mu, weight_decay=wd, **kw)
            want = W0.double()
            b = torch.zeros_like(want)
            for g in (g1, g2):
                W.grad = g.clone()
                opt.step()
                b = mu * b + (1 - mu) * g.double()
                u = g.double() + mu * (b - g.double())
                step = lr * math.sqrt(24 / 16) * svd_update(u, Fraction(str(p)) if p != 0.5 else Fraction(1, 2))
                want = want * (1 - lr * wd) - step
                self.assertLessEqual(float((W.detach().double() - want).norm() / step.norm()),
                                     tol, (p, kw))

    def test_adjust_lr_rules(self):
        gen = torch.Generator().manual_seed(1)
        g = torch.randn(8, 32, generator=gen)
        O = svd_update(g, Fraction(1, 2))
        for rule, factor in (("spectral_norm", math.sqrt(8 / 32)),
                             ("rms_norm", 0.2 * math.sqrt(32)), (None, 1.0)):
            W = torch.zeros(8, 32, requires_grad=True)
            W.grad = g.clone()
            spow.MuonP([W], lr=0.1, p=0.5, adjust_lr=rule, nesterov=False).step()
            self.assertLessEqual(rel_fro(W.detach(), -0.1 * factor * O), 1e-5, rule)

    def test_bfloat16_parameters(self):
        # bf16 parameters: by default the spectral power runs in float32 with
        # the usual tables; compute_dtype=torch.bfloat16 takes the bf16 tables,
        # which need lo >= 1e-2.  Tolerances: bf16 rounding of the parameter
        # (2^-9 relative) and the bf16 tables' measured 2.5e-2 (docs/python.md)
        gen = torch.Generator().manual_seed(5)
        g = torch.randn(16, 12, generator=gen)
        O = svd_update(g.bfloat16().float(), Fraction(1, 2))
        for kw, tol in ((dict(), 2.0 ** -8), (dict(compute_dtype=torch.bfloat16, lo=1e-2), 5e-2)):
            W = torch.zeros(16, 12, dtype=torch.bfloat16, requires_grad=True)
            W.grad = g.bfloat16()
            spow.MuonP([W], lr=0.1, p=0.5, adjust_lr=None, nesterov=False, **kw).step()
            self.assertEqual(W.dtype, torch.bfloat16)
            self.assertLessEqual(rel_fro(W.detach(), -0.1 * O), tol, kw)
        with self.assertRaisesRegex(ValueError, "covers"):
            spow.MuonP([W], lr=0.1, compute_dtype=torch.bfloat16)  # lo = 1e-3

    def test_float_p_must_be_a_shipped_value(self):
        W = torch.zeros(4, 4, requires_grad=True)
        for p in (0.3, 0.1, 1.0, float("nan"), "1/7"):
            with self.assertRaises(ValueError, msg=repr(p)):
                spow.MuonP([W], lr=0.1, p=p)
        self.assertEqual(spow.optim._resolve_p(0.2, 0), Fraction(1, 5))
        self.assertEqual(spow.optim._resolve_p(-0.125, 0), Fraction(-1, 8))

    def test_convex_toy_problem_loss_decreases(self):
        # least squares in W (convex): 300 steps of Muon^(1/2) drive the loss
        # from ~20 to below 1e-2; AdamW trains the bias in the same optimizer
        torch.manual_seed(0)
        A, X = torch.randn(64, 16), torch.randn(16, 8)
        B = A @ X + 0.5
        W = torch.zeros(16, 8, requires_grad=True)
        bias = torch.zeros(8, requires_grad=True)
        opt = spow.MuonP([dict(params=[W]), dict(params=[bias], algorithm="adamw", lr=0.05)],
                         lr=0.05, p="1/2")
        losses = []
        for _ in range(300):
            opt.zero_grad()
            loss = ((A @ W + bias - B) ** 2).mean()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        self.assertLess(losses[-1], 1e-2 * losses[0])
        self.assertLess(max(losses[-50:]), 1e-2)


class Groups(unittest.TestCase):
    def test_adamw_group_matches_torch_adamw(self):
        gen = torch.Generator().manual_seed(2)
        x0 = torch.randn(10, generator=gen)
        a = x0.clone().requires_grad_(True)
        b = x0.clone().requires_grad_(True)
        ours = spow.MuonP([dict(params=[a], algorithm="adamw")], lr=0.01,
                          betas=(0.9, 0.99), eps=1e-8, weight_decay=0.1)
        ref = torch.optim.AdamW([b], lr=0.01, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.1)
        for _ in range(5):
            g = torch.randn(10, generator=gen)
            a.grad, b.grad = g.clone(), g.clone()
            ours.step()
            ref.step()
        # same formula, same float32 operations up to their order: a few ulps
        self.assertLessEqual(float((a - b).abs().max()), 1e-6)

    def test_same_shapes_share_one_call_and_shapes_are_viewed_right(self):
        gen = torch.Generator().manual_seed(3)
        ps = [torch.randn(12, 8, generator=gen, requires_grad=True) for _ in range(3)]
        conv = torch.randn(6, 2, 3, 3, generator=gen, requires_grad=True)  # -> 6 x 18
        stack = torch.randn(4, 5, 7, generator=gen, requires_grad=True)    # 4 of 5 x 7
        for x in ps + [conv, stack]:
            x.grad = torch.randn(x.shape, generator=gen)
        before = [x.detach().clone() for x in ps + [conv, stack]]
        opt = spow.MuonP(ps + [conv, stack], lr=0.1, p=0, nesterov=False, momentum=0.0,
                         adjust_lr=None)
        calls = []
        real = spow.optim.spectral_power

        def spy(t, M, **kw):
            calls.append(tuple(M.shape))
            return real(t, M, **kw)

        with mock.patch.object(spow.optim, "spectral_power", spy):
            opt.step()
        self.assertEqual(sorted(calls), sorted([(3, 12, 8), (1, 6, 18), (4, 5, 7)]))
        for x, x0 in zip(ps + [conv, stack], before):
            want = x0.double() - 0.1 * svd_update_batched(x.grad)
            self.assertLessEqual(rel_fro(x.detach(), want), 1e-5, tuple(x.shape))

    def test_bad_groups(self):
        W = torch.zeros(4, 4, requires_grad=True)
        v = torch.zeros(4, requires_grad=True)
        with self.assertRaisesRegex(ValueError, "adamw"):
            spow.MuonP([W, v], lr=0.1)
        bad = [dict(algorithm="sgd"), dict(lr=-1.0), dict(momentum=1.0),
               dict(adjust_lr="original"), dict(nonfinite="ignore"), dict(betas=(0.9,)),
               dict(lo=1e-5), dict(small_side="yes"), dict(max_err=-1.0), dict(max_err=1e-9)]
        bad += [dict(momentum="0.9"), dict(betas=0.9)]
        for kw in bad:
            with self.assertRaises(ValueError, msg=repr(kw)):
                spow.MuonP([dict(params=[W], **kw)], lr=0.1)
        opt = spow.MuonP([W], lr=0.1)
        with self.assertRaisesRegex(ValueError, "adamw"):  # groups added later too
            opt.add_param_group(dict(params=[v]))
        self.assertEqual(len(opt.param_groups), 1)


def svd_update_batched(g):
    """p = 0 update of MuonP's matrix view of g (as optim._matrix_view)."""
    m = spow.optim._matrix_view(g)
    return torch.stack([svd_update(x, 0) for x in m]).reshape(g.shape)


class StateAndPolicy(unittest.TestCase):
    def run_steps(self, opt, params, grads):
        for g in grads:
            for x, gx in zip(params, g):
                x.grad = gx.clone()
            opt.step()

    def test_state_dict_round_trip_with_schedule_position(self):
        gen = torch.Generator().manual_seed(4)
        grads = [[torch.randn(10, 6, generator=gen), torch.randn(6, generator=gen)]
                 for _ in range(6)]
        sched = spow.DynMuon(total_steps=6, tau_ratio=0.5, width_ratio=0.1)

        def make(x0):
            xs = [t.clone().requires_grad_(True) for t in x0]
            return xs, spow.MuonP([dict(params=[xs[0]], p=sched),
                                   dict(params=[xs[1]], algorithm="adamw")],
                                  lr=0.05, weight_decay=0.01)

        x0 = [torch.randn(10, 6, generator=gen), torch.randn(6, generator=gen)]
        a, opt_a = make(x0)
        self.run_steps(opt_a, a, grads[:3])
        saved = copy.deepcopy(opt_a.state_dict())
        b, opt_b = make([t.detach() for t in a])
        opt_b.load_state_dict(saved)
        self.assertEqual(opt_b.param_groups[0]["step"], 3)
        self.run_steps(opt_a, a, grads[3:])
        self.run_steps(opt_b, b, grads[3:])
        for x, y in zip(a, b):
            self.assertTrue(torch.equal(x, y))
        self.assertEqual(opt_b.param_groups[0]["p_used"], sched(5))
        self.assertLess(sched(5), 0)  # the run did reach the negative tables

    def test_nonfinite_gradient_policy(self):
        W = torch.ones(5, 4, requires_grad=True)
        V = torch.ones(5, 4, requires_grad=True)
        opt = spow.MuonP([W, V], lr=0.1)
        W.grad = torch.ones(5, 4)
        W.grad[2, 1] = float("nan")
        V.grad = torch.eye(5, 4)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            opt.step()
        self.assertTrue(any("NaN or Inf" in str(x.message) for x in w))
        self.assertTrue(torch.equal(W, torch.ones(5, 4)))  # skipped, untouched
        self.assertNotIn("momentum_buffer", opt.state[W])
        self.assertFalse(torch.equal(V, torch.ones(5, 4)))  # the others still step
        opt = spow.MuonP([W], lr=0.1, nonfinite="raise")
        with self.assertRaisesRegex(ValueError, "NaN or Inf"):
            opt.step()


class Schedule(unittest.TestCase):
    def test_logistic_and_switch_steps(self):
        s = spow.DynMuon(total_steps=1000, p_max="1/2", p_min="-1/4", tau_ratio=0.4,
                         width_ratio=0.05)
        self.assertAlmostEqual(s.continuous(400), 0.125, places=12)  # midpoint at tau
        self.assertAlmostEqual(s.continuous(0), 0.5, places=3)
        self.assertAlmostEqual(s.continuous(10 ** 6), -0.25, places=12)
        self.assertEqual(s(0), Fraction(1, 2))
        self.assertEqual(s(999), Fraction(-1, 4))
        # the switch from grid value a to its lower neighbour b happens at the
        # first step where the logistic drops below (a + b) / 2, i.e. at
        # ceil(tau + w ln((p_max - p_min) / (m - p_min) - 1)) (or one later
        # on an exact tie, which goes to the larger p)
        sw = s.switch_steps()
        self.assertEqual([q for _, q in sw], sorted(s.grid, reverse=True))
        for (_, a), (step, b) in zip(sw, sw[1:]):
            m = (float(a) + float(b)) / 2
            x = 400 + 50 * math.log(0.75 / (m + 0.25) - 1)
            self.assertIn(step, (math.ceil(x), math.ceil(x) + 1), (a, b))

    def test_optimizer_uses_the_scheduled_table_each_step(self):
        s = spow.DynMuon(total_steps=40, tau_ratio=0.5, width_ratio=0.08)
        W = torch.zeros(6, 4, requires_grad=True)
        opt = spow.MuonP([W], lr=0.01, p=s)
        used = []
        real = spow.optim.load_table

        def spy(q, lo=1e-3, **kw):
            used.append(q)
            return real(q, lo, **kw)

        with mock.patch.object(spow.optim, "load_table", spy):
            for _ in range(40):
                W.grad = torch.randn(6, 4)
                opt.step()
        self.assertEqual(used, [s(k) for k in range(40)])
        self.assertEqual(len(set(used)), len(s.grid))

    def test_c_example_switches_tables_at_the_same_steps(self):
        # examples/muon_p_step/muon_p_step.c implements the schedule in C;
        # both round the logistic to the nearest shipped p in [-1/4, 1/2]
        exe = os.environ.get("SPOW_MUON_P_STEP")
        if not exe:
            self.skipTest("SPOW_MUON_P_STEP not set (ctest sets it)")
        for total in (200, 1000, 7):
            out = subprocess.run([exe, "--schedule", str(total)], check=True,
                                 capture_output=True, text=True).stdout
            got = [(int(m[1]), Fraction(int(m[2]), int(m[3])))
                   for m in re.finditer(r"step (\d+): p = (-?\d+)/(\d+)", out)]
            self.assertEqual(got, spow.DynMuon(total_steps=total).switch_steps(), total)

    def test_c_example_trains_like_muonp(self):
        # examples/muon_p_step/muon_p_step.c and spow.MuonP on the same
        # least-squares problem (the example's generator and data, rebuilt
        # here): the loss before every step agrees while p >= 0.  Both round in float32 and
        # their spectral powers differ by ~1e-6 (python.agree_c); on this
        # convex problem that stays below 5e-7 of the loss (measured), 1e-5
        # asked.  Once the schedule reaches p < 0 the momentum's smallest
        # singular values (noise as the fit converges, below the tables' lo)
        # dominate the update, where neither result is certified, and the two
        # runs drift apart (10% by step 200): not compared.
        exe = os.environ.get("SPOW_MUON_P_STEP")
        if not exe:
            self.skipTest("SPOW_MUON_P_STEP not set (ctest sets it)")
        out = subprocess.run([exe, "--trace"], check=True, capture_output=True,
                             text=True).stdout
        closs = [float(m[1]) for m in re.finditer(r"trace \d+ (\S+)", out)]
        seed = [12345]

        def uniform():  # the example's generator, rounded to float as there
            seed[0] = (seed[0] * 6364136223846793005 + 1442695040888963407) % 2 ** 64
            return (seed[0] >> 11) / 9007199254740992.0 * 2.0 - 1.0

        n, rows, cols, steps = 64, 32, 16, 200
        A = torch.tensor([uniform() for _ in range(n * rows)]).view(n, rows).double()
        B = (A @ torch.tensor([uniform() for _ in range(rows * cols)])
             .view(rows, cols).double()).float().double()
        W = torch.zeros(rows, cols, requires_grad=True)
        sched = spow.DynMuon(total_steps=steps)
        opt = spow.MuonP([W], lr=0.03, p=sched, momentum=0.95, nesterov=True)
        first_negative = next(k for k, q in sched.switch_steps() if q < 0)
        self.assertEqual(len(closs), steps)
        for k in range(first_negative):
            R = A @ W.detach().double() - B
            loss = float((R * R).sum() / n)
            self.assertLessEqual(abs(loss - closs[k]), 1e-5 * closs[k], k)
            W.grad = (2.0 * (A.mT @ R.float().double()) / n).float()
            opt.step()

    def test_bad_schedules(self):
        for kw in (dict(total_steps=0), dict(total_steps=10, width_ratio=0),
                   dict(total_steps=10, p_min="1/2", p_max="0"),
                   dict(total_steps=10, tau_ratio=float("nan")),
                   dict(total_steps=10, p_min="0.9", p_max="0.95")):
            with self.assertRaises(ValueError, msg=repr(kw)):
                spow.DynMuon(**kw)


if __name__ == "__main__":
    unittest.main()
