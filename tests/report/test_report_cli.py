"""``kazree report``: from run directories to one HTML file, and one-line errors."""

from __future__ import annotations

import sys

import pandas as pd
import pytest
from report_chain import chain_run
from report_html import figure_specs, frame_value, metric_points, parse, untranslated
from typer.testing import CliRunner

from kazree.cli import app, main
from kazree.i18n import language

runner = CliRunner()


@pytest.fixture
def run_dir(tmp_path):
    """A directory like ``kazree run`` writes, holding the test chain."""
    run = chain_run("chain")
    directory = tmp_path / "chain"
    directory.mkdir()
    run.results.to_netcdf(directory / "results.nc", engine="h5netcdf")
    run.metrics.to_csv(directory / "metrics.csv", index=False)
    return directory


def test_report_from_a_run_directory(run_dir, tmp_path):
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--results", str(run_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stdout
    specs = figure_specs(parse(out.read_text(encoding="utf-8")))
    assert "sankey-chain" in specs
    frames = {"chain": pd.read_csv(run_dir / "metrics.csv", keep_default_na=False, na_values=[""])}
    points = metric_points(specs)
    assert len(points) > 20
    for key, year, value in points:
        expected = frame_value(frames, key, year)
        assert value == (None if expected is None else pytest.approx(expected)), (key, year)
    assert not list(tmp_path.glob(".report.html.*")), "no temporary file left behind"


def _error(monkeypatch, capsys, *args: str) -> str:
    monkeypatch.setattr(sys, "argv", ["kazree", "report", *args])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("error: ")
    return err


def test_no_scenario_is_a_one_line_error(monkeypatch, capsys):
    assert "give SCENARIO names, --results DIR or --plan DIR" in _error(monkeypatch, capsys)


def test_directory_without_results_is_a_one_line_error(monkeypatch, capsys, tmp_path):
    err = _error(monkeypatch, capsys, "--results", str(tmp_path))
    assert str(tmp_path) in err
    assert "no results.nc" in err


def test_directory_without_a_plan_is_a_one_line_error(monkeypatch, capsys, run_dir, tmp_path):
    out = tmp_path / "r.html"
    err = _error(monkeypatch, capsys, "--plan", str(run_dir), "--out", str(out))
    assert f"--plan {run_dir}: no plan.csv" in err
    assert not out.exists()


def test_year_outside_the_runs_is_a_one_line_error(monkeypatch, capsys, run_dir, tmp_path):
    out = tmp_path / "r.html"
    err = _error(
        monkeypatch, capsys, "--results", str(run_dir), "--year", "2027", "--out", str(out)
    )
    assert "--year 2027" in err
    assert "allowed: 2024, 2030" in err
    assert not out.exists()


def test_missing_output_directory_is_a_one_line_error(monkeypatch, capsys, run_dir, tmp_path):
    out = tmp_path / "nowhere" / "r.html"
    err = _error(monkeypatch, capsys, "--results", str(run_dir), "--out", str(out))
    assert "nowhere" in err


def test_metrics_file_without_its_columns_is_a_one_line_error(
    monkeypatch, capsys, run_dir, tmp_path
):
    (run_dir / "metrics.csv").write_text("year,value\n2024,1\n", encoding="utf-8")
    err = _error(monkeypatch, capsys, "--results", str(run_dir), "--out", str(tmp_path / "r.html"))
    assert "metrics.csv: missing column 'scenario'" in err
    assert "allowed: scenario, year, stage" in err


def test_unknown_scenario_is_a_one_line_error(monkeypatch, capsys, tmp_path):
    err = _error(monkeypatch, capsys, "no-such-scenario", "--out", str(tmp_path / "r.html"))
    assert "no-such-scenario" in err
    assert "baseline" in err
    assert not (tmp_path / "r.html").exists()


def test_report_in_russian_leaves_no_catalog_string_in_english(run_dir, tmp_path):
    out = tmp_path / "report.html"
    args = ["report", "--results", str(run_dir), "--out", str(out), "--lang", "ru"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<html lang="ru">' in html
    assert "Главное" in html
    assert untranslated(html, "ru") == []
    assert language() == "en", "--lang holds for the one command only"


def test_a_roadmap_run_brings_its_counterfactual(tmp_path, monkeypatch):
    run = chain_run("roadmap", scale=2.0)
    directory = tmp_path / "roadmap"
    directory.mkdir()
    results = run.results.copy()
    results.attrs["counterfactual"] = "baseline"
    results.to_netcdf(directory / "results.nc", engine="h5netcdf")
    solved: list[str] = []

    def solve(scenario):
        solved.append(scenario.name)
        return chain_run(scenario.name)

    monkeypatch.setattr("kazree.cli.report._solve", solve)
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--results", str(directory), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert solved == ["baseline"]
    assert "adding baseline, the counterfactual the report compares with" in result.stderr
    html = out.read_text(encoding="utf-8")
    assert "roadmap against baseline" in html
    assert 'data-minus="baseline"' in html
