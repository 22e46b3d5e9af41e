"""The year-by-year solve puts its solution on the model as linopy's own assignment would."""

from __future__ import annotations

import numpy as np
from linopy.constants import Result, Solution, Status

from kazree.model.build import build_model
from kazree.model.inputs import build_inputs
from kazree.model.solve import with_years
from kazree.model.yearly import OPTIMAL, Basis, YearlyLP, YearMemo, assign_solution
from kazree.scenario import load_scenario
from kazree.scenario.dataset import scenario_dataset


def test_assign_solution_equals_linopy_assign_result() -> None:
    scenario = with_years(load_scenario("baseline"), 2024, 2025)
    m = build_model(build_inputs(scenario, scenario_dataset(scenario)))
    rng = np.random.default_rng(3)
    primal = rng.normal(size=m._xCounter)
    dual = rng.normal(size=m._cCounter)
    status = Status.from_termination_condition(OPTIMAL)
    m.assign_result(Result(status, Solution(primal, dual, 7.5)))
    expected = {n: v.solution.copy() for n, v in m.variables.items()}
    duals = {n: c.dual.copy() for n, c in m.constraints.items()}
    m.assign_result(Result(status, Solution(-primal, -dual, -7.5)))

    assign_solution(m, primal, dual, 7.5)

    assert m.objective.value == 7.5
    assert m.status == "ok"
    for name, var in m.variables.items():
        assert var.solution.dims == expected[name].dims
        np.testing.assert_array_equal(var.solution.values, expected[name].values)
    for name, con in m.constraints.items():
        assert con.dual.dims == duals[name].dims
        np.testing.assert_array_equal(con.dual.values, duals[name].values)
    assert len(expected) > 10
    assert len(duals) > 10


def test_a_memo_reads_back_years_with_the_same_numbers_and_solves_the_others() -> None:
    scenario = with_years(load_scenario("baseline"), 2024, 2026)
    inputs = build_inputs(scenario, scenario_dataset(scenario))
    m = build_model(inputs)
    lp = YearlyLP(m)
    warm: dict[int, Basis] = {}
    assert lp.solve(keep=warm) == OPTIMAL
    halved = inputs.capacity * 0.5
    b = lp.rhs({"capacity": halved})

    def solution() -> dict[str, np.ndarray]:
        return {name: var.solution.values.copy() for name, var in m.variables.items()}

    assert lp.solve(b=b, warm=warm) == OPTIMAL
    alone = solution()
    memo = YearMemo()
    assert lp.solve(b=b, warm=warm, memo=memo) == OPTIMAL
    assert sorted(year for year, _ in memo.solutions) == [2024, 2025, 2026]
    stored = dict(memo.solutions)
    assert lp.solve(b=b, warm=warm, memo=memo) == OPTIMAL
    assert memo.solutions == stored
    for name, values in solution().items():
        np.testing.assert_array_equal(values, alone[name])
    later = lp.rhs({"capacity": halved.where(halved["year"] < 2026, inputs.capacity)})
    assert lp.solve(b=later, warm=warm, memo=memo) == OPTIMAL
    assert sorted(year for year, _ in memo.solutions) == [2024, 2025, 2026, 2026]
    assert float(abs(m.variables["production"].solution).sum()) > 0
