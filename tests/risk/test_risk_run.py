"""Monte Carlo runs: a known answer, the same files whatever the workers, one-line errors."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import dask
import pandas as pd
import pytest
import xarray as xr
from known_case import known_yaml

from kazree.cli import main
from kazree.errors import KazreeError
from kazree.outputs import (
    RISK_FILE,
    RISK_SUMMARY_FILE,
    SAMPLES_FILE,
    SENSITIVITY_FILE,
    TARGETS_FILE,
)
from kazree.risk import builds_from, risk
from kazree.risk.run import cluster, routes
from user_errors import user_error

pytestmark = pytest.mark.slow


def test_lead_time_uniform_on_4_to_8_gives_the_known_odds(tmp_path: Path) -> None:
    result = risk(known_yaml(tmp_path), samples=2_000, seed=11, workers=1)
    odds = result.targets().set_index("year")["probability_met"]
    # the plant is decided in 2026 (the expected-value plan: lead 6, online 2032) and produces
    # from 2026 + L: the target holds in year Y when L <= Y - 2026
    assert abs(odds[2032] - 0.6) <= 0.03
    assert abs(odds[2033] - 0.8) <= 0.03
    assert odds[2034] == 1.0
    lead = result.draws["lead_years"]
    met = result.met.sel(target="kz_oxide", year=2032).to_series()
    assert bool(((lead <= 6) == (met == 1.0)).all())
    assert result.timings["distinct_futures"] == 5
    ranking = result.sensitivity()
    assert list(ranking["input"]) == ["lead_years"]
    assert float(ranking["score"].iloc[0]) < -0.8


def _run(directory: Path, workers: int) -> Path:
    extra = (
        "    - {field: costs.stage_usd_per_t.separation, factor: {kind: lognormal,"
        " median: 1.0, sigma: 0.4}, label: separation_cost}\n"
        "  regimes:\n"
        "    - {name: demand_case, options: [{label: pledges, probability: 0.6},"
        " {label: stated, probability: 0.4, set: {demand.case: stated_policies}}]}\n"
    )
    path = known_yaml(directory, extra)
    target = directory / f"out-{workers}"
    assert (
        main_status(
            "risk",
            str(path),
            "--samples",
            "6",
            "--seed",
            "3",
            "--workers",
            str(workers),
            "--out",
            str(target),
        )
        == 0
    )
    return target


def main_status(*args: str) -> int:
    import sys

    saved = sys.argv
    sys.argv = ["kazree", "--quiet", *args]
    try:
        main()
    except SystemExit as exc:
        return int(exc.code or 0)
    finally:
        sys.argv = saved
    return 0


def test_the_same_seed_gives_the_same_files_with_one_or_two_workers(tmp_path: Path) -> None:
    one, two = _run(tmp_path, 1), _run(tmp_path, 2)
    for name in (RISK_SUMMARY_FILE, TARGETS_FILE, SENSITIVITY_FILE, SAMPLES_FILE):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    samples = xr.load_dataset(one / SAMPLES_FILE)
    assert samples.sizes["sample"] == 6
    assert set(samples["regime_demand_case"].values) <= {"pledges", "stated"}
    summary = pd.read_csv(one / RISK_SUMMARY_FILE)
    assert list(summary.columns) == [
        "metric",
        "stage",
        "region",
        "element",
        "year",
        "mean",
        "p10",
        "p50",
        "p90",
    ]
    assert bool((summary["p10"] <= summary["p50"] + 1e-9).all())
    assert bool((summary["p50"] <= summary["p90"] + 1e-9).all())
    info = json.loads((one / RISK_FILE).read_text())
    assert info["samples"] == 6
    assert info["workers"] == 1
    assert {p["year"] for p in info["probabilities"]} >= {2032}


@pytest.mark.parametrize(
    ("law", "expected"),
    [
        (
            "factor: {kind: lognormal, median: 1.2, sigma: -0.3}",
            "uncertain.inputs[1].factor.lognormal.sigma: -0.3:",
        ),
        (
            "dist: {kind: discrete, values: [1, 2], probabilities: [0.5, 0.4]}",
            "uncertain.inputs[1].dist.discrete: probabilities sum to 0.9 (allowed: a sum of 1)",
        ),
    ],
)
def test_a_bad_distribution_is_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    law: str,
    expected: str,
) -> None:
    path = known_yaml(tmp_path, f"    - {{field: controls.licence_share, {law}}}\n")
    line = user_error(monkeypatch, capsys, "risk", str(path), "--samples", "5")
    assert str(path) in line
    assert expected in line


def test_an_unknown_field_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = "    - {field: controls.licence_shares, dist: {kind: uniform, low: 0, high: 1}}\n"
    path = known_yaml(tmp_path, extra)
    line = user_error(monkeypatch, capsys, "risk", str(path), "--samples", "5")
    assert f"{path}: uncertain.inputs[1] (controls.licence_shares)" in line
    assert "controls.licence_shares is not a field (allowed: use_dataset, licence_share" in line


def test_a_bad_plan_file_is_one_line(tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text("candidate,decision_year\nkz-sep,2026\n", encoding="utf-8")
    with pytest.raises(KazreeError, match=r"plan.csv: missing column 'capacity_t'"):
        builds_from(plan)
    plan.write_text("candidate,decision_year,capacity_t\nkz-sep,soon,10\n", encoding="utf-8")
    with pytest.raises(KazreeError, match=r"row 2: decision_year 'soon'"):
        builds_from(plan)


def test_a_plan_held_fixed_that_builds_nothing_never_meets_the_target(tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text("candidate,decision_year,capacity_t\n", encoding="utf-8")
    result = risk(known_yaml(tmp_path), samples=20, seed=2, builds=builds_from(plan))
    assert result.plan == "given plan"
    assert float(result.met.sel(target="kz_oxide").max()) == 0.0
    assert math.isclose(float(result.margin.sel(target="kz_oxide", year=2032).mean()), -500.0)


def test_replanning_each_future_meets_the_target_whenever_its_lead_time_allows(
    tmp_path: Path,
) -> None:
    result = risk(known_yaml(tmp_path), samples=12, seed=5, replan=True, workers=1)
    assert result.plan == "replan"
    lead = result.draws["lead_years"]
    met = result.met.sel(target="kz_oxide", year=2032).to_series()
    # each future's own plan decides in 2026 at the latest useful moment: online 2026 + L
    assert bool(((lead <= 6) == (met == 1.0)).all())
    assert bool((result.met.sel(target="kz_oxide", year=2034) == 1.0).all())


def test_routes_keep_each_model_on_one_worker_and_even_out_the_loads() -> None:
    models = ["a"] * 10 + ["b"] * 5 + ["c"] * 5 + ["d"]
    slots = routes(models, 2)
    by_model = {m: {s for m2, s in zip(models, slots, strict=True) if m2 == m} for m in models}
    assert all(len(s) == 1 for s in by_model.values())
    # largest first to the least loaded: a 16 -> 0, b 11 -> 1, c 11 -> 1 (22), d 7 -> 0 (23)
    assert {m: s.pop() for m, s in by_model.items()} == {"a": 0, "b": 1, "c": 1, "d": 0}
    assert routes(models, 1) == [0] * len(models)


def test_local_workers_run_without_the_profiler_and_the_memory_trim() -> None:
    with cluster(1, None) as client:
        trim = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
        profile = client.run(lambda: dask.config.get("distributed.worker.profile.enabled"))
    assert list(trim.values()) == [None]
    assert list(profile.values()) == [False]
