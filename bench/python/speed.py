"""spow.spectral_power (PyTorch) against torch.linalg.svd-based U S^p V^T and
against libspow (ctypes) on the same matrix, interleaved in one run.

    PYTHONPATH=python /usr/bin/python3 bench/python/speed.py \\
        --lib build/runtime/libspow.so [--size 1024] [--p 1/2] [--repeats 7]

Float32, the shipped table for p (lo = 1e-3).  The matrix is G = 3 Q1 diag(s) Q2^T
with a power-law spectrum whose normalized singular values reach down to 2e-3
(as spow-bench's test matrices).  Every repeat runs the three methods in a
rotating order; medians are reported, with each method's relative Frobenius
error against a float64 SVD of the same float32 matrix.  Not a test.
"""
import argparse
import math
import os
import statistics
import sys
import time

import torch

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, os.pardir, os.pardir, "python"))
sys.path.insert(0, os.path.join(here, os.pardir, os.pardir, "tests", "python"))
import spow  # noqa: E402
from spow_ctypes import LibSpow  # noqa: E402


def test_matrix(n, gen):
    q1, _ = torch.linalg.qr(torch.randn(n, n, dtype=torch.float64, generator=gen))
    q2, _ = torch.linalg.qr(torch.randn(n, n, dtype=torch.float64, generator=gen))
    i = torch.arange(n, dtype=torch.float64)
    # alpha so that the smallest normalized singular value is 2e-3
    lo, hi = 0.0, 4.0
    for _ in range(60):
        a = (lo + hi) / 2
        s = (i + 1) ** -a
        if float(s[-1] / s.norm()) > 2e-3:
            lo = a
        else:
            hi = a
    return (3.0 * (q1 * s) @ q2.mT).float()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lib", default=os.environ.get("SPOW_LIBRARY", "build/runtime/libspow.so"))
    ap.add_argument("--size", type=int, default=1024)
    ap.add_argument("--p", default="1/2")
    ap.add_argument("--repeats", type=int, default=7)
    a = ap.parse_args()
    t = spow.load_table(a.p)
    lib = LibSpow(a.lib)
    G = test_matrix(a.size, torch.Generator().manual_seed(0))
    p = float(t.p)

    def svd_route():
        U, S, Vh = torch.linalg.svd(G, full_matrices=False)
        return (U * S.pow(p)) @ Vh

    methods = {
        "spow.spectral_power": lambda: spow.spectral_power(t, G),
        "torch.linalg.svd route": svd_route,
        "libspow (ctypes)": lambda: lib.apply(t.name, G)[0],
    }
    U, S, Vh = torch.linalg.svd(G.double(), full_matrices=False)
    ref = (U * S.pow(p)) @ Vh
    times = {k: [] for k in methods}
    names = list(methods)
    err = {k: float((methods[k]().double() - ref).norm() / ref.norm()) for k in names}
    for r in range(a.repeats):
        for k in names[r % 3:] + names[:r % 3]:
            t0 = time.perf_counter()
            methods[k]()
            times[k].append(time.perf_counter() - t0)
    base = statistics.median(times["libspow (ctypes)"])
    print(f"float32 {a.size}x{a.size}, p = {t.p} ({t.name}, {t.gemms} GEMMs), "
          f"{a.repeats} repeats, torch {torch.__version__}, torch threads "
          f"{torch.get_num_threads()}, OPENBLAS_NUM_THREADS="
          f"{os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    print(f"| method | median ms | min ms | x libspow | rel. Frobenius error |")
    print(f"|---|---|---|---|---|")
    for k in names:
        m = statistics.median(times[k])
        print(f"| {k} | {1e3 * m:.1f} | {1e3 * min(times[k]):.1f} | {m / base:.2f} | "
              f"{err[k]:.2e} |")


if __name__ == "__main__":
    main()
