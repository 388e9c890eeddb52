"""The released DynMuon code's spectral transform, re-implemented from its
description (not from its source).

The description: for a scheduled exponent p the released code
  * returns G unchanged when p >= 1/4,
  * returns Newton-Schulz's polar factor when 0 <= p < 1/4,
  * uses a second-order expansion around the identity when p < 0.
It never computes U S^p V^T for the p it is given.

Our reading, on the scale every transform here works on (the input divided
by its Frobenius norm, as Muon's Newton-Schulz does, so that the singular
values s lie in (0, 1]; spow's tables see the same s):
  * p >= 1/4:   X = G / ||G||_F, i.e. U S^1 V^T in place of U S^p V^T;
  * 0 <= p < 1/4: O = NS5(X), Keller Jordan's quintic (3.4445, -4.7750,
    2.0315) for 5 steps, i.e. roughly U V^T (its singular values land in
    about [0.7, 1.2], not exactly 1);
  * p < 0:      O (I + p E + p (p - 1) / 2 E^2), with H = O^T X (the
    symmetric factor of the polar decomposition, on the small side) and
    E = H - I: the Taylor polynomial of degree 2 of s^p around s = 1.
    For s = 1 it is exact; for small s it stays bounded (at s -> 0 it gives
    1 - p + p (p - 1) / 2, 1.41 for p = -1/4) where s^p grows without bound.
All three return matrices on the normalized scale, so a caller applies the
same learning-rate scaling to them as to spow's normalized U S^p V^T.
"""

import torch

NS_COEFFS = (3.4445, -4.7750, 2.0315)
NS_STEPS = 5


def _newton_schulz(X, steps=NS_STEPS):
    """Muon's quintic iteration on a matrix with ||X||_F <= 1 (batched)."""
    a, b, c = NS_COEFFS
    wide = X.shape[-2] <= X.shape[-1]
    Y = X if wide else X.mT           # Gram matrices on the small side
    for _ in range(steps):
        A = Y @ Y.mT
        Y = a * Y + (b * A + c * (A @ A)) @ Y
    return Y if wide else Y.mT


def released_transform(G, p):
    """The released DynMuon transform of G (..., m, n) for exponent p,
    on the Frobenius-normalized scale (see the module docstring)."""
    c = torch.linalg.matrix_norm(G.double(), keepdim=True).clamp_min(1e-30)
    X = (G.double() / c).to(G.dtype)
    if p >= 0.25:
        return X
    O = _newton_schulz(X)
    if p >= 0:
        return O
    tall = X.shape[-2] >= X.shape[-1]
    if tall:                           # H = O^T X is n x n (small side)
        H = O.mT @ X
    else:                              # wide: work with X O^T = U S U^T
        H = X @ O.mT
    H = (H + H.mT) / 2                 # symmetric in exact arithmetic
    eye = torch.eye(H.shape[-1], dtype=H.dtype, device=H.device)
    E = H - eye
    P = eye + p * E + (p * (p - 1) / 2) * (E @ E)
    return O @ P if tall else P @ O


class ReleasedDynMuon(torch.optim.Optimizer):
    """Muon's step (momentum, Nesterov, decoupled weight decay) with
    transform(M, p) (default `released_transform`) in place of the polar
    factor and p = schedule(step).

    The step follows spow.MuonP's conventions (EMA momentum buffer, Nesterov
    as lerp(g, buffer, momentum), decay param *= 1 - lr weight_decay) so
    that, beside MuonP, only the transform differs.

    For hidden matrices only (2-D, or batches of them); pair it with AdamW
    for the rest.  Same-shape parameters go through one batched transform.
    `scale(m, n)` multiplies the transform's output before the learning rate
    (the caller passes the rule the spow optimizer it is compared with uses,
    so that only the transform differs).
    """

    def __init__(self, params, lr, schedule, scale, momentum=0.95,
                 nesterov=True, weight_decay=0.0, transform=released_transform):
        defaults = dict(lr=lr, momentum=momentum, nesterov=nesterov,
                        weight_decay=weight_decay)
        super().__init__(params, defaults)
        self.schedule = schedule
        self.scale = scale
        self.transform = transform
        self.steps_done = 0

    @torch.no_grad()
    def step(self, closure=None):
        p = float(self.schedule(self.steps_done))
        for group in self.param_groups:
            by_shape = {}
            for w in group["params"]:
                if w.grad is None:
                    continue
                if w.dim() < 2:
                    raise ValueError("ReleasedDynMuon takes matrices only")
                buf = self.state[w].setdefault(
                    "momentum_buffer", torch.zeros_like(w))
                buf.lerp_(w.grad, 1 - group["momentum"])
                u = (w.grad.lerp(buf, group["momentum"])
                     if group["nesterov"] else buf)
                by_shape.setdefault(tuple(w.shape), []).append((w, u))
            for shape, pairs in by_shape.items():
                d = self.transform(torch.stack([u for _, u in pairs]), p)
                alpha = -group["lr"] * self.scale(shape[-2], shape[-1])
                for (w, _), dw in zip(pairs, d):
                    w.mul_(1 - group["lr"] * group["weight_decay"])
                    w.add_(dw, alpha=alpha)
        self.steps_done += 1
