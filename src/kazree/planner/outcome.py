"""The plan and its targets as tables: ``plan.csv`` and ``targets.csv``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from kazree.planner.investment import budget_capex_musd, capex_musd, online_years
from kazree.planner.solve import Problem, Solved, built
from kazree.planner.targets import UNITS, constraint_name, values
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
TARGET_COLUMNS = [
    "target",
    "year",
    "required",
    "achieved",
    "cost_usd_per_unit",
    "status",
    "unit",
]
COST_TOLERANCE = 1e-6
"""Below this a target's dual (US$ per unit) counts as zero: the target does not bind."""


def plan_frame(problem: Problem, solved: Solved) -> pd.DataFrame:
    """One row per build (candidate, decision year) with capacity > 0, by decision year."""
    return builds_frame(problem, built(problem, solved))


def builds_frame(problem: Problem, amounts: xr.DataArray) -> pd.DataFrame:
    """``plan.csv`` of capacity ``amounts`` (facility, decision; t/yr) on ``problem``'s
    candidates: one row per build with capacity > 0, by decision year."""
    online = online_years(problem.candidates, problem.decisions)
    capex = capex_musd(problem.candidates)
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
            }
        )
    frame = pd.DataFrame(rows, columns=PLAN_COLUMNS)
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
        row = by_name.get(target.name)
        solved_values = None if row is None else values(solved.model, solved.flows, row)
        for year in [y for y in problem.inputs.years if y >= target.year]:
            achieved = cost = np.nan
            if row is not None and solved_values is not None:
                achieved = _achieved(*solved_values, year)
                active = start is not None and year >= start
                if active:
                    cost = float(_cost(solved, row.target, row.sense).sel(year=year).max()) + 0.0
            reached = start is not None and year >= start
            rows.append(_row(target, year, achieved, cost, reached))
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


def _row(
    target: PlanTarget, year: int, achieved: float, cost: float, reached: bool
) -> dict[str, object]:
    """One line of ``targets.csv``."""
    return {
        "target": target.name,
        "year": year,
        "required": target.level,
        "achieved": achieved,
        "cost_usd_per_unit": cost,
        "status": _status(reached, cost),
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
    dual = solved.model.constraints[constraint_name(target)].dual
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
