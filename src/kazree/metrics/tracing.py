"""Proportional tracing of where a stage's product at each country was made.

At every country the product of one stage forms a pool: local output plus imports. Exports and
local use draw on the pool in proportion to what it holds. The share of the pool made in country
``k``, ``O[c, k]``, then solves, for every element and year, the linear system

    P[c] * O[c, k] - sum_i T[i, c] * O[i, k] = out[c] * (c == k)

with ``P[c] = out[c] + sum_i T[i, c]`` the pool and ``T[i, c]`` the trade from ``i`` to ``c``.
"""

from __future__ import annotations

import numpy as np
import xarray as xr


def pool(output: xr.DataArray, trade: xr.DataArray) -> xr.DataArray:
    """Local output plus imports at each country: ``output`` dims, tonnes."""
    imports = trade.sum("exporter").rename(importer="country")
    return output + imports


def local_use(output: xr.DataArray, trade: xr.DataArray) -> xr.DataArray:
    """What each country keeps of a product: output + imports - exports (clipped at zero)."""
    exports = trade.sum("importer").rename(exporter="country")
    return (pool(output, trade) - exports).clip(min=0.0)


def origin_shares(output: xr.DataArray, trade: xr.DataArray) -> xr.DataArray:
    """Share of each country's pool made in each origin country (fractions, rows sum to 1).

    ``output`` is ``(country, element, year)`` and ``trade`` ``(exporter, importer, element,
    year)`` over the same countries, no self-trade. Returns ``(country, origin, element, year)``;
    zero for a country with an empty pool.
    """
    countries = output["country"].values
    out = output.transpose("element", "year", "country").values
    flows = trade.sel(exporter=countries, importer=countries)
    t = flows.transpose("element", "year", "exporter", "importer").values
    size = len(countries)
    total = out + t.sum(axis=-2)
    empty = total <= 0
    eye = np.eye(size)
    matrix = np.where(empty[..., None], eye, eye * total[..., None] - np.swapaxes(t, -1, -2))
    rhs = eye * np.where(empty, 0.0, out)[..., None]
    try:
        solved = np.linalg.solve(matrix, rhs)
    except np.linalg.LinAlgError:
        solved = np.linalg.pinv(matrix) @ rhs
    return xr.DataArray(
        solved,
        coords={
            "element": output["element"].values,
            "year": output["year"].values,
            "country": countries,
            "origin": countries,
        },
        dims=("element", "year", "country", "origin"),
    ).transpose("country", "origin", "element", "year")
