"""Plan a scenario: the run model plus builds and targets, solved over the whole horizon.

The run model's years are separate LPs; builds link them (capacity decided in one year serves
every later one), so the planning problem is one LP (``--integer``: one MIP) solved by HiGHS
through linopy. After the plan, the scenario is solved year by year with the planned capacity
and the same targets (:mod:`kazree.model.yearly`), which gives the run outputs and their
unique prices.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from dataclasses import dataclass

import linopy
import numpy as np
import pandas as pd
import xarray as xr

from kazree.data import Dataset
from kazree.errors import KazreeError
from kazree.model.build import build_model
from kazree.model.extract import extract
from kazree.model.flows import Flows
from kazree.model.inputs import Inputs, build_inputs, inputs_key
from kazree.model.licence import licensed, uncontrolled, with_caps
from kazree.model.safeguards import safeguard_cost
from kazree.model.solve import Solution, SolveStatus, quiet_solver
from kazree.model.yearly import solve_by_year
from kazree.planner.candidates import candidate_table, first_decision_year, plan_scenario, spec_of
from kazree.planner.investment import BUILD, define_budget, define_builds, fix_decisions, ramp
from kazree.planner.targets import Row, define_target, holds, target_row
from kazree.planner.zones import restrict_to_zones
from kazree.scenario.plan import PlanTarget, TargetKind
from kazree.scenario.schema import Scenario

OPTIMAL = "optimal"
MIP_GAP = 1e-9
"""Relative MIP gap: plans are proven optimal, not merely good."""


@dataclass(frozen=True)
class Problem:
    """Everything fixed across the solves of one plan: inputs, candidates, decision years."""

    scenario: Scenario
    inputs: Inputs
    candidates: pd.DataFrame
    decisions: list[int]
    integer: bool


@dataclass
class Solved:
    """One solved planning model."""

    model: linopy.Model
    flows: Flows
    rows: list[Row]
    targets: list[PlanTarget]
    build_s: float
    solve_s: float


def prepare(
    scenario: Scenario,
    ds: Dataset,
    *,
    integer: bool = False,
    counterfactuals: dict[str, linopy.Model] | None = None,
) -> Problem:
    """Inputs with every candidate's potential capacity, the candidate table, decision years.

    ``counterfactuals``: solved scenarios without controls by :func:`inputs_key`, reused when
    several futures share one (a risk run's samples)."""
    scenario = in_plan_mode(scenario, ds)
    inputs = build_inputs(scenario, ds)
    candidates = candidate_table(scenario, ds, inputs)
    first = first_decision_year(scenario)
    years = inputs.years
    decisions = list(range(first, years[-1] + 1))
    ids = list(candidates.index)
    capacity = inputs.capacity.copy()
    potential = (ramp(candidates, decisions, years).max("decision") > 0) * xr.DataArray(
        candidates["max_t"].to_numpy(float), coords={"facility": ids}, dims="facility"
    )
    capacity.loc[{"facility": ids}] = potential.transpose("facility", "year").values
    planned = dataclasses.replace(inputs, capacity=capacity)
    if licensed(planned):
        base = inputs.capacity.copy()
        base.loc[{"facility": ids}] = 0.0
        free = uncontrolled(dataclasses.replace(inputs, capacity=base))
        cache = {} if counterfactuals is None else counterfactuals
        key = inputs_key(free)
        if key not in cache:
            cache[key] = _solved_counterfactual(free, scenario.origin)
        planned = with_caps(planned, cache[key])
    return Problem(scenario, planned, candidates, decisions, integer)


def in_plan_mode(scenario: Scenario, ds: Dataset) -> Scenario:
    """``scenario`` as the planner sees it: candidates outside its top zones dropped, the
    replaced facilities left out, generic candidates added as facilities."""
    return plan_scenario(restrict_to_zones(scenario, ds))


def _solved_counterfactual(inputs: Inputs, origin: str) -> linopy.Model:
    counterfactual = build_model(inputs)
    with quiet_solver():
        condition = solve_by_year(counterfactual)
    if condition != OPTIMAL:
        msg = f"{origin}: the scenario without controls ended {condition!r}"
        raise KazreeError(msg)
    return counterfactual


def operating(targets: list[PlanTarget]) -> list[PlanTarget]:
    """Targets on flows (every kind but capital budgets)."""
    return [t for t in targets if t.kind is not TargetKind.CAPITAL]


def planning_model(
    problem: Problem,
    targets: list[PlanTarget],
    *,
    elastic: bool = False,
    fixed: Mapping[str, int | None] | None = None,
    offered: xr.DataArray | None = None,
) -> tuple[linopy.Model, Flows, list[Row]]:
    """The planning model of ``problem`` with ``targets``, built and not solved: the model, its
    flows and the operating targets' rows (``fixed``, ``offered``: as in :func:`solve_plan` and
    :func:`~kazree.planner.investment.define_builds`)."""
    m = build_model(problem.inputs)
    years = problem.inputs.years
    define_builds(
        m, problem.candidates, problem.decisions, years, integer=problem.integer, offered=offered
    )
    if fixed:
        fix_decisions(m, problem.candidates, problem.decisions, fixed)
    flows = Flows(m, problem.inputs)
    rows = [target_row(flows, t, problem.scenario.origin) for t in operating(targets)]
    for row in rows:
        define_target(flows, row, elastic=elastic)
    for target in targets:
        if target.kind is TargetKind.CAPITAL:
            define_budget(m, problem.candidates, problem.decisions, target)
    return m, flows, rows


def solve_plan(
    problem: Problem,
    targets: list[PlanTarget],
    *,
    elastic: bool = False,
    fixed: Mapping[str, int | None] | None = None,
) -> Solved | None:
    """Build and solve the planning model with ``targets``; None when it is infeasible.

    ``fixed``: candidate -> its decision year (None: not built), e.g. a roadmap as announced.
    """
    start = time.perf_counter()
    m, flows, rows = planning_model(problem, targets, elastic=elastic, fixed=fixed)
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    gap = MIP_GAP if problem.integer else None
    with quiet_solver():
        status, condition = m.solve(
            "highs", io_api="direct", output_flag=False, log_to_console=False, mip_rel_gap=gap
        )
    solve_s = time.perf_counter() - start
    if condition in ("infeasible", "infeasible_or_unbounded"):
        return None
    if status != "ok":
        origin = problem.scenario.origin
        msg = f"{origin}: the planning problem ended {condition!r} (allowed: optimal)"
        raise KazreeError(msg)
    if not elastic and not all(holds(m, flows, row) for row in rows):
        return None
    return Solved(m, flows, rows, list(targets), build_s, solve_s)


def built(problem: Problem, solved: Solved) -> xr.DataArray:
    """Capacity built (facility, decision), t/yr; rounding noise below 1e-6 t dropped."""
    if BUILD not in solved.model.variables:
        return xr.DataArray(
            np.zeros((0, len(problem.decisions))),
            coords={"facility": [], "decision": problem.decisions},
            dims=("facility", "decision"),
        )
    values: xr.DataArray = solved.model.variables[BUILD].solution.fillna(0.0)
    return values.where(values > 1e-6, 0.0)


def with_builds(problem: Problem, amounts: xr.DataArray) -> Inputs:
    """The problem's inputs with each candidate's capacity what ``amounts`` (facility,
    decision; t/yr) brings online year by year."""
    inputs = problem.inputs
    ids = list(problem.candidates.index)
    online = (amounts * ramp(problem.candidates, problem.decisions, inputs.years)).sum("decision")
    capacity = inputs.capacity.copy()
    capacity.loc[{"facility": ids}] = online.transpose("facility", "year").values
    return dataclasses.replace(inputs, capacity=capacity)


def run_outputs(problem: Problem, solved: Solved) -> Solution:
    """The scenario solved year by year with the planned capacity and the operating targets."""
    final = with_builds(problem, built(problem, solved))
    start = time.perf_counter()
    m = build_model(final)
    flows = Flows(m, final)
    for target in operating(solved.targets):
        define_target(flows, target_row(flows, target, problem.scenario.origin), elastic=False)
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    with quiet_solver():
        condition = solve_by_year(m)
    solve_s = time.perf_counter() - start
    if condition != OPTIMAL:
        origin = problem.scenario.origin
        msg = f"{origin}: the planned capacity solved year by year ended {condition!r}"
        raise KazreeError(msg)
    start = time.perf_counter()
    results = extract(m, final, SolveStatus.OPTIMAL.value)
    results.ds.attrs["counterfactual"] = problem.scenario.counterfactual or ""
    if not problem.integer:
        # What a rule costs the plan, its builds included: with the capacity built to fit a
        # rule, the dispatch's own dual is often zero (the capacity binds instead).
        results.ds["safeguard_cost"] = safeguard_cost(solved.model, final)
    return Solution(
        results=results,
        status=SolveStatus.OPTIMAL,
        objective=float(m.objective.value or 0.0),
        n_variables=int(m.nvars),
        n_constraints=int(m.ncons),
        read_s=0.0,
        build_s=build_s,
        solve_s=solve_s,
        extract_s=time.perf_counter() - start,
        notes=tuple(final.notes),
    )


def targets_of(scenario: Scenario) -> list[PlanTarget]:
    """The scenario's planning targets."""
    return list(spec_of(scenario).targets)
