"""Expressions read off many solutions, and the metric part of the results, give what linopy's
own reading and the full extraction give."""

from __future__ import annotations

import numpy as np
import xarray as xr

from kazree.metrics.inputs import REQUIRED
from kazree.model.build import build_model
from kazree.model.evaluation import FixedExpression, primal_by_label
from kazree.model.extract import extract, market_results
from kazree.model.inputs import build_inputs
from kazree.model.solve import with_years
from kazree.model.yearly import OPTIMAL, solve_by_year
from kazree.scenario import load_scenario
from kazree.scenario.dataset import scenario_dataset


def _solved():
    scenario = with_years(load_scenario("baseline"), 2024, 2025)
    inputs = build_inputs(scenario, scenario_dataset(scenario))
    m = build_model(inputs)
    assert solve_by_year(m) == OPTIMAL
    return m, inputs


def test_fixed_expressions_equal_linopy_solutions() -> None:
    m, _ = _solved()
    primal = primal_by_label(m)
    production = m.variables["production"]
    expressions = [
        production.sum("facility"),
        production.sum("year"),
        2.5 * m.variables["surplus"].sum(["country", "element"]) + 3.0,
    ]
    for expr in expressions:
        fixed = FixedExpression.of(expr).value(primal)
        expected = expr.solution
        assert fixed.dims == expected.dims
        np.testing.assert_allclose(fixed.values, expected.values, rtol=1e-12, atol=1e-9)
    assert float(abs(expressions[0].solution).sum()) > 0


def test_market_results_are_the_metric_inputs_of_extract() -> None:
    m, inputs = _solved()
    full = extract(m, inputs, OPTIMAL).ds
    market = market_results(m, inputs, OPTIMAL)
    assert set(REQUIRED) <= set(market.data_vars)
    for name in market.data_vars:
        xr.testing.assert_identical(market[name], full[name])
    assert market.attrs == full.attrs
    assert float(market["stage_output"].sum()) > 0
