"""Export controls: banned lanes carry nothing, licensed exports stay within their share."""

from __future__ import annotations

import numpy as np

from kazree.model.solve import Solution
from kazree.model.variables import form_licence
from kazree.policy import annual_licence_share
from kazree.policy.rules import dataset_rules


def test_no_flow_on_a_banned_lane(controls: Solution) -> None:
    trade = controls.results.ds["trade"].sel(stage="mining")
    # Vietnam's and Malaysia's ore export bans (share 0) are in force every modelled year.
    assert float(trade.sel(exporter="VN").sum()) == 0.0
    assert float(trade.sel(exporter="MY").sum()) == 0.0


def test_baseline_has_no_controls(baseline: Solution) -> None:
    trade = baseline.results.ds["trade"].sel(stage="mining", year=2024).sum("element")
    assert float(trade.sel(exporter="MM").sum()) > 0


def test_licensed_dysprosium_exports_within_share(controls: Solution) -> None:
    ds = controls.results.ds
    share = annual_licence_share(
        dataset_rules(),
        exporter="CN",
        destination="JP",
        element="Dy",
        form="separated_oxide",
        year=2026,
    )
    assert share == 0.5
    exports = ds["trade"].sel(stage="separation", exporter="CN", element="Dy", year=2026)
    made = ds["stage_output"].sel(stage="separation", country="CN", element="Dy", year=2026)
    assert float(exports.sum()) <= share * float(made) + 1e-6


def test_mixed_forms_take_the_strictest_element_share() -> None:
    from kazree.model.inputs import build_inputs
    from kazree.scenario import load_scenario
    from kazree.scenario.dataset import scenario_dataset

    scenario = load_scenario("china-controls-2025")
    inputs = build_inputs(scenario, scenario_dataset(scenario))
    share = form_licence(inputs, "mixed_intermediate").sel(exporter="CN", importer="US", year=2026)
    assert np.allclose(share.values, 0.5)  # every ore holds some Dy, Tb or Y
    magnet = form_licence(inputs, "magnet").sel(exporter="CN", importer="US", year=2026)
    assert float(magnet) == 0.5  # the recipe holds Dy
