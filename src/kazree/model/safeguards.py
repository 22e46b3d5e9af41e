"""Safeguards as constraints of the LP, and the footprint and safeguard cost of a solution.

:func:`define_safeguards` adds every rule of ``inputs.safeguards`` to a model through its
:class:`~kazree.model.flows.Flows`; any model built on the same variables (the planner's is the
market model plus build variables) obeys the same rules by calling it on its own ``Flows``.
Each rule is one constraint ``safeguard_<name>`` (the residue rule: ``safeguard_residue``) with
a row per year (the residue rule: per country and year), so the model stays separable by year
and each dual is the rule's cost in that year: US$ per unit of the capped metric (m3, t CO2e,
t residue, GJ, MWh, t of reagent or tailings), per t of the banned stage's basis, or per t REO
of oxide use for a recycling floor.
"""

from __future__ import annotations

from typing import NamedTuple

import linopy
import numpy as np
import xarray as xr

from kazree.chain.forms import Stage
from kazree.data.rows.economics import FootprintMetric
from kazree.model.flows import Flows
from kazree.model.footprint import PRODUCING, facility_coefficients, members
from kazree.model.inputs import Inputs
from kazree.model.terms import Sum, aligned_values
from kazree.model.variables import stage_matrix
from kazree.scenario.safeguards import (
    ORE_STAGES,
    RESIDUE,
    Ban,
    FootprintCap,
    RecyclingFloor,
    SafeguardSpec,
)

COST_UNITS = {
    FootprintMetric.WATER_M3: "usd_per_m3",
    FootprintMetric.CO2E_T: "usd_per_t_co2e",
    FootprintMetric.RADIOACTIVE_RESIDUE_T: "usd_per_t_residue",
    FootprintMetric.WASTE_GAS_M3: "usd_per_m3_gas",
    FootprintMetric.WATER_USE_M3: "usd_per_m3_water_taken",
    FootprintMetric.ENERGY_GJ: "usd_per_gj",
    FootprintMetric.ELECTRICITY_MWH: "usd_per_mwh",
    FootprintMetric.TAILINGS_T: "usd_per_t_tailings",
    FootprintMetric.SULPHURIC_ACID_T: "usd_per_t_h2so4",
    FootprintMetric.HCL_T: "usd_per_t_hcl",
    FootprintMetric.AMMONIUM_BICARBONATE_T: "usd_per_t_nh4hco3",
}
"""Unit of a cap's cost, by the capped metric."""


def constraint_name(rule: str) -> str:
    """Name of the constraint of safeguard ``rule``."""
    return f"safeguard_{rule}"


def stage_flows(f: Flows) -> dict[str, Sum]:
    """Output of every producing stage on its model basis: (country, ore, year) for mining,
    cracking and separation feed; (country, year) for metal and magnets."""
    return {
        Stage.MINING.value: f.mine_output,
        Stage.CRACKING.value: f.v("crack"),
        Stage.SEPARATION.value: f.v("feed"),
        Stage.METAL.value: f.stage_total(Stage.METAL),
        Stage.MAGNET.value: f.stage_total(Stage.MAGNET),
    }


def footprint_sum(f: Flows, metric: str) -> Sum:
    """``metric`` of every country's chain (country, year) as a sum of the flows."""
    coeff = _coefficients(f.inputs).sel(metric=metric)
    total = Sum(())
    for stage, flow in stage_flows(f).items():
        at_stage = coeff.sel(stage=stage, drop=True)
        factor = at_stage if Stage(stage) in ORE_STAGES else float(at_stage.max())
        total = total + flow * factor
    return total


def _coefficients(inputs: Inputs) -> xr.DataArray:
    if inputs.footprint is None:
        msg = "inputs carry no footprint coefficients (build them with build_inputs)"
        raise ValueError(msg)
    return inputs.footprint


def _inside(inputs: Inputs, countries: list[str]) -> xr.DataArray:
    """1.0 for the model's countries among ``countries`` (country)."""
    return xr.DataArray(
        [float(c in countries) for c in inputs.countries],
        coords={"country": inputs.countries},
        dims="country",
    )


def _from(inputs: Inputs, year: int) -> xr.DataArray:
    years = xr.DataArray(inputs.years, coords={"year": inputs.years}, dims="year")
    mask: xr.DataArray = years >= year
    return mask


def _cap(f: Flows, cap: FootprintCap) -> None:
    inputs = f.inputs
    if cap.region is not None:
        lhs = footprint_sum(f, cap.metric.value) * _inside(
            inputs, members(cap.region, inputs.blocs)
        )
    else:
        per_facility = facility_coefficients(_coefficients(inputs), inputs.facilities)
        zone = xr.DataArray(
            [float(i in cap.facilities) for i in inputs.facilities.index],
            coords={"facility": list(inputs.facilities.index)},
            dims="facility",
        )
        lhs = f.v("production") * (per_facility.sel(metric=cap.metric.value, drop=True) * zone)
    f.constrain(
        constraint_name(cap.name),
        lhs,
        "<=",
        cap.limit,
        ("year",),
        mask=_from(inputs, cap.from_year),
    )


def _ban(f: Flows, ban: Ban) -> None:
    inputs = f.inputs
    if ban.ore not in inputs.ores:
        return
    ore = xr.DataArray(
        [float(o == ban.ore) for o in inputs.ores], coords={"ore": inputs.ores}, dims="ore"
    )
    where = _inside(inputs, ban.countries or inputs.countries)
    lhs = stage_flows(f)[ban.stage.value] * (ore * where)
    f.constrain(
        constraint_name(ban.name), lhs, "<=", 0.0, ("year",), mask=_from(inputs, ban.from_year)
    )


def _recycling(f: Flows, rule: RecyclingFloor) -> None:
    inputs = f.inputs
    inside = _inside(inputs, members(rule.region, inputs.blocs))
    use = (f.v("metal") + f.v("use_oxide")) * (inside * rule.share)
    secondary = (inputs.secondary * inside).sum(("country", "element"))
    f.constrain(
        constraint_name(rule.name),
        use,
        "<=",
        secondary,
        ("year",),
        mask=_from(inputs, rule.from_year),
    )


def storage_capacity(inputs: Inputs) -> xr.DataArray:
    """Residue a country's declared stores take each year, t (country, year)."""
    out = xr.DataArray(
        np.zeros((len(inputs.countries), len(inputs.years))),
        coords={"country": inputs.countries, "year": inputs.years},
        dims=("country", "year"),
    )
    for store in inputs.safeguards.residue_stores:
        if store.country in inputs.countries:
            out.loc[store.country] += np.where(
                np.asarray(inputs.years) >= store.start_year, store.capacity_t, 0.0
            )
    return out


def _residue(f: Flows) -> None:
    inputs = f.inputs
    rule = inputs.safeguards.residue_rule
    if rule is None:
        return
    where = _inside(inputs, rule.countries or inputs.countries) > 0
    mask = (where & _from(inputs, rule.from_year)).transpose("country", "year")
    f.constrain(
        constraint_name(RESIDUE),
        footprint_sum(f, FootprintMetric.RADIOACTIVE_RESIDUE_T.value),
        "<=",
        storage_capacity(inputs),
        ("country", "year"),
        mask=mask,
    )


def define_safeguards(f: Flows) -> None:
    """Add every safeguard of ``f.inputs.safeguards`` to ``f``'s model."""
    spec = f.inputs.safeguards
    for cap in spec.caps:
        _cap(f, cap)
    for ban in spec.bans:
        _ban(f, ban)
    for rule in spec.recycling:
        _recycling(f, rule)
    _residue(f)


def footprint(inputs: Inputs, flows: dict[str, xr.DataArray]) -> xr.DataArray:
    """Footprint of solved ``flows`` (metric, stage, country, year), in each metric's unit;
    stages in chain order, like every stage dimension of the results.

    ``flows``: ``production`` (facility, year), and mine output, ore cracked and separation
    feed by ore type (country, ore, year) under the stage names ``mining``, ``cracking`` and
    ``separation``.
    """
    coeff = _coefficients(inputs)
    production = flows["production"]
    parts = []
    for stage in PRODUCING:
        at_stage = coeff.sel(stage=stage, drop=True)
        if Stage(stage) in ORE_STAGES:
            parts.append((flows[stage] * at_stage).sum("ore"))
        else:
            matrix = stage_matrix(inputs, Stage(stage))
            made = (production.sel(facility=matrix.coords["facility"]) * matrix).sum("facility")
            parts.append(made * at_stage.max("ore"))
    out = xr.concat(parts, dim=xr.DataArray(PRODUCING, dims="stage", name="stage"))
    every = out.reindex(stage=[s.value for s in Stage], fill_value=0.0)  # end use: none
    return every.transpose("metric", "stage", "country", "year")


class RuleInfo(NamedTuple):
    """A safeguard's name, the unit of its cost and the first year it holds."""

    name: str
    unit: str
    from_year: int


def rule_infos(spec: SafeguardSpec) -> list[RuleInfo]:
    """Every rule with a constraint of its own, in the order of ``spec.names``."""
    infos = [RuleInfo(c.name, COST_UNITS[c.metric], c.from_year) for c in spec.caps]
    infos += [RuleInfo(b.name, "usd_per_t", b.from_year) for b in spec.bans]
    infos += [RuleInfo(r.name, "usd_per_t_reo", r.from_year) for r in spec.recycling]
    if spec.residue_rule is not None:
        unit = COST_UNITS[FootprintMetric.RADIOACTIVE_RESIDUE_T]
        infos.append(RuleInfo(RESIDUE, unit, spec.residue_rule.from_year))
    return infos


def safeguard_cost(m: linopy.Model, inputs: Inputs) -> xr.DataArray:
    """Cost of each safeguard (safeguard, year): the largest dual over its rows, US$ per unit
    of the coordinate ``unit`` (0 where it does not bind, NaN before it holds)."""
    infos = rule_infos(inputs.safeguards)
    years = np.asarray(inputs.years)
    values = np.full((len(infos), len(years)), np.nan)
    for i, (name, _, start) in enumerate(infos):
        key = constraint_name(name)
        if key in m.constraints:
            dual = abs(m.constraints[key].dual)
            if "country" in dual.dims:
                dual = dual.max("country")
            values[i] = aligned_values(dual, ["year"], {"year": years}, np.nan)
        in_force = years >= start
        values[i, in_force] = np.nan_to_num(values[i, in_force])  # no flow to hold back: 0
    return xr.DataArray(
        values,
        coords={
            "safeguard": np.asarray([i.name for i in infos], dtype=str),
            "year": inputs.years,
            "unit": ("safeguard", np.asarray([i.unit for i in infos], dtype=str)),
        },
        dims=("safeguard", "year"),
    )


def safeguard_results(
    m: linopy.Model, inputs: Inputs, flows: dict[str, xr.DataArray]
) -> dict[str, xr.DataArray]:
    """The results variables of the safeguards: ``footprint`` (of ``flows``, see
    :func:`footprint`) and ``safeguard_cost``."""
    return {"footprint": footprint(inputs, flows), "safeguard_cost": safeguard_cost(m, inputs)}
