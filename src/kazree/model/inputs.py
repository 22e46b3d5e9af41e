"""Scenario + dataset -> the labelled parameter arrays of the model (pure, no solver).

Model bases (t per year): mining t REO in concentrate; cracking t REO of intermediate; separation
t REO of feed; metal t metal; magnet t magnet. A facility's published capacity is converted once:
``t_ndpr_oxide`` / an NdPr share (of the local ore), ``t_hree_feed`` as t REO, ``t_ore`` x grade
(see :mod:`kazree.model.capacity`).
Oxide, metal and magnet quantities in balances are REO-equivalent element content.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from kazree.chain.elements import ELEMENTS, symbols
from kazree.chain.forms import Form, Sector, Stage
from kazree.data import Dataset
from kazree.errors import KazreeError
from kazree.model.capacity import base_year, capacity_by_year, facility_table
from kazree.model.curves import step_widths, willingness
from kazree.model.demand import (
    MAGNET_SECTOR_NAMES,
    OTHER_SECTORS,
    demand_arrays,
    grade_content,
    grade_needs,
)
from kazree.model.footprint import check_safeguards, footprint_coefficients
from kazree.model.lanes import lane_cost, licence_shares
from kazree.model.prices import price_deck
from kazree.scenario.safeguards import SafeguardSpec
from kazree.scenario.schema import CostSpec, Scenario, TargetSpec

STAGES = [s.value for s in Stage]


@dataclass(frozen=True)
class Inputs:
    """Everything the model builder needs, as labelled arrays (see module docstring for units)."""

    scenario: str
    years: list[int]
    countries: list[str]
    ores: list[str]
    facilities: pd.DataFrame
    """Index ``id``; see :data:`kazree.model.capacity.COLUMNS`."""
    capacity: xr.DataArray  # (facility, year), model basis
    composition: xr.DataArray  # (ore, element), fractions summing to 1
    grade_content: xr.DataArray  # (grade, element), t REO-eq per t magnet
    metal_per_oxide: xr.DataArray  # (element,)
    demand_oxide: xr.DataArray  # (sector, country, element, year), t REO at the deck
    demand_magnet: xr.DataArray  # (sector, need, country, year), t magnet at the deck
    step_width: xr.DataArray  # (step,), share of the reference quantity
    worth_oxide: xr.DataArray  # (sector, country, element, step), US$/t REO
    worth_magnet: xr.DataArray  # (sector, need, country, step), US$/t magnet
    reference_price: xr.DataArray  # (element,), US$/kg oxide (the deck)
    reference_magnet_price: xr.DataArray  # (grade,), US$/kg magnet in China at the deck
    price_basis: xr.DataArray  # (element,), where each deck price comes from
    secondary: xr.DataArray  # (country, element, year), t REO of oxide outside mining
    stage_cost: xr.DataArray  # (stage, country), US$/t of the stage's basis
    lane_cost: xr.DataArray  # (form, exporter, importer), US$/t
    licence: xr.DataArray  # (form, exporter, importer, element, year), share let through
    costs: CostSpec
    recovery: float
    blocs: dict[str, list[str]]
    targets: list[TargetSpec] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Warnings about the input (facilities given no capacity, ...)."""
    licence_cap: dict[str, xr.DataArray] = field(default_factory=dict)
    """Per traded form: most an exporter may ship to licensed destinations (exporter, content,
    year), from the same scenario solved without controls (:mod:`kazree.model.licence`)."""
    footprint: xr.DataArray | None = None
    """Footprint per t of each stage's basis (metric, stage, ore), :mod:`kazree.model.footprint`."""
    safeguards: SafeguardSpec = field(default_factory=SafeguardSpec)

    @property
    def grades(self) -> list[str]:
        """Magnet grades, lowest heavy-REE content first."""
        return [str(g) for g in self.grade_content.coords["grade"].values]


def inputs_key(inputs: Inputs) -> str:
    """A digest of every field of ``inputs``: equal inputs give equal keys (a cache key for
    solves that depend on the inputs alone)."""
    digest = hashlib.sha256()
    for item in dataclasses.fields(inputs):
        value = getattr(inputs, item.name)
        digest.update(item.name.encode())
        _digest(digest, value)
    return digest.hexdigest()


def _digest(digest: Any, value: object) -> None:
    if isinstance(value, xr.DataArray):
        digest.update(repr(value.dims).encode())
        for name in value.dims:
            digest.update(np.asarray(value.coords[name].values).astype(str).tobytes())
        digest.update(np.ascontiguousarray(value.values).tobytes())
    elif isinstance(value, pd.DataFrame):
        hashed = pd.util.hash_pandas_object(value.astype(str), index=True)
        digest.update(hashed.to_numpy().tobytes())
    elif isinstance(value, dict):
        for key in sorted(value, key=str):
            digest.update(str(key).encode())
            _digest(digest, value[key])
    else:
        digest.update(repr(value).encode())


def composition_table(ds: Dataset) -> xr.DataArray:
    """Element shares of TREO by deposit type, renormalised to sum to 1 per type."""
    dist = ds.table("element_distribution")
    pivot = dist.pivot_table(
        index="deposit_type", columns="element", values="share_pct", aggfunc="sum"
    ).reindex(columns=list(symbols()), fill_value=0.0)
    pivot = pivot.fillna(0.0)
    pivot = pivot.div(pivot.sum(axis=1), axis=0)
    return xr.DataArray(
        pivot.to_numpy(dtype=float),
        coords={"ore": list(pivot.index), "element": list(symbols())},
        dims=("ore", "element"),
    )


def build_inputs(scenario: Scenario, ds: Dataset) -> Inputs:
    """Assemble the model's parameters for ``scenario`` from dataset ``ds`` (already overridden)."""
    years = scenario.years.values
    composition_all = composition_table(ds)
    notes: list[str] = []
    facilities = facility_table(scenario, ds, list(composition_all.coords["ore"].values), notes)
    ores = sorted(set(facilities.loc[facilities["stage"] == Stage.MINING.value, "ore"]))
    ores = ores or [scenario.default_deposit_type]
    composition = composition_all.sel(ore=ores)
    capacity = capacity_by_year(scenario, facilities, composition_all, years)
    content = grade_content(scenario, ds)
    countries_table = ds.table("countries")
    nodes = _nodes(scenario, facilities, set(countries_table["code"]))
    secondary = _secondary(scenario, nodes, years)
    # ``other`` takes what the base year's output leaves, whatever the first modelled year
    first = base_year(scenario, years)
    base = capacity_by_year(scenario, facilities, composition_all, [first], grow=False)
    supply = scenario.separation_recovery * _mined_t(
        facilities, base, composition, first
    ) + _secondary(scenario, nodes, [first]).sel(year=first).sum("country")
    demand_oxide, demand_magnet = demand_arrays(scenario, ds, nodes, years, supply, content)
    price, basis = price_deck(scenario, ds)
    lanes = lane_cost(scenario, countries_table, nodes)
    worth_oxide, worth_magnet = _worth(scenario, ds, price, content, lanes)
    blocs = _blocs(countries_table)
    _check_targets(scenario, blocs, set(countries_table["code"]))
    check_safeguards(
        scenario.safeguards,
        scenario.origin,
        countries=set(countries_table["code"]),
        blocs=blocs,
        facilities=set(facilities.index),
        ores=set(composition_all.coords["ore"].values),
    )
    return Inputs(
        scenario=scenario.name,
        years=years,
        countries=nodes,
        ores=ores,
        facilities=facilities,
        capacity=capacity,
        composition=composition,
        grade_content=content,
        metal_per_oxide=_metal_per_oxide(),
        demand_oxide=demand_oxide,
        demand_magnet=demand_magnet,
        step_width=step_widths(),
        worth_oxide=worth_oxide,
        worth_magnet=worth_magnet,
        reference_price=price,
        reference_magnet_price=magnet_reference(scenario, price, content) / 1e3,
        price_basis=basis,
        secondary=secondary,
        stage_cost=_stage_cost(scenario, nodes),
        lane_cost=lanes,
        licence=licence_shares(scenario, ds, nodes, years),
        costs=scenario.costs,
        recovery=scenario.separation_recovery,
        blocs=blocs,
        targets=list(scenario.targets),
        notes=notes,
        footprint=footprint_coefficients(ds.table("footprints"), ores),
        safeguards=scenario.safeguards,
    )


def magnet_reference(
    scenario: Scenario, price: xr.DataArray, content: xr.DataArray
) -> xr.DataArray:
    """Reference price of each magnet grade in China (grade,), US$/t magnet: its oxide content
    at the deck plus China's cost of making the metal and the magnet
    (:data:`~kazree.scenario.schema.CostSpec`)."""
    costs = scenario.costs
    factor = costs.country_factor.get("CN", 1.0)
    metal_t = (content * _metal_per_oxide()).sum("element")
    reference: xr.DataArray = (
        (content * price * 1e3).sum("element")
        + metal_t * costs.stage_usd_per_t.get(Stage.METAL, 0.0) * factor
        + costs.stage_usd_per_t.get(Stage.MAGNET, 0.0) * factor
    )
    return reference


def _worth(
    scenario: Scenario,
    ds: Dataset,
    price: xr.DataArray,
    content: xr.DataArray,
    lanes: xr.DataArray,
) -> tuple[xr.DataArray, xr.DataArray]:
    """Worth of each demand block: oxides (sector, country, element, step) US$/t REO, magnets
    (sector, need, country, step) US$/t magnet.

    A magnet grade's reference price is :func:`magnet_reference`. The deck is China's: a
    country's reference price adds the cost of the lane from China (2024 buyers abroad paid
    the Chinese price plus freight).
    """
    spec = scenario.demand

    def elasticity(sectors: list[str]) -> xr.DataArray:
        values = [spec.elasticity.get(Sector(s), -0.5) for s in sectors]
        return xr.DataArray(values, coords={"sector": sectors}, dims="sector")

    magnet_price = magnet_reference(scenario, price, content)

    def freight(form: Form) -> xr.DataArray:
        cost: xr.DataArray = lanes.sel(form=form.value, drop=True).rename(importer="country")
        if "CN" not in lanes.coords["exporter"]:
            return xr.zeros_like(cost.isel(exporter=0, drop=True))
        return cost.sel(exporter="CN", drop=True)

    oxide_price = price * 1e3 + freight(Form.SEPARATED_OXIDE)
    oxide = willingness(elasticity(OTHER_SECTORS), oxide_price, spec.choke_factor)
    magnet_price = magnet_price.rename(grade="need") + freight(Form.MAGNET)
    magnet = willingness(elasticity(MAGNET_SECTOR_NAMES), magnet_price, spec.choke_factor)
    needs = grade_needs(scenario, ds)
    return oxide.transpose("sector", "country", "element", "step"), magnet.where(
        needs > 0, 0.0
    ).transpose("sector", "need", "country", "step")


def _metal_per_oxide() -> xr.DataArray:
    """t metal per t REO-equivalent oxide (element,)."""
    return xr.DataArray(
        [e.metal_per_oxide for e in ELEMENTS], coords={"element": list(symbols())}, dims="element"
    )


def _nodes(scenario: Scenario, facilities: pd.DataFrame, known: set[str]) -> list[str]:
    """Countries of the model: with facilities, demand shares or secondary supply."""
    nodes = sorted(
        set(facilities["country"])
        | set(scenario.demand.magnet_split)
        | set(scenario.demand.other_split)
        | {s.country for s in scenario.secondary_supply}
    )
    for code in nodes:
        if code not in known:
            msg = (
                f"{scenario.origin}: demand: country {code!r} is not in countries.csv"
                " (allowed: its ISO codes)"
            )
            raise KazreeError(msg)
    return nodes


def _check_targets(scenario: Scenario, blocs: dict[str, list[str]], known: set[str]) -> None:
    for target in scenario.targets:
        if target.region not in blocs and target.region not in known:
            msg = (
                f"{scenario.origin}: targets: region {target.region!r} is neither a country nor"
                f" a bloc (allowed: {', '.join(sorted(blocs))} or a country code)"
            )
            raise KazreeError(msg)


def _stage_cost(scenario: Scenario, nodes: list[str]) -> xr.DataArray:
    """US$/t (stage, country): the stage's unit cost times the country's factor."""
    costs = scenario.costs
    per_stage = xr.DataArray(
        [costs.stage_usd_per_t.get(Stage(s), 0.0) for s in STAGES],
        coords={"stage": STAGES},
        dims="stage",
    )
    factor = xr.DataArray(
        [costs.country_factor.get(c, 1.0) for c in nodes], coords={"country": nodes}, dims="country"
    )
    cost: xr.DataArray = per_stage * factor
    return cost


def _mined_t(
    facilities: pd.DataFrame, capacity: xr.DataArray, composition: xr.DataArray, year: int
) -> xr.DataArray:
    """Element content (element,) of the mine capacity of ``year``, t REO."""
    mines = facilities[facilities["stage"] == Stage.MINING.value]
    tonnes = capacity.sel(facility=list(mines.index), year=year).values
    shares = composition.sel(ore=list(mines["ore"])).values
    return xr.DataArray(tonnes @ shares, coords={"element": composition.coords["element"].values})


def _secondary(scenario: Scenario, nodes: list[str], years: list[int]) -> xr.DataArray:
    """Secondary oxide supply (country, element, year), t REO."""
    out = xr.DataArray(
        np.zeros((len(nodes), len(symbols()), len(years))),
        coords={"country": nodes, "element": list(symbols()), "year": years},
        dims=("country", "element", "year"),
    )
    year = out.coords["year"]
    for item in scenario.secondary_supply:
        active = ((year >= item.from_year) & (year <= item.to_year)).astype(float)
        out.loc[{"country": item.country, "element": item.element}] += (
            item.t_per_year * active
        ).values
    return out


def _blocs(countries: pd.DataFrame) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for code, blocs in zip(countries["code"], countries["blocs"], strict=True):
        if isinstance(blocs, str):
            for bloc in blocs.split(";"):
                out.setdefault(bloc.strip(), []).append(code)
    return out


__all__ = ["Inputs", "build_inputs", "composition_table", "inputs_key"]
