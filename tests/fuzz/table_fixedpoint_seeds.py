#!/usr/bin/env python3
"""Seed inputs of the table fuzz target (fuzz_table.c) that reach fixed-point
tables: bit 6 of the first byte selects fixed_point_table()'s layout, whose
byte order this script follows (family, b, a, p and table perturbations,
steps, then per step: perturbation, its detail, c, baby; then the matrix and
the options).  Writes each seed under its SHA-1, as libFuzzer names files:
    tests/fuzz/table_fixedpoint_seeds.py tests/fuzz/corpus/table
Regenerate when fuzz_table.c's byte layout changes (the expected outcome of
each seed is in its name; -DFUZZ_TABLE_TRACE prints what a seed reaches)."""
import hashlib, os, sys
out = sys.argv[1]
def step(sf=0, how=0, c=('p', 0), s=0, extra=()):
    b = [sf, how]
    if c[0] == 'p': b += [4 * c[1]]          # plausible[c[1]]
    else: b += [1, c[1] & 255]               # c[1] / 32
    return b + [s] + list(extra)
def fp(b=3, a=1, pk=0, tf=0, steps=4, st=(), fam=0, rows=3, cols=3, g=None, f64=1, ob=0):
    st = list(st) + [step()] * (4 - len(st))
    d = [64, fam, (b - 3) // 2, (a - 1) // 2, pk, tf, steps + 1]
    for x in st: d += x
    d += [rows - 1, cols - 1]
    g = g or [(7 * i + 3) % 29 - 14 for i in range(rows * cols)]
    d += [x & 255 for x in g]
    d += [f64, 6, 1, 6, 3, 5, 1, ob]
    return bytes(d)
# Accepted: p = 1/3, 3/5, 1/7, 5/7, 7/9, 15/33 (degree 16), a ps entry one ulp
# off, a block's T_s moved to the next block's T_0, the fixed-point layout
# labelled coupled with coupled powers.  Refused: mono off, a Sastre step
# (also one whose form is complete), p = 2/5, gemms without X^a's products,
# ps divided from the rounded cheb in double; SPOW_SMALL_SIDE: SPOW_EINVAL.
seeds = {
 'p1_3_c066':  fp(b=3, a=1),
 'p3_5_c02_baby2': fp(b=5, a=3, steps=3, st=[step(c=('p', 1), s=1)] * 3),
 'p1_7_two_blocks': fp(b=7, a=1, st=[step(c=('p', 2), s=1)] * 4, rows=4, cols=2),
 'p5_7_baby1_wide': fp(b=7, a=5, st=[step(c=('p', 2), s=0)] * 4, rows=2, cols=5, ob=1),
 'p7_9_square_xa': fp(b=9, a=7, steps=2, st=[step(c=('v', 3), s=2)] * 2, f64=0, ob=2),
 'p15_33_deg16': fp(b=33, a=15, steps=1, st=[step(c=('v', -5), s=3)], ob=6 << 2),
 'p1_5_ps_ulp': fp(b=5, a=1, st=[step(sf=12, how=0, c=('p', 1), s=1)]),
 'p1_3_mono_off': fp(b=3, a=1, st=[step(), step(sf=11, how=4)]),
 'p3_5_sastre': fp(b=5, a=3, st=[step(sf=14, how=1, c=('p', 1), s=1)]),
 'p1_3_small_side': fp(b=3, a=1, ob=7 << 2),
 'p2_5_even': fp(b=5, a=1, pk=10, st=[step(c=('p', 1), s=1)] * 4),
 'p3_5_gemms_no_xa': fp(b=5, a=3, st=[step(sf=13, how=2, c=('p', 1), s=1)]),
 'p5_7_double_generator': fp(b=7, a=5, st=[step(sf=3, c=('p', 2), s=0)] * 4),
 'p1_17_sastre_form': fp(b=17, a=1, steps=1, st=[step(sf=14, how=1, c=('p', 0), s=3)]),
 'p1_7_block_shift': fp(b=7, a=1, st=[step(sf=12, how=5 | 64, c=('p', 2), s=1)] + [step(c=('p', 2), s=1)] * 3),
 'p3_5_labelled_coupled': fp(b=5, a=3, fam=6, tf=11, st=[step(c=('p', 1), s=1)] * 4),
}
for name, data in seeds.items():
    h = hashlib.sha1(data).hexdigest()
    open(os.path.join(out, h), 'wb').write(data)
    print(h, name, len(data))
