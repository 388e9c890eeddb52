#!/usr/bin/python3
"""make_sastre_fixture.py -- a coupled table whose steps carry Sastre forms,
for the runtime and Python tests, until spow-gen writes such tables itself
(then this script and its output give way to spow-gen's).  The format is
the one spow.h's spow_step (scheme, form_k, form_sign, form_shift, form) and
python/spow/tables.py read.

    build/gen/spow-gen --p 1/2 --lo 1e-3 --hi 1.001 --degree 8,12,12 --format json -o T.json
    /usr/bin/python3 tests/data/make_sastre_fixture.py T.json tests/data/sastre_p1_2

writes sastre_p1_2.json and sastre_p1_2.c (a spow_table named
tu_sastre_p1_2).  Every step of degree 8, 12 or 16 gets the real Sastre form
tools/sastre_plan.py finds for it (its sastre_form: the shift in SHIFTS and
the starts below, seed fixed, so the output is reproducible), and its gemms
drop by one, the form's saving; the table's gemms is their sum.

As the contract has it, the steps' ps, cheb and mono are then the exact
polynomial of the form's doubles (Fractions), each rounded to double once, so
that the table applied by Paterson-Stockmeyer and by the forms evaluates one
polynomial.  What spow-gen will do and this script does not: certify that
polynomial.  max_rel_err and the other certificates stay the fitted table's;
the forms are Newton-polished (on the exact residual) to the fitted g, and
the script bounds |g_form(u) - g_fit(u)| on u in [-1, 1] exactly by the sum
of the absolute coefficients of the difference, divided by min |g_fit| on
[-1, 1] (a dense grid): "form_rel_diff" in the JSON, about 1e-12 (the
rounding of the form's coefficients to double), which moves x_K by a few
times that, far below the certificates (1e-7) the tests measure against.
It refuses a form more than 1e-10 from the fitted g.
"""
import json
import os
import sys
from fractions import Fraction

import numpy as np
from numpy.polynomial import Polynomial

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import sastre_plan as S  # noqa: E402

STARTS = 12
SEED = 1
MAX_REL_DIFF = 1e-10


def cheb_exact(cheb):
    """sum cheb[i] T_i(u) in monomials of u, exactly."""
    t0, t1 = Polynomial([Fraction(1)]), Polynomial([Fraction(0), Fraction(1)])
    out = Polynomial([Fraction(0)])
    two_u = Polynomial([Fraction(0), Fraction(2)])
    for c in cheb:
        out = out + Fraction(c) * t0
        t0, t1 = t1, two_u * t1 - t0
    return out


def refine(ev, form):
    """The form's parameters polished by Newton steps on the exact residual
    (the solver stops at 1e-12 relative): the coefficients of u^(k+1) ..
    u^(4k) of the form's polynomial, from its doubles (Fractions), minus the
    table's, then the free terms l again from what is left.  A few steps
    bring the residual down to the rounding of the parameters to double."""
    k, v, sign, low, shift = form
    # the exact target: the table's g in u, shifted, from its doubles
    g_u = cheb_exact(ev["cheb"])
    target = list(S.in_t(g_u, Fraction(1), Fraction(float(shift))))
    target += [Fraction(0)] * (4 * k + 1 - len(target))
    v = np.array(v, dtype=float)
    for _ in range(4):
        prod = S.sastre_value(k, S.exact(v), Fraction(sign), [Fraction(0)] * (k + 1),
                              S.U_EXACT, S.as_is).coef
        prod = list(prod) + [Fraction(0)] * (4 * k + 1 - len(prod))
        r = np.array([float(prod[i] - target[i]) for i in range(k + 1, 4 * k + 1)])
        _, J = S.residual_and_jacobian(k, v, sign, np.zeros(4 * k + 1))
        v = v - np.linalg.solve(J, r)
    prod = S.sastre_value(k, S.exact(v), Fraction(sign), [Fraction(0)] * (k + 1),
                          S.U_EXACT, S.as_is).coef
    low = [float(target[i] - prod[i]) for i in range(k + 1)]
    return (k, v, sign, np.array(low), shift)


def poly_to_cheb(p):
    """Chebyshev coefficients of the power series p (Fractions), exactly."""
    p = list(p)
    out = [Fraction(0)] * len(p)
    for i in range(len(p) - 1, -1, -1):
        ti = cheb_exact([0] * i + [1]).coef
        out[i] = p[i] / ti[i]
        for j in range(i + 1):
            p[j] -= out[i] * ti[j]
    return out


def poly_divmod(p, q):
    """(quotient, remainder) of power series p by q, exactly."""
    p, quo = list(p), [Fraction(0)] * max(1, len(p) - len(q) + 1)
    for i in range(len(p) - len(q), -1, -1):
        quo[i] = p[i + len(q) - 1] / q[-1]
        for j, c in enumerate(q):
            p[i + j] -= quo[i] * c
    return quo, p[:len(q) - 1]


def set_bases(ev, mono, form):
    """The step's ps, cheb and mono (t) from the form's exact polynomial,
    each rounded to double once, as the contract has spow-gen write them."""
    k, v, sign, low, shift = form
    g_u = list(S.in_t(S.sastre_exact(k, v, sign, low), Fraction(1), -Fraction(float(shift))))
    baby, blocks = ev["baby"], ev["blocks"]
    t_baby = cheb_exact([0] * baby + [1]).coef
    ps, q = [], g_u
    for _ in range(blocks - 1):
        q, rem = poly_divmod(q, t_baby)
        b = poly_to_cheb(rem + [Fraction(0)] * (baby - len(rem)))
        ps += b + [Fraction(0)] * (baby + 1 - len(b))
    top = poly_to_cheb(q)
    ps += top + [Fraction(0)] * (baby + 1 - len(top))
    ev["ps"] = [float(c) for c in ps]
    ev["cheb"] = [float(c) for c in poly_to_cheb(g_u)]
    in_t = S.in_t(Polynomial(g_u), Fraction(ev["alpha"]), Fraction(ev["beta"]))
    mono[:] = [float(c) for c in in_t]


def rel_diff(ev, form):
    """max |g_form - g_table| / min |g_table| over u in [-1, 1] (see above)."""
    k, v, sign, low, shift = form
    f_w = S.sastre_exact(k, v, sign, low)
    f_u = Polynomial(S.in_t(f_w, Fraction(1), -Fraction(float(shift))))
    g_u = cheb_exact(ev["cheb"])
    n = max(len(f_u.coef), len(g_u.coef))
    diff = [(f_u.coef[i] if i < len(f_u.coef) else 0) - (g_u.coef[i] if i < len(g_u.coef) else 0)
            for i in range(n)]
    bound = float(sum(abs(c) for c in diff))
    u = np.linspace(-1.0, 1.0, 20001)
    gmin = float(np.min(np.abs(np.polynomial.chebyshev.chebval(u, ev["cheb"]))))
    return bound / gmin


def form_list(form):
    """The contract's order: a_1..a_k, b_1..b_k, c_2..c_k, e, l_0..l_k."""
    k, v, sign, low, shift = form
    return [float(x) for x in v] + [float(x) for x in low]


def c_double(x):
    return "0.0" if x == 0 else float(x).hex()


def c_array(name, xs):
    body = ", ".join(c_double(x) for x in xs)
    return f"static const double {name}[{len(xs)}] = {{ {body} }};\n"


def write_c(path, d, name):
    ev = d["evaluation"]
    out = [f"/* {name} -- the Sastre test fixture, written by tests/data/make_sastre_fixture.py\n"
           f" * from: {d['command']}\n"
           f" * (replaced by spow-gen output once the generator writes Sastre forms).\n"
           f" * ps/cheb/mono: the forms' exact polynomials rounded to double; the\n"
           f" * certificates: the fitted table's, whose g the forms match to the\n"
           f" * relative differences in the JSON's form_rel_diff. */\n",
           '#include "spow.h"\n\n']
    for k, e in enumerate(ev):
        out.append(c_array(f"ps{k}", e["ps"]))
        out.append(c_array(f"cheb{k}", e["cheb"]))
        out.append(c_array(f"mono{k}", d["coefficients"][k]))
        if e.get("scheme") == "sastre":
            out.append(c_array(f"form{k}", e["form"]))
    out.append(f"\nstatic const spow_step steps[{len(ev)}] = {{\n")
    for k, e in enumerate(ev):
        y = d["y_intervals"][k]
        tail = (f", SPOW_SCHEME_SASTRE, {e['k']}, {e['sign']}, {c_double(e['shift'])}, form{k}"
                if e.get("scheme") == "sastre" else "")
        out.append(f"    {{ {e['degree']}, {e['baby']}, {e['blocks']}, {c_double(e['t_lo'])}, "
                   f"{c_double(e['t_hi'])}, {c_double(e['alpha'])}, {c_double(e['beta'])},\n"
                   f"      ps{k}, cheb{k}, mono{k}, {d['step_gemms'][k]}, "
                   f"{c_double(d['step_errors'][k])}, {c_double(y[0])}, {c_double(y[1])}"
                   f"{tail} }},\n")
    out.append("};\n\n")
    out.append(f"const spow_table {name} = {{\n"
               f"    SPOW_TABLE_VERSION, \"{d['name']}\", \"coupled\",\n"
               f"    {d['p_num']}, {d['p_den']}, {c_double(d['lo'])}, {c_double(d['hi'])},\n"
               f"    {d['y_power']}, {d['x_power']}, {d['steps']}, steps,\n"
               f"    {c_double(d['max_rel_err'])}, {c_double(d['max_rel_err_f32'])}, "
               f"{d['gemms']},\n"
               f"    \"{d['command']}\"\n}};\n")
    with open(path, "w") as f:
        f.write("".join(out))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    src, prefix = sys.argv[1], sys.argv[2]
    d = S.load_coupled(src, "make_sastre_fixture.py")
    rng = np.random.default_rng(SEED)
    for i, ev in enumerate(d["evaluation"]):
        if ev["degree"] not in (8, 12, 16):
            continue
        form = S.sastre_form(ev, STARTS, rng)
        if form is None:
            sys.exit(f"step {i + 1}: no real form found")
        form = refine(ev, form)
        diff = rel_diff(ev, form)
        print(f"step {i + 1}: degree {ev['degree']}, shift {form[4]:+.2f}, sign {form[2]:+.0f}, "
              f"largest coefficient {np.max(np.abs(form_list(form))):.3g}, "
              f"|g_form - g_table| / |g_table| <= {diff:.3g}")
        if not diff <= MAX_REL_DIFF:
            sys.exit(f"step {i + 1}: the form is {diff:.3g} from the table's g (> {MAX_REL_DIFF})")
        set_bases(ev, d["coefficients"][i], form)
        ev.update({"scheme": "sastre", "k": form[0], "sign": int(form[2]),
                   "shift": float(form[4]), "form": form_list(form), "form_rel_diff": diff})
        d["step_gemms"][i] -= 1
    d["gemms"] = sum(d["step_gemms"])
    d["name"] += "_sastre"
    with open(prefix + ".json", "w") as f:
        json.dump(d, f, indent=1)
        f.write("\n")
    write_c(prefix + ".c", d, "tu_" + os.path.basename(prefix))
    print(f"wrote {prefix}.json and {prefix}.c: {d['gemms']} GEMMs")


if __name__ == "__main__":
    main()
