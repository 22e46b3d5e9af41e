"""The roadmap as announced (``plan.choose: false``) against the least-cost plan, planning with
no candidate at all, and share targets whose base is zero."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from kazree.cli import app
from kazree.cli.plan import OUT_OF_REACH_EXIT
from kazree.errors import KazreeError
from kazree.model.inputs import build_inputs
from kazree.planner import plan
from kazree.planner.candidates import candidate_table, plan_scenario
from kazree.report.plan_view import achieved_text, load_plan_dir
from kazree.scenario import load_scenario
from kazree.scenario.dataset import scenario_dataset
from small_plan import announced_yaml

runner = CliRunner()

ZERO = """\
extends: baseline
years: {start: 2024, end: 2027}
plan:
  dataset_candidates: false
  targets:
    - {name: kz_va, kind: value_added, country: KZ, musd: 1, year: 2026}
    - {name: kz_separation, kind: processing_share, country: KZ, stage: separation,
       share: 1.0, year: 2026}
    - {name: kz_budget, kind: capital, musd: 50, year: 2025}
"""
"""No candidate: Kazakhstan has no plant and mines nothing in 2024-2027."""


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return announced_yaml(tmp_path_factory.mktemp("announced"))


def test_the_announced_plan_builds_the_declared_plants_at_their_years(
    scenarios: tuple[Path, Path],
) -> None:
    result = plan(load_scenario(scenarios[1]))
    builds = result.builds.set_index("candidate")
    assert sorted(builds.index) == ["kz-magnet-announced", "kz-sep-announced"]
    assert builds.loc[
        "kz-sep-announced", ["capacity_t", "decision_year", "online_year"]
    ].tolist() == [
        3000.0,
        2024,
        2026,
    ]
    assert builds.loc[
        "kz-magnet-announced", ["capacity_t", "decision_year", "online_year"]
    ].tolist() == [
        1000.0,
        2024,
        2027,
    ]
    # the declared ramp: half the separation plant in 2026, all of it from 2027
    capacity = result.solution.results.ds["capacity"].sel(facility="kz-sep-announced")
    assert capacity.sel(year=[2024, 2025, 2026, 2027]).values.tolist() == pytest.approx(
        [0.0, 0.0, 1500.0, 3000.0]
    )
    # no generic candidate is offered and the capital budget counts the announced capex
    assert "kz-sep" not in result.solution.results.ds["facility"].values
    spent = result.targets.set_index("target").loc["kz_budget", "achieved"]
    assert spent == pytest.approx(float(result.builds["capex_musd"].sum()))


def test_the_least_cost_plan_costs_at_most_the_announced_one(
    scenarios: tuple[Path, Path], tmp_path: Path
) -> None:
    least, announced = scenarios
    first = runner.invoke(app, ["plan", str(announced), "--out", str(tmp_path / "announced")])
    assert first.exit_code == 0, first.output
    second = runner.invoke(
        app,
        [
            "plan",
            str(least),
            "--out",
            str(tmp_path / "least"),
            "--against",
            str(tmp_path / "announced"),
        ],
    )
    assert second.exit_code == 0, second.output
    assert "Roadmap plans compared" in second.output
    optimum = {
        name: json.loads((tmp_path / name / "plan.json").read_text())["objective"]
        for name in ("least", "announced")
    }
    assert optimum["least"] <= optimum["announced"] + 1e-9 * abs(optimum["announced"])
    frame = pd.read_csv(tmp_path / "least" / "compare.csv").set_index("scenario")
    assert list(frame.index) == ["least-cost", "as-announced"]
    assert frame.loc["least-cost", "above_cheapest_musd"] == 0.0
    assert frame.loc["as-announced", "above_cheapest_musd"] == pytest.approx(
        (optimum["announced"] - optimum["least"]) / 1e6
    )
    assert frame.loc["as-announced", "builds"] == 2
    assert frame.loc["as-announced", "capex_musd"] == pytest.approx(
        pd.read_csv(tmp_path / "announced" / "plan.csv")["capex_musd"].sum()
    )
    # both meet the value-added target in its year, 2026; a capital budget is compared too
    assert frame.loc[:, "kz_va"].tolist() == [2026, 2026]
    assert frame.loc[:, "kz_budget"].tolist() == [2027, 2027]


def test_a_plan_compared_with_one_of_other_targets_is_a_one_line_error(
    scenarios: tuple[Path, Path], tmp_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "plan.csv").write_text(
        "candidate,stage,country,capacity_t,decision_year,online_year,capex_musd,financing\n"
    )
    (other / "targets.csv").write_text(
        "target,year,required,achieved,cost_usd_per_unit,status,unit\nx,2026,1,1,0,met,t\n"
    )
    (other / "plan.json").write_text('{"scenario": "other", "objective": 0}')
    result = runner.invoke(app, ["plan", str(scenarios[0]), "--against", str(other)])
    assert isinstance(result.exception, KazreeError)
    assert str(result.exception) == (
        f"--against {other}: shares no target with least-cost (allowed: a plan of the same targets)"
    )


def test_the_roadmap_as_announced_offers_only_its_four_plants_online_when_announced() -> None:
    scenario = load_scenario("kazrareearth-2030-as-announced")
    least = load_scenario("kazrareearth-2030")
    assert scenario.plan is not None
    assert least.plan is not None
    assert scenario.plan.targets == least.plan.targets
    planned = plan_scenario(scenario)
    ds = scenario_dataset(planned)
    table = candidate_table(planned, ds, build_inputs(planned, ds))
    # the four announced plants only, each online in its declared start year; the mine and
    # the separation plant are announced sooner than the stage's lead time allows (9 and 5
    # years), so they are decided in the first decision year, 2026
    assert table[["earliest_online", "fixed_year"]].to_dict("index") == {
        "kz-roadmap-mine": {"earliest_online": 2029, "fixed_year": 2026.0},
        "kz-roadmap-separation": {"earliest_online": 2030, "fixed_year": 2026.0},
        "kz-roadmap-metal": {"earliest_online": 2031, "fixed_year": 2028.0},
        "kz-roadmap-magnet": {"earliest_online": 2032, "fixed_year": 2029.0},
    }
    assert table["max_t"].tolist() == [5000.0, 5000.0, 1000.0, 2000.0]


def test_planning_with_no_candidate_reports_every_target(tmp_path: Path) -> None:
    path = tmp_path / "zero.yaml"
    path.write_text(ZERO, encoding="utf-8")
    out = tmp_path / "plan"
    result = runner.invoke(app, ["plan", str(path), "--out", str(out)])
    assert result.exit_code == OUT_OF_REACH_EXIT, result.output
    text = " ".join(result.output.split())
    assert "kz_va (1.00 MUSD from 2026) is out of reach: it cannot be met by 2027" in text
    assert "no candidate project adds what it needs" in text
    header = "candidate,stage,country,capacity_t,decision_year,online_year,capex_musd,financing"
    assert (out / "plan.csv").read_text().splitlines() == [header + ",ramp_up_years,life_years"]
    targets = pd.read_csv(out / "targets.csv").set_index(["target", "year"])
    # value added: Kazakhstan adds none; the share of no ore mined holds vacuously; nothing
    # can be built, so no capital is spent and the budget does not bind
    assert targets.loc[("kz_va", 2026), ["achieved", "status"]].tolist() == [0.0, "out_of_reach"]
    assert targets.loc[("kz_separation", 2026), "status"] == "no_ore_mined"
    assert math.isnan(targets.loc[("kz_separation", 2026), "achieved"])
    assert targets.loc[
        ("kz_budget", 2026), ["achieved", "cost_usd_per_unit", "status"]
    ].tolist() == [
        0.0,
        0.0,
        "met",
    ]
    assert plan(load_scenario(path), integer=True).builds.empty
    shown = load_plan_dir(out)
    assert shown.builds.empty
    assert achieved_text("no_ore_mined", float("nan")) == "no ore mined"
    report = tmp_path / "report.html"
    done = runner.invoke(app, ["report", "--plan", str(out), "--out", str(report)])
    assert done.exit_code == 0, done.output
    html = report.read_text(encoding="utf-8")
    assert "The plan builds nothing" in html
    assert "no ore mined" in html
