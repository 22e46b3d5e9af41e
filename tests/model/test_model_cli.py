"""``kazree run`` and ``kazree compare`` write the files of the results contract."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from kazree.cli import app
from kazree.model import Results, check_mass_balance

runner = CliRunner()


def test_run_writes_results_solve_json_and_metrics(tmp_path: Path) -> None:
    out = tmp_path / "base"
    result = runner.invoke(app, ["run", "baseline", "--years", "2024:2025", "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "solve.json").read_text())
    assert summary["status"] == "optimal"
    assert summary["solver"] == "highs"
    assert summary["n_variables"] > 1000
    for key in ("read_s", "build_s", "solve_s", "extract_s"):
        assert summary[key] >= 0
    assert summary["n_constraints"] > 1000
    results = Results.from_netcdf(out / "results.nc")
    assert list(results.ds["year"].values) == [2024, 2025]
    assert check_mass_balance(results) == []
    metrics = pd.read_csv(out / "metrics.csv")
    assert list(metrics.columns) == [
        "scenario",
        "year",
        "stage",
        "region",
        "element",
        "metric",
        "value",
        "unit",
    ]
    assert set(metrics["scenario"]) == {"baseline"}
    assert "China share %" in result.output


def test_run_rejects_bad_years(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", "baseline", "--years", "2024-2040", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "--years" in str(result.exception or result.output)


def test_run_rejects_years_beyond_2050(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", "baseline", "--years", "2024:2060", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "--years '2024:2060': 2060 is too large (allowed: <= 2050)" in str(result.exception)


def test_compare_prints_both_scenarios(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["compare", "baseline", "deposit-only", "--years", "2026:2027", "--out", str(tmp_path)],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "baseline" in result.output
    assert "deposit" in result.output
    assert (tmp_path / "deposit-only" / "results.nc").is_file()
