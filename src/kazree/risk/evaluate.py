"""One future with a plan held fixed: the sampled scenario dispatched with the plan's builds.

The plan's builds (candidate, decision year, t/yr) stay as decided; what the future changes
(lead times, ramp-ups, costs, controls, demand, ...) changes when they come online and how the
chain runs. The targets are pursued as in the plan, but a shortfall is allowed (at
:data:`~kazree.planner.targets.PENALTY_USD_PER_UNIT` per unit), so a future in which a target
cannot be met still solves and says by how much it falls short. An :class:`Evaluator` is built
once per worker: the counterfactuals without controls are reused across futures that share
them, and every year starts from the optimal basis of the future's reference
(:func:`reference_draw`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import linopy
import numpy as np
import pandas as pd
import xarray as xr

from kazree.errors import KazreeError
from kazree.metrics.frame import metrics_frame
from kazree.metrics.groups import ALL, WORLD
from kazree.model.build import build_model
from kazree.model.evaluation import FixedExpression, primal_by_label
from kazree.model.extract import market_results
from kazree.model.flows import Flows
from kazree.model.solve import quiet_solver
from kazree.model.yearly import OPTIMAL, Basis, YearlyLP, YearMemo
from kazree.planner.api import plan
from kazree.planner.candidates import candidate_table
from kazree.planner.investment import budget_capex_musd, capex_musd
from kazree.planner.solve import (
    Problem,
    in_plan_mode,
    operating,
    prepare,
    targets_of,
    with_builds,
)
from kazree.planner.targets import Row, define_target, expressions, target_row
from kazree.risk.sampling import Draw, apply, expected_draw
from kazree.scenario.dataset import scenario_dataset
from kazree.scenario.plan import PlanTarget, TargetKind
from kazree.scenario.schema import Scenario
from kazree.scenario.uncertain import UncertainSpec

BUILD_COLUMNS = ["candidate", "decision_year", "capacity_t"]
"""The columns of a plan that a risk run holds fixed (``plan.csv`` has them)."""
HEADLINE_METRICS = (
    "output_t",
    "china_share",
    "hhi",
    "exposure",
    "self_sufficiency",
    "unmet_demand_t",
    "value_added_musd",
    "export_partner_hhi",
)
HEADLINE_REGIONS = (WORLD, "CN", "KZ", "EU", "US", "JP", "KR")
HEADLINE_ELEMENTS = (ALL, "magnet")
HEADLINE_KEEP = {"region": HEADLINE_REGIONS, "element": HEADLINE_ELEMENTS}
KEYS = ["metric", "stage", "region", "element"]
CAPACITY = "capacity"
"""The constraint whose right-hand sides are each future's capacity."""
STRUCTURES = 32
"""Models an evaluator keeps (each future's model beyond the plan; least recently used go)."""
TOLERANCE = 1e-6
"""A target holds when its shortfall is below this share of its level (at least 1e-6)."""


@dataclass(frozen=True)
class Outcome:
    """What one future gives: headline metrics, each target's margin by year, capex."""

    metrics: pd.Series
    """Value by (metric, stage, region, element, year)."""
    margin: pd.DataFrame
    """Achieved minus required (target x year; positive: met with room), NaN before its year."""
    capex_musd: float
    cpu_s: float = 0.0
    """CPU seconds the future took in its process (with its model's build when ``built``)."""
    built: bool = False
    """Whether its model was built for it (the first future of its rest of the scenario)."""

    def met(self) -> pd.DataFrame:
        """Whether each target holds in each year (NaN before its year)."""
        level = self.margin.attrs.get("scale", 1.0)
        met: pd.DataFrame = (self.margin >= -TOLERANCE * level).where(self.margin.notna())
        return met


def amounts(problem: Problem, builds: pd.DataFrame) -> xr.DataArray:
    """The builds as capacity (facility, decision), t/yr, on the problem's candidates."""
    ids = list(problem.candidates.index)
    out = xr.DataArray(
        np.zeros((len(ids), len(problem.decisions))),
        coords={"facility": ids, "decision": problem.decisions},
        dims=("facility", "decision"),
    )
    rows = zip(
        builds["candidate"].astype(str).tolist(),
        builds["decision_year"].astype(int).tolist(),
        builds["capacity_t"].astype(float).tolist(),
        strict=True,
    )
    for candidate, year, capacity in rows:
        if candidate not in ids or year not in problem.decisions:
            msg = (
                f"plan: build {candidate!r} decided in {year} is not a candidate of"
                f" {problem.scenario.origin} in a decision year (allowed: candidates"
                f" {', '.join(ids) or 'none'}, decisions {problem.decisions[0]}.."
                f"{problem.decisions[-1]})"
            )
            raise KazreeError(msg)
        out.loc[{"facility": candidate, "decision": year}] += capacity
    return out


def headline(frame: pd.DataFrame) -> pd.Series:
    """The metrics a risk run keeps per sample, by (metric, stage, region, element, year)."""
    kept = frame[
        frame["metric"].isin(HEADLINE_METRICS)
        & frame["region"].isin(HEADLINE_REGIONS)
        & frame["element"].isin(HEADLINE_ELEMENTS)
    ]
    return kept.set_index([*KEYS, "year"])["value"].astype(float)


def _capital_margin(
    problem: Problem, built: xr.DataArray, target: PlanTarget, years: list[int]
) -> list[float]:
    spend = (built * budget_capex_musd(problem.candidates, target)).sum("facility")
    by_year = spend.to_series()
    if target.per_year:
        return [target.level - float(by_year.get(y, 0.0)) for y in years]
    total = float(by_year[by_year.index <= target.year].sum())
    return [target.level - total] * len(years)


@dataclass(frozen=True)
class _Margin:
    """A target's row compiled once on a structure's model."""

    target: PlanTarget
    row: Row
    measure: FixedExpression
    base: FixedExpression | None

    @classmethod
    def of(cls, m: linopy.Model, flows: Flows, target: PlanTarget, row: Row) -> _Margin:
        """The margin of ``target`` (its ``row`` defined on ``m``)."""
        measure, base = expressions(m, flows, row)
        return cls(
            target,
            row,
            FixedExpression.of(measure),
            None if base is None else FixedExpression.of(base),
        )


def _margins(
    problem: Problem, compiled: list[_Margin], built: xr.DataArray, primal: np.ndarray
) -> pd.DataFrame:
    targets = targets_of(problem.scenario)
    years = problem.inputs.years
    frame = pd.DataFrame(np.nan, index=[t.name for t in targets], columns=years)
    rows = {m.target.name: m for m in compiled}
    scale = 1.0
    for target in targets:
        active = [y for y in years if y >= target.year]
        if target.kind is TargetKind.CAPITAL:
            frame.loc[target.name, active] = _capital_margin(problem, built, target, active)
            continue
        margin = rows[target.name]
        lhs = margin.measure.value(primal)
        if margin.base is not None:
            lhs = lhs - margin.base.value(primal) * margin.row.share
        lhs = lhs.fillna(0.0)
        level = margin.row.level
        room = (lhs - level) if margin.row.sense == ">=" else (level - lhs)
        others = [d for d in room.dims if d != "year"]
        worst = room.min(others) if others else room
        frame.loc[target.name, active] = worst.sel(year=active).values
        scale = max(scale, abs(level))
    frame.attrs["scale"] = scale
    return frame


@dataclass(frozen=True)
class _Structure:
    """The model of a future with every candidate open from the first decision year, solved
    with the right-hand sides of each future's capacity: futures that differ only in the
    plan's own fields (lead times, ramp-ups, capex) share it."""

    problem: Problem
    model: linopy.Model
    lp: YearlyLP
    margins: list[_Margin]
    warm: dict[int, Basis] = field(default_factory=dict)
    """Optimal bases of its reference future, by year: every future it solves starts there."""
    memo: YearMemo = field(default_factory=YearMemo)
    """Years its futures solved, by right-hand sides: futures often share a year's capacities."""


def reference_draw(spec: UncertainSpec, values: Draw) -> dict[str, float | str]:
    """``values`` with the inputs on the plan's own fields at their means: the future whose
    model and starting bases every future with the same rest of the scenario shares."""
    expected = expected_draw(spec)
    planned = {i.name for i in spec.inputs if i.field.startswith("plan.")}
    return {name: expected[name] if name in planned else v for name, v in values.items()}


def structure_key(planned: Scenario) -> str:
    """What a future's model depends on beyond the plan: the scenario in plan mode without its
    ``plan`` and ``uncertain`` blocks."""
    data = planned.model_dump(mode="json", exclude={"plan", "uncertain", "origin"})
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


@dataclass
class Evaluator:
    """Futures of one scenario with one plan held fixed (``builds``), or each future re-planned
    (``builds`` None: the plan ``kazree plan`` chooses for that future); one per worker, whose
    models are built as its futures need them.

    It keeps the last :data:`STRUCTURES` models, each with the optimal bases of its reference
    future (the future's own controls, demand, costs, ..., with the plan's own fields at their
    means), from which every future it solves starts: the same start whichever worker solves
    it, whatever it solved before. Counterfactuals without controls are kept too."""

    scenario: Scenario
    builds: pd.DataFrame | None
    counterfactuals: dict[str, linopy.Model] = field(default_factory=dict)
    structures: OrderedDict[str, _Structure] = field(default_factory=OrderedDict)

    def evaluate(self, values: Draw) -> Outcome:
        """The outcome of the future ``values`` draws."""
        start = time.process_time()
        future = apply(self.scenario, values)
        planned = in_plan_mode(future, scenario_dataset(future))
        key = structure_key(planned)
        structure = self.structures.get(key)
        if structure is not None:
            self.structures.move_to_end(key)
            outcome = self._outcome(future, planned, structure)
            return dataclasses.replace(outcome, cpu_s=time.process_time() - start)
        outcome = self._first(values, future, planned, key)
        return dataclasses.replace(outcome, cpu_s=time.process_time() - start, built=True)

    def _first(self, values: Draw, future: Scenario, planned: Scenario, key: str) -> Outcome:
        """The outcome of the first future of a new model: the model is built, its reference
        future solved (its bases kept), then the future itself."""
        structure = self._structure(future)
        self.structures[key] = structure
        while len(self.structures) > STRUCTURES:
            self.structures.popitem(last=False)
        reference = reference_draw(self.scenario.uncertain, values)
        if reference == dict(values):
            return self._outcome(future, planned, structure, keep=structure.warm)
        first = apply(self.scenario, reference)
        self._outcome(
            first, in_plan_mode(first, scenario_dataset(first)), structure, keep=structure.warm
        )
        return self._outcome(future, planned, structure)

    def _structure(self, future: Scenario) -> _Structure:
        problem = prepare(future, scenario_dataset(future), counterfactuals=self.counterfactuals)
        ids = list(problem.candidates.index)
        inputs = problem.inputs
        capacity = inputs.capacity.copy()
        years = xr.DataArray(inputs.years, coords={"year": inputs.years}, dims="year")
        size = problem.candidates["max_t"].to_xarray().rename(id="facility")
        opened = (size * (years >= problem.decisions[0])).transpose("facility", "year")
        capacity.loc[{"facility": ids}] = opened.values
        problem = dataclasses.replace(
            problem, inputs=dataclasses.replace(inputs, capacity=capacity)
        )
        m = build_model(problem.inputs)
        flows = Flows(m, problem.inputs)
        margins = []
        for target in operating(targets_of(problem.scenario)):
            row = target_row(flows, target, future.origin)
            define_target(flows, row, elastic=True)
            margins.append(_Margin.of(m, flows, target, row))
        return _Structure(problem, m, YearlyLP(m), margins)

    def _outcome(
        self,
        future: Scenario,
        planned: Scenario,
        structure: _Structure,
        keep: dict[int, Basis] | None = None,
    ) -> Outcome:
        """The outcome of ``future`` (a scenario with drawn values; ``planned``: it in plan
        mode) under the builds."""
        builds = self.builds if self.builds is not None else plan(future).builds[BUILD_COLUMNS]
        candidates = candidate_table(planned, scenario_dataset(future), structure.problem.inputs)
        problem = dataclasses.replace(structure.problem, scenario=planned, candidates=candidates)
        built = amounts(problem, builds)
        inputs = with_builds(problem, built)
        b = structure.lp.rhs({CAPACITY: inputs.capacity})
        with quiet_solver():
            condition = structure.lp.solve(b=b, warm=structure.warm, keep=keep, memo=structure.memo)
        if condition != OPTIMAL:
            msg = f"{future.origin}: a sampled future ended {condition!r} (allowed: optimal)"
            raise KazreeError(msg)
        results = market_results(structure.model, inputs, OPTIMAL)
        capex = float((built * capex_musd(problem.candidates)).sum())
        metrics = headline(metrics_frame(results, only=HEADLINE_METRICS, keep=HEADLINE_KEEP))
        margins = _margins(problem, structure.margins, built, primal_by_label(structure.model))
        return Outcome(metrics, margins, capex)
