"""Tables fit the terminal without breaking words, and keep whole lines when piped."""

from __future__ import annotations

import io

import pytest
from cli_support import in_terminal, piped
from rich.console import Console

from kazree.cli.tables import Column, fit, print_table
from kazree.data import load_dataset

INSTRUMENT = "Revised Catalogue of Technologies Prohibited and Restricted from Export (2023)"


def words_whole(text: str, phrase: str) -> bool:
    """Every word of ``phrase`` appears whole in ``text`` (none split across lines)."""
    tokens = set(text.replace("│", " ").replace("┃", " ").split())
    return all(word in tokens for word in phrase.split())


def test_fit_drops_the_least_important_columns_first() -> None:
    columns = [Column("id"), Column("notes", wrap=True, rank=2), Column("value", rank=1)]
    rows = [["a", "some fairly long words here", "12345"]]
    assert fit(columns, rows, None) == [0, 1, 2]
    assert fit(columns, rows, 200) == [0, 1, 2]
    # id (2+4) + notes (12+4) + value (5+4) + 1 = 32: wrapping notes at 12 fits in 32.
    assert fit(columns, rows, 32) == [0, 1, 2]
    assert fit(columns, rows, 31) == [0, 2]
    assert fit(columns, rows, 5) == [0]


def test_a_wrapping_column_is_never_narrower_than_its_longest_word() -> None:
    columns = [Column("name", wrap=True)]
    rows = [["Kazatomprom-Stepnogorsk separation plant"]]
    sink = io.StringIO()
    console = Console(file=sink, width=20, force_terminal=True, color_system=None)
    hidden = print_table(console, "t", columns, rows)
    assert hidden == []
    assert "Kazatomprom-Stepnogorsk" in sink.getvalue()


def test_controls_in_an_80_column_terminal_fits_and_breaks_no_word() -> None:
    done = in_terminal("controls", "--exporter", "CN", "--on", "2025-12-01", columns=80)
    assert done.code == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert words_whole(done.stdout, INSTRUMENT)
    assert words_whole(done.stdout, "MOFCOM/GAC Announcement No. 18 (2025)")
    assert "licence share" in done.stdout
    assert "columns left out to fit the terminal" in done.stderr


def test_controls_piped_keeps_every_rule_name_on_one_line() -> None:
    done = piped("controls", "--exporter", "CN", "--on", "2025-12-01")
    assert done.code == 0, done.stderr
    assert INSTRUMENT in done.stdout
    assert "suspended (by cn_mofcom_70_2025)" in done.stdout
    header = next(line for line in done.stdout.splitlines() if "instrument" in line)
    for column in ("type", "licence share", "status", "elements", "forms", "destinations"):
        assert column in header
    assert done.stderr == ""


@pytest.mark.parametrize("columns", [80, 120])
def test_facilities_of_kz_fit_the_terminal(columns: int) -> None:
    done = in_terminal("data", "show", "facilities", "--country", "KZ", columns=columns)
    assert done.code == 0, done.stderr
    assert max(len(line) for line in done.stdout.splitlines()) <= columns
    facilities = load_dataset().table("facilities")
    ids = facilities.loc[facilities["country"] == "KZ", "id"].tolist()
    assert ids
    for facility in ids:
        assert facility in done.stdout
    assert done.stdout.splitlines()[0].strip() == f"facilities of KZ ({len(ids)} rows)"
    header = next(line for line in done.stdout.splitlines() if " id " in line)
    assert " country " not in header  # the filter says it once, in the title
    assert "columns not shown" in done.stderr
    assert "--columns" in done.stderr


def test_facilities_piped_as_csv_keeps_every_column() -> None:
    done = piped("data", "show", "facilities", "--country", "KZ")
    header = done.stdout.splitlines()[0].split(",")
    assert header[:4] == ["id", "name", "country", "stage"]
    assert "confidence" in header
    assert done.stderr == ""
