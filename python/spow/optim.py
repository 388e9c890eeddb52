"""MuonP: Muon with the update U S^p V^T of the momentum (a torch.optim.Optimizer)."""
import math
import warnings
from fractions import Fraction

import torch

from .apply import spectral_power
from .tables import float_to_shipped_p, load_table, parse_p

ALGORITHMS = ("muon_p", "adamw")
ADJUST_LR = ("spectral_norm", "rms_norm", None)


def _resolve_p(p, step):
    """The Fraction p for this step (p may be a callable step -> p)."""
    v = p(step) if callable(p) else p
    if isinstance(v, float):
        return float_to_shipped_p(v)
    return v if isinstance(v, Fraction) else parse_p(v)


def _matrix_view(x):
    """The (batch, rows, cols) view the spectral power acts on: a matrix as
    itself, a 3-D tensor as a batch of matrices, 4-D and up (conv weights,
    out x in x kh x kw) flattened to out x (in kh kw)."""
    if x.dim() == 2:
        return x.unsqueeze(0)
    if x.dim() == 3:
        return x
    return x.reshape(1, x.shape[0], -1)


def _lr_factor(rule, rows, cols):
    if rule == "spectral_norm":
        # the update's spectral norm becomes sqrt(fan_out / fan_in)
        return math.sqrt(rows / cols)
    if rule == "rms_norm":
        # an orthogonal update's RMS is 1/sqrt(max dim): 0.2 sqrt(max dim)
        # brings it to 0.2, about AdamW's update RMS
        return 0.2 * math.sqrt(max(rows, cols))
    return 1.0


def _distributed():
    d = torch.distributed
    if d.is_available() and d.is_initialized() and d.get_world_size() > 1:
        return d.get_rank(), d.get_world_size()
    return 0, 1


class MuonP(torch.optim.Optimizer):
    """Muon^p: momentum (Nesterov by default), then the update
    O = U (S / ||M||_F)^p V^T of the momentum M = U S V^T, computed by
    spow.spectral_power with the shipped table for p (normalized output, so
    p = 0 is Muon's polar factor and the update does not depend on the scale
    of the gradient).

    Parameters (each may also be set per param group):
      lr            learning rate; the step is lr * factor * O with factor
                    from adjust_lr
      p             a number (0.5 means 1/2: a float must equal a shipped p),
                    a Fraction or string ("1/2", "-1/4"), or a callable
                    step -> p such as spow.DynMuon(total_steps)
      momentum      0.95; the buffer is the EMA b <- momentum b + (1 - momentum) g
      nesterov      True: the update uses g + momentum (b - g) (= lerp(g, b, momentum))
      weight_decay  decoupled: param <- param (1 - lr weight_decay)
      lo            the table must certify [lo, 1] (after scaling)
      max_err       None (default): the most accurate table for p and lo; a
                    number such as 1e-2: the cheapest table certifying at
                    most that (tables/target/: fewer products, see
                    spow.load_table), the accuracy training usually needs
      adjust_lr     "spectral_norm" (sqrt(fan_out / fan_in)), "rms_norm"
                    (0.2 sqrt(max(fan_out, fan_in))) or None
      small_side    False (default) or True: run the spectral power on the
                    Gram side (spectral_power's small_side, libspow's
                    SPOW_SMALL_SIDE): about half the flops on 4:1 matrices.
                    With float32 parameters set f64_steps=1 too, so that side
                    runs in float64 (in float32 its error grows like
                    u / s^2 for small singular values s; docs/runtime.md).
                    Refused (ValueError) when the table for p is a
                    fixed-point one (a $SPOW_TABLES_DIR holding such tables)
      f64_steps, compute_dtype
                    passed to spectral_power; compute_dtype defaults to float32
                    for bfloat16 parameters.  compute_dtype=torch.bfloat16
                    uses the tables fitted for bf16 (tables/bf16/, lo = 1e-2:
                    pass lo=1e-2); the other tables blow up in bf16 arithmetic
                    (docs/python.md)
      nonfinite     "skip" (default): a parameter whose gradient holds NaN/Inf
                    is left unchanged this step (momentum, decay and update
                    skipped) with a RuntimeWarning; "raise": ValueError
      betas, eps    for the param groups with algorithm="adamw"

    Param groups are flagged by ``algorithm``: "muon_p" (default; matrices,
    3-D batches of matrices, conv weights) or "adamw" (embeddings, heads,
    1-D parameters), all in one optimizer.  Same-shape parameters of a group
    go through one batched spectral_power call.  When torch.distributed is
    initialised with more than one process, each rank computes the spectral
    powers of a share of every batch and all_gather gives every rank all of
    them: parameters stay identical on all ranks, provided the gradients are
    (e.g. averaged by DistributedDataParallel).
    """

    def __init__(self, params, lr, p="1/2", momentum=0.95, nesterov=True,
                 weight_decay=0.0, lo=1e-3, adjust_lr="spectral_norm", betas=(0.9, 0.95),
                 eps=1e-8, f64_steps=0, compute_dtype=None, nonfinite="skip", max_err=None,
                 small_side=False):
        defaults = dict(lr=lr, p=p, momentum=momentum, nesterov=nesterov,
                        weight_decay=weight_decay, lo=lo, max_err=max_err, adjust_lr=adjust_lr,
                        betas=betas, eps=eps, f64_steps=f64_steps, small_side=small_side,
                        compute_dtype=compute_dtype, nonfinite=nonfinite,
                        algorithm="muon_p", step=0)
        super().__init__(params, defaults)

    def add_param_group(self, param_group):
        # also reached from __init__: every group is checked, however added,
        # and a refused group is not kept
        super().add_param_group(param_group)
        try:
            self._check_group(self.param_groups[-1])
        except ValueError:
            self.param_groups.pop()
            raise

    def _check_group(self, g):
        if g["algorithm"] not in ALGORITHMS:
            raise ValueError(f"algorithm {g['algorithm']!r}: use one of {ALGORITHMS}")
        for key in ("lr", "weight_decay", "eps"):
            v = g[key]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not v >= 0 \
                    or not math.isfinite(v):
                raise ValueError(f"{key} = {v!r}: need a finite number >= 0")
        if isinstance(g["momentum"], bool) or not isinstance(g["momentum"], (int, float)) \
                or not 0.0 <= g["momentum"] < 1.0:
            raise ValueError(f"momentum = {g['momentum']!r}: need 0 <= momentum < 1")
        b = g["betas"]
        if not isinstance(b, (tuple, list)) or len(b) != 2 \
                or not all(isinstance(x, (int, float)) and 0.0 <= x < 1.0 for x in b):
            raise ValueError(f"betas = {b!r}: need two numbers in [0, 1)")
        if g["adjust_lr"] not in ADJUST_LR:
            raise ValueError(f"adjust_lr {g['adjust_lr']!r}: use one of {ADJUST_LR}")
        if g["nonfinite"] not in ("skip", "raise"):
            raise ValueError(f"nonfinite {g['nonfinite']!r}: use 'skip' or 'raise'")
        if not isinstance(g.get("small_side", False), bool):
            raise ValueError(f"small_side {g['small_side']!r}: use True or False")
        if g["algorithm"] != "muon_p":
            return
        for x in g["params"]:
            if x.dim() < 2:
                raise ValueError(f"a {x.dim()}-D parameter of shape {tuple(x.shape)} in a "
                                 f"muon_p group: put it in a group with algorithm='adamw'")
        # fail now, not at step 1000, on an unknown p (the schedule's first p)
        if g["compute_dtype"] not in (None, torch.float64, torch.float32, torch.bfloat16):
            raise ValueError(f"compute_dtype {g['compute_dtype']!r}: use float64, float32 "
                             f"or bfloat16")
        t = _table(_resolve_p(g["p"], g["step"]), g["lo"], g["compute_dtype"], g.get("max_err"))
        if g.get("small_side", False) and t.family == "fixed-point":
            raise ValueError(f"small_side=True: the table for p = {t.p} ({t.name}) is a "
                             f"fixed-point table, for which no Gram-side form is "
                             f"implemented; use small_side=False")

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for g in self.param_groups:
            if g["algorithm"] == "adamw":
                self._adamw(g)
            else:
                self._muon_p(g)
            g["step"] += 1
        return loss

    def _finite_grads(self, g):
        """The parameters of g with a gradient, after the nonfinite policy."""
        out = []
        for x in g["params"]:
            if x.grad is None:
                continue
            if x.grad.is_sparse:
                raise ValueError("MuonP does not take sparse gradients")
            if not bool(torch.isfinite(x.grad).all()):
                msg = (f"MuonP: NaN or Inf in the gradient of a parameter of shape "
                       f"{tuple(x.shape)} at step {g['step']}")
                if g["nonfinite"] == "raise":
                    raise ValueError(msg)
                warnings.warn(msg + ": its update is skipped", RuntimeWarning)
                continue
            out.append(x)
        return out

    def _muon_p(self, g):
        params = self._finite_grads(g)
        if not params:
            return
        q = _resolve_p(g["p"], g["step"])
        g["p_used"] = q
        mu = g["momentum"]
        buckets = {}
        for x in params:
            st = self.state[x]
            if "momentum_buffer" not in st:
                st["momentum_buffer"] = torch.zeros_like(x)
            buf = st["momentum_buffer"]
            buf.lerp_(x.grad, 1.0 - mu)
            u = x.grad.lerp(buf, mu) if g["nesterov"] else buf
            m = _matrix_view(u)
            buckets.setdefault((tuple(m.shape[1:]), m.dtype, m.device), []).append((x, m))
        for (shape, dtype, _), items in buckets.items():
            M = torch.cat([m for _, m in items])
            cdt = g["compute_dtype"] or (torch.float32 if dtype == torch.bfloat16 else dtype)
            # .get: groups saved before max_err existed load without the key
            table = _table(q, g["lo"], cdt, g.get("max_err"))
            O = _spectral_power_shared(table, M, g["f64_steps"], cdt,
                                       g.get("small_side", False))
            lr = g["lr"] * _lr_factor(g["adjust_lr"], *shape)
            i = 0
            for x, m in items:
                n = m.shape[0]
                if g["weight_decay"]:
                    x.mul_(1.0 - g["lr"] * g["weight_decay"])
                x.add_(O[i:i + n].reshape(x.shape).to(x.dtype), alpha=-lr)
                i += n

    def _adamw(self, g):
        b1, b2 = g["betas"]
        for x in self._finite_grads(g):
            st = self.state[x]
            if "exp_avg" not in st:
                st["step"] = 0
                st["exp_avg"] = torch.zeros_like(x)
                st["exp_avg_sq"] = torch.zeros_like(x)
            st["step"] += 1
            t = st["step"]
            if g["weight_decay"]:
                x.mul_(1.0 - g["lr"] * g["weight_decay"])
            st["exp_avg"].lerp_(x.grad, 1.0 - b1)
            st["exp_avg_sq"].mul_(b2).addcmul_(x.grad, x.grad, value=1.0 - b2)
            denom = (st["exp_avg_sq"].sqrt() / math.sqrt(1.0 - b2 ** t)).add_(g["eps"])
            x.addcdiv_(st["exp_avg"], denom, value=-g["lr"] / (1.0 - b1 ** t))


def _table(q, lo, compute_dtype, max_err=None):
    """The table for p = q: in bfloat16 arithmetic one of the bf16 tables (the
    others blow up there, docs/python.md), else the most accurate shipped one,
    or with max_err the cheapest certifying max_err."""
    return load_table(q, lo, bf16=compute_dtype == torch.bfloat16, max_err=max_err)


def _spectral_power_shared(table, M, f64_steps, cdt, small_side=False):
    """spectral_power of the (k, rows, cols) batch M, normalized by the
    Frobenius norm (the optimizer's update convention, independent of the
    runtime's default scaling), its work shared among the ranks if
    torch.distributed runs: rank r computes the r-th contiguous share and
    all_gather hands every share to every rank."""
    rank, world = _distributed()
    kw = dict(normalized=True, scaling="frobenius", f64_steps=f64_steps, compute_dtype=cdt,
              small_side=small_side)
    if world == 1:
        return spectral_power(table, M, **kw)
    k = M.shape[0]
    share = -(-k // world)
    mine = M[rank * share:(rank + 1) * share]
    # gloo has no bfloat16: results travel in float32 (exact for bf16 values)
    wire = torch.float32 if M.dtype == torch.bfloat16 else M.dtype
    out = torch.zeros((share,) + tuple(M.shape[1:]), dtype=wire, device=M.device)
    if mine.shape[0]:
        out[:mine.shape[0]] = spectral_power(table, mine, **kw).to(wire)
    parts = [torch.empty_like(out) for _ in range(world)]
    torch.distributed.all_gather(parts, out)
    return torch.cat(parts)[:k].to(M.dtype)
