"""Proportional tracing of where a stage's product at each country was made.

At every country the product of one stage forms a pool: local output plus imports. Exports and
local use draw on the pool in proportion to what it holds. The share of the pool made in country
``k``, ``O[c, k]``, then solves, for every element and year, the linear system

    P[c] * O[c, k] - sum_i T[i, c] * O[i, k] = out[c] * (c == k)

with ``P[c] = out[c] + sum_i T[i, c]`` the pool and ``T[i, c]`` the trade from ``i`` to ``c``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from kazree.metrics.inputs import PRODUCING_STAGES, ResultsLike, as_dataset, stage_trade

EMPTY_POOL_T = 1e-9
"""A pool of at most this many tonnes counts as empty (its origin shares are zero)."""


@dataclass(frozen=True)
class Traced:
    """Where each producing stage's product at each country was made, and what it keeps.

    ``origins`` is ``(stage, country, origin, element, year)`` (see :func:`origin_shares`) and
    ``use`` is ``(stage, country, element, year)`` in tonnes (see :func:`local_use`).
    """

    origins: xr.DataArray
    use: xr.DataArray


def trace(results: ResultsLike) -> Traced:
    """Trace every producing stage of ``results``."""
    ds = as_dataset(results)
    output = ds["stage_output"].fillna(0.0)
    trade = stage_trade(ds)
    origins, uses = [], []
    for stage in PRODUCING_STAGES:
        out, flows = output.sel(stage=stage, drop=True), trade.sel(stage=stage, drop=True)
        origins.append(origin_shares(out, flows))
        uses.append(local_use(out, flows))
    stages = xr.DataArray(list(PRODUCING_STAGES), dims="stage")
    return Traced(xr.concat(origins, dim=stages), xr.concat(uses, dim=stages))


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
    zero for a country with an empty pool (at most ``EMPTY_POOL_T``).
    """
    countries = output["country"].values
    out = output.transpose("element", "year", "country").values
    flows = trade.sel(exporter=countries, importer=countries)
    t = flows.transpose("element", "year", "exporter", "importer").values
    size = len(countries)
    total = out + t.sum(axis=-2)
    empty = total <= EMPTY_POOL_T
    scale = np.where(empty, 1.0, total)
    eye = np.eye(size)
    # Each row divided by its pool, so coefficients are fractions whatever the tonnage.
    imported = np.swapaxes(t, -1, -2) / scale[..., None]
    matrix = np.where(empty[..., None], eye, eye - imported)
    rhs = eye * np.where(empty, 0.0, out / scale)[..., None]
    solved = _solve(matrix, rhs)
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


def _solve(matrix: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Batched ``matrix @ x = rhs``, falling back to least squares for a singular system.

    A system is singular only for a closed trade cycle with nothing made in it.
    """
    try:
        exact: np.ndarray = np.linalg.solve(matrix, rhs)
    except np.linalg.LinAlgError:
        flat_m = matrix.reshape(-1, *matrix.shape[-2:])
        flat_r = rhs.reshape(-1, *rhs.shape[-2:])
        return np.stack([_solve_one(m, r) for m, r in zip(flat_m, flat_r, strict=True)]).reshape(
            rhs.shape
        )
    return exact


def _solve_one(matrix: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    try:
        exact: np.ndarray = np.linalg.solve(matrix, rhs)
    except np.linalg.LinAlgError:
        return np.asarray(np.linalg.pinv(matrix) @ rhs)
    return exact
