"""The model's side of a validation: output, demand and shares by stage, element group and year.

:class:`ModelFigures` reads a results Dataset once (grouped by element group, see
:mod:`kazree.metrics.groups`) and answers the questions the comparison and its explanations ask.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import xarray as xr

from kazree.metrics.groups import by_element_group
from kazree.metrics.inputs import CHINA, ResultsLike, as_dataset
from kazree.validation.references import SHARE, STAGES

END_USE = "end_use"
"""The stage whose figures are demand (the model's reference quantities)."""


Lookup = dict[tuple[str | int, ...], float]
"""Tonnes by coordinates (strings, and the year as an int)."""


def _lookup(da: xr.DataArray, dims: tuple[str, ...]) -> Lookup:
    """``da`` as a plain dict keyed by the coordinates of ``dims`` (fast repeated lookups)."""
    series = da.transpose(*dims).to_series()
    keys = series.index.to_flat_index() if len(dims) > 1 else [(k,) for k in series.index]
    return {
        tuple(k if isinstance(k, str) else int(k) for k in key): float(value)
        for key, value in zip(keys, series.to_numpy(), strict=True)
    }


@dataclass(frozen=True)
class ModelFigures:
    """Grouped results in tonnes: output of each stage (demand at ``end_use``) by country,
    unmet demand and secondary oxide, per element group (see :mod:`kazree.metrics.groups`)."""

    scenario: str
    base_year: int
    years: tuple[int, ...]
    output: Lookup
    """(stage, country, group, year) -> t; ``end_use`` holds demand."""
    unmet: Lookup
    """(group, year) -> world demand left unmet, t."""
    secondary: Lookup
    """(country, group, year) -> oxide from recycling, stocks or unreported output, t."""
    countries: tuple[str, ...]
    plants: pd.DataFrame
    """Facility production, capacity and unweighted capacity summed by ``stage``, ``country``
    and ``year`` (model basis of each stage); empty when the results carry no facilities."""

    def has(self, stage: str, group: str, year: int) -> bool:
        """Whether the results hold ``stage``, ``group`` and ``year``."""
        return bool(self.countries) and (stage, self.countries[0], group, year) in self.output

    def world_t(self, stage: str, group: str, year: int) -> float:
        """World output of ``stage`` (demand at ``end_use``), t."""
        return sum(self.country_t(stage, group, year, c) for c in self.countries)

    def country_t(self, stage: str, group: str, year: int, country: str) -> float:
        """Output of ``stage`` in ``country`` (demand at ``end_use``), t; 0 if not a node."""
        return self.output.get((stage, country, group, year), 0.0)

    def share_pct(self, stage: str, group: str, year: int, country: str) -> float:
        """``country``'s share of world output of ``stage``, %; NaN when nothing is made."""
        world = self.world_t(stage, group, year)
        if world <= 0:
            return float("nan")
        return 100.0 * self.country_t(stage, group, year, country) / world

    def value(self, metric: str, stage: str, group: str, year: int) -> float:
        """The model's side of a reference: China's share (``share_pct``) or world tonnage."""
        if metric == SHARE:
            return self.share_pct(stage, group, year, CHINA)
        return self.world_t(stage, group, year)

    def ex_china_t(self, stage: str, group: str, year: int) -> float:
        """World output of ``stage`` outside China, t."""
        return self.world_t(stage, group, year) - self.country_t(stage, group, year, CHINA)

    def content_pct(self, stage: str, group: str, year: int, china: bool) -> float:
        """``group``'s percentage of all-REE output of ``stage`` in China or outside it."""

        def part(g: str) -> float:
            if china:
                return self.country_t(stage, g, year, CHINA)
            return self.ex_china_t(stage, g, year)

        whole = part("all")
        return 100.0 * part(group) / whole if whole > 0 else float("nan")

    def secondary_t(self, group: str, year: int, country: str | None = None) -> float:
        """Oxide from recycling, stocks or unreported output (outside separation), t."""
        chosen = self.countries if country is None else (country,)
        return sum(self.secondary.get((c, group, year), 0.0) for c in chosen)

    def idle(self, stage: str, year: int, min_t: float = 100.0) -> list[tuple[str, float, float]]:
        """``(country, production, capacity)`` where capacity of ``stage`` went unused in
        ``year`` by more than ``min_t`` and 1 %, the most unused first."""
        rows = self.plants[(self.plants["stage"] == stage) & (self.plants["year"] == year)]
        rows = rows.assign(unused=rows["capacity"] - rows["production"])
        rows = rows[(rows["unused"] > min_t) & (rows["unused"] > 0.01 * rows["capacity"])]
        rows = rows.sort_values("unused", ascending=False)
        return [
            (str(c), float(p), float(k))
            for c, p, k in zip(rows["country"], rows["production"], rows["capacity"], strict=True)
        ]

    def ex_china_capacity(self, stage: str, year: int) -> tuple[float, float]:
        """Capacity of ``stage`` outside China in ``year`` (all elements, the stage's model
        basis): ``(counted at the status risk weights, unweighted)``."""
        rows = self.plants[
            (self.plants["stage"] == stage)
            & (self.plants["year"] == year)
            & (self.plants["country"] != CHINA)
        ]
        return float(rows["capacity"].sum()), float(rows["unweighted"].sum())

    def unmet_t(self, group: str, year: int) -> float:
        """World demand left unmet, t."""
        return self.unmet.get((group, year), 0.0)


def plant_use(ds: xr.Dataset) -> pd.DataFrame:
    """Production and capacity summed by stage, country and year (empty without facilities).

    ``unweighted`` is the capacity before the risk weights of the facilities' statuses
    (``facility_risk_weight``; facilities counted at weight 0 stay at 0, results without the
    variable count as weighted 1).
    """
    columns = ["stage", "country", "year", "production", "capacity", "unweighted"]
    if "production" not in ds or "capacity" not in ds or "facility_stage" not in ds:
        return pd.DataFrame(columns=columns)
    capacity = ds["capacity"].fillna(0.0)
    if "facility_risk_weight" in ds:
        weight = ds["facility_risk_weight"]
        unweighted = (capacity / weight.where(weight > 0)).fillna(capacity)
    else:
        unweighted = capacity
    frame = pd.DataFrame(
        {
            "production": ds["production"].fillna(0.0).to_series(),
            "capacity": capacity.to_series(),
            "unweighted": unweighted.transpose(*capacity.dims).to_series(),
        }
    ).reset_index()
    where = pd.DataFrame(
        {
            "facility": ds["facility"].values,
            "stage": ds["facility_stage"].values,
            "country": ds["facility_country"].values,
        }
    )
    merged = frame.merge(where, on="facility")
    summed = merged.groupby(["stage", "country", "year"], as_index=False)[
        ["production", "capacity", "unweighted"]
    ].sum()
    return summed[columns]


def model_figures(results: ResultsLike) -> ModelFigures:
    """The grouped figures of ``results`` (a ``Results`` or its Dataset)."""
    ds = as_dataset(results)
    years = tuple(int(y) for y in ds["year"].values)
    secondary = ds["secondary_supply"] if "secondary_supply" in ds else ds["surplus"] * 0.0
    demand = ds["demand"].fillna(0.0).sum("sector").expand_dims(stage=[END_USE])
    made = ds["stage_output"].fillna(0.0).sel(stage=[s for s in STAGES if s != END_USE])
    output = xr.concat([made, demand], "stage")
    unmet = ds["unmet_demand"].fillna(0.0).sum(["sector", "country"])
    dims = ("stage", "country", "element", "year")
    return ModelFigures(
        scenario=str(ds.attrs.get("scenario", "results")),
        base_year=int(ds.attrs.get("base_year", years[0])),
        years=years,
        output=_lookup(by_element_group(output), dims),
        unmet=_lookup(by_element_group(unmet), ("element", "year")),
        secondary=_lookup(by_element_group(secondary.fillna(0.0)), ("country", "element", "year")),
        countries=tuple(str(c) for c in ds["country"].values),
        plants=plant_use(ds),
    )
