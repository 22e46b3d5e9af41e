"""Footprints by region and stage, and which safeguards bind at what cost (pure functions)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from kazree.data.rows.economics import FootprintMetric
from kazree.metrics.groups import Blocs, by_region

FOOTPRINT_METRICS: dict[str, str] = {m.value: f"footprint_{m.value}" for m in FootprintMetric}
"""Footprint metric of the results -> its name in ``metrics.csv``."""
SAFEGUARD_COLUMNS = ("safeguard", "year", "cost", "unit", "binds")


def regional_footprint(ds: xr.Dataset, blocs: Blocs) -> xr.DataArray:
    """Footprint (metric, stage, region, year) summed over each region's countries; the
    metric's unit; an empty array for results written before footprints existed."""
    if "footprint" not in ds:
        return xr.DataArray(np.zeros((0, 0, 0, 0)), dims=("metric", "stage", "region", "year"))
    return by_region(ds["footprint"], blocs).transpose("metric", "stage", "region", "year")


def safeguard_table(ds: xr.Dataset, tolerance: float = 1e-6) -> pd.DataFrame:
    """Every safeguard and year in force: its cost (the dual, US$ per ``unit``) and whether it
    binds (cost above ``tolerance``)."""
    if "safeguard_cost" not in ds or ds.sizes.get("safeguard", 0) == 0:
        return pd.DataFrame(columns=list(SAFEGUARD_COLUMNS))
    cost = ds["safeguard_cost"]
    frame = cost.drop_vars("unit").to_dataframe(name="cost").reset_index().dropna(subset=["cost"])
    units = dict(zip(cost["safeguard"].values, cost["unit"].values, strict=True))
    frame = frame.assign(
        unit=frame["safeguard"].map(units), binds=frame["cost"] > tolerance, year=frame["year"]
    )
    return frame[list(SAFEGUARD_COLUMNS)].reset_index(drop=True)


def binding_safeguards(ds: xr.Dataset) -> pd.DataFrame:
    """The safeguards that bind in some year: first and last such year, highest and mean cost
    over those years (US$ per ``unit``)."""
    table = safeguard_table(ds)
    binds = table[table["binds"]]
    grouped = binds.groupby(["safeguard", "unit"], sort=False)
    out = grouped.agg(
        first_year=("year", "min"),
        last_year=("year", "max"),
        max_cost=("cost", "max"),
        mean_cost=("cost", "mean"),
    )
    return out.reset_index()
