"""The planner's "no partner above X % of offtake" target on a small instance.

Two Kazakh separation candidates, one covered by a consortium whose terms give partner A 60 %
and partner B 40 % of its NdPr, one outside it and four times as dear. The terms fix each
partner's share of the covered output, so a cap of 60 % or more never binds (the cheap covered
plant is built, A's share is 0.6) and a cap below 60 % keeps the covered plant idle: the
planner builds the dear plant instead, the same capacity, and the optimum rises by exactly
that capacity's extra annuity and fixed O&M in each year it is online.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kazree.errors import KazreeError
from kazree.model.inputs import build_inputs
from kazree.planner import Plan, plan
from kazree.planner.candidates import candidate_table, plan_scenario
from kazree.scenario import Scenario, load_scenario
from kazree.scenario.dataset import scenario_dataset

CONSORTIUM = """\
name: Two-partner test consortium
projects: [sep-covered, not-a-plant]
partners:
  - {id: a, name: Partner A, country: JP, equity_pct: 50, offtake_pct: {NdPr: 60}}
  - {id: b, name: Partner B, country: KR, equity_pct: 50, offtake_pct: {NdPr: 40, Dy: 20}}
"""
SCENARIO = """\
extends: baseline
years: {start: 2024, end: 2027}
plan:
  dataset_candidates: false
  candidates:
    - {id: sep-covered, stage: separation, country: KZ, max_capacity_t: 3000, lead_years: 1,
       ramp_up_years: 0, capex_usd_per_t: 10000}
    - {id: sep-free, stage: separation, country: KZ, max_capacity_t: 3000, lead_years: 1,
       ramp_up_years: 0, capex_usd_per_t: 40000}
  targets:
    - {name: kz_oxide, kind: supply, region: KZ, min_t: 1000, year: 2025}
    TARGET
"""
CAP = (
    "- {name: no_big_partner, kind: partner_offtake, partnership: PARTNERSHIP, share: SHARE,"
    " year: 2024}"
)


def scenario(tmp_path: Path, share: float | None, partnership: str = "two.yaml") -> Scenario:
    (tmp_path / "two.yaml").write_text(CONSORTIUM, encoding="utf-8")
    cap = "" if share is None else CAP.replace("SHARE", f"{share:g}")
    text = SCENARIO.replace("TARGET", cap.replace("PARTNERSHIP", partnership))
    path = tmp_path / f"offtake-{share}.yaml"
    path.write_text(text, encoding="utf-8")
    return load_scenario(path)


def built(result: Plan) -> dict[str, float]:
    return result.builds.groupby("candidate")["capacity_t"].sum().to_dict()


@pytest.fixture(scope="module")
def free(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    return plan(scenario(tmp_path_factory.mktemp("free"), None))


def test_without_the_cap_the_cheap_covered_plant_is_built(free: Plan) -> None:
    assert built(free) == pytest.approx({"sep-covered": 1000.0})


@pytest.mark.parametrize("share", [0.6, 0.9])
def test_terms_within_the_cap_change_nothing(tmp_path: Path, free: Plan, share: float) -> None:
    result = plan(scenario(tmp_path, share))
    assert built(result) == pytest.approx(built(free))
    assert result.objective == pytest.approx(free.objective, rel=1e-9)
    rows = result.targets[result.targets["target"] == "no_big_partner"].set_index("year")
    assert list(rows.index) == [2024, 2025, 2026, 2027]
    # The largest term is A's 60 % of NdPr, whenever the covered plant runs.
    assert rows.loc[2026, "achieved"] == pytest.approx(0.6)
    # met while it runs; vacuously before it is online (no covered output to share)
    assert rows.loc[2026, "status"] == "met"
    assert set(rows["status"]) <= {"met", "no_covered_output"}


def test_terms_above_the_cap_keep_the_covered_plant_idle(tmp_path: Path, free: Plan) -> None:
    capped = scenario(tmp_path, 0.5)
    result = plan(capped)
    assert built(result) == pytest.approx({"sep-free": 1000.0})
    assert result.out_of_reach == ()
    production = result.solution.results.ds["production"].sel(facility="sep-covered")
    assert float(production.fillna(0.0).sum()) == 0.0
    # By hand: the same 1,000 t/yr, online 2025-2027 (three years), at the dear plant's annuity
    # and fixed O&M instead of the cheap one's.
    ds = scenario_dataset(capped)
    spec = plan_scenario(capped)
    table = candidate_table(spec, ds, build_inputs(spec, ds))
    extra = (
        1000.0
        * 3
        * (table.loc["sep-free", "annual_usd_per_t"] - table.loc["sep-covered", "annual_usd_per_t"])
    )
    assert result.objective - free.objective == pytest.approx(extra, rel=1e-6)
    rows = result.targets[result.targets["target"] == "no_big_partner"].set_index("year")
    # the cap binds by keeping the covered plant idle: nothing of it to share out
    assert rows.loc[2026, "status"] == "no_covered_output"
    assert rows.loc[2026, "cost_usd_per_unit"] > 0


def test_shipped_consortium_that_covers_no_plan_plant_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(KazreeError) as caught:
        plan(scenario(tmp_path, 0.5, partnership="turkic-ree"))
    message = str(caught.value)
    assert "partnership 'turkic-ree' covers no separation plant of the plan" in message
    assert "sep-covered" in message
    assert "\n" not in message


def test_a_missing_consortium_file_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(KazreeError, match=r"nope\.yaml: no such file"):
        plan(scenario(tmp_path, 0.5, partnership="nope.yaml"))
