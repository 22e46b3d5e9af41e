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


def start_value(rate: float, values: ArrayLike) -> float:
    """Present value at the start of the first year of flows that arrive at the end of each
    year (each discounted one year more than :func:`npv` discounts it)."""
    return npv(rate, values) / (1.0 + rate)


def _npv_and_slope(rate: float, values: Vector) -> tuple[float, float]:
    t = np.arange(values.size)
    factor = (1.0 + rate) ** -t
    return float(np.sum(values * factor)), float(np.sum(-t * values * factor / (1.0 + rate)))


RATE_GRID = np.concatenate([np.linspace(-0.99, 1.0, 400), np.geomspace(1.0, 1e3, 200)[1:]])
"""Rates scanned for sign changes of the NPV when numpy-financial finds no root."""
NEGLIGIBLE = 1e-13
"""Trailing flows smaller than this share of the largest are dropped before root finding."""


def _npv_at(rate: float, values: Vector) -> float:
    return float(np.sum(values * (1.0 + rate) ** -np.arange(values.size)))


def _bracketed_root(values: Vector) -> float | None:
    """The root closest to 0 among sign changes of the NPV on :data:`RATE_GRID` (Brent)."""
    from scipy.optimize import brentq

    npvs = np.array([_npv_at(r, values) for r in RATE_GRID])
    roots = [
        float(brentq(_npv_at, RATE_GRID[i], RATE_GRID[i + 1], args=(values,), xtol=1e-15))
        for i in np.flatnonzero(np.sign(npvs[:-1]) * np.sign(npvs[1:]) < 0)
    ]
    return min(roots, key=abs) if roots else None


def irr(values: ArrayLike) -> float | None:
    """Internal rate of return (the root closest to 0), or ``None`` when there is none.

    numpy-financial's polynomial roots first; where they fail (a negligible last flow
    overflows the companion matrix, a real root carries a rounding-size imaginary part), Brent's
    method on the sign changes of the NPV. Either is refined by Newton steps.
    """
    flows = np.asarray(values, dtype=np.float64)
    significant = np.flatnonzero(np.abs(flows) > NEGLIGIBLE * np.abs(flows).max(initial=0.0))
    if significant.size == 0:
        return None
    flows = flows[: significant[-1] + 1]
    with np.errstate(all="ignore"):
        try:
            found = float(npf.irr(flows))
        except np.linalg.LinAlgError:
            found = math.nan
    rate = _bracketed_root(flows) if math.isnan(found) else found
    if rate is None:
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

    ``balance[t]`` is the debt outstanding at the start of year ``t``, CFADS arrives at the end
    of each year, so year ``t``'s CFADS is discounted one year; NaN where no debt is outstanding.
    """
    out = np.full(cfads.shape, np.nan)
    for t in range(min(maturity + 1, cfads.size)):
        if balance[t] > 0:
            out[t] = start_value(rate, cfads[t : maturity + 1]) / balance[t]
    return out
