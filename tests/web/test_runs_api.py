"""The scenario-run API behind the dashboard: checks up front, background runs, progress."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import pytest
import xarray as xr
from fastapi import FastAPI

from kazree.api.routes.runs_jobs import RunJobs, Sweep
from kazree.api.routes.runs_schemas import ReportOut
from kazree.data import load_dataset
from kazree.errors import KazreeError
from kazree.i18n import language
from kazree.report.plan_view import PlanOutputs
from kazree.report.runs import Assumptions, ScenarioRun
from kazree.scenario import Scenario
from kazree.scenario.loading import shipped_names
from kazree.web import install_dashboard

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SHORT = "extends: baseline\nname: short\nyears: {start: 2024, end: 2026}\n"


def client(jobs: RunJobs | None = None) -> TestClient:
    app = FastAPI()
    install_dashboard(app, jobs)
    return TestClient(app)


def follow(c: TestClient, run_id: str, timeout: float = 240) -> list[dict[str, Any]]:
    """Poll a run until it ends; every answer seen."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = c.get(f"/v1/planning/runs/{run_id}")
        assert r.status_code == 200, r.text
        seen.append(r.json())
        if seen[-1]["status"] in ("done", "failed"):
            return seen
        time.sleep(0.2)
    pytest.fail(f"run {run_id} did not end in {timeout} s: {seen[-1]}")


@pytest.fixture(scope="module")
def short_run() -> tuple[TestClient, list[dict[str, Any]]]:
    """A real solve of baseline over 2024-2026, uploaded as a file."""
    c = client()
    r = c.post("/v1/planning/runs", json={"uploads": [{"filename": "short.yaml", "yaml": SHORT}]})
    assert r.status_code == 202, r.text
    assert r.json()["status"] in ("queued", "running")
    return c, follow(c, r.json()["run_id"])


def test_lists_the_shipped_scenarios() -> None:
    listed = client().get("/v1/planning/scenarios").json()
    assert [s["name"] for s in listed] == shipped_names()
    assert all(s["description"] for s in listed)


def test_an_uploaded_run_ends_with_the_report_charts(
    short_run: tuple[TestClient, list[dict[str, Any]]],
) -> None:
    _, seen = short_run
    final = seen[-1]
    assert final["status"] == "done", final["error"]
    assert final["scenarios"] == ["short"]
    progress = [s["progress"] for s in seen]
    assert progress == sorted(progress)
    assert progress[-1] == 1.0
    sections = {s["id"]: s for s in final["report"]["sections"]}
    assert list(sections) == [
        "summary",
        "assumptions",
        "flows",
        "concentration",
        "unmet",
        "kazakhstan",
        "facilities",
        "controls",
        "glossary",
        "sources",
        "appendix",
    ]
    assert [s["id"] for s in final["report"]["sections"] if s["appendix"]] == ["appendix"]
    assert all(
        b["source"].startswith("Source: kazree")
        for s in sections.values()
        for b in s["blocks"]
        if b["kind"] == "figure"
    )
    assert "2026" in final["report"]["subtitle"]  # the last common year when 2030 is not modelled
    sankey = sections["flows"]["blocks"][0]
    assert sankey["id"] == "sankey-short"
    assert sum(sankey["spec"]["data"][0]["link"]["value"]) > 0
    china = sections["concentration"]["blocks"][0]["spec"]["data"]
    assert {tuple(t["x"]) for t in china} == {(2024, 2025, 2026)}
    assert all(0 <= y <= 100 for t in china for y in t["y"])
    facilities = sections["facilities"]["blocks"][0]["spec"]["data"]
    assert sum(len(t["lat"]) for t in facilities) > 0


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({}, "body: give at least one scenario name or upload"),
        ({"scenarios": ["nope"]}, "scenarios: 'nope': not a shipped scenario (allowed: baseline"),
        ({"scenarios": ["baseline", "baseline"]}, "scenarios: 'baseline' given twice"),
        ({"scenarios": ["baseline"], "year": 2051}, "year: 2051: not a year of every scenario"),
        (
            {"uploads": [{"filename": "mine.yaml", "yaml": "years: {start: 2030, end: 2020}"}]},
            "mine.yaml: years: end 2020 is before start 2030 (allowed: end >= start)",
        ),
        (
            {"uploads": [{"filename": "mine.yaml", "yaml": "years: [unclosed"}]},
            "mine.yaml:1: malformed YAML",
        ),
        ({"uploads": [{"filename": "../x.yaml", "yaml": "{}"}]}, "body.uploads.0.filename"),
        ({"scenarios": "baseline", "colour": 1}, "body.scenarios"),
        (
            {"scenarios": ["baseline"], "plan": True},
            "plan: no scenario given has a plan block",
        ),
        (
            {"scenarios": ["kazrareearth-2030"], "sweep": "kz_value_added=0:100:50"},
            "sweep: a cost curve needs plan",
        ),
        (
            {"scenarios": ["kazrareearth-2030"], "plan": True, "sweep": "nope=0:1:1"},
            "sweep: target 'nope' is not in a planned scenario's plan.targets (allowed: eu_",
        ),
        (
            {"scenarios": ["kazrareearth-2030"], "plan": True, "sweep": "kz_value_added=5"},
            "sweep: 'kz_value_added=5': not TARGET=LOW:HIGH:STEP",
        ),
        (
            {"scenarios": ["baseline"], "lang": "fr"},
            "lang: 'fr': no catalog for this language (allowed: en, ru, kk)",
        ),
    ],
)
def test_bad_requests_are_one_line_problems(body: dict[str, Any], detail: str) -> None:
    r = client().post("/v1/planning/runs", json=body)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["code"] == "request.invalid"
    assert problem["detail"].startswith(detail), problem["detail"]
    assert "\n" not in problem["detail"]
    assert "/tmp" not in problem["detail"]  # the file is named as the user named it


def test_unknown_run_is_404_problem() -> None:
    r = client().get("/v1/planning/runs/0123abcd")
    assert r.status_code == 404
    assert r.json()["code"] == "validation.unknown_run"
    assert r.json()["detail"] == "unknown run '0123abcd'"


def _stub(fail: Exception | None, calls: list[str]) -> Callable[..., ScenarioRun]:
    def solve(scenario: Scenario, progress: Callable[[str], None]) -> ScenarioRun:
        calls.append(scenario.name)
        progress("solving")
        if fail is not None:
            raise fail
        pytest.fail("not reached")

    return solve


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (KazreeError("targets conflict in 2030"), "targets conflict in 2030"),
        (RuntimeError("boom"), "internal error while solving; it was logged"),
    ],
)
def test_a_failing_solve_fails_the_run_with_its_message(error: Exception, shown: str) -> None:
    calls: list[str] = []
    c = client(RunJobs(solve=_stub(error, calls)))
    r = c.post("/v1/planning/runs", json={"scenarios": ["baseline"]})
    final = follow(c, r.json()["run_id"], timeout=30)[-1]
    assert final["status"] == "failed"
    assert final["error"] == shown
    assert final["report"] is None
    assert calls == ["baseline"]


def test_facilities_carry_their_sources() -> None:
    rows = client().get("/v1/planning/facilities").json()
    dataset = load_dataset()
    assert [r["id"] for r in rows] == list(dataset.table("facilities")["id"])
    sources = dataset.table("sources").set_index("id")
    for row in rows:
        first = row["source"].split(";")[0].strip()
        assert row["source_title"] == sources.at[first, "title"]


def test_shipped_scenarios_are_solved_once_and_reused() -> None:
    calls: list[str] = []
    charted: list[list[str]] = []

    def solve(scenario: Scenario, progress: Callable[[str], None]) -> ScenarioRun:
        calls.append(scenario.name)
        progress("solving")
        return ScenarioRun(scenario.name, xr.Dataset(), pd.DataFrame(), Assumptions())

    def charts(runs: Sequence[ScenarioRun], year: int | None, extra: Sequence[object]) -> ReportOut:
        charted.append([r.name for r in runs])
        return ReportOut(title="t", subtitle=f"year {year}", lang=language(), sections=[])

    c = client(RunJobs(solve=solve, charts=charts))
    first = c.post("/v1/planning/runs", json={"scenarios": ["baseline"]}).json()
    assert follow(c, first["run_id"], timeout=30)[-1]["status"] == "done"
    body = {"scenarios": ["baseline", "deposit-only"], "year": 2030, "lang": "kk"}
    second = follow(c, c.post("/v1/planning/runs", json=body).json()["run_id"], timeout=30)
    assert second[-1]["status"] == "done"
    assert second[-1]["report"]["subtitle"] == "year 2030"
    # The report is written in the language asked for.
    assert second[-1]["report"]["lang"] == "kk"
    # deposit-only brings its counterfactual, china-controls-2025.
    assert calls == ["baseline", "deposit-only", "china-controls-2025"]
    assert charted == [["baseline"], ["baseline", "deposit-only", "china-controls-2025"]]


def test_plan_runs_the_planner_for_scenarios_with_a_plan_block() -> None:
    planned: list[tuple[str, Sweep | None]] = []
    sections: list[int] = []
    targets = pd.DataFrame(
        {
            "target": ["kz_value_added"],
            "year": [2030],
            "required": [100.0],
            "achieved": [100.0],
            "cost_usd_per_unit": [0.0],
            "status": ["met"],
        }
    )

    def solve(scenario: Scenario, progress: Callable[[str], None]) -> ScenarioRun:
        return ScenarioRun(scenario.name, xr.Dataset(), pd.DataFrame(), Assumptions())

    def planner(
        scenario: Scenario, progress: Callable[[str], None], sweep: Sweep | None
    ) -> PlanOutputs:
        planned.append((scenario.name, sweep))
        progress("solving the planning problem")
        return PlanOutputs(scenario.name, pd.DataFrame(columns=["capex_musd"]), targets, ())

    def charts(runs: Sequence[ScenarioRun], year: int | None, extra: Sequence[object]) -> ReportOut:
        sections.append(len(extra))
        return ReportOut(title="t", subtitle="s", lang=language(), sections=[])

    c = client(RunJobs(solve=solve, charts=charts, planner=planner))
    body = {"scenarios": ["kazrareearth-2030"], "plan": True}
    steps = follow(c, c.post("/v1/planning/runs", json=body).json()["run_id"], timeout=30)
    assert steps[-1]["status"] == "done"
    counterfactual = steps[-1]["scenarios"][1]
    assert counterfactual != "kazrareearth-2030"
    # Only the scenario with a plan block is planned, once; its roadmap is one more section.
    assert planned == [("kazrareearth-2030", None)]
    assert sections == [1]
    # Both roadmaps with a cost curve: each planned with the sweep, then compared.
    body = {
        "scenarios": ["kazrareearth-2030", "kazrareearth-2030-as-announced"],
        "plan": True,
        "sweep": "kz_value_added=0:100:50",
    }
    steps = follow(c, c.post("/v1/planning/runs", json=body).json()["run_id"], timeout=30)
    assert steps[-1]["status"] == "done", steps[-1]
    curve = ("kz_value_added", [0.0, 50.0, 100.0])
    assert planned[1:] == [
        ("kazrareearth-2030", curve),
        ("kazrareearth-2030-as-announced", curve),
    ]
    assert sections == [1, 3]
