"""A plan that hedges: builds chosen once for several futures of a scenario's ``uncertain:`` block.

Two-stage stochastic programme in extensive form (docs/uncertainty.md): the builds are decided
first and shared by every future; each future has its own copy of the whole planning model (its
lead times, ramps, capex and annuities, controls, demand and dispatch) and its targets as
recourse with a penalised shortfall. Beside the stochastic plan it solves the expected-value
plan (the deterministic plan of the expected future) held fixed in every future, and every
future alone (wait-and-see), which give the value of the stochastic solution (VSS) and the
expected value of perfect information (EVPI).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import linopy
import numpy as np
import pandas as pd
import xarray as xr

from kazree.errors import KazreeError
from kazree.planner.extensive import Block, Risk, block_of, cvar, parse_risk, risk_measure, solve
from kazree.planner.investment import online_years
from kazree.planner.outcome import builds_frame
from kazree.planner.solve import Problem, planning_model, prepare, targets_of
from kazree.risk.sampling import apply, check, draws, expected_draw
from kazree.scenario import Scenario, load_scenario
from kazree.scenario.dataset import scenario_dataset
from kazree.scenario.uncertain import UncertainSpec

DEFAULT_FUTURES = 9
MAX_COMBINATIONS = 64
"""Most regime combinations enumerated as futures; beyond it, sample with ``futures``."""
MUSD = 1e-6
"""US$ -> MUSD."""
COST_COLUMNS = ["cost_sp", "cost_ev", "cost_ws", "met_sp", "met_ev"]


@dataclass(frozen=True)
class Futures:
    """The futures: drawn values (one row each, index ``future``) and their probabilities."""

    values: pd.DataFrame
    probabilities: np.ndarray
    sampled: bool
    """True: samples of the scenario's laws; False: every combination of its regimes."""


def combinations(spec: UncertainSpec, origin: str) -> Futures:
    """Every combination of the regimes' options, with the product of their probabilities."""
    options = [r.options for r in spec.regimes]
    count = int(np.prod([len(o) for o in options]))
    if count > MAX_COMBINATIONS:
        msg = (
            f"{origin}: uncertain.regimes: {count} combinations of options"
            f" (allowed: at most {MAX_COMBINATIONS}; sample them with --futures N)"
        )
        raise KazreeError(msg)
    chosen = list(itertools.product(*options))
    values = pd.DataFrame(
        [[o.label for o in combo] for combo in chosen],
        index=pd.RangeIndex(len(chosen), name="future"),
        columns=[r.name for r in spec.regimes],
    )
    probabilities = np.array([float(np.prod([o.probability for o in c])) for c in chosen])
    return Futures(values, probabilities, sampled=False)


def futures_of(spec: UncertainSpec, count: int | None, seed: int, origin: str) -> Futures:
    """``count`` samples (probability 1/count each, the samples ``kazree risk`` draws with
    ``seed``); without a count, every regime combination when only regimes are declared, else
    :data:`DEFAULT_FUTURES` samples."""
    if count is None and not spec.inputs:
        return combinations(spec, origin)
    samples = DEFAULT_FUTURES if count is None else count
    if samples < 1:
        msg = f"{origin}: --futures {samples} (allowed: 1 or more)"
        raise KazreeError(msg)
    values = draws(spec, seed, samples).rename_axis("future")
    return Futures(values, np.full(samples, 1.0 / samples), sampled=True)


@dataclass(frozen=True)
class StochasticPlan:
    """A solved stochastic plan, its futures and the measures against simpler plans."""

    scenario: str
    builds: pd.DataFrame
    """``plan.csv`` (online year and capex as in the expected future)."""
    futures: pd.DataFrame
    """``futures.csv``: future, probability, drawn values, cost_sp, cost_ev, cost_ws (MUSD),
    met_sp, met_ev (every target met)."""
    expected_value_builds: pd.DataFrame
    """The expected-value plan's builds (the deterministic plan of the expected future)."""
    sampled: bool
    risk: Risk | None
    objective: float
    """MUSD: the expected cost, or with ``risk`` (1 - W) E + W CVaR."""
    expected_cost: float
    cvar: float | None
    vss: float
    evpi: float
    n_variables: int
    n_constraints: int
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, object]:
        """The fields of ``stochastic.json``."""
        return {
            "scenario": self.scenario,
            "futures": len(self.futures),
            "futures_from": "samples" if self.sampled else "regime combinations",
            "unit": "MUSD",
            "risk": None
            if self.risk is None
            else {"measure": "cvar", "alpha": self.risk.alpha, "weight": self.risk.weight},
            "objective": self.objective,
            "expected_cost": self.expected_cost,
            "cvar": self.cvar,
            "vss": self.vss,
            "evpi": self.evpi,
            "costs": {
                column: [float(v) for v in self.futures[column]]
                for column in ("cost_sp", "cost_ev", "cost_ws")
            },
            "builds": len(self.builds),
            "capex_musd": float(self.builds["capex_musd"].sum()),
            "n_variables": self.n_variables,
            "n_constraints": self.n_constraints,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }


def _same_choices(reference: Problem, other: Problem) -> None:
    """Every future must offer the same candidates, decision years and modelled years."""
    for what, mine, theirs in (
        ("candidates", list(reference.candidates.index), list(other.candidates.index)),
        ("decision years", reference.decisions, other.decisions),
        ("years", reference.inputs.years, other.inputs.years),
    ):
        if mine != theirs:
            msg = (
                f"{reference.scenario.origin}: uncertain: a future changes the plan's {what}"
                f" (allowed: the same {what} in every future; draw lead times, costs, sizes)"
            )
            raise KazreeError(msg)


def offered_anywhere(problems: list[Problem]) -> xr.DataArray:
    """(facility, decision) builds online within the horizon in at least one future."""
    masks = [online_years(p.candidates, p.decisions) <= p.inputs.years[-1] for p in problems]
    union: xr.DataArray = masks[0]
    for mask in masks[1:]:
        union = union | mask
    return union


def _block(problem: Problem, offered: xr.DataArray) -> Block:
    """``problem``'s planning model with elastic targets and the builds ``offered``, as arrays."""
    m, _flows, _rows = planning_model(
        problem, targets_of(problem.scenario), elastic=True, offered=offered
    )
    return block_of(m)


def _amounts(offered: xr.DataArray, shared: np.ndarray) -> xr.DataArray:
    """The first-stage build values as capacity (facility, decision), t/yr."""
    amounts = xr.zeros_like(offered, dtype=float)
    values = amounts.values
    values[offered.values] = shared[: int(offered.values.sum())]
    return amounts.where(amounts > 1e-6, 0.0)


@dataclass
class _Clock:
    """Wall seconds (``NAME_s``) and CPU seconds (``NAME_cpu_s``) of each phase."""

    timings: dict[str, float]
    wall: float = field(default_factory=time.perf_counter)
    cpu: float = field(default_factory=time.process_time)

    def lap(self, name: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.timings[f"{name}_s"] = wall - self.wall
        self.timings[f"{name}_cpu_s"] = cpu - self.cpu
        self.wall, self.cpu = wall, cpu


def stochastic_plan(
    scenario: Scenario | str | Path,
    *,
    futures: int | None = None,
    seed: int = 0,
    risk: Risk | str | None = None,
    integer: bool = False,
    progress: Callable[[str], None] | None = None,
) -> StochasticPlan:
    """The builds that minimise the expected cost over ``futures`` futures of ``scenario``'s
    ``uncertain:`` block (with ``risk`` ``cvar:ALPHA[:WEIGHT]``: (1 - W) E + W CVaR), with
    the value of the stochastic solution and of perfect information."""
    step = progress or (lambda _: None)
    chosen = parse_risk(risk) if isinstance(risk, str) else risk
    scenario = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    spec = check(scenario)
    drawn = futures_of(spec, futures, seed, scenario.origin)
    p = drawn.probabilities
    timings: dict[str, float] = {}
    clock = _Clock(timings)
    step("reading the futures")
    cache: dict[str, linopy.Model] = {}
    worlds = [apply(scenario, expected_draw(spec))] + [
        apply(scenario, {str(k): v for k, v in row.items()})
        for row in drawn.values.to_dict("records")
    ]
    problems = [
        prepare(w, scenario_dataset(w), integer=integer, counterfactuals=cache) for w in worlds
    ]
    for other in problems[1:]:
        _same_choices(problems[0], other)
    offered = offered_anywhere(problems)
    clock.lap("read")
    step("building the futures' models")
    blocks = [_block(problem, offered) for problem in problems]
    expected, sampled = blocks[0], blocks[1:]
    clock.lap("build")
    step("solving the stochastic plan")
    where = scenario.origin
    sp = solve(sampled, p, risk=chosen, where=where)
    clock.lap("solve_sp")
    step("solving the expected-value plan in every future")
    ev_plan = solve([expected], [1.0], where=where)
    ev = [solve([b], [1.0], fixed=ev_plan.shared, where=where) for b in sampled]
    clock.lap("solve_ev")
    step("solving every future alone")
    ws = [solve([b], [1.0], where=where) for b in sampled]
    clock.lap("solve_ws")
    cost_sp = sp.costs * MUSD
    cost_ev = np.array([o.costs[0] for o in ev]) * MUSD
    cost_ws = np.array([o.costs[0] for o in ws]) * MUSD
    table = drawn.values.copy()
    table.insert(0, "probability", p)
    table["cost_sp"], table["cost_ev"], table["cost_ws"] = cost_sp, cost_ev, cost_ws
    table["met_sp"], table["met_ev"] = sp.met, [bool(o.met[0]) for o in ev]
    builds = builds_frame(problems[0], _amounts(offered, sp.shared))
    return StochasticPlan(
        scenario=scenario.name,
        builds=builds,
        futures=table.reset_index(),
        expected_value_builds=builds_frame(problems[0], _amounts(offered, ev_plan.shared)),
        sampled=drawn.sampled,
        risk=chosen,
        objective=sp.objective * MUSD,
        expected_cost=float(p @ cost_sp),
        cvar=None if chosen is None else cvar(cost_sp, p, chosen.alpha),
        vss=risk_measure(cost_ev, p, chosen) - risk_measure(cost_sp, p, chosen),
        evpi=risk_measure(cost_sp, p, chosen) - risk_measure(cost_ws, p, chosen),
        n_variables=sp.columns,
        n_constraints=sp.rows,
        timings=timings,
    )
