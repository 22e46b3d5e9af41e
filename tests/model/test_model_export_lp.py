"""An LP exported with ``--export-lp`` gives the same optimum under an independent solver."""

from __future__ import annotations

from pathlib import Path

import pulp
import pytest

from kazree.model.solve import solve_scenario, with_years
from kazree.scenario import load_scenario


@pytest.mark.filterwarnings("ignore:PULP_CBC_CMD is deprecated:DeprecationWarning")
def test_exported_lp_solved_by_cbc_matches_highs(tmp_path: Path) -> None:
    path = tmp_path / "baseline.mps"
    scenario = with_years(load_scenario("china-controls-2025"), 2025, 2025)
    solution = solve_scenario(scenario, export_lp=path)
    _, problem = pulp.LpProblem.fromMPS(str(path), sense=pulp.LpMinimize)
    problem.solve(pulp.PULP_CBC_CMD(msg=False))
    assert pulp.LpStatus[problem.status] == "Optimal"
    assert pulp.value(problem.objective) == pytest.approx(solution.objective, rel=1e-6)
