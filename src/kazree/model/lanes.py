"""Trade lanes: cost per tonne (transport + tariffs) and the export-control share let through."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import xarray as xr

from kazree.chain.elements import symbols
from kazree.chain.forms import Form
from kazree.data import Dataset
from kazree.data.controls_schema import ExportControlRow, RuleKind
from kazree.policy import (
    annual_licence_share,
    covers,
    override_rules,
    parse_rules,
    with_licence_share,
)
from kazree.policy.rules import dataset_rules
from kazree.scenario.schema import Scenario

FORMS = [f.value for f in Form]
EARTH_RADIUS_KM = 6371.0
DEFAULT_DISTANCE_KM = 8000.0
"""Distance used when a country has no coordinates (``ZZ``, the USGS remainder)."""


def distance_km(countries: pd.DataFrame, nodes: list[str]) -> xr.DataArray:
    """Great-circle distance (exporter, importer) between country centroids, km."""
    coords = countries.set_index("code").reindex(nodes)[["lat", "lon"]].astype(float)
    lat = np.radians(coords["lat"].to_numpy())
    lon = np.radians(coords["lon"].to_numpy())
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    km = np.where(np.isnan(km), DEFAULT_DISTANCE_KM, km)
    np.fill_diagonal(km, 0.0)
    return xr.DataArray(
        km, coords={"exporter": nodes, "importer": nodes}, dims=("exporter", "importer")
    )


def lane_cost(scenario: Scenario, countries: pd.DataFrame, nodes: list[str]) -> xr.DataArray:
    """US$ per t on each lane (form, exporter, importer): transport plus ad-valorem tariffs."""
    costs = scenario.costs
    transport = costs.transport_base_usd_per_t + costs.transport_usd_per_t_km * distance_km(
        countries, nodes
    )
    out = xr.concat([transport] * len(FORMS), dim="form").assign_coords(form=FORMS)
    exporter = xr.DataArray(nodes, coords={"exporter": nodes}, dims="exporter")
    importer = xr.DataArray(nodes, coords={"importer": nodes}, dims="importer")
    for tariff in scenario.tariffs:
        hit = ((exporter == tariff.exporter) | (tariff.exporter == "*")) & (
            (importer == tariff.importer) | (tariff.importer == "*")
        )
        value = costs.reference_value_usd_per_t[tariff.form] * tariff.pct / 100.0
        out.loc[{"form": tariff.form.value}] = out.sel(form=tariff.form.value) + value * hit
    return out.transpose("form", "exporter", "importer")


def scenario_rules(scenario: Scenario, ds: Dataset) -> tuple[ExportControlRow, ...]:
    """The export-control rules a scenario applies (dataset table, levers, inline rules)."""
    spec = scenario.controls
    rules: tuple[ExportControlRow, ...] = dataset_rules(ds) if spec.use_dataset else ()
    if spec.licence_share is not None:
        rules = with_licence_share(rules, spec.licence_share)
    if spec.disruption_share is not None:
        rules = with_licence_share(rules, spec.disruption_share, kinds=(RuleKind.DISRUPTION,))
    if spec.rules:
        extra = parse_rules(spec.rules, origin=scenario.origin)
        rules = override_rules(rules, extra, origin=scenario.origin)
    return rules


def _active_between(rule: ExportControlRow, years: list[int]) -> bool:
    """Whether ``rule``'s window overlaps the modelled years."""
    first, last = date(years[0], 1, 1), date(years[-1], 12, 31)
    starts_in_time = rule.effective is None or rule.effective <= last
    return starts_in_time and (rule.until is None or rule.until >= first)


def licence_shares(
    scenario: Scenario, ds: Dataset, nodes: list[str], years: list[int]
) -> xr.DataArray:
    """Share (form, exporter, importer, element, year) of a flow the rules let through (0-1).

    Day-weighted over each year (``kazree.policy.annual_licence_share``). Flows no rule of the
    exporter covers are 1 without a query; destinations no rule names share one computation.
    """
    elements = list(symbols())
    out = np.ones((len(FORMS), len(nodes), len(nodes), len(elements), len(years)))
    rules = scenario_rules(scenario, ds)
    for x, exporter in enumerate(nodes):
        own = [r for r in rules if r.exporter == exporter and _active_between(r, years)]
        if not own:
            continue
        named = {d for r in own for d in r.destinations if d != "*"}
        cache: dict[tuple[str, str, str, int], float] = {}
        for i, importer in enumerate(nodes):
            if importer == exporter:
                continue
            key_dest = importer if importer in named else "*"
            for f, form in enumerate(FORMS):
                for e, element in enumerate(elements):
                    if not any(
                        covers(r, element=element, form=form, destination=importer)
                        for r in own
                        if r.kind is not RuleKind.SUSPENSION
                    ):
                        continue
                    for y, year in enumerate(years):
                        key = (key_dest, form, element, year)
                        if key not in cache:
                            cache[key] = annual_licence_share(
                                rules,
                                exporter=exporter,
                                destination=importer,
                                element=element,
                                form=form,
                                year=year,
                            )
                        out[f, x, i, e, y] = cache[key]
    return xr.DataArray(
        out,
        coords={
            "form": FORMS,
            "exporter": nodes,
            "importer": nodes,
            "element": elements,
            "year": years,
        },
        dims=("form", "exporter", "importer", "element", "year"),
    )
