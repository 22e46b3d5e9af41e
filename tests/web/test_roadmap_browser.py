"""The roadmap view in a real headless Chromium: the plan, what each target costs and what is
out of reach, in the report (``kazree report --plan DIR``) and in the dashboard (a run with
``plan``), both equal to what ``kazree plan`` wrote.

The plan is the small instance of :mod:`small_plan` with a value-added target one year too
early, so one target is out of reach and met a year later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from selenium.webdriver.common.by import By
from test_dashboard_browser import run_ended, wait_for
from typer.testing import CliRunner
from web_support import axe_violations, describe

from kazree.cli import app
from kazree.cli.plan import OUT_OF_REACH_EXIT
from kazree.i18n import format_number
from small_plan import small_yaml

pytestmark = pytest.mark.browser

RUN_TIMEOUT_S = 300
"""A small solve and a small plan on two shared cores, with margin."""
TARGET = "kz_va"
EARLY_YEAR = 2025
"""The value-added target's year: one year before the first year it can be met."""
MET_YEAR = 2026
SWEEP = f"{TARGET}=0:60:20"

PLOTTED = """
return Object.fromEntries([...document.querySelectorAll('.js-plotly-plot')].map(g => [g.id,
  g.data.map(t => ({y: t.y || [], x: t.x || [], base: t.base || [], lat: t.lat || []}))]));
"""


@dataclass(frozen=True)
class Planned:
    """What ``kazree plan`` wrote for the small instance."""

    scenario: str
    yaml: Path
    out: Path
    builds: pd.DataFrame
    targets: pd.DataFrame
    sentences: list[str]
    sweep: pd.DataFrame


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    folder = tmp_path_factory.mktemp("roadmap")
    yaml = small_yaml(folder, musd=60.0, year=EARLY_YEAR)
    out = folder / "plan"
    runner = CliRunner()
    result = runner.invoke(app, ["plan", str(yaml), "--out", str(out)])
    assert result.exit_code == OUT_OF_REACH_EXIT, result.output
    swept = runner.invoke(app, ["plan", str(yaml), "--out", str(out), "--sweep", SWEEP])
    assert swept.exit_code == 0, swept.output
    summary = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    return Planned(
        scenario=yaml.stem,
        yaml=yaml,
        out=out,
        builds=pd.read_csv(out / "plan.csv"),
        targets=pd.read_csv(out / "targets.csv"),
        sentences=summary["out_of_reach"],
        sweep=pd.read_csv(out / "sweep.csv"),
    )


def expected_target_row(planned: Planned) -> list[str]:
    """The targets table's row of the value-added target, from targets.csv."""
    rows = planned.targets[planned.targets["target"] == TARGET].set_index("year")
    first, met = rows.loc[EARLY_YEAR], rows.loc[MET_YEAR]
    assert first["status"] == "out_of_reach"
    assert met["status"] == "binding"
    assert met["cost_usd_per_unit"] > 0
    return [
        TARGET,
        str(EARLY_YEAR),
        format_number(float(first["required"]), digits=2),
        format_number(float(first["achieved"]), digits=2),
        "out of reach",
        str(MET_YEAR),
        format_number(float(met["cost_usd_per_unit"]), digits=0),
        "MUSD",
    ]


def table_rows(driver: Any, table_id: str) -> list[list[str]]:
    table = driver.find_element(By.ID, table_id)
    return [
        [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "th, td")]
        for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")
    ]


def check_roadmap(driver: Any, planned: Planned, table_prefix: str, *, swept: bool) -> None:
    """The page shows the plan's builds, capex, cost curve (if ``swept``), map, targets with
    their costs, and the out-of-reach sentence."""
    key = planned.scenario
    gantt_id = f"fig-plan-gantt-{key}"
    plotted = wait_for(driver, lambda d: (p := d.execute_script(PLOTTED)) and gantt_id in p and p)
    gantt = plotted[gantt_id]
    bars = [(y, b, x) for t in gantt for y, b, x in zip(t["y"], t["base"], t["x"], strict=True)]
    wanted = [
        (f"{r.candidate} ({r.decision_year})", r.decision_year, r.online_year - r.decision_year)
        for r in planned.builds.itertuples()
    ]
    assert sorted(bars) == sorted(wanted)
    assert len(wanted) >= 1
    capex = plotted[f"fig-plan-capex-{key}"]
    assert sum(sum(t["y"]) for t in capex) == pytest.approx(planned.builds["capex_musd"].sum())
    if swept:
        curve = plotted[f"fig-plan-cost-curve-{key}"]
        reached = planned.sweep[planned.sweep["status"] != "out_of_reach"]
        assert curve[0]["x"] == reached["level"].tolist()
        optimum = reached["objective_musd"]
        assert curve[0]["y"] == pytest.approx((optimum - optimum.iloc[0]).tolist())
        assert curve[0]["y"][-1] > 0  # a higher target costs more
    else:
        assert f"fig-plan-cost-curve-{key}" not in plotted
    assert sum(len(t["lat"]) for t in plotted[f"fig-plan-map-{key}"]) == len(
        set(planned.builds["candidate"])
    )
    assert table_rows(driver, f"{table_prefix}plan-targets-{key}") == [expected_target_row(planned)]
    reach = driver.find_element(By.ID, f"plan-reach-{key}")
    assert len(planned.sentences) == 1
    assert f"earliest year it can be met is {MET_YEAR}" in planned.sentences[0]
    assert planned.sentences[0] in reach.get_attribute("textContent")


def test_the_report_shows_the_plan_given_with_plan_dir(browser: Any, planned: Planned) -> None:
    html = planned.out.parent / "report.html"
    result = CliRunner().invoke(app, ["report", "--plan", str(planned.out), "--out", str(html)])
    assert result.exit_code == 0, result.output
    browser.get(html.as_uri())
    check_roadmap(browser, planned, "", swept=True)


def test_the_dashboard_plans_an_uploaded_scenario(
    browser: Any, live: tuple[str, dict[str, str]], planned: Planned
) -> None:
    base, _ = live
    browser.get(base + "/")
    wait_for(browser, lambda d: d.find_elements(By.ID, "choice-baseline"))
    browser.find_element(By.ID, "upload").send_keys(str(planned.yaml))
    wait_for(browser, lambda d: d.find_elements(By.ID, f"choice-upload-{planned.scenario}-yaml"))
    browser.find_element(By.ID, "plan").click()
    browser.find_element(By.ID, "sweep").send_keys(SWEEP)
    browser.find_element(By.ID, "run-button").click()
    wait_for(browser, run_ended, timeout=RUN_TIMEOUT_S)
    assert browser.find_element(By.ID, "run-error").text == ""
    panel = browser.find_element(By.ID, f"section-plan-{planned.scenario}")
    assert "roadmap" in panel.get_attribute("class")
    check_roadmap(browser, planned, "table-", swept=True)
    violations = axe_violations(browser)
    assert not violations, describe(violations)
