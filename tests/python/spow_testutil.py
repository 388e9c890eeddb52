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
