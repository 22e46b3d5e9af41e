"""Footprint coefficients per stage and ore type, and the checks of a scenario's safeguards.

A coefficient is the footprint of one t of a stage's model basis (t REO for mining, cracking and
separation feed; t metal; t magnet). A row for ore ``*`` covers the ore types without a row of
their own; a stage and metric without any row counts 0 (a known gap, docs/roadmap-tools.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from kazree.chain.forms import Stage
from kazree.data.rows.economics import FootprintMetric
from kazree.errors import KazreeError
from kazree.scenario.safeguards import ORE_STAGES, SafeguardSpec

METRICS = [m.value for m in FootprintMetric]
PRODUCING = [s.value for s in Stage if s is not Stage.END_USE]
ANY_ORE = "*"


def footprint_coefficients(table: pd.DataFrame, ores: list[str]) -> xr.DataArray:
    """Coefficients (metric, stage, ore) from the ``footprints`` table, over the model's ores.

    Stages without ore types (metal, magnet) take their ``*`` row for every ore.
    """
    values = np.zeros((len(METRICS), len(PRODUCING), len(ores)))
    rows = table.sort_values("ore", key=lambda s: s != ANY_ORE)  # ``*`` first, then overrides
    for stage, ore, metric, value in zip(
        rows["stage"], rows["ore"], rows["metric"], rows["value"], strict=True
    ):
        i, j = METRICS.index(str(metric)), PRODUCING.index(str(stage))
        if ore == ANY_ORE:
            values[i, j, :] = float(value)
        elif ore in ores and Stage(stage) in ORE_STAGES:
            values[i, j, ores.index(ore)] = float(value)
    return xr.DataArray(
        values,
        coords={"metric": METRICS, "stage": PRODUCING, "ore": ores},
        dims=("metric", "stage", "ore"),
    )


def facility_coefficients(coeff: xr.DataArray, facilities: pd.DataFrame) -> xr.DataArray:
    """Footprint of one t of each facility's output (metric, facility): its stage and ore type;
    a plant that is not a mine takes the highest coefficient over the ores it could treat."""
    out = np.zeros((coeff.sizes["metric"], len(facilities)))
    for k, (stage, ore) in enumerate(zip(facilities["stage"], facilities["ore"], strict=True)):
        if stage not in PRODUCING:
            continue
        at_stage = coeff.sel(stage=stage)
        known = isinstance(ore, str) and ore in at_stage.coords["ore"].values
        out[:, k] = (at_stage.sel(ore=ore) if known else at_stage.max("ore")).values
    return xr.DataArray(
        out,
        coords={"metric": coeff.coords["metric"].values, "facility": list(facilities.index)},
        dims=("metric", "facility"),
    )


def check_safeguards(
    spec: SafeguardSpec,
    origin: str,
    *,
    countries: set[str],
    blocs: dict[str, list[str]],
    facilities: set[str],
    ores: set[str],
) -> None:
    """One-line error naming the file, field and value of the first rule that refers to
    something the model does not know."""

    def fail(field: str, value: str, allowed: str) -> None:
        msg = f"{origin}: safeguards: {field}: {value!r} is unknown (allowed: {allowed})"
        raise KazreeError(msg)

    regions = [(f"caps.{c.name}.region", c.region) for c in spec.caps if c.region is not None]
    regions += [(f"recycling.{r.name}.region", r.region) for r in spec.recycling]
    for field, region in regions:
        if region not in blocs and region not in countries:
            fail(field, str(region), f"a country code or a bloc: {', '.join(sorted(blocs))}")
    for cap in spec.caps:
        for facility in cap.facilities:
            if facility not in facilities:
                fail(f"caps.{cap.name}.facilities", facility, "a facility id of the dataset")
    for ban in spec.bans:
        if ban.ore not in ores:
            fail(f"bans.{ban.name}.ore", ban.ore, ", ".join(sorted(ores)))
    named = [(f"bans.{b.name}.countries", c) for b in spec.bans for c in b.countries]
    named += [(f"residue_stores.{s.name}.country", s.country) for s in spec.residue_stores]
    if spec.residue_rule is not None:
        named += [("residue_rule.countries", c) for c in spec.residue_rule.countries]
    for field, country in named:
        if country not in countries:
            fail(field, country, "a country code of countries.csv")


def members(region: str, blocs: dict[str, list[str]]) -> list[str]:
    """Countries of ``region`` (a bloc or one country)."""
    return blocs.get(region, [region])
