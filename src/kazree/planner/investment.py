"""Build variables added to a built model: capacity online after lead times, annuities, budgets.

``build[facility, decision]`` (t/yr on the stage's model basis) is decided in year ``decision``
and comes online in ``decision + lead_years``, ramping linearly to full over
``ramp_up_years + 1`` years (the run model's ramp). A candidate's production is at most its
online capacity. Each tonne of capacity costs its annuity plus fixed O&M
(``annual_usd_per_t``) in every modelled year from its online year to the horizon's end; years
after the horizon are not charged and not credited (only annuities inside the horizon count),
so a build whose online year lies beyond the horizon is not offered.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import linopy
import numpy as np
import pandas as pd
import xarray as xr

from kazree.model.terms import Sum, compile_constraint, compile_sum
from kazree.planner.targets import constraint_name
from kazree.scenario.plan import PlanTarget

BUILD = "build"
BUILD_ON = "build_on"


def online_years(candidates: pd.DataFrame, decisions: list[int]) -> xr.DataArray:
    """Online year of each (facility, decision)."""
    lead = candidates["lead_years"].to_numpy(dtype=int)
    return xr.DataArray(
        lead[:, None] + np.asarray(decisions)[None, :],
        coords={"facility": list(candidates.index), "decision": decisions},
        dims=("facility", "decision"),
    )


def ramp(candidates: pd.DataFrame, decisions: list[int], years: list[int]) -> xr.DataArray:
    """Share of a build online (facility, decision, year): 0 before its online year, then a
    linear ramp to 1 over ``ramp_up_years + 1`` years."""
    online = online_years(candidates, decisions)
    steps = xr.DataArray(
        candidates["ramp_up_years"].to_numpy(dtype=float) + 1.0,
        coords={"facility": list(candidates.index)},
        dims="facility",
    )
    year = xr.DataArray(years, coords={"year": years}, dims="year")
    share: xr.DataArray = ((year - online + 1) / steps).clip(0.0, 1.0)
    return share.transpose("facility", "decision", "year")


def capex_musd(candidates: pd.DataFrame) -> xr.DataArray:
    """Overnight capex per t/yr of each candidate, MUSD."""
    return xr.DataArray(
        candidates["capex_usd_per_t"].to_numpy(dtype=float) * 1e-6,
        coords={"facility": list(candidates.index)},
        dims="facility",
    )


def define_builds(
    m: linopy.Model,
    candidates: pd.DataFrame,
    decisions: list[int],
    years: list[int],
    *,
    integer: bool,
    offered: xr.DataArray | None = None,
) -> None:
    """Add build variables, their capacity link, size limits and their cost to ``m``; a fixed
    build (``fixed_year``) is the whole candidate in its year. Without candidates, nothing.

    ``offered``: the (facility, decision) builds to create (default: those online within the
    horizon); one offered beyond it brings no capacity and costs nothing."""
    if candidates.empty:
        return
    ids = list(candidates.index)
    online = online_years(candidates, decisions)
    if offered is None:
        offered = online <= years[-1]
    size = xr.DataArray(
        candidates["max_t"].to_numpy(dtype=float), coords={"facility": ids}, dims="facility"
    )
    fixed = xr.DataArray(
        candidates["fixed_year"].to_numpy(dtype=float), coords={"facility": ids}, dims="facility"
    )
    decided = xr.DataArray(decisions, coords={"decision": decisions}, dims="decision")
    whole = size.where(fixed == decided, 0.0).transpose(*offered.dims)
    build = m.add_variables(
        lower=whole,
        upper=size.where(fixed.isnull() | (fixed == decided), 0.0).transpose(*offered.dims),
        name=BUILD,
        mask=offered,
    )
    share = ramp(candidates, decisions, years)
    production = m.variables["production"].labels.sel(facility=ids)
    has_capacity = (share.where(offered, 0.0).sum("decision") > 0) & (production >= 0)
    rows = {"facility": ids, "year": years}
    link = Sum.of(m.variables["production"]) - Sum.of(build) * share
    _constrain(m, "build_capacity", link, "<=", 0.0, rows, has_capacity)
    _constrain(m, "build_size", Sum.of(build), "<=", size, {"facility": ids})
    charged = (years[-1] - online + 1).clip(min=0)
    annual = xr.DataArray(
        candidates["annual_usd_per_t"].to_numpy(dtype=float),
        coords={"facility": ids},
        dims="facility",
    )
    cost = compile_sum(m, Sum.of(build) * (annual * charged).where(offered, 0.0), {})
    m.add_objective(m.objective.expression + cost, overwrite=True)
    if integer:
        on = m.add_variables(coords=offered.coords, name=BUILD_ON, mask=offered, binary=True)
        smallest = xr.DataArray(
            candidates["min_t"].to_numpy(dtype=float), coords={"facility": ids}, dims="facility"
        )
        pairs = {"facility": ids, "decision": decisions}
        _constrain(m, "build_on_max", Sum.of(build) - Sum.of(on) * size, "<=", 0.0, pairs, offered)
        _constrain(
            m, "build_on_min", Sum.of(build) - Sum.of(on) * smallest, ">=", 0.0, pairs, offered
        )
        _constrain(m, "build_once", Sum.of(on), "<=", 1.0, {"facility": ids})


def _constrain(
    m: linopy.Model,
    name: str,
    lhs: Sum,
    sign: str,
    rhs: float | xr.DataArray,
    rows: Mapping[str, Sequence[Hashable]],
    mask: xr.DataArray | None = None,
) -> None:
    m.add_constraints(compile_constraint(m, lhs, sign, rhs, rows), name=name, mask=mask)


def fix_decisions(
    m: linopy.Model,
    candidates: pd.DataFrame,
    decisions: list[int],
    fixed: Mapping[str, int | None],
) -> None:
    """Fix candidates' decisions: ``None`` never built, a year built then (and only then; with
    ``--integer`` at least at the minimum size)."""
    if candidates.empty:
        return
    ids = list(candidates.index)
    chosen = np.array(
        [[fixed.get(c, d) == d if c in fixed else True for d in decisions] for c in ids]
    )
    pairs = {"facility": ids, "decision": decisions}
    closed = xr.DataArray(~chosen, coords=pairs, dims=("facility", "decision"))
    _constrain(m, "build_fixed_off", Sum.of(m.variables[BUILD]), "<=", 0.0, pairs, closed)
    if BUILD_ON in m.variables:
        opened = closed.copy(data=chosen & np.isin(ids, list(fixed))[:, None])
        _constrain(m, "build_fixed_on", Sum.of(m.variables[BUILD_ON]), ">=", 1.0, pairs, opened)


def budget_capex_musd(candidates: pd.DataFrame, target: PlanTarget) -> xr.DataArray:
    """Capex per t/yr counted by a capital budget (its country's candidates, or all)."""
    counted = (
        np.ones(len(candidates))
        if target.country is None
        else (candidates["country"] == target.country).to_numpy(dtype=float)
    )
    return capex_musd(candidates) * counted


def define_budget(
    m: linopy.Model, candidates: pd.DataFrame, decisions: list[int], target: PlanTarget
) -> None:
    """A capital budget (MUSD) on the builds of the target's country (all without one): per
    decision year from the target's year on, or in total over the decisions up to its year.
    Without candidates nothing is spent and there is nothing to constrain."""
    if candidates.empty:
        return
    build = Sum.of(m.variables[BUILD])
    name = constraint_name(target)
    level = float(target.level)
    if target.per_year:
        active = xr.DataArray(
            [d >= target.year for d in decisions], coords={"decision": decisions}, dims="decision"
        )
        spent = build * budget_capex_musd(candidates, target)
        _constrain(m, name, spent, "<=", level, {"decision": decisions}, active)
    else:
        upto = xr.DataArray(
            [float(d <= target.year) for d in decisions],
            coords={"decision": decisions},
            dims="decision",
        )
        _constrain(m, name, build * (budget_capex_musd(candidates, target) * upto), "<=", level, {})


def budget_dual(m: linopy.Model, target: PlanTarget, decisions: list[int]) -> xr.DataArray:
    """The dual of a solved capital budget (per decision year, or one value); zero where it has
    no row (no candidates)."""
    name = constraint_name(target)
    if name in m.constraints:
        dual: xr.DataArray = m.constraints[name].dual
        return dual
    if target.per_year:
        return xr.DataArray(
            np.zeros(len(decisions)), coords={"decision": decisions}, dims="decision"
        )
    return xr.DataArray(0.0)
