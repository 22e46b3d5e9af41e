"""Model results as an xarray Dataset (netCDF on disk), and an independent mass-balance check.

Results contract (what ``kazree.metrics`` relies on). Coordinates: ``year`` (int64),
``element`` (16, ``kazree.chain`` order), ``country``, ``exporter``, ``importer`` (the model's
nodes), ``facility``, ``stage`` (mining .. end_use), ``sector``. Data variables, t per year of
REO-equivalent element content unless named otherwise, 0 where nothing flows:

- ``facility_country``, ``facility_stage``, ``facility_basis`` (facility); ``capacity`` and
  ``production`` (facility, year) on the model basis of the facility's stage (``t_reo`` mining
  and cracking, ``t_reo_feed`` separation, ``t_metal``, ``t_magnet``); ``facility_start_year``
  (NaN when the data gives none); ``facility_risk_weight`` (facility): the share of the
  published capacity that ``capacity`` counts (the risk weight of the facility's status).
- ``stage_output`` (stage, country, element, year); ``trade`` (stage, exporter, importer,
  element, year) in the form that stage makes.
- ``demand`` (sector, country, element, year): the reference quantity of each demand curve
  (what the sector buys at the 2024 price deck); for magnet sectors the rare-earth content of
  the magnets at the grade each part of the sector needs at least.
- ``use`` (same dims): what each sector bought, its actual element content (magnet sectors
  may use a higher grade than they need). Use can exceed ``demand`` where prices fall below
  the deck.
- ``unmet_demand`` (same dims): reference quantity not bought, ``max(demand - use, 0)``
  (magnet sectors: magnets not bought, at their needed grade's content).
- ``magnet_demand``, ``magnet_use`` (sector, country, year), t magnet; ``magnet_output``
  (grade, country, year), t magnet by grade.
- ``surplus`` and ``secondary_supply`` (country, element, year; oxide stockpiled or disposed
  of; oxide from recycling, stocks or unreported output, outside ``stage_output``).
- ``shadow_price`` (stage, country, element, year), US$/kg: the market-clearing prices (duals
  of the node balances), NaN where no balance exists (end use; concentrate and intermediate
  where a country handles none): mixed products (concentrate, intermediate) price every
  element of the mix at the ore type's dual; magnets price their rare-earth content.
- ``reference_price`` (element), US$/kg oxide: the price deck the curves are anchored at;
  ``reference_price_basis`` (element): the quote each comes from; ``reference_magnet_price``
  (grade), US$/kg magnet: a grade's oxide content at the deck plus China's metal and magnet
  costs (the magnet curves' anchor in China).
- ``target_cost`` (target, year), US$/t: dual of each hard target (the cost of the target).
- ``footprint`` (metric, stage, country, year): environmental footprint of the flows, in the
  metric's unit (every ``FootprintMetric``: ``water_m3``, ``co2e_t``, ``energy_gj``, ...);
  ``safeguard_cost`` (safeguard, year), US$ per unit: dual of each safeguard (0: does not bind).
- attrs ``scenario``, ``objective`` (US$, minus the welfare), ``status``, ``base_year``,
  ``currency`` ("USD"), ``separation_recovery``.

Additions to the first contract: ``use``, ``secondary_supply``, ``facility_basis``,
``facility_start_year``; then ``magnet_demand``, ``magnet_use``, ``magnet_output``,
``reference_price``, ``reference_price_basis``, ``target_cost``; then
``reference_magnet_price``; then ``facility_risk_weight``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from kazree.chain.forms import SECTORS, STAGES
from kazree.scenario.schema import MAGNET_SECTORS

STAGE_NAMES = [s.value for s in STAGES]
SECTOR_NAMES = [s.value for s in SECTORS]
MAGNET_SECTOR_NAMES = [s.value for s in MAGNET_SECTORS]


@dataclass(frozen=True)
class Results:
    """A solved scenario: the Dataset of the contract above."""

    ds: xr.Dataset

    @property
    def scenario(self) -> str:
        """Name of the scenario."""
        return str(self.ds.attrs["scenario"])

    def to_netcdf(self, path: Path) -> None:
        """Write the results to ``path`` (netCDF4 via h5netcdf)."""
        self.ds.to_netcdf(path, engine="h5netcdf")

    @classmethod
    def from_netcdf(cls, path: Path) -> Results:
        """Read results written by :meth:`to_netcdf`."""
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            return cls(ds.load())

    def frame(self, name: str) -> pd.DataFrame:
        """Data variable ``name`` as a long DataFrame (one row per coordinate, non-zero values)."""
        series = self.ds[name].to_series()
        return series[series != 0].rename(name).reset_index()


def _net_imports(trade: xr.DataArray) -> xr.DataArray:
    imports = trade.sum("exporter").rename(importer="country")
    exports = trade.sum("importer").rename(exporter="country")
    return imports - exports


def balance_residuals(results: Results) -> dict[str, xr.DataArray]:
    """Residual of every node balance (country, element, year) rebuilt from the results alone."""
    ds = results.ds
    out = ds["stage_output"]
    net = _net_imports(ds["trade"])
    recovery = float(ds.attrs.get("separation_recovery", 1.0))
    use = ds["use"]
    oxide_use = use.where(~use.coords["sector"].isin(MAGNET_SECTOR_NAMES), 0.0)
    magnet_use = use.sel(sector=MAGNET_SECTOR_NAMES).sum("sector")
    other_use = use.sum("sector") - magnet_use

    def at(stage: str, array: xr.DataArray) -> xr.DataArray:
        return array.sel(stage=stage, drop=True)

    return {
        "concentrate": at("mining", out) + at("mining", net) - at("cracking", out),
        "intermediate": at("cracking", out)
        + at("cracking", net)
        - at("separation", out) / recovery,
        "oxide": at("separation", out)
        + ds["secondary_supply"]
        + at("separation", net)
        - at("metal", out)
        - other_use
        - ds["surplus"],
        "metal": at("metal", out) + at("metal", net) - at("magnet", out),
        "magnet": at("magnet", out) + at("magnet", net) - magnet_use,
        "end_use": at("end_use", out) - use.sum("sector"),
        "demand": (oxide_use + ds["unmet_demand"] - np.maximum(ds["demand"], oxide_use))
        .where(~use.coords["sector"].isin(MAGNET_SECTOR_NAMES), 0.0)
        .sum("sector"),
    }


def check_mass_balance(results: Results, rtol: float = 1e-6) -> list[str]:
    """Every node balance that misses by more than ``rtol`` of the largest flow, as messages.

    The balances are rebuilt from the result arrays, independently of the model's constraints;
    an empty list means mass is conserved at every node, element and year.
    """
    scale = max(1.0, float(np.abs(results.ds["stage_output"]).max()))
    problems: list[str] = []
    for node, residual in balance_residuals(results).items():
        bad = np.abs(residual.values) > rtol * scale
        for idx in zip(*np.nonzero(bad), strict=True):
            where = {
                d: residual.coords[d].values[i] for d, i in zip(residual.dims, idx, strict=True)
            }
            problems.append(
                f"{node} balance off by {float(residual.values[idx]):.6g} t at "
                + ", ".join(f"{k}={v}" for k, v in where.items())
            )
    cap = results.ds["production"] - results.ds["capacity"]
    for idx in zip(*np.nonzero((cap > rtol * scale).values), strict=True):
        fid, year = (cap.coords[d].values[i] for d, i in zip(cap.dims, idx, strict=True))
        problems.append(f"facility {fid} produces above capacity in {year}")
    return problems
