"""Constraints of the supply-chain LP: balances, capacities, export controls, hard targets.

Balances are written ``supply - use == 0`` per node, so their duals are the value of one more
tonne there (US$/t).
"""

from __future__ import annotations

import linopy
import xarray as xr

from kazree.chain.forms import Form, Stage
from kazree.model.flows import Flows
from kazree.model.variables import TRADE_FORMS, form_licence, trade_name

BALANCES = {
    Stage.MINING.value: "balance_concentrate",
    Stage.CRACKING.value: "balance_intermediate",
    Stage.SEPARATION.value: "balance_oxide",
    Stage.METAL.value: "balance_metal",
    Stage.MAGNET.value: "balance_magnet",
}
"""The balance constraint of each stage's output, by stage."""


def define_capacity(f: Flows) -> None:
    """No facility produces more than its capacity in a year (none before its start year)."""
    capacity = f.inputs.capacity
    f.m.add_constraints(f.v["production"] <= capacity, name="capacity", mask=capacity > 0)


def define_balances(f: Flows) -> None:
    """Mass balance of every product at every country node and year."""
    m, v, inputs = f.m, f.v, f.inputs
    m.add_constraints(
        f.mine_output + f.net_imports(Form.ORE_CONCENTRATE.value) - v["crack"] == 0,
        name=BALANCES[Stage.MINING.value],
    )
    m.add_constraints(
        v["crack"] + f.net_imports(Form.MIXED_INTERMEDIATE.value) - v["feed"] == 0,
        name=BALANCES[Stage.CRACKING.value],
    )
    m.add_constraints(
        v["crack"].sum("ore") - v["feed"].sum("ore") - f.stage_total(Stage.CRACKING) <= 0,
        name="cracking_capacity",
    )
    m.add_constraints(
        f.stage_total(Stage.SEPARATION) - v["feed"].sum("ore") == 0, name="separation_feed"
    )
    m.add_constraints(
        f.oxide_output
        + f.net_imports(Form.SEPARATED_OXIDE.value)
        - v["metal"]
        - v["use_oxide"].sum("sector")
        - v["surplus"]
        == -inputs.secondary,
        name=BALANCES[Stage.SEPARATION.value],
    )
    m.add_constraints(
        (inputs.metal_per_oxide * v["metal"]).sum("element") - f.stage_total(Stage.METAL) == 0,
        name="metal_output",
    )
    m.add_constraints(
        v["metal"] + f.net_imports(Form.METAL_ALLOY.value) - inputs.magnet_content * f.magnets_made
        == 0,
        name=BALANCES[Stage.METAL.value],
    )
    m.add_constraints(
        f.magnets_made
        + f.net_imports(Form.MAGNET.value)
        - v["use_magnet"].sum("sector") / f.magnet_ree
        == 0,
        name=BALANCES[Stage.MAGNET.value],
    )


def define_demand(f: Flows) -> None:
    """Demand is met or counted as unmet (penalised in the objective)."""
    m, v, inputs = f.m, f.v, f.inputs
    m.add_constraints(
        v["use_oxide"] + v["unmet_oxide"] == inputs.demand_oxide,
        name="demand_oxide",
        mask=inputs.demand_oxide > 0,
    )
    m.add_constraints(
        v["use_magnet"] + v["unmet_magnet"] == inputs.demand_magnet,
        name="demand_magnet",
        mask=inputs.demand_magnet > 0,
    )


def define_export_controls(f: Flows) -> None:
    """Licensed exports: ``sum_j trade_j / s_j <= output`` over destinations with 0 < s_j < 1.

    A rule letting share ``s`` through caps exports to its destinations at ``s`` x the
    exporter's own output of the product; ``s = 0`` removes the lane (no variable).
    """
    for form in TRADE_FORMS:
        share = form_licence(f.inputs, form)
        weight = (1.0 / share.where(share > 0, 1.0)).where((share > 0) & (share < 1), 0.0)
        covered = (weight > 0).any("importer")
        if not bool(covered.any()):
            continue
        licensed = (weight * f.v[trade_name(form)]).sum("importer")
        f.m.add_constraints(
            licensed - f.made(form).rename(country="exporter") <= 0,
            name=f"licence_{form}",
            mask=covered,
        )


def region_flows(f: Flows, stage: Stage) -> tuple[linopy.LinearExpression, linopy.LinearExpression]:
    """(output, use) of ``stage``'s product per (country, year), in the stage's unit."""
    v = f.v
    if stage is Stage.MINING:
        return f.mine_output.sum("ore"), v["crack"].sum("ore")
    if stage is Stage.SEPARATION:
        use = v["metal"].sum("element") + v["use_oxide"].sum(["sector", "element"])
        return f.oxide_output.sum("element"), use + v["surplus"].sum("element")
    if stage is Stage.METAL:
        return v["metal"].sum("element"), f.magnet_ree * f.magnets_made
    return f.magnets_made, v["use_magnet"].sum("sector") / f.magnet_ree


def define_targets(f: Flows) -> None:
    """Hard targets: a region's output of a stage >= share x its use of that product + min_t."""
    inputs = f.inputs
    years = xr.DataArray(inputs.years, coords={"year": inputs.years}, dims="year")
    for target in inputs.targets:
        members = [
            c for c in inputs.blocs.get(target.region, [target.region]) if c in inputs.countries
        ]
        output, use = region_flows(f, target.stage)
        lhs = (output - target.share * use).sel(country=members).sum("country")
        f.m.add_constraints(
            lhs >= target.min_t, name=f"target_{target.name}", mask=years >= target.from_year
        )
