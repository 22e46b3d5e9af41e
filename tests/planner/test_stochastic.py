"""The stochastic plan: builds shared across futures, VSS and EVPI, CVaR (docs/uncertainty.md)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from kazree.cli import app
from kazree.errors import KazreeError
from kazree.planner.extensive import Risk, cvar, parse_risk
from kazree.planner.stochastic import StochasticPlan, stochastic_plan
from small_plan import small_yaml
from user_errors import user_error

RELATIVE = 1e-6
LEADS = """\
uncertain:
  regimes:
    - name: sep_lead
      options:
        - {label: short, probability: 0.6, set: {"plan.candidates[kz-sep].lead_years": 1}}
        - {label: long, probability: 0.4, set: {"plan.candidates[kz-sep].lead_years": 4}}
"""
"""Separation online one or four years after its decision; the expected future is the short."""
DRAWS = """\
uncertain:
  inputs:
    - field: "plan.candidates[kz-sep].lead_years"
      dist: {kind: discrete, values: [1, 2], probabilities: [0.5, 0.5]}
    - field: "plan.candidates[kz-magnet].capex_usd_per_t"
      dist: {kind: uniform, low: 30000, high: 60000}
"""


def _instance(directory: Path, block: str, end: int, year: int) -> Path:
    path = small_yaml(directory, musd=20.0, year=year)
    text = path.read_text(encoding="utf-8").replace("end: 2027", f"end: {end}")
    path.write_text(text + block, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def leads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2024-2030, 20 MUSD of Kazakh value added from 2029, separation lead 1 or 4 years."""
    return _instance(tmp_path_factory.mktemp("leads"), LEADS, 2030, 2029)


@pytest.fixture(scope="module")
def hedged(leads: Path) -> StochasticPlan:
    return stochastic_plan(leads)


@pytest.fixture(scope="module")
def sampled(tmp_path_factory: pytest.TempPathFactory) -> StochasticPlan:
    """Three sampled futures of the small instance (separation lead time, magnet capex)."""
    return stochastic_plan(
        _instance(tmp_path_factory.mktemp("draws"), DRAWS, 2027, 2026), futures=3
    )


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= RELATIVE * max(1.0, abs(a), abs(b))


@pytest.mark.parametrize("name", ["hedged", "sampled"])
def test_vss_and_evpi_are_not_negative(name: str, request: pytest.FixtureRequest) -> None:
    result: StochasticPlan = request.getfixturevalue(name)
    futures = result.futures
    p = futures["probability"].to_numpy()
    scale = RELATIVE * max(1.0, abs(result.expected_cost))
    assert result.vss >= -scale
    assert result.evpi >= -scale
    assert _close(result.objective, float(p @ futures["cost_sp"]))
    assert float(p @ futures["cost_sp"]) <= float(p @ futures["cost_ev"]) + scale
    assert (futures["cost_ws"] <= futures["cost_sp"] + scale).all()
    assert _close(result.vss, float(p @ (futures["cost_ev"] - futures["cost_sp"])))
    assert _close(result.evpi, float(p @ (futures["cost_sp"] - futures["cost_ws"])))


def test_futures_are_the_samples_or_the_regime_combinations(
    hedged: StochasticPlan, sampled: StochasticPlan
) -> None:
    assert list(hedged.futures["sep_lead"]) == ["short", "long"]
    assert list(hedged.futures["probability"]) == [0.6, 0.4]
    assert not hedged.sampled
    assert sampled.sampled
    assert np.allclose(sampled.futures["probability"], 1 / 3)
    assert set(sampled.futures["plan.candidates[kz-sep].lead_years"]) <= {1.0, 2.0}


def test_hedging_builds_earlier_than_the_expected_future_needs(hedged: StochasticPlan) -> None:
    """The expected-value plan (lead 1) decides late and misses the target when the lead is 4;
    the stochastic plan decides early enough for both."""
    futures = hedged.futures.set_index("sep_lead")
    assert bool(futures.loc["long", "met_sp"])
    assert bool(futures.loc["short", "met_sp"])
    assert not bool(futures.loc["long", "met_ev"])
    assert hedged.vss > 1e3  # MUSD: the shortfall's penalty
    sep = hedged.builds[hedged.builds["candidate"] == "kz-sep"]
    assert int(sep["decision_year"].min()) <= 2029 - 4
    assert int(hedged.expected_value_builds["decision_year"].min()) > int(
        sep["decision_year"].min()
    )


def test_cvar_with_no_weight_is_the_risk_neutral_plan(leads: Path, hedged: StochasticPlan) -> None:
    neutral = stochastic_plan(leads, risk="cvar:0.5:0")
    assert _close(neutral.objective, hedged.objective)
    assert _close(neutral.expected_cost, hedged.expected_cost)
    assert neutral.cvar is not None
    assert neutral.cvar >= neutral.expected_cost


def test_cvar_plan_minimises_its_measure(leads: Path, hedged: StochasticPlan) -> None:
    averse = stochastic_plan(leads, risk="cvar:0.5")
    p = averse.futures["probability"].to_numpy()
    assert averse.cvar is not None
    assert _close(averse.objective, averse.cvar)
    assert averse.cvar <= cvar(hedged.futures["cost_sp"].to_numpy(), p, 0.5) + 1e-6
    assert averse.expected_cost >= hedged.expected_cost - 1e-6 * abs(hedged.expected_cost)


def test_cvar_is_the_mean_of_the_worst_tail() -> None:
    costs, p = np.array([1.0, 2.0, 3.0, 10.0]), np.full(4, 0.25)
    assert cvar(costs, p, 0.75) == pytest.approx(10.0)
    assert cvar(costs, p, 0.5) == pytest.approx(6.5)
    assert cvar(costs, p, 0.0) == pytest.approx(4.0)
    assert cvar(costs, p, 0.6) == pytest.approx((0.15 * 3.0 + 0.25 * 10.0) / 0.4)


@pytest.mark.parametrize(
    "text", ["cvar", "cvar:1", "cvar:0.9:2", "var:0.9", "cvar:x", "cvar:0.9:0.5:1"]
)
def test_bad_risk_is_a_one_line_error(text: str) -> None:
    with pytest.raises(KazreeError) as info:
        parse_risk(text)
    message = str(info.value)
    assert "\n" not in message
    assert repr(text) in message
    assert "allowed" in message


def test_risk_specs() -> None:
    assert parse_risk("cvar:0.9") == Risk(0.9, 1.0)
    assert parse_risk("cvar:0.95:0.25") == Risk(0.95, 0.25)


def test_the_command_writes_the_plan_its_futures_and_the_measures(
    leads: Path, hedged: StochasticPlan, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["plan", str(leads), "--stochastic", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "VSS" in result.output
    plan = pd.read_csv(out / "plan.csv")
    assert list(plan.columns) == list(hedged.builds.columns)
    assert plan["capacity_t"].tolist() == pytest.approx(hedged.builds["capacity_t"].tolist())
    futures = pd.read_csv(out / "futures.csv")
    assert list(futures.columns) == [
        "future",
        "probability",
        "sep_lead",
        "cost_sp",
        "cost_ev",
        "cost_ws",
        "met_sp",
        "met_ev",
    ]
    summary = json.loads((out / "stochastic.json").read_text())
    assert summary["futures"] == 2
    assert summary["vss"] == pytest.approx(hedged.vss)
    assert summary["evpi"] == pytest.approx(hedged.evpi)
    assert summary["costs"]["cost_sp"] == pytest.approx(futures["cost_sp"].tolist())
    assert summary["cvar"] is None
    assert set(summary["timings"]) >= {"solve_sp_s", "solve_sp_cpu_s", "solve_ws_cpu_s"}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--stochastic", "--risk", "cvar:2"], "--risk 'cvar:2': not cvar:ALPHA[:WEIGHT]"),
        (["--futures", "3"], "error: --futures: only with --stochastic"),
        (["--stochastic", "--sweep", "kz_va=0:20:20"], "error: --sweep: not with --stochastic"),
        (["--stochastic"], "uncertain: nothing declared"),
    ],
)
def test_mistakes_are_one_line_errors(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    args: list[str],
    expected: str,
) -> None:
    path = small_yaml(tmp_path)
    message = user_error(monkeypatch, capsys, "plan", str(path), *args)
    assert expected in message
    assert "(allowed: " in message


def test_whole_plants_are_shared_too(leads: Path) -> None:
    """With --integer each build is a whole plant of at least its minimum size in every
    future, and hedging still pays."""
    result = stochastic_plan(leads, integer=True)
    sep = result.builds[result.builds["candidate"] == "kz-sep"]
    assert len(sep) == 1
    assert 1000.0 - 1e-6 <= float(sep["capacity_t"].iloc[0]) <= 3000.0 + 1e-6
    assert bool(result.futures["met_sp"].all())
    assert result.vss > 1e3
    assert result.evpi >= -RELATIVE * abs(result.expected_cost)
