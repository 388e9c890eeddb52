"""Helpers shared by the Python tests: matrices with a prescribed spectrum and
the exact spectral power they should map to."""
import math

import torch


def orthonormal(n, k, gen):
    """n x k with orthonormal columns (QR of a Gaussian, float64)."""
    q, r = torch.linalg.qr(torch.randn(n, k, dtype=torch.float64, generator=gen))
    return q * torch.sign(torch.diagonal(r))


def prescribed(rows, cols, smin, c, gen, batch=()):
    """G = U diag(s) V^T with s log-spaced in [smin, 1] * c (float64), and
    (U, s, V) for the exact reference."""
    k = min(rows, cols)
    n = int(math.prod(batch))
    Us = torch.stack([orthonormal(rows, k, gen) for _ in range(max(n, 1))])
    Vs = torch.stack([orthonormal(cols, k, gen) for _ in range(max(n, 1))])
    s = c * torch.logspace(math.log10(smin), 0.0, k, dtype=torch.float64)
    G = Us @ torch.diag_embed(s.expand(max(n, 1), k)) @ Vs.mT
    shape = tuple(batch) + (rows, cols)
    return G.reshape(shape), Us, s, Vs


def svd_power(G64, p):
    """U S^p V^T from torch.linalg.svd (float64), zero singular values to 0."""
    U, S, Vh = torch.linalg.svd(G64, full_matrices=False)
    Sp = torch.where(S > 0, S.pow(float(p)), torch.zeros_like(S))
    return U @ torch.diag_embed(Sp) @ Vh


def rel_fro(a, b):
    """||a - b||_F / ||b||_F per matrix, the largest over the batch."""
    a = a.double().reshape(-1, *a.shape[-2:])
    b = b.double().reshape(-1, *b.shape[-2:])
    return float(((a - b).norm(dim=(-2, -1)) / b.norm(dim=(-2, -1))).max())


def every_table():
    """Every shipped table: those libspow lists, the bf16 ones and those
    fitted to 1e-2 and 1e-3 (tables/target/)."""
    import spow
    return spow.shipped_tables() + spow.shipped_tables(bf16=True) + \
        spow.shipped_tables(target=True)


def table_from_dict(d):
    """spow.load_table_file of the spow-gen JSON dict d, through a temporary file."""
    import json
    import os
    import tempfile
    import spow
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(d, f)
    try:
        return spow.load_table_file(f.name)
    finally:
        os.unlink(f.name)


def as_ps(d):
    """A copy of the JSON dict d with every step's product form (Sastre's or
    the nested one) dropped: the same g, which ps hold, by Paterson-Stockmeyer
    at its cost ((baby - 1) + (blocks - 1) products for g where the form
    takes k + 1 or 4: step_gemms and gemms follow)."""
    import copy
    import spow
    d = copy.deepcopy(d)
    for i, e in enumerate(d["evaluation"]):
        scheme = e.pop("scheme", None)
        if scheme is None:
            continue
        form = e["k"] + 1 if scheme == "sastre" else spow.tables.NESTED_PRODUCTS
        for key in ("k", "sign", "shift", "form"):
            e.pop(key, None)
        d["step_gemms"][i] += (e["baby"] - 1) + (e["blocks"] - 1) - form
    d["gemms"] = sum(d["step_gemms"])
    return d


# The product-form tests (test_sastre_form.py, test_nested_form.py) share the
# checks below; each calls them with its own tables, AMP and expected counts.

UNIT = {torch.float64: 2.0 ** -53, torch.float32: 2.0 ** -24}


def form_rounding(amp, k, gemms, u):
    """The rounding term amp k (gemms + 2) u of tests/runtime/t_sastre.c: amp
    the scalar map's amplification, k the larger dimension, gemms the apply's
    products, u the unit roundoff the steps ran in."""
    return amp * k * (gemms + 2) * u


def check_form_apply(tc, t, t_ps, lib_apply, name, fewer, gen, shapes, amp, d=0.0):
    """The package's apply of the p = 1/2 table t with product forms, on
    G = U diag(s) V^T (prescribed: s from 1e-2 to 1, times 2.5) of each shape,
    rectangular and on the small side, in float64, float32 and float32 with
    f64_steps 1 (float32 without it is skipped on the small side: it is for
    spectra near 1, spow.h), checked with the unittest.TestCase tc against:
      libspow       lib_apply(name, G, small_side, f64_steps, scale) -> (F, stats),
                    scale "default", the same products;
      the PS copy   t_ps (as_ps) in the package and name + "_ps" in libspow:
                    fewer more products in both (off the small side the
                    package makes t.gemms);
    the three pairwise within twice the rounding term (form_rounding, over
    s_min^2 on the small side); and the answer, the exact U S^(1/2) V^T in
    float64, within cert + rounding + d (cert: max_rel_err, or max_rel_err_f32
    when the steps ran in float32)."""
    import spow
    for (rows, cols), small in ((s, sm) for s in shapes for sm in (False, True)):
        G, U, s, V = prescribed(rows, cols, 1e-2, 2.5, gen)
        k = max(rows, cols)
        for dt, f64_steps in ((torch.float64, 0), (torch.float32, 0), (torch.float32, 1)):
            if small and dt == torch.float32 and f64_steps == 0:
                continue  # a float small side is for spectra near 1 (spow.h)
            what = (name, rows, cols, small, str(dt), f64_steps)
            Gd = G.to(dt)
            st, st_ps = {}, {}
            Fp = spow.spectral_power(t, Gd, small_side=small, f64_steps=f64_steps, stats=st)
            Fq = spow.spectral_power(t_ps, Gd, small_side=small, f64_steps=f64_steps,
                                     stats=st_ps)
            Fc, cst = lib_apply(name, Gd, small, f64_steps, "default")
            Fc_ps, cst_ps = lib_apply(name + "_ps", Gd, small, f64_steps, "default")
            tc.assertEqual(st["gemms"], cst.gemm_calls, what)
            tc.assertEqual(st_ps["gemms"] - st["gemms"], fewer, what)
            tc.assertEqual(cst_ps.gemm_calls - cst.gemm_calls, fewer, what)
            if not small:
                tc.assertEqual(st["gemms"], t.gemms, what)
            # the small side's float64 run, or all in float32
            u = UNIT[torch.float64] if small or dt == torch.float64 else UNIT[dt]
            smin = float(s.min() / cst.norm)
            rnd = form_rounding(amp, k, cst.gemm_calls, u) / (smin ** 2 if small else 1.0)
            tc.assertLessEqual(rel_fro(Fp, Fc), 2 * rnd, what)
            tc.assertLessEqual(rel_fro(Fp, Fq), 2 * rnd, what)
            tc.assertLessEqual(rel_fro(Fc, Fc_ps), 2 * rnd, what)
            if dt == torch.float64:
                ref, cert = U[0] @ torch.diag(s.sqrt()) @ V[0].mT, t.max_rel_err
            else:
                # the SVD's of G rounded to float (the matrix given), plus
                # one float rounding of the result
                ref = svd_power(Gd.double(), t.p)
                cert = t.max_rel_err_f32 if u == UNIT[torch.float32] else t.max_rel_err
                rnd += UNIT[torch.float32]
            tc.assertLessEqual(rel_fro(Fp, ref), cert + rnd + d, what)


def check_form_scalings(tc, t, lib_apply, name, gen, scalings, amp):
    """The package's float64 apply of t to a batch of two 48 x 32 matrices
    (prescribed: s from 1e-2 to 1, times 3) under each scaling against
    libspow's (lib_apply as in check_form_apply) of each matrix: t.gemms
    products in both, within twice the rounding term."""
    import spow
    G, _, _, _ = prescribed(48, 32, 1e-2, 3.0, gen, batch=(2,))
    for scaling in scalings:
        st = {}
        Fp = spow.spectral_power(t, G, scaling=scaling, stats=st)
        tc.assertEqual(st["gemms"], t.gemms)
        for i in range(2):
            Fc, cst = lib_apply(name, G[i], False, 0, scaling)
            tc.assertEqual(cst.gemm_calls, t.gemms)
            tol = 2 * form_rounding(amp, 48, t.gemms, UNIT[torch.float64])
            tc.assertLessEqual(rel_fro(Fp[i], Fc), tol, (scaling, i))
