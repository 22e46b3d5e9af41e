"""The results every metric reads: a solved model's Dataset, or an object that wraps one."""

from __future__ import annotations

from typing import Protocol, TypeAlias

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
    trade = ds["trade"].reindex(stage=ds["stage_output"]["stage"].values, fill_value=0.0)
    trade = trade.fillna(0.0)
    own = trade["exporter"] == trade["importer"]
    return trade.where(~own, 0.0)
