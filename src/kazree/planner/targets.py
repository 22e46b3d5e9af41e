"""Planning targets as year-local rows on the model's flows (capital budgets: investment.py).

Each target is ``measure - share x base`` compared with a level, in every modelled year from
its ``year`` on; its dual is its cost in US$ per unit of the measure. Units: t REO(-eq) for
quantities, MUSD for value added. Value added is priced at the price deck (the model's own
prices are duals, not known while the model is built): concentrate at
``costs.reference_value_usd_per_t``, each separated oxide at its deck price, metal and magnet
making at China's stage cost per t (the margin the magnet deck price adds to its oxide content).
"""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from kazree.chain.forms import Form, Stage
from kazree.errors import KazreeError
from kazree.metrics.groups import element_groups
from kazree.model.flows import Flows
from kazree.model.terms import Sum, compile_sum
from kazree.model.variables import everywhere, trade_name
from kazree.scenario.plan import PlanTarget, TargetKind

CHINA = "CN"
WORLD = "world"
PENALTY_USD_PER_UNIT = 1e9
"""Cost of a unit of shortfall in the elastic solve that finds out-of-reach targets."""
UNITS = {
    TargetKind.SUPPLY: "t",
    TargetKind.PARTNER_SHARE: "t",
    TargetKind.PROCESSING_SHARE: "t",
    TargetKind.VALUE_ADDED: "MUSD",
    TargetKind.CRMA: "t",
    TargetKind.CAPITAL: "MUSD",
}
"""Unit of a target's row (its cost is in US$ per this unit)."""
PROCESSING_STAGES = (Stage.SEPARATION, Stage.METAL, Stage.MAGNET)
CRMA_STAGES = (Stage.MINING, Stage.SEPARATION)


@dataclass(frozen=True)
class Row:
    """A target as ``measure - share x base  sense  level`` over ``rows`` dimensions."""

    target: PlanTarget
    measure: Sum
    base: Sum | None
    share: float
    sense: str
    level: float
    dims: tuple[str, ...]


def constraint_name(target: PlanTarget) -> str:
    """Name of a target's constraint in the model."""
    return f"plan_{target.name}"


def slack_name(target: PlanTarget) -> str:
    """Name of a target's shortfall variable in the elastic solve."""
    return f"slack_{target.name}"


def _members(f: Flows, where: str, origin: str, field: str) -> xr.DataArray:
    """1.0 for the countries of a country or bloc, over the model's countries."""
    members = f.inputs.countries if where == WORLD else f.inputs.blocs.get(where, [where])
    if not set(members) & set(f.inputs.countries):
        allowed = ", ".join([WORLD, *sorted(f.inputs.blocs)]) + " or a modelled country"
        msg = f"{origin}: plan.targets: {field} {where!r} is not in the model (allowed: {allowed})"
        raise KazreeError(msg)
    return xr.DataArray(
        [float(c in members) for c in f.inputs.countries],
        coords={"country": f.inputs.countries},
        dims="country",
    )


def _group(f: Flows, target: PlanTarget, origin: str) -> xr.DataArray:
    groups = element_groups()
    if target.group not in groups:
        msg = (
            f"{origin}: plan.targets: {target.name}: group {target.group!r} is unknown"
            f" (allowed: {', '.join(groups)})"
        )
        raise KazreeError(msg)
    elements = [str(e) for e in f.inputs.composition.coords["element"].values]
    return xr.DataArray(
        [float(e in groups[target.group]) for e in elements],
        coords={"element": elements},
        dims="element",
    )


def _exports(f: Flows, country: str) -> Sum:
    """A country's exports by importer (importer, year), t REO-eq of element content."""
    own = xr.DataArray(
        [float(c == country) for c in f.inputs.countries],
        coords={"exporter": f.inputs.countries},
        dims="exporter",
    )
    total = f.v(trade_name(Form.MAGNET.value)) * (own * f.magnet_ree)
    for form in (Form.ORE_CONCENTRATE, Form.MIXED_INTERMEDIATE, Form.SEPARATED_OXIDE):
        total += f.v(trade_name(form.value)) * own
    return total + f.v(trade_name(Form.METAL_ALLOY.value)) * own


def _value_added_musd(f: Flows, inside: xr.DataArray) -> Sum:
    """Value added at the price deck in the countries of ``inside``, MUSD per year."""
    inputs = f.inputs
    concentrate = inputs.costs.reference_value_usd_per_t.get(Form.ORE_CONCENTRATE, 0.0)
    deck = inputs.reference_price * 1e3
    china = CHINA if CHINA in inputs.countries else inputs.countries[0]
    metal_cost = float(inputs.stage_cost.sel(stage=Stage.METAL.value, country=china))
    magnet_cost = float(inputs.stage_cost.sel(stage=Stage.MAGNET.value, country=china))
    total = (
        f.mine_output * (inside * concentrate)
        + f.oxide_output * (inside * deck)
        - f.v("feed") * (inside * concentrate)
        + f.stage_total(Stage.METAL) * (inside * metal_cost)
        + f.magnets_made * (inside * magnet_cost)
    )
    return total * 1e-6


def _consumption(f: Flows, inside: xr.DataArray, group: xr.DataArray) -> Sum:
    """End use of an element group in the countries of ``inside``, t REO-eq."""
    content = f.inputs.grade_content * group * inside
    return f.v("use_oxide") * (inside * group) + f.v("fill") * content


def target_row(f: Flows, target: PlanTarget, origin: str) -> Row:
    """The row of an operating target (every kind but ``capital``)."""
    kind = target.kind
    if kind is TargetKind.SUPPLY:
        region = _members(f, str(target.region), origin, "region")
        group = _group(f, target, origin)
        outside = xr.DataArray(
            [float(c != CHINA) for c in f.inputs.countries],
            coords={"country": f.inputs.countries},
            dims="country",
        )
        made = f.oxide_output * (region * outside * group)
        return Row(target, made, None, 0.0, ">=", float(target.level), ("year",))
    if kind is TargetKind.PARTNER_SHARE:
        exports = _exports(f, str(target.country))
        total = exports.rename(importer="partner")
        return Row(target, exports, total, float(target.level), "<=", 0.0, ("importer", "year"))
    if kind is TargetKind.PROCESSING_SHARE:
        inside = _members(f, str(target.country), origin, "country")
        stage = target.stage
        if stage is Stage.SEPARATION:
            processed = f.v("feed") * inside
        elif stage is Stage.METAL:
            processed = f.v("metal") * inside
        elif stage is Stage.MAGNET:
            processed = f.magnets_made * (inside * f.magnet_ree)
        else:
            raise KazreeError(_stage_error(origin, target, PROCESSING_STAGES))
        mined = f.mine_output * inside
        return Row(target, processed, mined, float(target.level), ">=", 0.0, ("year",))
    if kind is TargetKind.VALUE_ADDED:
        inside = _members(f, str(target.country), origin, "country")
        return Row(target, _value_added_musd(f, inside), None, 0.0, ">=", target.level, ("year",))
    if kind is TargetKind.CRMA:
        inside = _members(f, str(target.region), origin, "region")
        group = _group(f, target, origin)
        if target.stage is Stage.MINING:
            made = f.mine_output * (inside * f.inputs.composition * group)
        elif target.stage is Stage.SEPARATION:
            made = f.oxide_output * (inside * group)
        else:
            raise KazreeError(_stage_error(origin, target, CRMA_STAGES))
        use = _consumption(f, inside, group)
        return Row(target, made, use, float(target.level), ">=", 0.0, ("year",))
    msg = f"{origin}: plan.targets: {target.name}: {kind.value} is not an operating target"
    raise KazreeError(msg)


def _stage_error(origin: str, target: PlanTarget, allowed: tuple[Stage, ...]) -> str:
    stage = target.stage.value if target.stage else None
    names = ", ".join(s.value for s in allowed)
    return (
        f"{origin}: plan.targets: {target.name}: stage {stage!r} for a {target.kind.value}"
        f" target (allowed: {names})"
    )


def define_target(f: Flows, row: Row, *, elastic: bool) -> None:
    """Add ``row`` as constraint ``plan_<name>`` (with a penalised shortfall when elastic)."""
    years = xr.DataArray(f.inputs.years, coords={"year": f.inputs.years}, dims="year")
    active = years >= row.target.year
    coords = {d: f.coords[d] for d in row.dims}
    mask = (everywhere(**coords) & active).transpose(*row.dims)
    lhs = row.measure if row.base is None else row.measure - row.base * row.share
    if elastic:
        slack = f.m.add_variables(
            lower=xr.zeros_like(mask, dtype=float), name=slack_name(row.target), mask=mask
        )
        lhs = lhs + Sum.of(slack) * (1.0 if row.sense == ">=" else -1.0)
        penalty = compile_sum(f.m, Sum.of(slack) * PENALTY_USD_PER_UNIT, {})
        f.m.add_objective(f.m.objective.expression + penalty, overwrite=True)
    f.constrain(constraint_name(row.target), lhs, row.sense, row.level, row.dims, mask=mask)


def expressions(
    m: linopy.Model, f: Flows, row: Row
) -> tuple[linopy.LinearExpression, linopy.LinearExpression | None]:
    """(measure, base) of ``row`` as expressions over its row dimensions."""
    coords = {d: f.coords[d] for d in row.dims}
    measure = compile_sum(m, row.measure, coords)
    base = None if row.base is None else compile_sum(m, row.base, coords)
    return measure, base


def values(m: linopy.Model, f: Flows, row: Row) -> tuple[xr.DataArray, xr.DataArray | None]:
    """Solved (measure, base) of ``row`` over its row dimensions."""
    measure, base = expressions(m, f, row)
    return measure.solution, None if base is None else base.solution


def holds(m: linopy.Model, f: Flows, row: Row, tolerance: float = 1e-6) -> bool:
    """Whether a solved ``row`` holds in every year it applies. A year in which nothing can
    count towards the target has no variables in its row, and a solver drops such rows
    instead of calling the problem infeasible."""
    measure, base = values(m, f, row)
    lhs = measure if base is None else measure - base * row.share
    lhs = lhs.sel(year=[y for y in f.inputs.years if y >= row.target.year]).fillna(0.0)
    slack = (lhs - row.level) if row.sense == ">=" else (row.level - lhs)
    return bool((slack >= -tolerance * max(1.0, abs(row.level))).all())
