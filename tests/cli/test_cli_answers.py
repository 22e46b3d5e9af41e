"""What the commands answer: exporters without rules, formats, early argument errors, notes on
standard error, and a dataset copy's own warnings."""

from __future__ import annotations

import csv
import io
import json
import shutil
from importlib import import_module
from pathlib import Path

import pytest
from cli_support import piped
from typer.testing import CliRunner

import kazree.report
from kazree.cli import app
from kazree.data import check_dataset
from kazree.data.loader import embedded_root
from kazree.data.problems import warnings
from kazree.errors import KazreeError

runner = CliRunner()


def test_exporter_without_rules_is_answered_not_refused() -> None:
    result = runner.invoke(app, ["controls", "--exporter", "KZ", "--on", "2025-06-01"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "No export-control rules in force for Kazakhstan (KZ) on 2025-06-01: "
        "the dataset has no rule for this exporter."
    )
    as_json = runner.invoke(app, ["controls", "--exporter", "kz", "--json"])
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout) == []


def test_unknown_country_is_still_an_error_naming_the_countries() -> None:
    result = runner.invoke(app, ["controls", "--exporter", "QQ"])
    assert isinstance(result.exception, KazreeError)
    assert "--exporter 'QQ': not a country of the dataset (allowed: AM, AO, AU," in str(
        result.exception
    )


def test_controls_csv_has_rule_type_and_licence_share() -> None:
    result = runner.invoke(
        app, ["controls", "--exporter", "CN", "--on", "2025-06-01", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["cn_mofcom_18_2025"]["kind"] == "licence"
    assert rows["cn_mofcom_18_2025"]["licence_share"] == "0.5"
    assert rows["cn_mofcom_18_2025"]["elements"] == "Sm;Gd;Tb;Dy;Lu;Sc;Y"
    assert rows["cn_tech_catalogue_2023"]["kind"] == "technology"


def test_controls_table_shows_the_share_the_model_applies() -> None:
    result = runner.invoke(
        app, ["controls", "--exporter", "CN", "--on", "2025-06-01", "--element", "Dy"]
    )
    line_18 = next(x for x in result.stdout.splitlines() if "No. 18 (2025)" in x)
    assert "licence" in line_18
    assert "50%" in line_18
    line_tech = next(x for x in result.stdout.splitlines() if "Technologies" in x)
    assert "technology" in line_tech
    assert " - " in line_tech  # a technology rule lets no product trade through or not


@pytest.fixture
def no_solving(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any solve fail the test: argument errors must come before one."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        pytest.fail("a scenario was solved before the arguments were checked")

    monkeypatch.setattr(kazree.report, "solve_loaded", refuse)
    monkeypatch.setattr(import_module("kazree.model.solve"), "solve_scenario", refuse)


@pytest.mark.usefixtures("no_solving")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["report", "baseline", "--year", "2050"],
            "--year 2050: not a year of every run (allowed: 2024..2040)",
        ),
        (
            ["report", "baseline", "kazrareearth-2030", "nosuch"],
            "nosuch: no such scenario file or shipped scenario",
        ),
        (["compare", "baseline", "nosuch"], "nosuch: no such scenario file or shipped scenario"),
        (
            ["compare", "baseline", "--years", "2024:2070"],
            "--years '2024:2070': 2070 is too large (allowed: <= 2050)",
        ),
        (["run", "baseline", "--years", "24-40"], "--years '24-40': not FIRST:LAST"),
    ],
)
def test_arguments_are_checked_before_any_solve(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "x")])
    assert isinstance(result.exception, KazreeError), result.output
    assert message in str(result.exception)


def test_notes_go_to_standard_error_and_quiet_silences_them(tmp_path: Path) -> None:
    args = ["run", "baseline", "--years", "2024:2024", "--out", str(tmp_path / "a")]
    loud = piped(*args)
    assert loud.code == 0, loud.stderr
    notes = [line for line in loud.stderr.splitlines() if line.startswith("note: ")]
    assert "note: baseline: facility 'akbulak-mine': capacity unknown, given none" in notes
    assert "note:" not in loud.stdout
    assert "China share %" in loud.stdout
    quiet = piped("--quiet", *args)
    assert quiet.code == 0, quiet.stderr
    assert quiet.stderr == ""
    assert quiet.stdout.splitlines()[1:] == loud.stdout.splitlines()[1:]  # line 0 has the time


def _copy_with_a_new_warning(tmp_path: Path) -> Path:
    """The embedded dataset with deposits reordered (every line moves) and one new warning."""
    copy = tmp_path / "copy"
    shutil.copytree(str(embedded_root()), copy)
    path = copy / "deposits.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows.reverse()
    akbulak = next(r for r in rows if r["id"] == "kz-akbulak")
    akbulak["deposit_type"] = "phosphatic_fish_bone"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return copy


def test_only_new_hides_the_embedded_datasets_own_warnings(tmp_path: Path) -> None:
    copy = _copy_with_a_new_warning(tmp_path)
    known = len(warnings(check_dataset()))
    everything = runner.invoke(app, ["data", "check", str(copy)])
    assert everything.exit_code == 0, everything.output
    listed = [line for line in everything.stdout.splitlines() if line.startswith("warning: ")]
    assert len(listed) == known + 1
    new = runner.invoke(app, ["data", "check", str(copy), "--only-new"])
    assert new.exit_code == 0, new.output
    shown = [line for line in new.stdout.splitlines() if line.startswith("warning: ")]
    assert len(shown) == 1
    assert "deposit_type: no element distribution for 'phosphatic_fish_bone'" in shown[0]
    assert new.stdout.rstrip().endswith(
        f"OK: 0 error(s), 1 warning(s) ({known} known warnings of the embedded dataset not shown)"
    )


def test_only_new_on_the_embedded_dataset_shows_no_warning() -> None:
    result = runner.invoke(app, ["data", "check", "--only-new"])
    assert result.exit_code == 0
    assert "warning: " not in result.stdout
