"""The DynMuon schedule of p: logistic from p_max down to p_min over training."""
import math
from fractions import Fraction

from .tables import parse_p, shipped_ps


def _as_fraction(v, what):
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"{what} = {v!r} is not finite")
        return Fraction(v).limit_denominator(1 << 20)
    return parse_p(v)


class DynMuon:
    """p(step) = p_min + (p_max - p_min) / (1 + exp((step - tau) / width)),
    tau = tau_ratio * total_steps, width = width_ratio * total_steps: p_max
    early, p_min (default -1/4) late, the switch centred at tau.

    Calling the schedule returns the grid value nearest to p(step) (ties to
    the larger p): the p whose table the optimizer applies.  The grid is the
    shipped p in [p_min, p_max] unless given (a list of p for which tables
    exist, e.g. generated ahead with spow-gen and loaded by the caller; then
    the optimizer needs load_table to find them: put them in SPOW_TABLES_DIR).
    ``continuous(step)`` is the logistic value itself.

    The defaults p_max = 1/2, tau_ratio = 0.5, width_ratio = 0.1 are spow's
    choice, not constants from the DynMuon paper."""

    def __init__(self, total_steps, p_max="1/2", p_min="-1/4", tau_ratio=0.5,
                 width_ratio=0.1, grid=None):
        if isinstance(total_steps, bool) or not isinstance(total_steps, int) or total_steps < 1:
            raise ValueError(f"total_steps = {total_steps!r}: need an int >= 1")
        for name, v in (("tau_ratio", tau_ratio), ("width_ratio", width_ratio)):
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise ValueError(f"{name} = {v!r} is not a finite number")
        if width_ratio <= 0:
            raise ValueError(f"width_ratio = {width_ratio!r}: need > 0")
        self.total_steps = total_steps
        self.p_max = _as_fraction(p_max, "p_max")
        self.p_min = _as_fraction(p_min, "p_min")
        if not self.p_min < self.p_max:
            raise ValueError(f"p_min = {self.p_min} must be below p_max = {self.p_max}")
        self.tau_ratio = float(tau_ratio)
        self.width_ratio = float(width_ratio)
        if grid is None:
            grid = [q for q in shipped_ps() if self.p_min <= q <= self.p_max]
        self.grid = sorted({parse_p(q) if not isinstance(q, Fraction) else q for q in grid})
        if not self.grid:
            raise ValueError(f"no p on the grid between p_min = {self.p_min} and "
                             f"p_max = {self.p_max}")

    def continuous(self, step):
        """The logistic p at ``step`` (a float)."""
        tau = self.tau_ratio * self.total_steps
        w = self.width_ratio * self.total_steps
        z = (step - tau) / w
        span = float(self.p_max - self.p_min)
        # exp overflows for z > 709: the logistic is p_min there
        return float(self.p_min) + (span / (1.0 + math.exp(z)) if z < 700 else 0.0)

    def __call__(self, step):
        v = self.continuous(step)
        return min(self.grid, key=lambda q: (abs(float(q) - v), -q))

    def switch_steps(self):
        """[(first step, p)] for every grid p the schedule uses, in order: the
        steps at which the optimizer changes tables."""
        out, last = [], None
        for s in range(self.total_steps):
            q = self(s)
            if q != last:
                out.append((s, q))
                last = q
        return out

    def __repr__(self):
        return (f"DynMuon(total_steps={self.total_steps}, p_max={self.p_max}, "
                f"p_min={self.p_min}, tau_ratio={self.tau_ratio}, "
                f"width_ratio={self.width_ratio}, grid={[str(q) for q in self.grid]})")
