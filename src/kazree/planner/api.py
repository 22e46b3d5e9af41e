"""``kazree.plan``: what to build, where, when and at what cost to meet a scenario's targets."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kazree.errors import KazreeError
from kazree.model.solve import Solution
from kazree.planner.outcome import plan_frame, targets_frame
from kazree.planner.reach import OutOfReach, explain, find_reach
from kazree.planner.solve import prepare, run_outputs, solve_plan, targets_of
from kazree.scenario import Scenario, load_scenario
from kazree.scenario.dataset import scenario_dataset
from kazree.scenario.plan import PlanTarget

SWEEP_COLUMNS = ["target", "level", "objective_musd", "cost_usd_per_unit", "status"]


@dataclass(frozen=True)
class Plan:
    """A solved plan: the builds, the targets, what is out of reach, and the run it gives."""

    scenario: str
    builds: pd.DataFrame
    """``plan.csv``: candidate, stage, country, capacity_t, decision_year, online_year,
    capex_musd, financing."""
    targets: pd.DataFrame
    """``targets.csv``: target, year, required, achieved, cost_usd_per_unit, status, unit."""
    out_of_reach: tuple[OutOfReach, ...]
    solution: Solution
    """The scenario solved year by year with the planned capacity (what ``kazree run`` writes)."""
    objective: float
    """The planning problem's optimum, US$: minus welfare plus annuities and fixed O&M."""
    n_variables: int
    n_constraints: int
    read_s: float
    build_s: float
    solve_s: float
    extract_s: float

    def summary(self) -> dict[str, object]:
        """The fields of ``plan.json``."""
        return {
            "scenario": self.scenario,
            "objective": self.objective,
            "builds": len(self.builds),
            "capex_musd": float(self.builds["capex_musd"].sum()),
            "out_of_reach": [r.sentence() for r in self.out_of_reach],
            "n_variables": self.n_variables,
            "n_constraints": self.n_constraints,
            "read_s": round(self.read_s, 4),
            "build_s": round(self.build_s, 4),
            "solve_s": round(self.solve_s, 4),
            "extract_s": round(self.extract_s, 4),
        }


def _scenario(scenario: Scenario | str | Path) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


def plan(
    scenario: Scenario | str | Path,
    *,
    integer: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Plan:
    """Plan ``scenario`` (an object, a shipped name or a YAML path): the least-cost builds that
    meet its ``plan.targets``; targets out of reach are moved to the earliest year they can
    be met and explained in :attr:`Plan.out_of_reach`."""
    step = progress or (lambda _: None)
    scenario = _scenario(scenario)
    start = time.perf_counter()
    step("reading data")
    problem = prepare(scenario, scenario_dataset(scenario), integer=integer)
    read_s = time.perf_counter() - start
    step("solving the planning problem")
    targets = targets_of(scenario)
    solved, moved = find_reach(problem, targets)
    step("solving the plan year by year")
    solution = run_outputs(problem, solved)
    start = time.perf_counter()
    builds = plan_frame(problem, solved)
    frame = targets_frame(problem, solved, targets, moved)
    extract_s = time.perf_counter() - start + solution.extract_s
    return Plan(
        scenario=scenario.name,
        builds=builds,
        targets=frame,
        out_of_reach=tuple(explain(problem, solved, targets, moved)),
        solution=solution,
        objective=float(solved.model.objective.value or 0.0),
        n_variables=int(solved.model.nvars),
        n_constraints=int(solved.model.ncons),
        read_s=read_s,
        build_s=solved.build_s,
        solve_s=solved.solve_s,
        extract_s=extract_s,
    )


def sweep(
    scenario: Scenario | str | Path,
    name: str,
    levels: list[float],
    *,
    integer: bool = False,
) -> pd.DataFrame:
    """The cost curve of target ``name``: the planning optimum and the target's cost in its
    year at each level (``status`` out_of_reach where a level cannot be met)."""
    scenario = _scenario(scenario)
    targets = targets_of(scenario)
    if name not in {t.name for t in targets}:
        msg = (
            f"{scenario.origin}: --sweep: target {name!r} is not in plan.targets"
            f" (allowed: {', '.join(t.name for t in targets) or 'none declared'})"
        )
        raise KazreeError(msg)
    problem = prepare(scenario, scenario_dataset(scenario), integer=integer)
    rows = []
    for level in levels:
        trial: list[PlanTarget] = [t.at(level) if t.name == name else t for t in targets]
        solved = solve_plan(problem, trial)
        if solved is None:
            rows.append([name, level, float("nan"), float("nan"), "out_of_reach"])
            continue
        frame = targets_frame(problem, solved, trial, {})
        mine = frame[frame["target"] == name]
        rows.append(
            [
                name,
                level,
                float(solved.model.objective.value or 0.0) / 1e6,
                float(mine["cost_usd_per_unit"].iloc[0]),
                str(mine["status"].iloc[0]),
            ]
        )
    return pd.DataFrame(rows, columns=SWEEP_COLUMNS)
