"""A small hand-made chain in the shape of the model's results contract, and its metrics."""

from __future__ import annotations

import numpy as np
import xarray as xr

from kazree.chain import STAGES
from kazree.metrics import metrics_frame
from kazree.report import Assumptions, ScenarioRun

COUNTRIES = ("CN", "US", "JP", "KZ")
ELEMENTS = ("La", "Nd")
YEARS = (2024, 2030)
SECTORS = ("ev_traction", "catalysts")
BLOCS = {"G7": ("US", "JP")}

# (stage, country, element) -> t in 2024; 2030 is twice as much.
OUTPUT = {
    ("mining", "US", "Nd"): 20,
    ("mining", "US", "La"): 80,
    ("mining", "CN", "Nd"): 60,
    ("mining", "CN", "La"): 240,
    ("mining", "KZ", "Nd"): 5,
    ("mining", "KZ", "La"): 15,
    ("cracking", "CN", "Nd"): 85,
    ("cracking", "CN", "La"): 335,
    ("separation", "CN", "Nd"): 80,
    ("separation", "CN", "La"): 320,
    ("metal", "CN", "Nd"): 40,
    ("metal", "JP", "Nd"): 30,
    ("magnet", "CN", "Nd"): 40,
    ("magnet", "JP", "Nd"): 30,
    ("end_use", "CN", "Nd"): 40,
    ("end_use", "CN", "La"): 200,
    ("end_use", "US", "Nd"): 30,
}
# (stage, exporter, importer, element) -> t in 2024.
TRADE = {
    ("mining", "US", "CN", "Nd"): 20,
    ("mining", "US", "CN", "La"): 80,
    ("mining", "KZ", "CN", "Nd"): 5,
    ("mining", "KZ", "CN", "La"): 15,
    ("separation", "CN", "JP", "Nd"): 30,
    ("magnet", "JP", "US", "Nd"): 30,
}


def _filled(coords: dict, dims: tuple[str, ...], value: float) -> xr.DataArray:
    """An array over ``dims`` of ``coords`` filled with ``value``."""
    shape = [len(coords[d]) for d in dims]
    return xr.DataArray(np.full(shape, value), coords={d: coords[d] for d in dims}, dims=dims)


def chain_results(name: str = "chain") -> xr.Dataset:
    """US and KZ ore separated in China; Japan makes magnets from Chinese oxide for the US."""
    stages = [str(s) for s in STAGES]
    coords = {
        "stage": stages,
        "country": list(COUNTRIES),
        "exporter": list(COUNTRIES),
        "importer": list(COUNTRIES),
        "element": list(ELEMENTS),
        "year": np.array(YEARS, dtype=np.int64),
        "sector": list(SECTORS),
    }
    output = _filled(coords, ("stage", "country", "element"), 0.0)
    for (stage, country, element), value in OUTPUT.items():
        output.loc[stage, country, element] = value
    trade = _filled(coords, ("stage", "exporter", "importer", "element"), 0.0)
    for (stage, exporter, importer, element), value in TRADE.items():
        trade.loc[stage, exporter, importer, element] = value
    scale = xr.DataArray([1.0, 2.0], coords={"year": coords["year"]})
    demand = _filled(coords, ("sector", "country", "element", "year"), 0.0)
    demand.loc["ev_traction", "US", "Nd", :] = [40.0, 70.0]
    demand.loc["ev_traction", "CN", "Nd", :] = [40.0, 80.0]
    demand.loc["catalysts", "CN", "La", :] = [200.0, 400.0]
    unmet = xr.zeros_like(demand)
    unmet.loc["ev_traction", "US", "Nd", :] = [10.0, 10.0]
    surplus = _filled(coords, ("country", "element", "year"), 0.0)
    surplus.loc["CN", "La", :] = [120.0, 240.0]
    price = _filled(coords, ("stage", "country", "element", "year"), np.nan)
    price.loc["separation", "CN", :, :] = [[2.0, 2.0], [60.0, 80.0]]
    price.loc["separation", "JP", "Nd", :] = [65.0, 90.0]
    return xr.Dataset(
        {
            "stage_output": (output * scale).transpose("stage", "country", "element", "year"),
            "trade": (trade * scale).transpose("stage", "exporter", "importer", "element", "year"),
            "demand": demand,
            "unmet_demand": unmet,
            "surplus": surplus,
            "shadow_price": price,
        },
        coords=coords,
        attrs={"scenario": name, "objective": 1234.5, "status": "optimal", "base_year": 2024},
    )


def chain_run(name: str = "chain", scale: float = 1.0) -> ScenarioRun:
    """The chain as a solved run (flows times ``scale``) with its metrics frame."""
    assumptions = Assumptions(
        header="Chain test scenario.\nSource: made up for tests.",
        description="A toy chain.",
        settings="years: 2024:2030",
    )
    results = chain_results(name)
    results = results.assign(
        trade=results["trade"] * scale, stage_output=results["stage_output"] * scale
    )
    return ScenarioRun(name, results, metrics_frame(results, BLOCS), assumptions)
