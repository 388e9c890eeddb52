#!/usr/bin/env python3
"""Seed inputs of the table fuzz target (fuzz_table.c) that reach coupled
tables whose steps carry a product form (Sastre's or the nested one): the
first byte 0 selects the coupled layout, whose byte order this script follows
(flags, p_num, p_den, steps, then per step: its flags, degree, baby and 20
Paterson-Stockmeyer coefficients; the matrix and the options), then the bytes
form_step() reads per step after the options (scheme byte; for a form the
shift, its coefficients, the rule to keep or break and its detail).  Writes
each seed under its SHA-1, as libFuzzer names files:
    tests/fuzz/table_form_seeds.py tests/fuzz/corpus/table
Regenerate when fuzz_table.c's byte layout changes (the expected outcome of
each seed is in its name; -DFUZZ_TABLE_TRACE prints what a seed reaches)."""
import hashlib, os, sys
out = sys.argv[1]

def ps_step(degree=4, baby=2):
    # sf 0: alpha 2, beta -1, ps from 20 (5, v) pairs (v / 64; ps[0] += 1)
    return [0, degree, baby] + [5, 0] * 20

def sastre(k=2, sign=1, shift=0, brk=0, how=0):
    fb = 1 + 4 * (k - 2) + (64 if sign < 0 else 0)
    coef = [3, -2, 1, 2, -1, 1, 2, 32, 1, -1, 2, 1, -2, 1, 2, -1, 1][:4 * k + 1]
    return [fb, shift & 255] + [c & 255 for c in coef] + [brk, how]

def nested(sign=1, shift=0, brk=0, how=0):
    fb = 2 + (64 if sign < 0 else 0)
    # a_1 a_2 b_1 b_2 c_2 e d_0 d_1 d_2 f_0 f_1 f_2 h_0 h_1 l_0 l_1 l_2, in 1/32
    coef = [2, -1, 3, 1, -2, 1, 1, -3, 2, 1, 2, -1, 1, 2, 32, -2, 1]
    return [fb, shift & 255] + [c & 255 for c in coef] + [brk, how]

def table(forms, p=(1, 2), steps=2, rows=4, cols=3, f64=1, ob=0):
    forms = list(forms) + [[0]] * (4 - len(forms))
    d = [0, 6, p[0] & 255, 6, p[1] & 255, steps + 1]
    for f in forms:
        d += ps_step(baby=4 if f[0] % 4 in (1, 2) else 2)
    d += [rows - 1, cols - 1]
    d += [((7 * i + 3) % 29 - 14) & 255 for i in range(rows * cols)]
    d += [f64, 6, 1, 6, 3, 5, 1, ob]
    for f in forms:
        d += f
    return bytes(d)

# ob: scale (ob % 4: default, Frobenius, GRAM2, GRAM4), bits 2-4 = 7 the
# small side.  Accepted: a Sastre then a nested step, a nested step first
# (sign -1, a shift; its g powered for Y), two nested steps on the small
# side, p = 0, a huge but finite coefficient.  Refused: each nested rule
# broken (form_k, degree, sign, form NULL, shift, an entry, labelled
# Sastre), a Sastre step labelled nested, scheme 3.
seeds = {
 'accept_sastre_then_nested': table([sastre(), nested()]),
 'accept_nested_first_frob_wide': table([nested(sign=-1, shift=16), [0]], rows=3, cols=5, f64=0, ob=1),
 'accept_two_nested_small_side_gram2': table([nested(), nested(sign=-1, shift=-8)], f64=2, ob=2 | 7 << 2),
 'accept_nested_p0_gram4': table([nested(shift=4)], p=(0, 1), steps=1, rows=5, cols=5, ob=3),
 'accept_nested_huge_entry': table([nested(brk=15, how=7)], steps=1),
 'refuse_nested_form_k_1': table([sastre(), nested(brk=8, how=0)]),
 'refuse_nested_degree_12': table([nested(brk=9, how=1)], steps=1),
 'refuse_nested_sign_0': table([nested(brk=10, how=0)], steps=1),
 'refuse_nested_form_null': table([nested(brk=11)], steps=1, ob=7 << 2),
 'refuse_nested_shift_nan': table([nested(brk=12, how=0)], steps=1),
 'refuse_nested_l2_inf': table([nested(brk=13, how=50)], steps=1),
 'refuse_nested_as_sastre': table([nested(brk=14)], steps=1),
 'refuse_sastre_as_nested': table([sastre(brk=14), nested()]),
 'refuse_scheme_3': table([[3], nested()]),
}
for name, data in seeds.items():
    h = hashlib.sha1(data).hexdigest()
    open(os.path.join(out, h), 'wb').write(data)
    print(h, name, len(data))
