"""bf16 error of spow tables: spectral_power run in bfloat16 arithmetic (every
product rounded to bf16, as an accelerator's bf16 GEMM), against the float64
SVD power of the same bf16-rounded matrix.

    PYTHONPATH=python /usr/bin/python3 bench/python/bf16_error.py [TABLE.json ...]

Without arguments: every shipped table (tables/*.json, tables/bf16/*.json).
Sizes 128x128, 256x128, 128x256, 3 seeds, the largest relative Frobenius
error.  Spectra (relative to the largest singular value): "spread", k values
log-spaced over [0.1, 1] (normalized by the Frobenius norm they stay above
lo = 1e-2); "dominant", one value at 1 and the others over [0.03, 0.1] (the
largest normalized value is near 1, where bf16 rounding pushes it past hi);
"wide", log-spaced over [1e-3, 1], reaching below lo where nothing is
certified (only boundedness matters there), also run in float32 for
comparison ("f32 wide").
"""
import math
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "python"))
import spow  # noqa: E402

SIZES = ((128, 128), (256, 128), (128, 256))


def matrix(rows, cols, kind, gen):
    k = min(rows, cols)
    q1, _ = torch.linalg.qr(torch.randn(rows, k, dtype=torch.float64, generator=gen))
    q2, _ = torch.linalg.qr(torch.randn(cols, k, dtype=torch.float64, generator=gen))
    if kind == "spread":
        s = torch.logspace(0, -1, k, dtype=torch.float64)
    elif kind == "dominant":
        s = torch.cat([torch.ones(1, dtype=torch.float64),
                       torch.logspace(-1, math.log10(0.03), k - 1, dtype=torch.float64)])
    else:  # "wide": reaches below lo, where nothing is certified
        s = torch.logspace(0, -3, k, dtype=torch.float64)
    return (q1 * s) @ q2.mT


def error(t, kind, compute=torch.bfloat16):
    worst = 0.0
    for seed in range(3):
        gen = torch.Generator().manual_seed(seed)
        for rows, cols in SIZES:
            G = matrix(rows, cols, kind, gen).bfloat16()
            U, S, Vh = torch.linalg.svd(G.double(), full_matrices=False)
            exact = U @ torch.diag(S ** float(t.p)) @ Vh
            if compute == torch.bfloat16 and t.hi < spow.apply.BF16_MIN_HI:
                # spectral_power refuses these tables in bf16 (this blow-up is
                # why): the unguarded internal path measures what it prevents
                F = spow.apply._apply(t, G.unsqueeze(0), False, 0, compute, None)[0][0]
            else:
                F = spow.spectral_power(t, G, compute_dtype=compute).double()
            e = float((F - exact).norm() / exact.norm())
            worst = max(worst, e if math.isfinite(e) else math.inf)
    return worst


def main(paths):
    tables = [spow.load_table_file(p) for p in paths] if paths else \
        spow.shipped_tables() + spow.shipped_tables(bf16=True)
    print(f"{'table':34} {'lo':>6} {'hi':>6} {'GEMMs':>5} {'cert':>8} "
          f"{'spread':>9} {'dominant':>9} {'wide':>9} {'f32 wide':>9}")
    for t in tables:
        print(f"{t.name:34} {t.lo:6.0e} {t.hi:6.3f} {t.gemms:5d} {t.max_rel_err:8.1e} "
              f"{error(t, 'spread'):9.2e} {error(t, 'dominant'):9.2e} "
              f"{error(t, 'wide'):9.2e} {error(t, 'wide', torch.float32):9.2e}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
