"""Discounting arithmetic on yearly cash flows (numpy-financial), and debt cover ratios.

A cash-flow vector's first value is year 0 (not discounted); rates are fractions per year.
"""

from __future__ import annotations

import math

import numpy as np
import numpy_financial as npf
from numpy.typing import ArrayLike, NDArray

Vector = NDArray[np.float64]

NEWTON_STEPS = 3
"""Newton refinements of numpy-financial's IRR (its roots come from an eigenvalue solve)."""


def npv(rate: float, values: ArrayLike) -> float:
    """Net present value at ``rate``, the first value undiscounted."""
    return float(npf.npv(rate, np.asarray(values, dtype=np.float64)))


def _npv_and_slope(rate: float, values: Vector) -> tuple[float, float]:
    t = np.arange(values.size)
    factor = (1.0 + rate) ** -t
    return float(np.sum(values * factor)), float(np.sum(-t * values * factor / (1.0 + rate)))


def irr(values: ArrayLike) -> float | None:
    """Internal rate of return (the root closest to 0), or ``None`` when there is none."""
    flows = np.asarray(values, dtype=np.float64)
    rate = float(npf.irr(flows))
    if math.isnan(rate):
        return None
    for _ in range(NEWTON_STEPS):
        value, slope = _npv_and_slope(rate, flows)
        if slope == 0.0 or not math.isfinite(value / slope):
            break
        rate -= value / slope
    return rate


def payback_years(values: ArrayLike) -> float | None:
    """Years from year 0 until the cumulative cash flow turns non-negative for good.

    Interpolated within the year it turns; ``None`` if it never does.
    """
    cumulative = np.cumsum(np.asarray(values, dtype=np.float64))
    negative = np.flatnonzero(cumulative < 0)
    if negative.size == 0:
        return 0.0
    last = int(negative[-1])
    if last == cumulative.size - 1:
        return None
    step = cumulative[last + 1] - cumulative[last]
    return last + float(-cumulative[last] / step)


def cover_ratio(available: Vector, service: Vector) -> Vector:
    """``available / service`` where ``service`` is positive, else NaN (DSCR per year)."""
    out = np.full(available.shape, np.nan)
    due = service > 0
    out[due] = available[due] / service[due]
    return out


def llcr(cfads: Vector, balance: Vector, maturity: int, rate: float) -> Vector:
    """Loan-life cover ratio per year: PV of CFADS to the debt's maturity over opening debt.

    ``balance[t]`` is the debt outstanding at the start of year ``t``; NaN where it is zero.
    """
    out = np.full(cfads.shape, np.nan)
    for t in range(min(maturity + 1, cfads.size)):
        if balance[t] > 0:
            out[t] = npv(rate, cfads[t : maturity + 1]) / balance[t]
    return out
