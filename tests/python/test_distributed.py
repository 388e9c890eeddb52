"""MuonP under torch.distributed: 2 processes (gloo on 127.0.0.1) end with the
parameters of a single-process run, and each rank computes only its share.

A hang anywhere (a rendezvous that never completes, a collective one rank
never joins) must become a failure that says where, well inside ctest's
300 s: the process group times out after PG_TIMEOUT, each worker dumps its
stack and exits after WORKER_DEADLINE, and the parent stops waiting after
JOIN_DEADLINE.  Gloo is pinned to the loopback interface (GLOO_SOCKET_IFNAME)
so that it never depends on what the machine's hostname resolves to."""
import datetime
import faulthandler
import os
import socket
import tempfile
import time
import unittest
from unittest import mock

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

import spow
import spow.optim

STEPS = 5
PG_TIMEOUT = datetime.timedelta(seconds=60)
WORKER_DEADLINE = 120
JOIN_DEADLINE = 180


def make_model():
    torch.manual_seed(0)
    # three 16 x 16 layers: one batch of 3 matrices, shared 2 + 1 by 2 ranks
    return torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.Tanh(),
                               torch.nn.Linear(16, 16), torch.nn.Tanh(),
                               torch.nn.Linear(16, 16), torch.nn.Tanh(),
                               torch.nn.Linear(16, 16), torch.nn.Tanh(),
                               torch.nn.Linear(16, 1))


def make_optimizer(model):
    mats = [p for p in model.parameters() if p.dim() == 2 and p.shape != (1, 16)]
    rest = [p for p in model.parameters() if all(p is not m for m in mats)]
    sched = spow.DynMuon(total_steps=STEPS, tau_ratio=0.5, width_ratio=0.2)
    return spow.MuonP([dict(params=mats, p=sched),
                       dict(params=rest, algorithm="adamw", lr=1e-2)],
                      lr=0.02, weight_decay=0.01)


def data():
    g = torch.Generator().manual_seed(1)
    x = torch.randn(32, 8, generator=g)
    return x, torch.sin(x.sum(dim=1, keepdim=True))


def train(model, opt, x, y, world=1):
    for _ in range(STEPS):
        opt.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        if world > 1:  # the mean of the ranks' gradients, as DDP would form it
            for p in model.parameters():
                dist.all_reduce(p.grad)
                p.grad /= world
        opt.step()


def worker(rank, world, port, outdir):
    faulthandler.dump_traceback_later(WORKER_DEADLINE, exit=True)
    # two ranks on two cores: one thread each, as torchrun would set
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}",
                            rank=rank, world_size=world, timeout=PG_TIMEOUT)
    try:
        model = make_model()
        opt = make_optimizer(model)
        shares = []
        real = spow.optim.spectral_power

        def spy(t, M, **kw):
            shares.append(M.shape[0])
            return real(t, M, **kw)

        spow.optim.spectral_power = spy
        x, y = data()
        half = x.shape[0] // world
        train(model, opt, x[rank * half:(rank + 1) * half], y[rank * half:(rank + 1) * half],
              world)
        torch.save({"params": [p.detach().clone() for p in model.parameters()],
                    "shares": shares}, os.path.join(outdir, f"rank{rank}.pt"))
        dist.barrier()  # no rank tears the group down while another still uses it
    finally:
        dist.destroy_process_group()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TwoProcesses(unittest.TestCase):
    def test_two_ranks_match_one_process(self):
        model = make_model()
        opt = make_optimizer(model)
        x, y = data()
        train(model, opt, x, y)
        single = [p.detach() for p in model.parameters()]

        with tempfile.TemporaryDirectory() as d, \
                mock.patch.dict(os.environ, GLOO_SOCKET_IFNAME="lo"):  # the workers inherit it
            ctx = mp.spawn(worker, args=(2, free_port(), d), nprocs=2, join=False)
            deadline = time.monotonic() + JOIN_DEADLINE
            # join raises if a worker failed (its traceback in the message)
            while not ctx.join(timeout=1):
                if time.monotonic() > deadline:
                    for proc in ctx.processes:
                        proc.kill()
                    self.fail(f"the 2 workers did not finish in {JOIN_DEADLINE} s")
            r0 = torch.load(os.path.join(d, "rank0.pt"))
            r1 = torch.load(os.path.join(d, "rank1.pt"))
        # every rank ends with the same parameters, bit for bit: they apply
        # the same gathered updates to the same averaged gradients
        for a, b in zip(r0["params"], r1["params"]):
            self.assertTrue(torch.equal(a, b))
        # and the single-process ones to float32 tolerance: the averaged
        # half-batch gradients differ from the full-batch ones by rounding
        # (~1e-7 relative), which the normalized update passes on at the
        # same order; 1e-5 of each parameter's norm
        for a, s in zip(r0["params"], single):
            self.assertLessEqual(float((a - s).norm() / s.norm()), 1e-5)
        # the work was split: per step, the 3-matrix batch as 2 + 1 and the
        # single 16 x 8 matrix on rank 0 only
        self.assertEqual(sorted(r0["shares"]), sorted([2, 1] * STEPS))
        self.assertEqual(r1["shares"], [1] * STEPS)


if __name__ == "__main__":
    unittest.main()
