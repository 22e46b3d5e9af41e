"""Export controls: banned lanes carry nothing, licensed exports stay within their share."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kazree.model.solve import Solution, solve_scenario
from kazree.model.variables import form_licence
from kazree.scenario import Scenario, load_scenario
from kazree.scenario.schema import ControlsSpec


def test_no_flow_on_a_banned_lane(controls: Solution) -> None:
    trade = controls.results.ds["trade"].sel(stage="mining")
    # Vietnam's and Malaysia's ore export bans (share 0) are in force every modelled year.
    assert float(trade.sel(exporter="VN").sum()) == 0.0
    assert float(trade.sel(exporter="MY").sum()) == 0.0


def test_baseline_has_no_controls(baseline: Solution) -> None:
    trade = baseline.results.ds["trade"].sel(stage="mining", year=2024).sum("element")
    assert float(trade.sel(exporter="MM").sum()) > 0


def uncontrolled_exports(scenario: Scenario, stage: str, exporter: str, year: int) -> float:
    """What ``exporter`` ships of ``stage``'s product in ``scenario`` with every control lifted."""
    free = scenario.model_copy(update={"controls": ControlsSpec()})
    trade = solve_scenario(free).results.ds["trade"]
    return float(trade.sel(stage=stage, exporter=exporter, year=year).sum())


def test_licence_share_caps_exports_at_a_share_of_uncontrolled_exports(tmp_path: Path) -> None:
    path = tmp_path / "myanmar.yaml"
    path.write_text(
        "extends: baseline\nyears: {start: 2024, end: 2025}\ncontrols:\n  rules:\n"
        "    - {id: mm_test_licence, instrument: test licence, issuer: test, exporter: MM,"
        " kind: licence, elements: '*', forms: ore_concentrate, destinations: '*',"
        " effective: 2025-01-01, licence_share: 0.5, source: kazree_assumptions,"
        " vintage: '2026', confidence: low}\n"
    )
    scenario = load_scenario(path)
    ds = solve_scenario(scenario).results.ds
    free = uncontrolled_exports(scenario, "mining", "MM", 2025)
    exports = float(ds["trade"].sel(stage="mining", exporter="MM", year=2025).sum())
    mined = float(ds["stage_output"].sel(stage="mining", country="MM", year=2025).sum())
    assert free > 10_000.0
    assert exports == pytest.approx(0.5 * free, rel=0.01)
    assert mined == pytest.approx(exports, rel=1e-6)  # Myanmar keeps mining what it may sell
    before = float(ds["trade"].sel(stage="mining", exporter="MM", year=2024).sum())
    assert before == pytest.approx(uncontrolled_exports(scenario, "mining", "MM", 2024), rel=1e-6)


def test_mixed_forms_take_the_strictest_element_share() -> None:
    from kazree.model.inputs import build_inputs
    from kazree.scenario.dataset import scenario_dataset

    scenario = load_scenario("china-controls-2025")
    inputs = build_inputs(scenario, scenario_dataset(scenario))
    share = form_licence(inputs, "mixed_intermediate").sel(exporter="CN", importer="US", year=2026)
    assert np.allclose(share.values, 0.5)  # every ore holds some Dy, Tb or Y
    magnet = form_licence(inputs, "magnet").sel(exporter="CN", importer="US", year=2026)
    assert float(magnet.sel(grade="high_hree")) == 0.5  # the recipe holds Dy and Tb
    assert float(magnet.sel(grade="N52")) == 1.0  # Nd and Pr only: No. 18 does not cover it
