"""``kazree validate`` on real solves: table, CSV, JSON, run directories and the page."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from kazree.cli import app
from kazree.model.solve import solve_scenario, with_years
from kazree.scenario import load_scenario
from kazree.validation import COLUMNS

runner = CliRunner()


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``baseline`` over 2024-2030, written as ``kazree run`` writes it."""
    out = tmp_path_factory.mktemp("baseline")
    solution = solve_scenario(with_years(load_scenario("baseline"), 2024, 2030))
    solution.results.to_netcdf(out / "results.nc")
    return out


def test_validate_solves_the_baseline_and_prints_csv() -> None:
    result = runner.invoke(app, ["validate", "baseline", "--format", "csv"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert list(table.columns) == list(COLUMNS)
    assert set(table["scenario"]) == {"baseline"}
    assert {2024, 2030, 2035, 2040} <= set(table["year"])
    usgs = table[(table["publication"] == "USGS MCS2025") & (table["measure"] == "China share")]
    assert usgs["model"].iloc[0] == pytest.approx(69.2, abs=2.0)  # the base-year target
    assert usgs["reference"].iloc[0] == pytest.approx(100 * 270 / 390)
    assert (table["explanation"].str.len() > 0).all()
    magnet = table[(table["group"] == "magnet") & (table["stage"] != "end_use")]
    assert set(magnet["stage"]) == {"mining", "separation"}


def test_validate_reads_a_run_directory_as_json(run_dir: Path) -> None:
    result = runner.invoke(
        app, ["validate", "--results", str(run_dir), "--year", "2030", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows
    assert {row["year"] for row in rows} == {2030}
    for row in rows:
        assert row["gap"] == pytest.approx(row["model"] - row["reference"])
        assert row["status"] in {"agrees", "gap"}


def test_validate_prints_a_table_with_every_explanation(run_dir: Path) -> None:
    result = runner.invoke(
        app, ["validate", "--results", str(run_dir), "--year", "2024", "--format", "table"]
    )
    assert result.exit_code == 0, result.output
    assert "baseline: model against published figures" in result.stdout
    assert "USGS MCS2025" in result.stdout
    assert "agrees within 2 pp" in result.stdout


def test_validate_writes_the_page(run_dir: Path, tmp_path: Path) -> None:
    page = tmp_path / "validation.md"
    result = runner.invoke(app, ["validate", "--results", str(run_dir), "--doc", str(page)])
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Validation")
    assert "## `baseline`" in text
    assert (
        "| year | stage | group | measure | model | reference | gap | source | explanation |"
        in text
    )
    assert "- `usgs_mcs2025` (USGS MCS2025): " in text


def test_a_year_outside_the_run_is_a_one_line_error(run_dir: Path) -> None:
    result = runner.invoke(app, ["validate", "--results", str(run_dir), "--year", "2045"])
    assert result.exit_code != 0
    assert "--year 2045: not modelled in baseline (allowed: 2024 to 2030)" in str(result.exception)


def test_a_directory_without_results_is_a_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", "--results", str(tmp_path)])
    assert result.exit_code != 0
    assert "no results.nc" in str(result.exception)


def test_a_page_in_a_missing_directory_is_refused_before_solving(tmp_path: Path) -> None:
    page = tmp_path / "nowhere" / "validation.md"
    result = runner.invoke(app, ["validate", "--doc", str(page)])
    assert result.exit_code != 0
    assert f"--doc {page}: directory {page.parent} does not exist" in str(result.exception)


def test_two_runs_of_one_scenario_are_both_shown(run_dir: Path) -> None:
    result = runner.invoke(
        app,
        ["validate", "--results", str(run_dir), "--results", str(run_dir), "--year", "2024"],
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    first = table[table["scenario"] == "baseline"].drop(columns="scenario")
    second = table[table["scenario"] == "baseline (2)"].drop(columns="scenario")
    assert len(first) > 0
    assert first.reset_index(drop=True).equals(second.reset_index(drop=True))
