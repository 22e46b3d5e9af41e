"""Constraints of the supply-chain LP: balances, capacities, export controls, hard targets.

Balances are written ``supply - use == 0`` per node, so their duals are the value of one more
tonne there (US$/t). Each family is one :class:`~kazree.model.terms.Sum` compiled over its row
dimensions: a term's other dimensions (ore, sector, exporter, facility, ...) are summed.
"""

from __future__ import annotations

import xarray as xr

from kazree.chain.forms import Form, Stage
from kazree.model.flows import Flows
from kazree.model.terms import Sum
from kazree.model.variables import form_licence, trade_name

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
    f.constrain("capacity", f.v("production"), "<=", capacity, capacity, mask=capacity > 0)


def define_balances(f: Flows) -> None:
    """Mass balance of every product at every country node and year."""
    inputs = f.inputs
    ore_rows = ("country", "ore", "year")
    element_rows = ("country", "element", "year")
    rows = ("country", "year")
    f.constrain(
        BALANCES[Stage.MINING.value],
        f.mine_output + f.net_imports(Form.ORE_CONCENTRATE.value) - f.v("crack"),
        "=",
        0.0,
        ore_rows,
    )
    f.constrain(
        BALANCES[Stage.CRACKING.value],
        f.v("crack") + f.net_imports(Form.MIXED_INTERMEDIATE.value) - f.v("feed"),
        "=",
        0.0,
        ore_rows,
    )
    f.constrain(
        "cracking_capacity",
        f.v("crack") - f.v("feed") - f.stage_total(Stage.CRACKING),
        "<=",
        0.0,
        rows,
    )
    f.constrain("separation_feed", f.stage_total(Stage.SEPARATION) - f.v("feed"), "=", 0.0, rows)
    f.constrain(
        BALANCES[Stage.SEPARATION.value],
        f.oxide_output
        + f.net_imports(Form.SEPARATED_OXIDE.value)
        - f.v("metal")
        - f.v("use_oxide")
        - f.v("surplus"),
        "=",
        -inputs.secondary,
        element_rows,
    )
    f.constrain(
        "metal_output",
        f.v("metal") * inputs.metal_per_oxide - f.stage_total(Stage.METAL),
        "=",
        0.0,
        rows,
    )
    f.constrain(
        BALANCES[Stage.METAL.value],
        f.v("metal")
        + f.net_imports(Form.METAL_ALLOY.value)
        - f.magnets_made * inputs.grade_content,
        "=",
        0.0,
        element_rows,
    )
    f.constrain("magnet_output", f.magnets_made - f.stage_total(Stage.MAGNET), "=", 0.0, rows)
    f.constrain(
        BALANCES[Stage.MAGNET.value],
        f.magnets_made + f.net_imports(Form.MAGNET.value) - f.v("fill"),
        "=",
        0.0,
        ("country", "grade", "year"),
    )


def define_demand(f: Flows) -> None:
    """Magnets bought on a sector's curve are filled with grades it can use (its need or above)."""
    demand = f.inputs.demand_magnet
    f.constrain(
        "demand_magnet",
        f.v("use_magnet") - f.v("fill"),
        "=",
        0.0,
        demand,
        mask=demand > 0,
    )


def define_export_controls(f: Flows) -> None:
    """Licensed exports: ``sum_j trade_j <= cap`` over destinations with 0 < s_j < 1.

    The cap (``inputs.licence_cap``) is ``sum_j s_j x`` the exporter's exports of the product
    to those destinations in the same scenario solved without controls; ``s = 0`` removes the
    lane (no variable).
    """
    for form, cap in f.inputs.licence_cap.items():
        share = form_licence(f.inputs, form)
        covered = ((share > 0) & (share < 1)).astype(float)
        rows = (covered > 0).any("importer")
        f.constrain(
            f"licence_{form}",
            f.v(trade_name(form)) * covered,
            "<=",
            cap,
            rows,
            mask=rows,
        )


def region_flows(f: Flows, stage: Stage) -> tuple[Sum, Sum]:
    """(output, use) of ``stage``'s product per (country, year), in the stage's unit."""
    if stage is Stage.MINING:
        return f.mine_output, f.v("crack")
    if stage is Stage.SEPARATION:
        return f.oxide_output, f.v("metal") + f.v("use_oxide") + f.v("surplus")
    if stage is Stage.METAL:
        return f.v("metal"), f.magnets_made * f.magnet_ree
    return f.magnets_made, f.v("fill")


def define_targets(f: Flows) -> None:
    """Hard targets: a region's output of a stage >= share x its use of that product + min_t."""
    inputs = f.inputs
    years = xr.DataArray(inputs.years, coords={"year": inputs.years}, dims="year")
    for target in inputs.targets:
        members = inputs.blocs.get(target.region, [target.region])
        inside = xr.DataArray(
            [c in members for c in inputs.countries],
            coords={"country": inputs.countries},
            dims="country",
        ).astype(float)
        output, use = region_flows(f, target.stage)
        f.constrain(
            f"target_{target.name}",
            (output - use * target.share) * inside,
            ">=",
            target.min_t,
            ("year",),
            mask=years >= target.from_year,
        )
