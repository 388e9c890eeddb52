"""Accuracy of spow.spectral_power per shipped table: against torch.linalg.svd
(float64, float32, float32 with the first step in float64) and its distance
from libspow (ctypes) on the same input.

    PYTHONPATH=python /usr/bin/python3 bench/python/accuracy.py [--lib build/runtime/libspow.so]
        [--table FILE.json ...] [--ps]

--table measures spow-gen JSON tables instead of the shipped ones (rows named
by file); --ps adds each table again with its product forms (Sastre, nested)
dropped: the same polynomials by Paterson-Stockmeyer, "(ps)" after the name.

Matrices 40x40, 56x24, 24x56 with singular values log-spaced over [1e-2, 1] c
(lo = 1e-3 tables) or [1e-1, 1] c (lo = 1e-2 tables); the largest relative
Frobenius error over the three shapes.  The test suite asserts bounds on the
same quantities (tests/python/test_spectral_power.py, test_agree_c.py).
"""
import argparse
import json
import os
import sys

import torch

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, os.pardir, os.pardir, "python"))
sys.path.insert(0, os.path.join(here, os.pardir, os.pardir, "tests", "python"))
import spow  # noqa: E402
from spow_ctypes import LibSpow  # noqa: E402
from spow_testutil import as_ps, every_table, prescribed, rel_fro, svd_power  # noqa: E402
from spow_testutil import table_from_dict  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lib", default=os.environ.get("SPOW_LIBRARY", "build/runtime/libspow.so"))
    ap.add_argument("--table", action="append", default=[], metavar="FILE",
                    help="a spow-gen JSON table to measure (repeatable; default: the shipped ones)")
    ap.add_argument("--ps", action="store_true",
                    help="each table also with its Sastre/nested forms dropped")
    args = ap.parse_args()
    if args.ps and not args.table:
        ap.error("--ps needs --table (the shipped tables have no product forms)")
    lib = LibSpow(args.lib)
    gen = torch.Generator().manual_seed(0)
    tables = [(t.name, t) for t in every_table()] if not args.table else []
    for path in args.table:
        with open(path) as f:
            d = json.load(f)
        base = os.path.basename(path)  # names may repeat across files
        for name, dd in [(base, d)] + ([(base + " (ps)", as_ps(d))] if args.ps else []):
            lib.add_table(name, dd)
            tables.append((name, table_from_dict(dd)))
    print("| table | cert | f64 vs SVD | f32 vs SVD | f32, f64_steps=1 | "
          "f64 vs libspow | f32 vs libspow |")
    print("|---|---|---|---|---|---|---|")
    for name, t in tables:
        e = [0.0] * 5
        for rows, cols in ((40, 40), (56, 24), (24, 56)):
            G = prescribed(rows, cols, 1e-2 if t.lo <= 1e-3 else 1e-1, 2.0, gen)[0]
            G32 = G.float()
            ref, ref32 = svd_power(G, t.p), svd_power(G32.double(), t.p)
            F64, F32 = spow.spectral_power(t, G), spow.spectral_power(t, G32)
            row = [rel_fro(F64, ref), rel_fro(F32, ref32),
                   rel_fro(spow.spectral_power(t, G32, f64_steps=1), ref32),
                   rel_fro(F64, lib.apply(name, G, scale="default")[0]),
                   rel_fro(F32, lib.apply(name, G32, scale="default")[0])]
            e = [max(a, b) for a, b in zip(e, row)]
        print(f"| {name} | {t.max_rel_err:.1e} | " + " | ".join(f"{x:.1e}" for x in e) + " |",
              flush=True)


if __name__ == "__main__":
    main()
