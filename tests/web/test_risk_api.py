"""The risk-run API behind the dashboard's Risk panel: checks up front, progress, the odds."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from kazree.api.routes.risk_jobs import Progress, RiskJobs, risk_scenarios
from kazree.errors import KazreeError
from kazree.scenario import Scenario, load_scenario
from kazree.web import install_dashboard
from report.risk_fixture import SCENARIO, summary, write_risk_dir

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def fake_run(calls: list[tuple[str, int, int]]) -> Callable[..., None]:
    """A runner that reports progress sample by sample and writes the fixture's directory."""

    def run(scenario: Scenario, samples: int, seed: int, progress: Progress, out: Path) -> None:
        calls.append((scenario.name, samples, seed))
        for done in range(1, samples + 1):
            progress(done, samples)
            time.sleep(0.002)
        write_risk_dir(out)

    return run


def only_roadmap() -> dict[str, Scenario]:
    return {SCENARIO: load_scenario(SCENARIO)}


def client(run: Callable[..., None]) -> TestClient:
    app = FastAPI()
    install_dashboard(app, risk=RiskJobs(run=run, scenarios=only_roadmap))
    return TestClient(app)


def follow(c: TestClient, run_id: str, timeout: float = 60) -> list[dict[str, Any]]:
    """Poll a risk run until it ends; every answer seen."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = c.get(f"/v1/planning/risk-runs/{run_id}")
        assert r.status_code == 200, r.text
        seen.append(r.json())
        if seen[-1]["status"] in ("done", "failed"):
            return seen
        time.sleep(0.02)
    pytest.fail(f"risk run {run_id} did not end in {timeout} s: {seen[-1]}")


def test_a_risk_run_ends_with_the_odds() -> None:
    calls: list[tuple[str, int, int]] = []
    c = client(fake_run(calls))
    r = c.post("/v1/planning/risk-runs", json={"scenario": SCENARIO, "samples": 300, "seed": 7})
    assert r.status_code == 202, r.text
    assert r.json()["status"] in ("queued", "running")
    seen = follow(c, r.json()["run_id"])
    final = seen[-1]
    assert final["status"] == "done", final["error"]
    assert calls == [(SCENARIO, 300, 7)]
    progress = [s["progress"] for s in seen]
    assert progress == sorted(progress)
    assert progress[-1] == 1.0
    assert final["done"] == 300
    section = final["section"]
    assert section["title"] == f"Odds: {SCENARIO}"
    blocks = {b["id"]: b for b in section["blocks"]}
    assert list(blocks) == [
        f"risk-fans-{SCENARIO}",
        f"risk-probability-{SCENARIO}",
        f"risk-odds-{SCENARIO}",
        f"risk-tornado-{SCENARIO}",
        f"risk-sources-{SCENARIO}",
    ]
    fans = blocks[f"risk-fans-{SCENARIO}"]["spec"]["data"]
    median = next(
        t for t in fans if t["meta"] == {"kind": "fan", "measure": "kz_value", "quantile": "p50"}
    )
    expected = summary().query("metric == 'value_added_musd' and region == 'KZ'")["p50"]
    assert median["y"] == pytest.approx(expected.tolist())
    assert blocks[f"risk-odds-{SCENARIO}"]["rows"][0] == ["kz-separation-2030", "60%", "–", "90%"]


def test_the_charts_are_in_the_language_asked() -> None:
    c = client(fake_run([]))
    body = {"scenario": SCENARIO, "samples": 5, "lang": "ru"}
    final = follow(c, c.post("/v1/planning/risk-runs", json=body).json()["run_id"])[-1]
    assert final["section"]["title"] == f"Шансы: {SCENARIO}"


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"scenario": SCENARIO, "samples": 2001}, "samples: 2001 (allowed: 1..2000)"),
        ({"scenario": SCENARIO, "samples": 0}, "samples: 0 (allowed: 1..2000)"),
        ({"scenario": SCENARIO, "seed": -1}, "seed: -1 (allowed: 0..4294967295)"),
        (
            {"scenario": "baseline"},
            "scenario: 'baseline': not a shipped scenario with an uncertain: block "
            f"(allowed: {SCENARIO})",
        ),
        (
            {"scenario": SCENARIO, "lang": "fr"},
            "lang: 'fr': no catalog for this language (allowed: en, ru, kk)",
        ),
    ],
)
def test_bad_requests_are_one_line_problems(body: dict[str, Any], detail: str) -> None:
    calls: list[tuple[str, int, int]] = []
    r = client(fake_run(calls)).post("/v1/planning/risk-runs", json=body)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["detail"] == detail
    assert calls == []


def test_a_failed_risk_run_says_why() -> None:
    def broken(scenario: Scenario, samples: int, seed: int, progress: Progress, out: Path) -> None:
        progress(1, samples)
        msg = "kazrareearth-2030.yaml: uncertain.inputs[0]: scale -1 (allowed: > 0)"
        raise KazreeError(msg)

    c = client(broken)
    final = follow(
        c, c.post("/v1/planning/risk-runs", json={"scenario": SCENARIO}).json()["run_id"]
    )
    assert final[-1]["status"] == "failed"
    assert final[-1]["error"].endswith("scale -1 (allowed: > 0)")
    assert final[-1]["section"] is None


def test_unknown_risk_run_is_404_problem() -> None:
    r = client(fake_run([])).get("/v1/planning/risk-runs/0123abcd")
    assert r.status_code == 404
    assert r.json()["detail"] == "unknown risk run '0123abcd'"


def test_lists_the_scenarios_with_uncertain_inputs() -> None:
    listed = client(fake_run([])).get("/v1/planning/risk-scenarios").json()
    assert [s["name"] for s in listed] == [SCENARIO]
    assert listed[0]["description"]
    shipped = risk_scenarios()
    assert SCENARIO in shipped  # kazrareearth-2030 declares its uncertainties
    assert all(s.uncertain.names for s in shipped.values())
