"""Priority zones feed the planner: ``plan.zones`` offers only candidates in top-ranked zones."""

from __future__ import annotations

from pathlib import Path

import pytest

from kazree.data import load_dataset
from kazree.errors import KazreeError
from kazree.planner import plan
from kazree.planner.zones import restrict_to_zones
from kazree.roadmap.zones import SiteKind, default_weights, rank_zones, top_sites
from kazree.roadmap.zones.rank import Method
from kazree.scenario import Scenario, load_scenario
from kazree.scenario.dataset import scenario_dataset

TWO_ZONES = """\
extends: baseline
years: {start: 2024, end: 2027}
plan:
  dataset_candidates: false
  ZONES
  candidates:
    - {id: sep-second, stage: separation, country: KZ, zone: ZONE_SECOND, max_capacity_t: 3000,
       lead_years: 1, ramp_up_years: 1, capex_usd_per_t: 10000}
    - {id: sep-best, stage: separation, country: KZ, zone: ZONE_BEST, max_capacity_t: 3000,
       lead_years: 1, ramp_up_years: 1, capex_usd_per_t: 40000}
    - {id: sep-abroad, stage: separation, country: US, max_capacity_t: 10, lead_years: 1}
  targets:
    - {name: kz_va, kind: value_added, country: KZ, musd: 20, year: 2026}
"""


def processing_order(method: Method) -> tuple[str, ...]:
    """Kazakh processing sites, best first, under kazree's weights."""
    ranking = rank_zones(load_dataset(), default_weights(), [method], samples=0)
    return top_sites(ranking, SiteKind.PROCESSING, 99, method)


def two_zones(tmp_path: Path, zones: str, method: Method = Method.WSM) -> Scenario:
    best, second = processing_order(method)[:2]
    text = (
        TWO_ZONES.replace("ZONES", zones).replace("ZONE_BEST", best).replace("ZONE_SECOND", second)
    )
    path = tmp_path / "zones.yaml"
    path.write_text(text, encoding="utf-8")
    return load_scenario(path)


def test_the_ranking_has_a_strict_best_processing_zone() -> None:
    """The premise of the tests below: one processing site ranks first alone."""
    for method in Method:
        assert len(processing_order(method)) >= 2
        ranking = rank_zones(load_dataset(), default_weights(), [method], samples=0)
        assert len(top_sites(ranking, SiteKind.PROCESSING, 1, method)) == 1


def test_without_zones_the_cheaper_zone_is_built(tmp_path: Path) -> None:
    result = plan(two_zones(tmp_path, ""))
    assert set(result.builds["candidate"]) == {"sep-second"}


@pytest.mark.parametrize("method", list(Method))
def test_top_one_zone_builds_only_in_the_best_zone(tmp_path: Path, method: Method) -> None:
    scenario = two_zones(tmp_path, f"zones: {{top: 1, method: {method.value}}}", method)
    result = plan(scenario)
    assert set(result.builds["candidate"]) == {"sep-best"}
    assert result.out_of_reach == ()
    capacity = result.solution.results.ds["capacity"]
    assert "sep-second" not in capacity.coords["facility"].values
    # a candidate without a zone (abroad) is not restricted
    assert "sep-abroad" in capacity.coords["facility"].values


def test_top_two_zones_leave_both_open(tmp_path: Path) -> None:
    result = plan(two_zones(tmp_path, "zones: {top: 2}"))
    assert set(result.builds["candidate"]) == {"sep-second"}


@pytest.mark.parametrize(
    ("zones", "zone", "message"),
    [
        ("zones: {top: 1}", "nowhere", "zone 'nowhere' is not a ranked processing site"),
        ("zones: {top: 1, method: ahp}", None, "plan.zones.method: 'ahp' is not a ranking method"),
        ("zones: {top: 1, weights: none.yaml}", None, "none.yaml: no such file"),
    ],
)
def test_bad_zone_rules_are_one_line_errors(
    tmp_path: Path, zones: str, zone: str | None, message: str
) -> None:
    scenario = two_zones(tmp_path, zones)
    if zone is not None:
        spec = scenario.plan
        assert spec is not None
        moved = [spec.candidates[0].model_copy(update={"zone": zone}), *spec.candidates[1:]]
        scenario = scenario.model_copy(
            update={"plan": spec.model_copy(update={"candidates": moved})}
        )
    with pytest.raises(KazreeError) as caught:
        restrict_to_zones(scenario, scenario_dataset(scenario))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
