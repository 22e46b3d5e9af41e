"""Stepwise demand curves: blocks of the reference quantity, each with a willingness to pay.

A sector's demand in a country is iso-elastic through its reference point (quantity ``D``,
price ``P``, the 2024 price deck): ``Q(p) = D (p / P) ** e``. The LP holds it as blocks of
``D`` between :data:`STEP_EDGES`; a block is worth ``P x m ** (1 / e)`` per tonne, ``m`` its
middle as a share of ``D``, at most ``choke x P``. The block around ``D`` (0.99-1.01) is worth
exactly ``P``, so a market whose supply sits at its reference quantity clears at the deck.
Beyond 1.5 ``D`` nobody buys: more supply is stockpiled or disposed of at a cost.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

STEP_EDGES = (0.0, 0.5, 0.7, 0.8, 0.9, 0.94, 0.97, 0.99, 1.01, 1.03, 1.06, 1.1, 1.2, 1.35, 1.5)
"""Block edges, shares of the reference quantity."""


def step_widths() -> xr.DataArray:
    """Width of each block as a share of the reference quantity (step,)."""
    edges = np.asarray(STEP_EDGES)
    steps = list(range(len(edges) - 1))
    return xr.DataArray(np.diff(edges), coords={"step": steps}, dims="step")


def willingness(elasticity: xr.DataArray, price: xr.DataArray, choke: float) -> xr.DataArray:
    """Worth of each block, in ``price``'s unit: ``price`` x (elasticity's dims, step)."""
    edges = np.asarray(STEP_EDGES)
    middle = xr.DataArray(
        (edges[:-1] + edges[1:]) / 2.0, coords={"step": list(range(len(edges) - 1))}, dims="step"
    )
    factor = np.exp(np.log(middle) / elasticity).clip(max=choke)
    worth: xr.DataArray = price * factor
    return worth
