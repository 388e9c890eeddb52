"""Reading the JSON tables written by ``spow-gen --format json``.

A table is validated completely before a :class:`Table` is returned, so a
caller never holds a half-loaded one: the same checks as the C runtime's
``spow_validate_table`` plus the JSON's own structure.

Two families: "coupled" (X and Y updated by powers of one g per step) and
"fixed-point" (p = a/b with a, b odd: X = G/c fixed, Y <- Y g_k(Y^T Y) +
c_k X^a with g_k(t) = 1 - c_k t^((b-1)/2); the contract is
docs/python.md, "Fixed-point tables", and spow-gen's --family fixed-point).
"""
import json
import math
import os
from fractions import Fraction

# The version of the JSON table format this package understands (the
# "version" spow-gen writes; Sastre and nested forms were added as optional
# keys, so it is still 1, while the C layout's SPOW_TABLE_VERSION in spow.h
# is 2).
TABLE_VERSION = 1
# Largest degree of g a table may use (SPOW_MAX_DEGREE).
MAX_DEGREE = 16
# The families this package applies ("family" in the JSON).
FAMILIES = ("coupled", "fixed-point")


class Step:
    """One step of a table's recurrence, in the runtime's evaluation form.

    g(A) = B_0 + T_baby(U) (B_1 + T_baby(U) (B_2 + ...)) with U = alpha A + beta I
    and B_j = sum_i ps[j (baby + 1) + i] T_i(U) (Chebyshev polynomials).

    scheme "sastre" (JSON keys "scheme", "k", "sign", "shift", "form"): the
    same g by Sastre's product form, which spectral_power evaluates instead
    (spow.h's spow_step): with k = form_k, W = U - form_shift I, P_j = W^j,
    y0 = P_k sum_j a_j P_j, f1 = y0 + sum_j b_j P_j,
    f2 = form_sign y0 + sum_{j>=2} c_j P_j and
    g = f1 f2 + e y0 + sum_j l_j P_j, form = (a_1..a_k, b_1..b_k, c_2..c_k,
    e, l_0..l_k).  scheme "nested" (JSON keys "scheme", "sign", "shift",
    "form", no "k"; degree 16, form_k 0, spow.h's SPOW_SCHEME_NESTED): with
    W and P_2 = W^2 as above, y0 = P_2 (a_1 W + a_2 P_2),
    y1 = (y0 + b_1 W + b_2 P_2) (y0 + c_2 P_2) + e y0 and
    g = (y1 + d_0 y0 + d_1 W + d_2 P_2) (form_sign y1 + f_0 y0 + f_1 W + f_2 P_2)
    + h_0 y0 + h_1 y1 + l_0 I + l_1 W + l_2 P_2 (4 products), form = (a_1,
    a_2, b_1, b_2, c_2, e, d_0, d_1, d_2, f_0, f_1, f_2, h_0, h_1, l_0, l_1,
    l_2).  scheme "ps" (no such keys): form is None.

    constant: a fixed-point step's c_k (Y <- Y g(A) + c_k X^a, g(t) = 1 -
    c_k t^degree); None in a coupled table."""

    __slots__ = ("degree", "baby", "blocks", "t_lo", "t_hi", "alpha", "beta", "ps",
                 "gemms", "max_rel_err", "scheme", "form_k", "form_sign", "form_shift",
                 "form", "constant")

    def __init__(self, **kw):
        for k in self.__slots__:
            setattr(self, k, kw.get(k))

    def block(self, j):
        """The Chebyshev coefficients of B_j (baby + 1 of them)."""
        w = self.baby + 1
        return self.ps[j * w:(j + 1) * w]


class Table:
    """A validated table: p = p_num / p_den certified on [lo, hi].  family is
    "coupled" or "fixed-point" (then each step's constant is its c_k)."""

    def __init__(self, d, source):
        self.source = source
        self.name = d["name"]
        self.family = d["family"]
        self.p_num = d["p_num"]
        self.p_den = d["p_den"]
        self.p = Fraction(self.p_num, self.p_den)
        self.lo = d["lo"]
        self.hi = d["hi"]
        self.y_power = d["y_power"]
        self.x_power = d["x_power"]
        self.gemms = d["gemms"]
        self.max_rel_err = d["max_rel_err"]
        self.max_rel_err_f32 = d.get("max_rel_err_f32", d["max_rel_err"])
        self.command = d.get("command", "")
        self.steps = [Step(degree=e["degree"], baby=e["baby"], blocks=e["blocks"],
                           t_lo=e["t_lo"], t_hi=e["t_hi"], alpha=e["alpha"],
                           beta=e["beta"], ps=tuple(float(c) for c in e["ps"]),
                           gemms=g, max_rel_err=err, **_form_fields(e))
                      for e, g, err in zip(d["evaluation"], d["step_gemms"],
                                           d["step_errors"])]
        if self.family == "fixed-point":
            for st, c in zip(self.steps, d["constants"]):
                st.constant = float(c[0])

    def __repr__(self):
        fam = "" if self.family == "coupled" else f" ({self.family})"
        return (f"<spow.Table {self.name}{fam}: p = {self.p}, [{self.lo:g}, {self.hi:g}], "
                f"{len(self.steps)} steps, {self.gemms} GEMMs, "
                f"max_rel_err {self.max_rel_err:.3g}>")


# The keys of a product-form step beyond a Paterson-Stockmeyer one (a
# nested step has all but "k").
_FORM_KEYS = ("scheme", "k", "sign", "shift", "form")
# The product-form schemes ("scheme" in the JSON): g evaluated by a form in
# W = U - shift I instead of the blocks ps.
FORM_SCHEMES = ("sastre", "nested")
# The nested form (spow.h's SPOW_NESTED_NFORM): its degree, its number of
# coefficients and the products it takes for g, P_2 included.
NESTED_DEGREE = 16
NESTED_NFORM = 17
NESTED_PRODUCTS = 4


def form_products(step):
    """Products a Step's g takes: k + 1 for a Sastre form, 4 for the nested
    one, (baby - 1) + (blocks - 1) by Paterson-Stockmeyer."""
    if step.scheme == "sastre":
        return step.form_k + 1
    if step.scheme == "nested":
        return NESTED_PRODUCTS
    return (step.baby - 1) + (step.blocks - 1)


def _form_fields(e):
    """Step's keyword arguments for the evaluation scheme of a checked step."""
    scheme = e.get("scheme")
    if scheme not in FORM_SCHEMES:
        return {"scheme": "ps"}
    return {"scheme": scheme, "form_k": e["k"] if scheme == "sastre" else 0,
            "form_sign": e["sign"], "form_shift": float(e["shift"]),
            "form": tuple(float(c) for c in e["form"])}


def _check_form(source, where, e):
    """A product-form step's keys (spow.h's validate): Sastre's with k in
    2..4, degree 4k and 4k + 1 coefficients; the nested one with degree 16,
    no "k" and 17 coefficients; both a sign +-1 and a finite shift.  A step
    without "scheme" is Paterson-Stockmeyer and must carry none of them."""
    if "scheme" not in e:
        extra = [key for key in _FORM_KEYS if key in e]
        if extra:
            _fail(source, f"{where} has {', '.join(repr(x) for x in extra)} but no "
                          f'"scheme" ({" or ".join(repr(x) for x in FORM_SCHEMES)})')
        return
    scheme = e["scheme"]
    if scheme not in FORM_SCHEMES:
        _fail(source, f"{where}.scheme {scheme!r}: the schemes are "
                      f"{', '.join(repr(x) for x in FORM_SCHEMES)} "
                      f"(no key: Paterson-Stockmeyer)")
    if scheme == "sastre":
        k = e.get("k")
        if not _is_int(k) or not 2 <= k <= 4:
            _fail(source, f"{where}.k {k!r}: must be an integer in 2..4")
        if e["degree"] != 4 * k:
            _fail(source, f"{where}.k {k}: the form has degree {4 * k}, the step "
                          f"{e['degree']}")
        nform = 4 * k + 1
    else:
        if "k" in e:
            _fail(source, f'{where}.k {e["k"]!r}: a "nested" step has no "k" '
                          f"(its form is fixed: degree {NESTED_DEGREE})")
        if e["degree"] != NESTED_DEGREE:
            _fail(source, f"{where}.degree {e['degree']}: the nested form has degree "
                          f"{NESTED_DEGREE}")
        nform = NESTED_NFORM
    if not _is_int(e.get("sign")) or e["sign"] not in (1, -1):
        _fail(source, f"{where}.sign {e.get('sign')!r}: must be 1 or -1")
    if not _is_num(e.get("shift")):
        _fail(source, f"{where}.shift is missing or not a finite number")
    form = e.get("form")
    if (not isinstance(form, list) or len(form) != nform
            or not all(_is_num(c) for c in form)):
        _fail(source, f"{where}.form must be {nform} finite numbers")


def _fail(source, why):
    raise ValueError(f"{source}: not a usable spow table: {why}")


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v):
    return (isinstance(v, (int, float)) and not isinstance(v, bool)
            and math.isfinite(v))


def _check_step(source, k, e, gemms, err):
    where = f"evaluation[{k}]"
    if not isinstance(e, dict):
        _fail(source, f"{where} is not an object")
    for key in ("degree", "baby", "blocks"):
        if not _is_int(e.get(key)):
            _fail(source, f"{where}.{key} is missing or not an integer")
    for key in ("t_lo", "t_hi", "alpha", "beta"):
        if not _is_num(e.get(key)):
            _fail(source, f"{where}.{key} is missing or not a finite number")
    d, s, b = e["degree"], e["baby"], e["blocks"]
    if not 1 <= d <= MAX_DEGREE:
        _fail(source, f"{where}.degree {d} outside 1..{MAX_DEGREE}")
    if not 1 <= s <= d or b != (d + s - 1) // s:
        _fail(source, f"{where}: baby {s} and blocks {b} do not fit degree {d}")
    ps = e.get("ps")
    if (not isinstance(ps, list) or len(ps) != b * (s + 1)
            or not all(_is_num(c) for c in ps)):
        _fail(source, f"{where}.ps must be {b * (s + 1)} finite numbers")
    _check_form(source, where, e)
    if not _is_int(gemms) or gemms < 1:
        _fail(source, f"step_gemms[{k}] is not a positive integer")
    if not _is_num(err):
        _fail(source, f"step_errors[{k}] is not a finite number")


def _validate(d, source):
    """Every check before a Table is built (ValueError on the first failure)."""
    if not isinstance(d, dict) or d.get("format") != "spow-table":
        _fail(source, 'no "format": "spow-table" (not written by spow-gen --format json)')
    if d.get("version") != TABLE_VERSION:
        _fail(source, f"format version {d.get('version')!r}, this package reads "
                      f"version {TABLE_VERSION}")
    if d.get("family") not in FAMILIES:
        _fail(source, f"family {d.get('family')!r}: the families applied here are "
                      f"{', '.join(repr(f) for f in FAMILIES)}")
    for key in ("p_num", "p_den", "y_power", "x_power", "steps", "gemms"):
        if not _is_int(d.get(key)):
            _fail(source, f"{key} is missing or not an integer")
    for key in ("lo", "hi", "max_rel_err"):
        if not _is_num(d.get(key)):
            _fail(source, f"{key} is missing or not a finite number")
    if not isinstance(d.get("name"), str):
        _fail(source, "name is missing")
    num, den = d["p_num"], d["p_den"]
    if den <= 0 or math.gcd(num, den) != 1:
        _fail(source, f"p = {num}/{den} is not a reduced fraction with p_den > 0")
    if d["family"] == "fixed-point":
        _check_fixed_point_p(d, source)
    elif d["y_power"] != den or d["x_power"] != den - num or den - num < 0:
        _fail(source, f"y_power/x_power {d['y_power']}/{d['x_power']} do not match "
                      f"p = {num}/{den} (p > 1 is not a matrix-product operation)")
    if not 0 < d["lo"] < 1 <= d["hi"]:
        _fail(source, f"interval [{d['lo']}, {d['hi']}] does not reach 1")
    ev, sg, se = d.get("evaluation"), d.get("step_gemms"), d.get("step_errors")
    steps = d["steps"]
    if steps < 0 or not all(isinstance(x, list) and len(x) == steps for x in (ev, sg, se)):
        _fail(source, f"evaluation, step_gemms and step_errors must list {steps} steps")
    for k in range(steps):
        _check_step(source, k, ev[k], sg[k], se[k])
    if d["family"] == "fixed-point":
        _check_fixed_point_steps(d, source)
    if sum(sg) != d["gemms"]:
        _fail(source, f"gemms {d['gemms']} is not the sum of step_gemms {sum(sg)}")


def _check_fixed_point_p(d, source):
    """p = a/b of a fixed-point table: a and b odd, 0 < a < b, and the
    recurrence's powers y_power = b, x_power = a."""
    a, b = d["p_num"], d["p_den"]
    if not (0 < a < b and a % 2 == 1 and b % 2 == 1):
        _fail(source, f"fixed-point p = {a}/{b}: the family needs p = a/b with a and b "
                      f"odd and 0 < a < b")
    if d["y_power"] != b or d["x_power"] != a:
        _fail(source, f"fixed-point y_power/x_power {d['y_power']}/{d['x_power']} are not "
                      f"b/a = {b}/{a} for p = {a}/{b}")
    if d["steps"] < 1:
        _fail(source, "a fixed-point table needs at least one step")


def power_products(e):
    """Products for M^e from M by binary powering (squares, then the set bits
    multiplied in): 0 for e <= 1, 1 for e = 2, 2 for e = 3 or 4."""
    return max(e.bit_length() - 1, 0) + max(bin(e).count("1") - 1, 0)


def fixed_point_gemms(a, baby, blocks, first):
    """Products of a fixed-point step: the Gram matrix A, Paterson-Stockmeyer's
    T_2..T_baby and Horner products for g, and Y g(A); the first step also
    forms X^a = X (X^T X)^((a-1)/2) when a > 1 (the Gram matrix of X, its
    power, one product with X).  The cost in the table format."""
    n = 1 + (baby - 1) + (blocks - 1) + 1
    if first and a > 1:
        n += 1 + power_products((a - 1) // 2) + 1
    return n


def _poly_mul(p, q):
    out = [0.0] * (len(p) + len(q) - 1)
    for i, x in enumerate(p):
        for j, y in enumerate(q):
            out[i + j] += x * y
    return out


def _poly_add(p, q):
    n = max(len(p), len(q))
    return [(p[i] if i < len(p) else 0.0) + (q[i] if i < len(q) else 0.0) for i in range(n)]


def ps_monomials(e):
    """The monomial coefficients (ascending, in U) of the polynomial that a
    checked step's Paterson-Stockmeyer blocks define:
    g = B_0 + T_baby (B_1 + T_baby (B_2 + ...)), B_j = sum_i ps[j][i] T_i."""
    s = e["baby"]
    T = [[1.0], [0.0, 1.0]]
    for _ in range(2, s + 1):
        T.append(_poly_add(_poly_mul([0.0, 2.0], T[-1]), [-x for x in T[-2]]))
    w = s + 1
    ps = e["ps"]
    g = [0.0]
    for j in range(e["blocks"] - 1, -1, -1):
        block = [0.0]
        for i in range(w):
            block = _poly_add(block, [ps[j * w + i] * x for x in T[i]])
        g = _poly_add(block, _poly_mul(T[s], g))
    return g


def _check_fixed_point_steps(d, source):
    """Each step of a checked fixed-point table: g_k(t) = 1 - c_k t^((b-1)/2)
    in the evaluation form with alpha = 1, beta = 0, Paterson-Stockmeyer only;
    "coefficients" its monomials [1, 0, ..., -c_k], "constants" [c_k] in
    agreement; step_gemms the cost fixed_point_gemms."""
    a, b = d["p_num"], d["p_den"]
    deg = (b - 1) // 2
    steps = d["steps"]
    if "degree" in d and d["degree"] != [deg] * steps:
        _fail(source, f"degree {d['degree']!r}: every fixed-point step for p = {a}/{b} has "
                      f"degree (b - 1)/2 = {deg}")
    coefs, consts = d.get("coefficients"), d.get("constants")
    if not isinstance(coefs, list) or len(coefs) != steps:
        _fail(source, f"coefficients must list {steps} steps")
    if not isinstance(consts, list) or len(consts) != steps:
        _fail(source, f"constants is missing or does not list {steps} steps "
                      f"(a fixed-point table gives each step's c as [c])")
    for k in range(steps):
        e, where = d["evaluation"][k], f"evaluation[{k}]"
        if e["degree"] != deg:
            _fail(source, f"{where}.degree {e['degree']}: a fixed-point step for p = {a}/{b} "
                          f"has degree (b - 1)/2 = {deg}")
        if e["alpha"] != 1 or e["beta"] != 0:
            _fail(source, f"{where}: alpha {e['alpha']}, beta {e['beta']}; a fixed-point "
                          f"step evaluates g in t itself (alpha = 1, beta = 0)")
        if "scheme" in e:
            _fail(source, f"{where}: a fixed-point step has no Sastre scheme or nested "
                          f"form (Paterson-Stockmeyer only)")
        m = coefs[k]
        if (not isinstance(m, list) or len(m) != deg + 1
                or not all(_is_num(x) for x in m)):
            _fail(source, f"coefficients[{k}] must be {deg + 1} finite numbers")
        if m[0] != 1 or any(x != 0 for x in m[1:-1]):
            _fail(source, f"coefficients[{k}] {m!r} is not 1 - c t^{deg}")
        c = -m[-1]
        ck = consts[k]
        if not isinstance(ck, list) or len(ck) != 1 or not _is_num(ck[0]):
            _fail(source, f"constants[{k}] must be [c], one finite number")
        if not math.isclose(ck[0], c, rel_tol=1e-15, abs_tol=0.0):
            _fail(source, f"constants[{k}] {ck[0]!r} disagrees with coefficients[{k}]: "
                          f"c = -coefficients[{k}][-1] = {c!r}")
        # the blocks must evaluate the same g (rounding of ps to double,
        # amplified by the Chebyshev-to-monomial change of basis)
        got = ps_monomials(e)
        want = m + [0.0] * (len(got) - len(m))
        tol = 1e-13 * 2.0 ** deg * (1.0 + sum(abs(x) for x in e["ps"]))
        if len(got) > len(want) or any(abs(x - y) > tol for x, y in zip(got, want)):
            _fail(source, f"{where}.ps does not evaluate g(t) = 1 - c t^{deg} with "
                          f"c = {c!r} (constants[{k}])")
        want_g = fixed_point_gemms(a, e["baby"], e["blocks"], k == 0)
        if d["step_gemms"][k] != want_g:
            _fail(source, f"step_gemms[{k}] {d['step_gemms'][k]}: a fixed-point step for "
                          f"p = {a}/{b} with baby {e['baby']}, blocks {e['blocks']} costs "
                          f"{want_g} products")


def load_table_file(path):
    """The table in ``path``, a file written by ``spow-gen --format json``.

    Raises ValueError (naming the file and the problem) for anything that is
    not a complete table (coupled or fixed-point) of the format version this
    package reads."""
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
    except OSError as e:
        raise ValueError(f"{path}: cannot read: {e.strerror or e}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"{path}: not JSON: {e}") from None
    _validate(d, path)
    return Table(d, path)


def tables_dir():
    """Where the shipped tables are: $SPOW_TABLES_DIR if set, else the
    directory recorded at install time (share/spow/tables under the install
    prefix), else the source tree's tables/ next to python/."""
    env = os.environ.get("SPOW_TABLES_DIR")
    if env:
        if not os.path.isdir(env):
            raise ValueError(f"SPOW_TABLES_DIR={env} is not a directory")
        return env
    candidates = []
    try:
        from . import _installed  # written by cmake --install only
        candidates.append(_installed.TABLES_DIR)
    except ImportError:
        pass
    here = os.path.dirname(os.path.abspath(__file__))
    candidates.append(os.path.join(here, os.pardir, os.pardir, "tables"))
    for c in candidates:
        if os.path.isdir(c):
            return os.path.normpath(c)
    raise ValueError("no spow tables found (looked in " + ", ".join(candidates)
                     + "); set SPOW_TABLES_DIR to a directory of spow-gen JSON tables")


_cache = {}


def shipped_tables(bf16=False, target=False):
    """Every table in tables_dir() (those libspow lists in spow_table_list),
    or with bf16=True those of its bf16/ subdirectory (tables fitted for
    bfloat16 arithmetic), or with target=True those of its target/
    subdirectory (fitted to 1e-2 and 1e-3, spow_table_list_target); loaded
    once per directory."""
    d = tables_dir()
    if bf16 or target:
        d = os.path.join(d, "bf16" if bf16 else "target")
        if not os.path.isdir(d):
            return []
    if d not in _cache:
        names = sorted(n for n in os.listdir(d) if n.endswith(".json"))
        _cache[d] = [load_table_file(os.path.join(d, n)) for n in names]
    return _cache[d]


def parse_p(p):
    """p as a Fraction: an int, a Fraction, or a string such as "1/2", "-1/4", "0".

    Floats are not accepted here (0.1 is not 1/10 in binary): use
    float_to_shipped_p for those."""
    if isinstance(p, bool):
        raise ValueError(f"p = {p!r} is not a number")
    if isinstance(p, Table):
        raise ValueError(f"p = {p!r} is a table, not a number: here p chooses a shipped "
                         f"table; apply a table of your own with spow.spectral_power")
    if isinstance(p, (int, Fraction)):
        return Fraction(p)
    if isinstance(p, str):
        try:
            return Fraction(p.strip())
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"p = {p!r} is not a fraction such as '1/2' or '-1/4'") from None
    raise ValueError(f"p = {p!r}: give an int, a fractions.Fraction or a string "
                     f"such as '1/2' (for floats see spow.MuonP)")


def shipped_ps():
    """The distinct p of the shipped tables, ascending."""
    return sorted({t.p for t in shipped_tables()})


def float_to_shipped_p(x):
    """The shipped rational p whose double is exactly x (0.5 -> 1/2), else ValueError."""
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
        raise ValueError(f"p = {x!r} is not a finite number")
    for q in shipped_ps():
        if float(q) == x:
            return q
    raise ValueError(f"p = {x!r} is not the value of any shipped p "
                     f"({', '.join(str(q) for q in shipped_ps())}); pass a Fraction or "
                     f"generate a table with spow-gen")


def load_table(p, lo=1e-3, hi=1.0, *, bf16=False, max_err=None):
    """The shipped table for p whose certified interval covers [lo, hi] (hi = 1
    by default), the most accurate one if several do -- as spow_table_find.
    bf16=True chooses among the tables fitted for bfloat16 arithmetic
    (tables/bf16/: lo = 1e-2, hi = 1.02; docs/python.md).

    max_err (a positive number): instead the cheapest table (fewest
    products) whose certificate max_rel_err is at most max_err, then the
    most accurate -- as spow_table_find_target on a square input; besides
    the tables above it considers those fitted to 1e-2 and 1e-3
    (tables/target/, also at lo = 1e-4).

    ValueError when no shipped table covers it."""
    q = p if isinstance(p, Fraction) else (
        float_to_shipped_p(p) if isinstance(p, float) else parse_p(p))
    if not (_is_num(lo) and _is_num(hi) and 0 < lo < hi):
        raise ValueError(f"lo = {lo!r}, hi = {hi!r}: need 0 < lo < hi")
    if max_err is not None and not (_is_num(max_err) and max_err > 0):
        raise ValueError(f"max_err = {max_err!r}: need a positive number or None")
    pool = shipped_tables(bf16)
    if max_err is not None and not bf16:
        pool = pool + shipped_tables(target=True)

    def better(t, best):
        if max_err is None:
            return t.max_rel_err < best.max_rel_err
        return (t.gemms, t.max_rel_err) < (best.gemms, best.max_rel_err)

    best = None
    for t in pool:
        if t.p == q and t.lo <= lo and t.hi >= hi and \
                (max_err is None or t.max_rel_err <= max_err):
            if best is None or better(t, best):
                best = t
    if best is None:
        have = sorted((t.lo, t.hi, t.max_rel_err) for t in pool if t.p == q)
        raise ValueError(f"no shipped table for p = {q} covers [{lo:g}, {hi:g}]"
                         + (f" with max_rel_err <= {max_err:g}" if max_err is not None else "")
                         + f" (p = {q}: (lo, hi, max_rel_err) "
                         f"{[(a, b, float(f'{c:.3g}')) for a, b, c in have] or 'none shipped'}); "
                         f"generate one with spow-gen --p {q} --lo {lo:g} --hi {hi:g} "
                         + (f"--target-err {max_err:g} --search " if max_err is not None else "")
                         + "--format json"
                         + (" (bf16 tables: lo = 1e-2)" if bf16 else ""))
    return best
