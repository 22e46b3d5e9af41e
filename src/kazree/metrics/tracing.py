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

    ``origins`` is ``(stage, country, origin, element, year)`` (see :func:`shares_of`) and
    ``use`` is ``(stage, country, element, year)`` in tonnes (see :func:`local_use`).
    """

    origins: xr.DataArray
    use: xr.DataArray


def trace(results: ResultsLike) -> Traced:
    """Trace every producing stage of ``results``."""
    ds = as_dataset(results)
    output = ds["stage_output"].fillna(0.0).sel(stage=list(PRODUCING_STAGES))
    out, flows = _arrays(output, stage_trade(ds))
    return Traced(
        _origins(out, flows).transpose("stage", "country", "origin", "element", "year"),
        _use(out, flows).transpose("stage", "country", "element", "year"),
    )


def kept(out: np.ndarray, trade: np.ndarray) -> np.ndarray:
    """What each country keeps of a product: output + imports - exports, clipped at zero
    (``out`` ``(..., country)``, ``trade`` ``(..., exporter, importer)``)."""
    use: np.ndarray = np.clip(out + trade.sum(axis=-2) - trade.sum(axis=-1), 0.0, None)
    return use


def shares_of(out: np.ndarray, trade: np.ndarray) -> np.ndarray:
    """Share of each country's pool made in each origin: ``(..., country, origin)`` from
    ``out`` ``(..., country)`` and ``trade`` ``(..., exporter, importer)`` (no self-trade); rows
    sum to 1, zero for an empty pool (at most :data:`EMPTY_POOL_T`)."""
    size = out.shape[-1]
    total = out + trade.sum(axis=-2)
    empty = total <= EMPTY_POOL_T
    scale = np.where(empty, 1.0, total)
    eye = np.eye(size)
    # Each row divided by its pool, so coefficients are fractions whatever the tonnage.
    imported = np.swapaxes(trade, -1, -2) / scale[..., None]
    matrix = np.where(empty[..., None], eye, eye - imported)
    rhs = eye * np.where(empty, 0.0, out / scale)[..., None]
    return _solve(matrix, rhs)


def _arrays(output: xr.DataArray, trade: xr.DataArray) -> tuple[xr.DataArray, np.ndarray]:
    """``output`` with ``country`` last, and ``trade``'s values aligned to it with
    ``(exporter, importer)`` last."""
    countries = output["country"].values
    others = [str(d) for d in output.dims if d != "country"]
    out = output.transpose(*others, "country")
    where = {d: out[d].values for d in others}
    flows = trade.sel({"exporter": countries, "importer": countries, **where})
    return out, flows.transpose(*others, "exporter", "importer").values


def _use(out: xr.DataArray, flows: np.ndarray) -> xr.DataArray:
    return xr.DataArray(kept(out.values, flows), coords=out.coords, dims=out.dims)


def _origins(out: xr.DataArray, flows: np.ndarray) -> xr.DataArray:
    return xr.DataArray(
        shares_of(out.values, flows),
        coords={**out.coords, "origin": out["country"].values},
        dims=(*out.dims, "origin"),
    )


def local_use(output: xr.DataArray, trade: xr.DataArray) -> xr.DataArray:
    """What each country keeps of a product (:func:`kept`): ``output`` ``(..., country, ...)``
    and ``trade`` with ``exporter`` and ``importer`` over its countries and its other dims."""
    return _use(*_arrays(output, trade)).transpose(*output.dims)


def origin_shares(output: xr.DataArray, trade: xr.DataArray) -> xr.DataArray:
    """Share of each country's pool made in each origin country (:func:`shares_of`):
    ``(country, origin, ...)`` with ``output``'s other dims."""
    others = [d for d in output.dims if d != "country"]
    return _origins(*_arrays(output, trade)).transpose("country", "origin", *others)


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
