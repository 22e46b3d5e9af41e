"""The plan and its targets as tables: ``plan.csv`` and ``targets.csv``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from kazree.csv_tables import Number
from kazree.outputs import (
    COST_TOLERANCE,
    NO_CONSUMPTION,
    NO_COVERED_OUTPUT,
    NO_EXPORTS,
    NO_ORE_MINED,
)
from kazree.planner.candidates import spec_of
from kazree.planner.investment import budget_capex_musd, budget_dual, capex_musd, online_years
from kazree.planner.solve import Problem, Solved, built
from kazree.planner.targets import UNITS, constraint_name, target_row, values
from kazree.scenario.plan import PlanTarget, TargetKind

PLAN_COLUMNS = [
    "candidate",
    "stage",
    "country",
    "capacity_t",
    "decision_year",
    "online_year",
    "capex_musd",
    "financing",
]
PLAN_NUMBERS = {
    "capacity_t": Number("t/yr >= 0", minimum=0.0),
    "decision_year": Number("a year"),
    "online_year": Number("a year"),
    "capex_musd": Number("US$ million >= 0", minimum=0.0),
}
"""The columns of ``plan.csv`` that hold numbers, for reading it back."""
TERM_COLUMNS = ["ramp_up_years", "life_years"]
"""``plan.csv``'s last columns: years a build ramps up over (linearly to full in
``ramp_up_years + 1`` years) and the economic life its capex is annualised over."""
TARGET_COLUMNS = [
    "target",
    "year",
    "required",
    "achieved",
    "cost_usd_per_unit",
    "status",
    "unit",
]
EMPTY_BASE = {
    TargetKind.PROCESSING_SHARE: NO_ORE_MINED,
    TargetKind.PARTNER_SHARE: NO_EXPORTS,
    TargetKind.CRMA: NO_CONSUMPTION,
    TargetKind.PARTNER_OFFTAKE: NO_COVERED_OUTPUT,
}
"""Status of a share target in a year its base is zero: it holds whatever the share (met
vacuously); its cost, if any, is what keeping the base at zero costs."""


def plan_frame(problem: Problem, solved: Solved) -> pd.DataFrame:
    """One row per build (candidate, decision year) with capacity > 0, by decision year."""
    return builds_frame(problem, built(problem, solved))


def builds_frame(problem: Problem, amounts: xr.DataArray) -> pd.DataFrame:
    """``plan.csv`` of capacity ``amounts`` (facility, decision; t/yr) on ``problem``'s
    candidates: one row per build with capacity > 0, by decision year."""
    online = online_years(problem.candidates, problem.decisions)
    capex = capex_musd(problem.candidates)
    life = spec_of(problem.scenario).life_years
    ramps = problem.candidates["ramp_up_years"].to_dict()
    rows = []
    for fid, decision in zip(*np.nonzero(amounts.values > 0), strict=True):
        cid = str(amounts.coords["facility"].values[fid])
        year = int(amounts.coords["decision"].values[decision])
        capacity = float(amounts.values[fid, decision])
        row = problem.candidates.loc[cid]
        rows.append(
            {
                "candidate": cid,
                "stage": row["stage"],
                "country": row["country"],
                "capacity_t": capacity,
                "decision_year": year,
                "online_year": int(online.sel(facility=cid, decision=year)),
                "capex_musd": capacity * float(capex.sel(facility=cid)),
                "financing": row["financing"],
                "ramp_up_years": int(ramps[cid]),
                "life_years": life,
            }
        )
    frame = pd.DataFrame(rows, columns=PLAN_COLUMNS + TERM_COLUMNS)
    return frame.sort_values(["decision_year", "candidate"], ignore_index=True)


def _cost(solved: Solved, target: PlanTarget, sense: str) -> xr.DataArray:
    """US$ per unit of tightening the target, per its rows (positive when it binds)."""
    dual: xr.DataArray = solved.model.constraints[constraint_name(target)].dual
    return dual if sense == ">=" else -dual


def targets_frame(
    problem: Problem, solved: Solved, asked: list[PlanTarget], moved: dict[str, int | None]
) -> pd.DataFrame:
    """Required, achieved and cost of every target in every year it applies (``asked``: the
    targets as the scenario states them; ``moved``: out-of-reach ones -> the year they were
    solved from, None if never within the horizon)."""
    rows: list[dict[str, object]] = []
    by_name = {row.target.name: row for row in solved.rows}
    for target in asked:
        start = moved.get(target.name, target.year)
        if target.kind is TargetKind.CAPITAL:
            rows += _capital_rows(problem, solved, target)
            continue
        row = by_name.get(target.name) or target_row(solved.flows, target, problem.scenario.origin)
        solved_values = values(solved.model, solved.flows, row)
        for year in [y for y in problem.inputs.years if y >= target.year]:
            achieved = _achieved(*solved_values, year)
            reached = start is not None and year >= start
            cost = (
                float(_cost(solved, row.target, row.sense).sel(year=year).max()) + 0.0
                if reached
                else np.nan
            )
            empty = (
                solved_values[1] is not None
                and not float(solved_values[1].sel(year=year).max()) > 0
            )
            rows.append(_row(target, year, achieved, cost, reached, empty=empty))
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


def _row(
    target: PlanTarget,
    year: int,
    achieved: float,
    cost: float,
    reached: bool,
    *,
    empty: bool = False,
) -> dict[str, object]:
    """One line of ``targets.csv`` (``empty``: the share's base is zero that year)."""
    return {
        "target": target.name,
        "year": year,
        "required": target.level,
        "achieved": achieved,
        "cost_usd_per_unit": cost,
        "status": EMPTY_BASE[target.kind] if empty and reached else _status(reached, cost),
        "unit": "share" if target.share is not None else UNITS[target.kind],
    }


def _achieved(measure: xr.DataArray, base: xr.DataArray | None, year: int) -> float:
    level = measure.sel(year=year)
    if base is None:
        return float(level.sum())
    whole = base.sel(year=year)
    shares = (level / whole.where(whole > 0)).values
    return float(np.nanmax(shares)) if np.isfinite(shares).any() else np.nan


def _status(reached: bool, cost: float) -> str:
    if not reached:
        return "out_of_reach"
    return "binding" if cost > COST_TOLERANCE else "met"


def _capital_rows(problem: Problem, solved: Solved, target: PlanTarget) -> list[dict[str, object]]:
    amounts = built(problem, solved)
    spent = (amounts * budget_capex_musd(problem.candidates, target)).sum("facility")
    dual = budget_dual(solved.model, target, problem.decisions)
    rows: list[dict[str, object]] = []
    years = [d for d in problem.decisions if d >= target.year] if target.per_year else [target.year]
    for year in years:
        if target.per_year:
            achieved = float(spent.sel(decision=year))
            cost = -float(dual.sel(decision=year)) + 0.0
        else:
            achieved = float(spent.sel(decision=[d for d in problem.decisions if d <= year]).sum())
            cost = -float(dual) + 0.0
        rows.append(_row(target, year, achieved, cost, reached=True))
    return rows
