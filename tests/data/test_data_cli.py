"""``kazree data check|show|sources`` and ``kazree demo``, through Typer and the console script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kazree.cli import app
from kazree.errors import KazreeError

runner = CliRunner()


def test_check_embedded_exits_0_and_lists_warnings() -> None:
    result = runner.invoke(app, ["data", "check"])
    assert result.exit_code == 0, result.output
    assert "warning: deposits.csv:" in result.output
    assert "kz-zhana-kazakhstan: ore_t x grade" in result.output
    assert result.output.rstrip().splitlines()[-1].startswith("OK: 0 error(s), ")


def test_check_broken_copy_exits_1_with_the_place(copy_dir: Path, edit: Callable[..., int]) -> None:
    line = edit("facilities.csv", "id", "lynas-mt-weld", "start_year", "1980")
    result = runner.invoke(app, ["data", "check", str(copy_dir)])
    assert result.exit_code == 1
    assert (
        f"error: facilities.csv:{line}: start_year: start year 1980 is before discovery year 1988"
    ) in result.output
    assert "FAILED: 1 error(s)" in result.output


def test_show_csv_filtered_by_country() -> None:
    result = runner.invoke(app, ["data", "show", "facilities", "--country", "kz", "-f", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("id,name,country,stage,")
    assert len(lines) > 1
    assert all(",KZ," in line for line in lines[1:])


def test_show_json_columns() -> None:
    result = runner.invoke(
        app, ["data", "show", "mine_production", "-f", "json", "--columns", "country,year"]
    )
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert {"country": "CN", "year": 2024} in records
    assert set(records[0]) == {"country", "year"}


def test_show_table_format_prints_a_rich_table() -> None:
    result = runner.invoke(app, ["data", "show", "china_quotas", "-f", "table"])
    assert result.exit_code == 0, result.output
    assert "china_quotas (18 rows)" in result.output
    assert "270000" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["data", "show", "mines"], "unknown table 'mines'"),
        (["data", "show", "prices", "--country", "CN"], "has no country column"),
        (["data", "show", "prices", "--columns", "cost"], "--columns: 'cost' not in table"),
    ],
)
def test_show_user_errors(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert isinstance(result.exception, KazreeError)
    assert message in str(result.exception)


def test_sources_counts_citing_rows() -> None:
    result = runner.invoke(app, ["data", "sources", "-f", "json"])
    assert result.exit_code == 0, result.output
    sources = {s["id"]: s for s in json.loads(result.output)}
    assert sources["usgs_mcs2025"]["rows"] > 50
    assert all(s["rows"] >= 1 for s in sources.values())


def test_demo_checks_and_summarises() -> None:
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert "OK: 0 error(s)" in result.output
    assert "China 69.2 %" in result.output
    assert "separation" in result.output
    assert "magnet" in result.output
    # the roadmap lines: zones with robustness, finance, safeguards, partner attribution
    assert "Priority zones" in result.output
    assert "kz-kuirektykol-forecast" in result.output
    assert "Finance of the roadmap's Kazakh projects" in result.output
    assert "Safeguards: none binds." in result.output
    assert "Kazakhstan's footprint in 2035" in result.output
    assert "export-partner HHI" in result.output
    # the least-cost plan and the roadmap as announced, for the same targets
    text = " ".join(result.output.split())
    assert "Roadmap plans compared" in text
    assert "kazrareearth-2030-as-announced" in text
    assert (
        "kz_value_added (100.00 MUSD from 2030) is out of reach: the earliest year it can be"
        " met is 2031" in text
    )
    assert (
        "the metal plant kz-roadmap-metal in KZ, built as announced, comes online in 2031" in text
    )


def test_console_script_reports_user_errors_in_one_line(copy_dir: Path) -> None:
    script = shutil.which("kazree") or str(Path(sys.executable).with_name("kazree"))
    (copy_dir / "countries.csv").unlink()
    ok = subprocess.run([script, "data", "check"], capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    broken = subprocess.run(
        [script, "data", "check", str(copy_dir)], capture_output=True, text=True, check=False
    )
    assert broken.returncode == 1
    assert "error: countries.csv:0: (file): file is missing" in broken.stdout
    wrong = subprocess.run(
        [script, "data", "show", "mines"], capture_output=True, text=True, check=False
    )
    assert wrong.returncode == 2
    assert wrong.stderr.startswith("error: unknown table 'mines'")
    assert "Traceback" not in wrong.stderr
