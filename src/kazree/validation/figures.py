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
from kazree.validation.references import SHARE

END_USE = "end_use"


@dataclass(frozen=True)
class ModelFigures:
    """Grouped results: ``output`` (stage, country, element, year), ``demand``, ``unmet`` and
    ``secondary`` (country, element, year); ``element`` holds group names. Tonnes."""

    scenario: str
    base_year: int
    years: tuple[int, ...]
    output: xr.DataArray
    demand: xr.DataArray
    unmet: xr.DataArray
    secondary: xr.DataArray
    plants: pd.DataFrame
    """Facility production and capacity summed by ``stage``, ``country`` and ``year`` (model
    basis of each stage); empty when the results carry no facilities."""

    def has(self, stage: str, group: str, year: int) -> bool:
        """Whether the results hold ``stage``, ``group`` and ``year``."""
        stages = set(self.output["stage"].values.tolist())
        groups = set(self.output["element"].values.tolist())
        return year in self.years and stage in stages and group in groups

    def _stage(self, stage: str, group: str, year: int) -> xr.DataArray:
        source = self.demand if stage == END_USE else self.output.sel(stage=stage)
        return source.sel(element=group, year=year)

    def world_t(self, stage: str, group: str, year: int) -> float:
        """World output of ``stage`` (demand at ``end_use``), t."""
        return float(self._stage(stage, group, year).sum())

    def country_t(self, stage: str, group: str, year: int, country: str) -> float:
        """Output of ``stage`` in ``country`` (demand at ``end_use``), t; 0 if not a node."""
        by_country = self._stage(stage, group, year)
        if country not in by_country["country"]:
            return 0.0
        return float(by_country.sel(country=country))

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
        values = self.secondary.sel(element=group, year=year)
        if country is None:
            return float(values.sum())
        return float(values.sel(country=country)) if country in values["country"] else 0.0

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

    def unmet_t(self, group: str, year: int) -> float:
        """World demand left unmet, t."""
        return float(self.unmet.sel(element=group, year=year))


def plant_use(ds: xr.Dataset) -> pd.DataFrame:
    """Production and capacity summed by stage, country and year (empty without facilities)."""
    columns = ["stage", "country", "year", "production", "capacity"]
    if "production" not in ds or "capacity" not in ds or "facility_stage" not in ds:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(
        {
            "production": ds["production"].fillna(0.0).to_series(),
            "capacity": ds["capacity"].fillna(0.0).to_series(),
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
        ["production", "capacity"]
    ].sum()
    return summed[columns]


def model_figures(results: ResultsLike) -> ModelFigures:
    """The grouped figures of ``results`` (a ``Results`` or its Dataset)."""
    ds = as_dataset(results)
    years = tuple(int(y) for y in ds["year"].values)
    secondary = ds["secondary_supply"] if "secondary_supply" in ds else ds["surplus"] * 0.0
    return ModelFigures(
        scenario=str(ds.attrs.get("scenario", "results")),
        base_year=int(ds.attrs.get("base_year", years[0])),
        years=years,
        output=by_element_group(ds["stage_output"].fillna(0.0)),
        demand=by_element_group(ds["demand"].fillna(0.0).sum("sector")),
        unmet=by_element_group(ds["unmet_demand"].fillna(0.0).sum(["sector", "country"])),
        secondary=by_element_group(secondary.fillna(0.0)),
        plants=plant_use(ds),
    )
