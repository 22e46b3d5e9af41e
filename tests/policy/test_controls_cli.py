"""``kazree controls``: table and JSON output, filters, and one-line errors for bad input."""

from __future__ import annotations

import json
import sys

import pytest
from typer.testing import CliRunner

from kazree.cli import app, main

runner = CliRunner()


def run_json(*args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["controls", *args, "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    return rows


def test_json_has_the_documented_fields_and_values() -> None:
    rows = run_json("--exporter", "CN", "--on", "2025-06-01", "--element", "Dy")
    by_id = {row["id"]: row for row in rows}
    assert set(by_id) == {"cn_tech_catalogue_2023", "cn_mofcom_18_2025"}
    no18 = by_id["cn_mofcom_18_2025"]
    assert no18["instrument"] == "MOFCOM/GAC Announcement No. 18 (2025)"
    assert no18["elements"] == ["Sm", "Gd", "Tb", "Dy", "Lu", "Sc", "Y"]
    assert no18["forms"] == ["mixed_intermediate", "separated_oxide", "metal_alloy", "magnet"]
    assert no18["destinations"] == ["*"]
    assert no18["status"] == "in_force"
    assert no18["effective"] == "2025-04-04"
    assert no18["until"] is None
    assert no18["licence_share"] == 0.5


def test_suspended_rule_names_its_suspension_and_until_is_a_date() -> None:
    rows = run_json("--exporter", "CN", "--on", "2026-11-10", "--element", "Ho")
    by_id = {row["id"]: row for row in rows}
    assert by_id["cn_mofcom_57_2025"]["status"] == "suspended"
    assert by_id["cn_mofcom_57_2025"]["suspended_by"] == ["cn_mofcom_70_2025"]
    assert by_id["cn_mofcom_70_2025"]["until"] == "2026-11-10"
    assert by_id["cn_mofcom_70_2025"]["suspends"] == [
        "cn_mofcom_55_2025",
        "cn_mofcom_56_2025",
        "cn_mofcom_57_2025",
        "cn_mofcom_58_2025",
        "cn_mofcom_61_2025",
        "cn_mofcom_62_2025",
    ]


def test_exporter_and_element_are_case_insensitive() -> None:
    assert run_json("--exporter", "cn", "--on", "2025-06-01", "--element", "dy") == run_json(
        "--exporter", "CN", "--on", "2025-06-01", "--element", "Dy"
    )


@pytest.mark.parametrize(
    ("exporter", "on", "expected"),
    [
        ("VN", "2025-12-31", {"vn_ore_export_ban": "in_force"}),
        ("VN", "2026-01-01", {"vn_ore_export_ban": "in_force", "vn_geology_law_2026": "in_force"}),
        ("MY", "1990-01-01", {"my_raw_ree_export_ban": "in_force"}),
        ("MM", "2024-09-30", {}),
        ("MM", "2024-10-01", {"mm_kachin_disruption": "in_force"}),
    ],
)
def test_rules_outside_china(exporter: str, on: str, expected: dict[str, str]) -> None:
    rows = run_json("--exporter", exporter, "--on", on)
    assert {row["id"]: row["status"] for row in rows} == expected


def test_without_exporter_every_country_is_listed() -> None:
    rows = run_json("--on", "2026-06-01")
    assert {row["exporter"] for row in rows} == {"CN", "VN", "MY", "MM"}


def test_all_adds_rules_not_yet_effective_and_expired() -> None:
    default = run_json("--exporter", "CN", "--on", "2025-06-01")
    everything = run_json("--exporter", "CN", "--on", "2025-06-01", "--all")
    statuses = {row["id"]: row["status"] for row in everything}
    assert statuses["cn_tech_catalogue_2008"] == "expired"
    assert statuses["cn_mofcom_57_2025"] == "not_yet_effective"
    assert len(everything) == 11
    assert [row["id"] for row in default] == ["cn_tech_catalogue_2023", "cn_mofcom_18_2025"]


def test_table_lists_instruments_statuses_and_dates() -> None:
    result = runner.invoke(
        app, ["controls", "--exporter", "CN", "--on", "2025-12-01"], env={"COLUMNS": "250"}
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in ("Announcement No. 18 (2025)", "Announcement No. 70 (2025)", "2026-11-10"):
        assert text in out
    assert "suspended (by cn_mofcom_70_2025)" in out
    assert "in force" in out
    assert "Announcement No. 58 (2025)" in out
    assert "MOST Decree No. 12" not in out


def test_empty_listing_says_how_to_see_more() -> None:
    result = runner.invoke(app, ["controls", "--exporter", "MM", "--on", "2024-01-01"])
    assert result.exit_code == 0
    assert "--all" in result.stdout


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--exporter", "XX"], ["--exporter 'XX'", "allowed: AM, AO, AU, ", "KZ"]),
        (["--on", "2025-02-30"], ["--on '2025-02-30'", "YYYY-MM-DD"]),
        (["--on", "june"], ["--on 'june'"]),
        (["--element", "Nq"], ["--element 'Nq'", "La, Ce, Pr, Nd"]),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    fragments: list[str],
) -> None:
    monkeypatch.setattr(sys, "argv", ["kazree", "controls", *args])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("error: ")
    for fragment in fragments:
        assert fragment in err
