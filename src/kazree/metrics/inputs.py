"""The results every metric reads: a solved model's Dataset, or an object that wraps one."""

from __future__ import annotations

from typing import Protocol, TypeAlias

import numpy as np
import xarray as xr

from kazree.chain import STAGES
from kazree.errors import KazreeError

STAGE_NAMES: tuple[str, ...] = tuple(str(s) for s in STAGES)
"""Stage labels in chain order (``mining`` .. ``end_use``)."""
PRODUCING_STAGES: tuple[str, ...] = STAGE_NAMES[:-1]
"""Stages that make a tradeable product (all but ``end_use``)."""
CHINA = "CN"


class HasDataset(Protocol):
    """Anything holding a results Dataset as ``.ds`` (such as ``kazree.model.results.Results``)."""

    @property
    def ds(self) -> xr.Dataset:
        """The results Dataset."""
        ...


ResultsLike: TypeAlias = xr.Dataset | HasDataset


REQUIRED: tuple[str, ...] = (
    "stage_output",
    "trade",
    "demand",
    "unmet_demand",
    "surplus",
    "shadow_price",
)
"""The data variables of the results contract that the metrics read."""


def as_dataset(results: ResultsLike) -> xr.Dataset:
    """The results Dataset of ``results``; :class:`KazreeError` if a metric input is missing."""
    ds = results if isinstance(results, xr.Dataset) else results.ds
    missing = [name for name in REQUIRED if name not in ds.data_vars]
    if missing:
        scenario = ds.attrs.get("scenario", "results")
        msg = (
            f"{scenario}: results lack {', '.join(missing)} "
            f"(required for metrics: {', '.join(REQUIRED)})"
        )
        raise KazreeError(msg)
    return ds


def stage_trade(ds: xr.Dataset) -> xr.DataArray:
    """Trade over every stage of ``stage_output``, zero where no lane exists, no self-trade.

    Returns ``(stage, exporter, importer, element, year)`` in tonnes of element content.
    """
    trade = ds["trade"].transpose("stage", ...)
    stages = [str(s) for s in ds["stage_output"]["stage"].values]
    known = {str(s): i for i, s in enumerate(trade["stage"].values)}
    values = np.zeros((len(stages), *trade.shape[1:]))
    for i, stage in enumerate(stages):
        if stage in known:
            values[i] = trade.values[known[stage]]
    values[np.isnan(values)] = 0.0
    pair = ("exporter", "importer")
    own = (trade["exporter"] == trade["importer"]).transpose(*[d for d in trade.dims if d in pair])
    shape = [size if dim in pair else 1 for dim, size in zip(trade.dims, values.shape, strict=True)]
    values[np.broadcast_to(own.values.reshape(shape), values.shape)] = 0.0
    coords = {name: c for name, c in trade.coords.items() if "stage" not in c.dims}
    return xr.DataArray(values, coords={"stage": stages, **coords}, dims=trade.dims)
