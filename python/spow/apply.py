"""spectral_power: U S^p V^T with matrix products only, libspow's algorithm in torch.

The steps mirror runtime/src/apply.c and apply_impl.h operation for operation,
so that the two agree to rounding (tests/python/test_agree_c.py):

  scale      c = the runtime's scale of G (scale(), the one place it is defined),
             accumulated in float64 per matrix; Y = X = G / c
  each step  A = alpha Y^T Y (or alpha Y Y^T when wide: the smaller Gram side),
             U = A + beta I; Chebyshev T_2..T_baby of U; g by Paterson-Stockmeyer
             in T_baby with blocks B_j formed in float64 and rounded once, or
             for a Sastre step (scheme "sastre") g by its product form in
             W = A + (beta - shift) I (_eval_form, apply_impl.h's eval_form),
             for a nested step (scheme "nested") by the nested 4-product
             form in the same W (_eval_nested);
             squares g^(2^i) as S S^T; Y <- Y g^n (not in the last step),
             X <- X g^(n-m) (p = 0: X and Y are one matrix)
  result     X c^p (c^p in float64; skipped when normalized)

A fixed-point table (family "fixed-point", p = a/b, a and b odd) runs the
same scale, Gram products, g evaluation and result scale, with another
update (_fixed_point_steps): X = G / c stays fixed, X^a = X (X^T X)^((a-1)/2)
is formed once, and every step, the last too, sets Y <- Y g_k(A) + c_k X^a
(the additive term rides in the GEMM's beta); the result is Y c^p.  This
path is checked against the scalar recurrence and, on spow-gen's own
tables, against libspow (tests/python/test_fixedpoint.py).

The number of matrix products equals the table's ``gemms`` (no matrix_power
beyond what the cost model counts), plus one under "gram4" scaling when the
first step has no T_2 (baby = 1, as in the runtime); ``stats`` reports it.
"""
import math

import torch

from .tables import Table

# The runtime's default scaling.  Change it here (and add its branch to
# scale()) when libspow's default changes; every caller goes through scale().
DEFAULT_SCALING = "gram4"
SCALINGS = ("frobenius", "gram2", "gram4")
# Unit roundoff of the dtype a step computes in, for the Gram bounds.  bf16's
# 2^-8 makes m u >= 1/2 from 128 rows on, where the bound falls back to
# Frobenius (as the runtime does whenever m u >= 1/2).
_UNIT = {torch.float64: 2.0 ** -53, torch.float32: 2.0 ** -24, torch.bfloat16: 2.0 ** -8}

_FLOATS = (torch.float64, torch.float32, torch.bfloat16)
# Steps in bfloat16 need a table certified up to at least this hi: bf16
# rounding (2^-9) pushes normalized singular values past 1 (tables/bf16/ use 1.02).
BF16_MIN_HI = 1.01


def scale(G3, method=None):
    """The Frobenius scale ||G||_F = r 2^e of each matrix of the (b, m, n)
    tensor G3, as (r, e): r a float64 tensor (0 for a zero matrix), e an int64
    tensor.  Every scaling starts from it: "gram2" and "gram4" then divide it
    by the w that the first step finds (_gram_start), as the runtime does.

    "frobenius": c = ||G||_F accumulated in float64.  As the runtime (norm.c),
    the largest magnitude fixes a power of two 2^e and r is the norm of
    G 2^-e, so nothing overflows and small entries are not lost to underflow.
    Scaling by 2^-e is exact: for moderate magnitudes (all entries within
    2^+-200) r is the float64 norm of G itself times 2^-e, the same number
    without a scaled copy of G."""
    method = DEFAULT_SCALING if method is None else method
    if method not in SCALINGS:
        raise ValueError(f"scaling {method!r}: known scalings are {', '.join(SCALINGS)}")
    amax = G3.abs().amax(dim=(-2, -1)).double()  # |.| and max are exact in any dtype
    _, e = torch.frexp(amax)
    e = torch.where(amax > 0, e.to(torch.int64), torch.zeros_like(e, dtype=torch.int64))
    if bool(((amax == 0) | ((amax > 2.0 ** -200) & (amax < 2.0 ** 200))).all()):
        r = torch.ldexp(torch.linalg.vector_norm(G3, dim=(-2, -1), dtype=torch.float64), -e)
    else:
        r = _ldexp_split(G3.double(), -e).square().sum(dim=(-2, -1)).sqrt()
    return r, e


def _ldexp_split(x, e):
    """x 2^e per matrix, as two powers of two (2^1073 is not a double, its halves are)."""
    h = torch.div(e, 2, rounding_mode="trunc")
    one = torch.ones((), dtype=torch.float64, device=x.device)
    f1 = torch.ldexp(one, h).view(-1, 1, 1)
    f2 = torch.ldexp(one, e - h).view(-1, 1, 1)
    return x * f1 * f2


def _result_scale(r, e, p_num, p_den):
    """c^p as three float64 factors whose product is c^p (runtime's result_scale):
    the integer part of e p is split off exactly so that no rounding of it is
    amplified, and each factor stays finite whenever c^p is representable."""
    p = p_num / p_den
    big, rem = divmod(e * p_num, p_den)  # floor division, rem >= 0
    m = math.pow(r, p) * 2.0 ** (rem / p_den)
    if 0.0 < m <= 1.7976931348623157e308:
        if -2044 <= big <= 2044:
            f0 = math.ldexp(m, int(big / 2))
            if 0.0 < f0 <= 1.7976931348623157e308:
                return f0, math.ldexp(1.0, big - int(big / 2)), 1.0
    else:
        q = p * math.log2(r) + rem / p_den
        qi = math.floor(q)
        m = 2.0 ** (q - qi)
        big += qi
    m, me = math.frexp(m)
    big = max(-3066, min(3066, big + me))
    b0 = int(big / 3)
    b1 = int((big - b0) / 2)
    return math.ldexp(m, b0), math.ldexp(1.0, b1), math.ldexp(1.0, big - b0 - b1)


class _Run:
    """The products of one apply on a (b, rows, cols) batch, counted."""

    def __init__(self, rows, cols, small_side=False):
        self.rows, self.cols = rows, cols
        self.right = rows >= cols  # A = Y^T Y and Y <- Y M; else A = Y Y^T, Y <- M Y
        self.gemms = 0
        # small side: A (the Gram matrix of the current Y, formed once) and Q
        # (X = Y Q; None while Q = I) stand in for the rectangular X and Y
        self.small_side = small_side
        self.a = self.q = None

    def mm(self, a, b, c=None, alpha=1.0, beta=0.0):
        """alpha a b + beta c, one GEMM (alpha and beta ride in it, as in BLAS)."""
        self.gemms += 1
        if c is None:
            if alpha == 1.0:
                return torch.bmm(a, b)
            # alpha a b + 1 * zeros: torch 1.13's baddbmm with beta = 0 returns
            # NaN now and then on small matrices (its result buffer is read
            # uninitialised); adding an exact zero changes no digit
            c = torch.zeros(a.shape[0], a.shape[1], b.shape[2], dtype=a.dtype, device=a.device)
            beta = 1.0
        return torch.baddbmm(c, a, b, beta=beta, alpha=alpha)

    def gram(self, y, alpha):
        if self.small_side:
            if self.a is None:
                self.a = self.gram_product(y, 1.0)
            return (self.a.double() * alpha).to(self.a.dtype)
        return self.gram_product(y, alpha)

    def gram_product(self, y, alpha):
        return self.mm(y.mT, y, alpha=alpha) if self.right else self.mm(y, y.mT, alpha=alpha)

    def update(self, m, p, w=None, add=None, beta=0.0):
        """m P (right) or P m (left); times w per matrix in a Gram-scaled first
        step (the runtime passes w as the GEMM's alpha: one rounding more);
        plus beta add when add is given (in the GEMM unless w is)."""
        if w is None and add is not None:
            return self.mm(m, p, add, beta=beta) if self.right else self.mm(p, m, add, beta=beta)
        r = self.mm(m, p) if self.right else self.mm(p, m)
        r = r if w is None else r * w.to(r.dtype).view(-1, 1, 1)
        return r if add is None else r.add_(add, alpha=beta)


def _add_diagonal(m, v):
    """m_ii <- m_ii + v, added in float64 and rounded once."""
    d = m.diagonal(dim1=-2, dim2=-1)
    d.copy_((d.double() + v).to(m.dtype))


def _blocks(T, st, dtype):
    """B_j = sum_i ps[j][i] T_i (T_0 = I) for every block j, accumulated in
    float64 and rounded once to dtype; each T_i is widened to float64 once
    for all blocks."""
    w = st.baby + 1
    T64 = [None] + [ti.double() if ti.dtype != torch.float64 else ti for ti in T[1:]]
    out = []
    for j in range(st.blocks):
        c = st.ps[j * w:(j + 1) * w]
        acc = torch.mul(T64[1], c[1])
        for i in range(2, w):
            acc.add_(T64[i], alpha=c[i])
        acc.diagonal(dim1=-2, dim2=-1).add_(c[0])
        out.append(acc.to(dtype) if dtype != torch.float64 else acc)
    return out


def _offset(st):
    """The constant of the step's first matrix: beta for U, beta - shift for
    a product form's W (Sastre or nested; one float64 subtraction, as the
    runtime's eval_g)."""
    return st.beta if st.scheme == "ps" else st.beta - st.form_shift


def _gram_start(run, y, st, method, dtype):
    """The first step's U (and T_2 for "gram4") with the Gram bound w of the
    runtime's scaled_start (runtime/src/apply_impl.h, spow.h SPOW_SCALE_GRAM4):
    A = Y^T Y and, for gram4, S = A A^T in the step's dtype; in float64

        b = (sqrt(||S||_F + gamma_n ||A||_F^2) + gamma_m tr(A) / (1 - gamma_m)) (1 + 2^-20)

    (gram2: ||A||_F under the square root), an upper bound on sigma_max(Y)^2
    that includes the rounding of both products; w = 1/sqrt(b) rounded to the
    dtype (1 when b >= 1 or m u >= 1/2).  U = alpha w^2 A + beta I and
    T_2 = 2 U^2 - I are entry-wise combinations of A and S, rounded once, so
    no product is added unless the step has no T_2 (baby = 1).  A Sastre
    or nested step gets W = alpha w^2 A + off I and P_2 = W^2 the same way,
    off = beta - shift.  Returns (U or W, T_2 or P_2 or None, w as a float64 (b,) tensor)."""
    a_ = run.gram(y, 1.0)
    gram4 = method == "gram4"
    sq = run.mm(a_, a_.mT) if gram4 else None
    A = a_.double()
    m, n = max(run.rows, run.cols), min(run.rows, run.cols)
    ut = _UNIT[dtype]
    mu, nu = m * ut, n * ut
    b = torch.ones(A.shape[0], dtype=torch.float64, device=A.device)
    if mu < 0.5:
        gm, gn = mu / (1.0 - mu), nu / (1.0 - nu)
        a2 = A.square().sum(dim=(-2, -1))
        tr = A.diagonal(dim1=-2, dim2=-1).sum(dim=-1)
        if gram4:
            q2 = sq.double().square().sum(dim=(-2, -1))
            bb = torch.sqrt(torch.sqrt(q2) + gn * a2)
        else:
            bb = torch.sqrt(a2)
        bb = (bb + gm * tr / (1.0 - gm)) * (1.0 + 2.0 ** -20)
        b = torch.where(bb < 1.0, bb, b)  # also b = 1 for NaN
        b = torch.where(b > 0, b, torch.ones_like(b))  # zero matrices: masked later
    w = (1.0 / torch.sqrt(b)).to(dtype).double()
    if run.small_side:  # A of w Y; w itself waits for the final product
        run.a = (A * (w * w).view(-1, 1, 1)).to(dtype)
    a = (st.alpha * w * w).view(-1, 1, 1)
    off = _offset(st)
    eye = torch.eye(A.shape[-1], dtype=torch.float64, device=A.device)
    u = (a * A + off * eye).to(dtype)
    t2 = None
    if gram4 and st.scheme != "ps":
        t2 = (a * a * sq.double() + 2.0 * a * off * A + (off * off) * eye).to(dtype)
    elif gram4 and st.baby >= 2:
        t2 = (2.0 * a * a * sq.double() + 4.0 * a * off * A +
              (2.0 * off * off - 1.0) * eye).to(dtype)
    return u, t2, w


def _lincomb(P, c0, c, *terms):
    """c0 I + sum_q c[q-1] P[q] + sum cy y over the (y, cy) terms,
    accumulated in float64 and rounded once to P[1]'s dtype, in the
    runtime's order (lincomb in apply_impl.h: the powers, then the terms)."""
    acc = torch.zeros(P[1].shape, dtype=torch.float64, device=P[1].device)
    acc.diagonal(dim1=-2, dim2=-1).add_(c0)
    for q, cq in enumerate(c, start=1):
        acc.add_(P[q].double(), alpha=cq)
    for y, cy in terms:
        acc.add_(y.double(), alpha=cy)
    return acc.to(P[1].dtype)


def _form_powers(run, w, k, p2=None):
    """[None, P_1 = W, ..., P_k] for a product form, k - 1 products: even
    powers as squares S S^T, P_2 = p2 when the first step formed it from the
    Gram bound's S (then one product fewer)."""
    P = [None, w]
    for j in range(2, k + 1):
        if j == 2 and p2 is not None:
            P.append(p2)
        elif j % 2 == 0:
            P.append(run.mm(P[j // 2], P[j // 2].mT))
        else:
            P.append(run.mm(w, P[j - 1]))
    return P


def _eval_form(run, st, w, p2=None):
    """g by the step's Sastre form in W (tables.Step), k + 1 products: P_2..P_k
    (_form_powers), y0 = P_k (sum a_j P_j), then the preloaded
    e y0 + sum l_j P_j plus f1 f2 in the last product."""
    k, f = st.form_k, st.form
    a, b, c, e, low = f[:k], f[k:2 * k], f[2 * k:3 * k - 1], f[3 * k - 1], f[3 * k:]
    P = _form_powers(run, w, k, p2)
    y0 = run.mm(P[k], _lincomb(P, 0.0, a))
    f1 = _lincomb(P, 0.0, b, (y0, 1.0))
    f2 = _lincomb(P, 0.0, (0.0,) + tuple(c), (y0, float(st.form_sign)))
    return run.mm(f1, f2, _lincomb(P, low[0], low[1:], (y0, e)), beta=1.0)


def _eval_nested(run, st, w, p2=None):
    """g by the step's nested form in W (tables.Step, spow.h's
    SPOW_SCHEME_NESTED), 4 products: P_2 (_form_powers), y0 = P_2 (a_1 W +
    a_2 P_2), y1 = (y0 + b_1 W + b_2 P_2)(y0 + c_2 P_2) onto the preloaded
    e y0, then g = (y1 + d_0 y0 + d_1 W + d_2 P_2)(sign y1 + f_0 y0 + f_1 W
    + f_2 P_2) onto the preloaded h_0 y0 + h_1 y1 + l_0 I + l_1 W + l_2 P_2.
    Each factor is a float64 combination rounded once (_lincomb)."""
    a1, a2, b1, b2, c2, e, d0, d1, d2, f0, f1, f2, h0, h1, l0, l1, l2 = st.form
    P = _form_powers(run, w, 2, p2)
    y0 = run.mm(P[2], _lincomb(P, 0.0, (a1, a2)))
    y1 = run.mm(_lincomb(P, 0.0, (b1, b2), (y0, 1.0)), _lincomb(P, 0.0, (0.0, c2), (y0, 1.0)),
                _lincomb(P, 0.0, (), (y0, e)), beta=1.0)
    left = _lincomb(P, 0.0, (d1, d2), (y0, d0), (y1, 1.0))
    right = _lincomb(P, 0.0, (f1, f2), (y0, f0), (y1, float(st.form_sign)))
    return run.mm(left, right, _lincomb(P, l0, (l1, l2), (y0, h0), (y1, h1)), beta=1.0)


def _eval_g(run, y, st, start=None):
    """g(A) for the Gram matrix A of Y by Paterson-Stockmeyer on Chebyshev T_i(U),
    or by the step's Sastre or nested form; start = (U, T_2 or None) (or
    (W, P_2 or None)) when the first step already formed them."""
    if start is None:
        u = run.gram(y, st.alpha)
        _add_diagonal(u, _offset(st))
    else:
        u = start[0]
    if st.scheme != "ps":
        ev = _eval_form if st.scheme == "sastre" else _eval_nested
        return ev(run, st, u, None if start is None else start[1])
    T = [None, u]
    for j in range(2, st.baby + 1):
        if j == 2 and start is not None and start[1] is not None:
            tj = start[1]
        elif j == 2:
            tj = run.mm(u, u.mT, alpha=2.0)  # 2 U U^T - I, U symmetric
            _add_diagonal(tj, -1.0)
        else:
            tj = run.mm(u, T[j - 1], T[j - 2], alpha=2.0, beta=-1.0)
        T.append(tj)
    B = _blocks(T, st, y.dtype)
    g = B[st.blocks - 1]
    for j in range(st.blocks - 2, -1, -1):
        g = run.mm(g, T[st.baby], B[j], beta=1.0)
    return g


def _power(run, sq, e):
    """g^e from the squares sq[i] = g^(2^i), set bits multiplied in from the lowest."""
    p = None
    for b in range(e.bit_length()):
        if (e >> b) & 1:
            p = sq[b] if p is None else run.mm(p, sq[b])
    return p


def _step(run, t, k, x, y, gram=None):
    """Step k of table t; returns the new (x, y, w).  gram = "gram2"/"gram4"
    in the first step of a Gram-scaled apply (w the factor it found, else None)."""
    if t.p_num == 0:
        ey, ex = t.y_power, 0
    else:
        ey, ex = (0 if k == len(t.steps) - 1 else t.y_power), t.x_power
    w = None
    if gram is not None:
        u, t2, w = _gram_start(run, y, t.steps[k], gram, y.dtype)
        g = _eval_g(run, y, t.steps[k], (u, t2))
    else:
        g = _eval_g(run, y, t.steps[k])
    sq = [g]
    for _ in range(max(ey, ex).bit_length() - 1):
        sq.append(run.mm(sq[-1], sq[-1].mT))  # S S^T: S is symmetric
    p = None
    if run.small_side:
        # Y <- Y h makes the next Gram matrix h A h (not needed after the
        # last step); X <- X g^ex is Q <- Q g^ex; for p = 0, Q follows h
        ea = 0 if k == len(t.steps) - 1 else ey
        eq = ey if t.p_num == 0 else ex
        if ea:
            p = _power(run, sq, ea)
            run.a = run.mm(p, run.mm(run.a, p))
        if eq:
            if eq != ea:
                p = _power(run, sq, eq)
            run.q = p if run.q is None else run.mm(run.q, p)
        return x, y, w
    if ey:
        p = _power(run, sq, ey)
        y = run.update(y, p, w)
        if t.p_num == 0:
            x = y
    if ex:
        if ex != ey:
            p = _power(run, sq, ex)
        x = run.update(x, p, w)
    return x, y, w


def _coupled_steps(run, t, y, steps, nd, cdt, gram):
    """The first `steps` steps of a coupled table on X = Y = G / ||G||_F
    (float64 for the first nd steps, then cdt); returns (X, w) with w the
    first step's Gram bound factor for gram = "gram2"/"gram4", else None."""
    x = y
    w = None
    for k in range(steps):
        if k == nd:
            x, y = x.to(cdt), (y.to(cdt) if y is not x else None)
            y = x if y is None else y
        x, y, wk = _step(run, t, k, x, y, gram if k == 0 else None)
        w = wk if wk is not None else w
    if run.small_side:  # X = w Y Q
        x = run.update(y, run.q, w)
    return x, w


def _x_power(run, x, a):
    """X^a = X (X^T X)^((a-1)/2) (wide: (X X^T)^((a-1)/2) X), X itself for
    a = 1: the Gram product, its power by squares (_power), one product
    with X."""
    if a == 1:
        return x
    e = (a - 1) // 2
    sq = [run.gram_product(x, 1.0)]
    for _ in range(e.bit_length() - 1):
        sq.append(run.mm(sq[-1], sq[-1].mT))  # squares of a symmetric matrix
    return run.update(x, _power(run, sq, e))


def _fixed_point_steps(run, t, y, nd, cdt, gram):
    """The steps of a fixed-point table on Y = X = G / ||G||_F (float64 for
    the first nd steps, then cdt); returns (Y_K, w).  gram = "gram2"/"gram4":
    the first step's Gram bound w rescales X to w G / ||G||_F (then X^a, formed
    from the unscaled X, is multiplied by w^a in float64, rounded once), else
    w is None.  Each step: A and g_k(A) as a coupled step (_gram_start,
    _eval_g), then Y <- Y g_k(A) + c_k X^a."""
    xa = _x_power(run, y, t.x_power)
    w = None
    for k, st in enumerate(t.steps):
        if k == nd:
            y, xa = y.to(cdt), xa.to(cdt)
        if k == 0 and gram is not None:
            u, t2, w = _gram_start(run, y, st, gram, y.dtype)
            g = _eval_g(run, y, st, (u, t2))
            xa = (xa.double() * w.pow(t.x_power).view(-1, 1, 1)).to(y.dtype)
            y = run.update(y, g, w, xa, st.constant)
        else:
            y = run.update(y, _eval_g(run, y, st), None, xa, st.constant)
    return y, w


def _check_finite(G3, shape):
    bad = ~torch.isfinite(G3).flatten(1).all(dim=1)
    if bool(bad.any()):
        i = int(bad.nonzero()[0, 0])
        where = f"batch index {_unravel(i, shape)}" if shape else "the matrix"
        raise ValueError(f"spectral_power: NaN or Inf in the input ({where}); "
                         f"nothing computed")


def _unravel(i, shape):
    idx = []
    for n in reversed(shape):
        idx.append(i % n)
        i //= n
    return tuple(reversed(idx))


def spectral_power(table, G, normalized=False, *, f64_steps=0, compute_dtype=None,
                   scaling=None, small_side=False, stats=None):
    """U S^p V^T of every matrix of G (shape (..., m, n)), p = table.p.

    table          a spow.Table (load_table / load_table_file)
    G              float64, float32 or bfloat16 tensor, batched over leading dims
    normalized     return U (S/c)^p V^T, skipping the final c^p (c: the scale)
    f64_steps      run the first f64_steps steps in float64 when the compute
                   dtype is not float64 (libspow's spow_options.f64_steps):
                   rounding in the first steps breaks the invariant between X
                   and Y, so a few float64 steps buy most of float64's accuracy
    compute_dtype  dtype of the remaining steps; default G.dtype (e.g.
                   torch.float32 to run a bfloat16 G in float32).  bfloat16
                   steps need a table fitted for them (hi >= 1.01: the
                   tables/bf16/ ones, load_table(p, 1e-2, bf16=True));
                   other tables are refused (they blow up there)
    scaling        None (the runtime's default, "gram4"), "frobenius" (c =
                   ||G||_F), "gram2" (c^2 >= ||G^T G||_F) or "gram4" (c^4 >=
                   ||(G^T G)^2||_F, about 1.7 sigma_max on a Gaussian matrix
                   where ||G||_F is 16 sigma_max): libspow's spow_options.scale
    small_side     run the steps on the Gram side (libspow's SPOW_SMALL_SIDE):
                   the Gram matrix A and Q with X = Y Q are carried instead of
                   the rectangular X and Y, so an m x n input with m >= n costs
                   two m x n products in all (the first Gram matrix and the
                   final Y Q).  Faster on long-thin inputs; the rounding of A
                   reaches a singular value s as u / s^2, so a float32 or
                   bfloat16 apply with f64_steps >= 1 runs all of it in
                   float64, and with f64_steps = 0 it is for spectra near the
                   top of the interval only
    stats          a dict to receive "gemms" (products per matrix, equal to
                   table.gemms; 0 for p = 1 or G = 0 throughout) and "norm"
                   (float64 tensor of the scales c, batch-shaped)

    A fixed-point table (table.family == "fixed-point") takes every option
    above except small_side=True (ValueError: no Gram-side form is
    implemented for it); f64_steps runs its first steps, and X^a, in
    float64.  Its result is c^p Y_K of the table's recurrence, which is
    U S^p V^T only as far as the table's constants make it converge.

    Singular values in [table.lo, table.hi] c are certified (table.max_rel_err
    in exact arithmetic); zero singular values map to 0 for every p.  The
    result has G's dtype and shape.  ValueError for bad arguments or a NaN/Inf
    anywhere in G (naming the batch index); nothing is computed then.
    """
    if not isinstance(table, Table):
        raise ValueError("spectral_power: table must be a spow.Table (spow.load_table)")
    if not isinstance(G, torch.Tensor):
        raise ValueError("spectral_power: G must be a torch.Tensor")
    if G.dtype not in _FLOATS:
        raise ValueError(f"spectral_power: dtype {G.dtype}; use float64, float32 or bfloat16")
    if G.dim() < 2 or G.shape[-1] == 0 or G.shape[-2] == 0:
        raise ValueError(f"spectral_power: G must have shape (..., m, n) with m, n >= 1, "
                         f"got {tuple(G.shape)}")
    if G.is_complex() or G.layout != torch.strided:
        raise ValueError("spectral_power: G must be a dense real tensor")
    if isinstance(f64_steps, bool) or not isinstance(f64_steps, int) or f64_steps < 0:
        raise ValueError(f"spectral_power: f64_steps must be an int >= 0, got {f64_steps!r}")
    cdt = G.dtype if compute_dtype is None else compute_dtype
    if cdt not in _FLOATS:
        raise ValueError(f"spectral_power: compute_dtype {cdt!r}; use float64, float32 "
                         f"or bfloat16")
    if cdt == torch.bfloat16 and table.hi < BF16_MIN_HI:
        # tables fitted up to 1.001 blow up (Inf/NaN) in bf16 arithmetic:
        # refuse rather than return garbage
        raise ValueError(f"spectral_power: table {table.name} (hi = {table.hi:g}) is not "
                         f"fitted for bfloat16 arithmetic; use spow.load_table(p, 1e-2, "
                         f"bf16=True) or compute_dtype=torch.float32")
    if stats is not None and not isinstance(stats, dict):
        raise ValueError("spectral_power: stats must be a dict or None")
    if scaling is not None and scaling not in SCALINGS:
        raise ValueError(f"spectral_power: scaling {scaling!r}; known: {', '.join(SCALINGS)}")
    if not isinstance(small_side, bool):
        raise ValueError(f"spectral_power: small_side must be True or False, got {small_side!r}")
    if small_side and table.family == "fixed-point":
        # the small side would carry H with Y = X H (H a polynomial in X^T X):
        # possible, but neither implemented nor in the table format's cost
        raise ValueError(f"spectral_power: small_side=True is not supported for the "
                         f"fixed-point table {table.name}; use small_side=False")

    batch, (rows, cols) = tuple(G.shape[:-2]), G.shape[-2:]
    with torch.no_grad():
        G3 = G.detach().reshape(-1, rows, cols)
        _check_finite(G3, batch)
        out, c, gemms = _apply(table, G3, normalized, f64_steps, cdt, scaling, small_side)
    if stats is not None:
        stats["gemms"] = gemms
        stats["norm"] = c.reshape(batch)
    return out.to(G.dtype).reshape(G.shape)


def _apply(t, G3, normalized, f64_steps, cdt, scaling, small_side=False):
    """(result in float64 or cdt, scales c, products) for a finite (b, rows, cols) batch."""
    b, rows, cols = G3.shape
    if b == 0:
        return G3.clone(), torch.zeros(0, dtype=torch.float64, device=G3.device), 0
    method = DEFAULT_SCALING if scaling is None else scaling
    r, e = scale(G3, method)
    c = torch.ldexp(r, e)
    zero = r == 0
    anyzero = bool(zero.any())
    if t.x_power == 0 and not normalized:
        # p = 1 is G itself: copied, not rounded through 1/c and c.
        return torch.where(zero.view(-1, 1, 1), torch.zeros_like(G3), G3), c, 0
    y = _load(G3, r, e, c, zero)
    steps = len(t.steps)
    # the small side runs whole in one dtype: float64 if any step would
    nd = steps if cdt == torch.float64 or (small_side and f64_steps > 0) else \
        min(f64_steps, steps)
    if t.x_power == 0:
        steps = 0  # p = 1, normalized: G / c
    run = _Run(rows, cols, small_side and steps > 0)
    y = y if nd > 0 else y.to(cdt)
    gram = method if method != "frobenius" else None
    if t.family == "fixed-point":
        x, w = _fixed_point_steps(run, t, y, nd, cdt, gram)
    else:
        x, w = _coupled_steps(run, t, y, steps, nd, cdt, gram)
    if w is not None:  # c = ||G||_F / w (runtime's rescaled)
        r = torch.where(zero, r, r / w)
        c = torch.ldexp(r, e)
    if not normalized:
        x = _rescale(x, [(1.0, 1.0, 1.0) if zero[i] else
                         _result_scale(float(r[i]), int(e[i]), t.p_num, t.p_den)
                         for i in range(b)])
    if anyzero:
        x = torch.where(zero.view(-1, 1, 1), torch.zeros_like(x), x)
    return x, c, 0 if bool(zero.all()) else run.gemms


_NORMAL = (2.0 ** -1000, 2.0 ** 1000)


def _load(G3, r, e, c, zero):
    """Y = G / c in float64 (the runtime's (G 2^-e) / r).  Dividing by c = r 2^e
    directly rounds the same real number once, so it is the same double
    whenever c is normal; otherwise the power of two goes first."""
    if bool(((c > _NORMAL[0]) & (c < _NORMAL[1]) | zero).all()):
        # a float64 result whatever G3's dtype (type promotion)
        return torch.div(G3, torch.where(zero, torch.ones_like(c), c).view(-1, 1, 1))
    rs = torch.where(zero, torch.ones_like(r), r)
    return _ldexp_split(G3.double(), -e) / rs.view(-1, 1, 1)


def _rescale(x, factors):
    """x f0 f1 f2 in float64, the runtime's left-to-right product; f1, f2 are
    powers of two, so one multiplication by f0 f1 f2 rounds the same way
    whenever that product and f0 are normal (one pass instead of three)."""
    f = torch.tensor(factors, dtype=torch.float64, device=x.device)
    prod = f[:, 0] * f[:, 1] * f[:, 2]
    ok = (prod.abs() > _NORMAL[0]) & (prod.abs() < _NORMAL[1]) & \
         (f[:, 0].abs() > _NORMAL[0]) & (f[:, 0].abs() < _NORMAL[1])
    if bool(ok.all()):
        return torch.mul(x, prod.view(-1, 1, 1))  # float64 result for any x dtype
    x = x.double()
    return x * f[:, 0].view(-1, 1, 1) * f[:, 1].view(-1, 1, 1) * f[:, 2].view(-1, 1, 1)
