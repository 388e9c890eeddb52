"""Accuracy of spow.spectral_power per shipped table: against torch.linalg.svd
(float64, float32, float32 with the first step in float64) and its distance
from libspow (ctypes) on the same input.

    PYTHONPATH=python /usr/bin/python3 bench/python/accuracy.py [--lib build/runtime/libspow.so]

Matrices 40x40, 56x24, 24x56 with singular values log-spaced over [1e-2, 1] c
(lo = 1e-3 tables) or [1e-1, 1] c (lo = 1e-2 tables); the largest relative
Frobenius error over the three shapes.  The test suite asserts bounds on the
same quantities (tests/python/test_spectral_power.py, test_agree_c.py).
"""
import argparse
import os
import sys

import torch

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, os.pardir, os.pardir, "python"))
sys.path.insert(0, os.path.join(here, os.pardir, os.pardir, "tests", "python"))
import spow  # noqa: E402
from spow_ctypes import LibSpow  # noqa: E402
from spow_testutil import every_table, prescribed, rel_fro, svd_power  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lib", default=os.environ.get("SPOW_LIBRARY", "build/runtime/libspow.so"))
    lib = LibSpow(ap.parse_args().lib)
    gen = torch.Generator().manual_seed(0)
    print("| table | cert | f64 vs SVD | f32 vs SVD | f32, f64_steps=1 | "
          "f64 vs libspow | f32 vs libspow |")
    print("|---|---|---|---|---|---|---|")
    for t in every_table():
        e = [0.0] * 5
        for rows, cols in ((40, 40), (56, 24), (24, 56)):
            G = prescribed(rows, cols, 1e-2 if t.lo <= 1e-3 else 1e-1, 2.0, gen)[0]
            G32 = G.float()
            ref, ref32 = svd_power(G, t.p), svd_power(G32.double(), t.p)
            F64, F32 = spow.spectral_power(t, G), spow.spectral_power(t, G32)
            row = [rel_fro(F64, ref), rel_fro(F32, ref32),
                   rel_fro(spow.spectral_power(t, G32, f64_steps=1), ref32),
                   rel_fro(F64, lib.apply(t.name, G, scale="default")[0]),
                   rel_fro(F32, lib.apply(t.name, G32, scale="default")[0])]
            e = [max(a, b) for a, b in zip(e, row)]
        print(f"| {t.name} | {t.max_rel_err:.1e} | " + " | ".join(f"{x:.1e}" for x in e) + " |",
              flush=True)


if __name__ == "__main__":
    main()
