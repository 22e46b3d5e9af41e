"""One future with a plan held fixed: the shared model solved with the future's capacity gives
what a model built for that future alone gives."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from known_case import known_yaml

from kazree.model.build import build_model
from kazree.model.flows import Flows
from kazree.model.yearly import solve_by_year
from kazree.planner.solve import operating, prepare, targets_of, with_builds
from kazree.planner.targets import define_target, target_row
from kazree.risk.evaluate import Evaluator, amounts
from kazree.risk.sampling import apply
from kazree.scenario import load_scenario
from kazree.scenario.dataset import scenario_dataset

BUILDS = pd.DataFrame({"candidate": ["kz-sep"], "decision_year": [2026], "capacity_t": [3000.0]})


def _alone(future_path: Path, lead: int) -> float:
    """The objective of the future built on its own (no shared model, no warm start)."""
    future = apply(load_scenario(future_path), {"lead_years": float(lead)})
    problem = prepare(future, scenario_dataset(future))
    inputs = with_builds(problem, amounts(problem, BUILDS))
    m = build_model(inputs)
    flows = Flows(m, inputs)
    for target in operating(targets_of(problem.scenario)):
        define_target(flows, target_row(flows, target, future.origin), elastic=True)
    assert solve_by_year(m) == "optimal"
    return float(m.objective.value or 0.0)


def test_a_shared_model_gives_each_future_its_own_optimum(tmp_path: Path) -> None:
    path = known_yaml(tmp_path)
    evaluator = Evaluator(load_scenario(path), BUILDS)
    for lead in (4, 8, 6):
        outcome = evaluator.evaluate({"lead_years": float(lead)})
        structure = next(iter(evaluator.structures.values()))
        shared = float(structure.model.objective.value or 0.0)
        assert math.isclose(shared, _alone(path, lead), rel_tol=1e-7)
        online = 2026 + lead
        margin = outcome.margin.loc["kz_oxide"]
        assert bool((margin[[y for y in margin.index if y >= max(online, 2032)]] >= -1e-6).all())
        assert bool(margin[[y for y in margin.index if y < 2032]].isna().all())
        if online > 2032:
            assert math.isclose(float(margin[2032]), -500.0)
    assert len(evaluator.structures) == 1  # lead times change the plan's fields only
