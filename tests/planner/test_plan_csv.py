"""Reading ``plan.csv`` back: required columns, numbers, and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kazree.csv_tables import read_csv_table
from kazree.errors import KazreeError
from kazree.planner.outcome import PLAN_COLUMNS, PLAN_NUMBERS

HEADER = ",".join(PLAN_COLUMNS)


def _plan(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "plan.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_numbers_come_back_as_numbers_and_na_stays_a_country(tmp_path: Path) -> None:
    path = _plan(tmp_path, "na-sep,separation,NA,1500,2027,2031,412.5,state")
    frame = read_csv_table(path, PLAN_COLUMNS, PLAN_NUMBERS)
    row = frame.iloc[0]
    assert row["country"] == "NA"
    assert (row["capacity_t"], row["decision_year"], row["online_year"]) == (1500, 2027, 2031)
    assert row["capex_musd"] == pytest.approx(412.5)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "kz-sep,separation,KZ,-1,2027,2031,10,state",
            "plan.csv: row 3: capacity_t '-1' (allowed: t/yr >= 0)",
        ),
        (
            "kz-sep,separation,KZ,10,soon,2031,10,state",
            "plan.csv: row 3: decision_year 'soon' (allowed: a year)",
        ),
        (
            "kz-sep,separation,KZ,10,2027,,10,state",
            "plan.csv: row 3: online_year '' (allowed: a year)",
        ),
    ],
)
def test_a_bad_number_names_row_column_value_and_what_is_allowed(
    tmp_path: Path, row: str, expected: str
) -> None:
    path = _plan(tmp_path, "kz-mine,mining,KZ,5,2026,2030,1,state", row)
    with pytest.raises(KazreeError) as caught:
        read_csv_table(path, PLAN_COLUMNS, PLAN_NUMBERS)
    assert str(caught.value) == f"{tmp_path}/{expected}"


def test_a_missing_column_and_an_unreadable_file_are_one_line(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text("candidate,stage\nkz-sep,separation\n", encoding="utf-8")
    with pytest.raises(KazreeError) as caught:
        read_csv_table(path, PLAN_COLUMNS)
    assert (
        str(caught.value)
        == f"{path}: missing column 'country' (allowed: {', '.join(PLAN_COLUMNS)})"
    )
    path.write_text("", encoding="utf-8")
    with pytest.raises(KazreeError, match=r"plan.csv: not a readable CSV file \(No columns"):
        read_csv_table(path, PLAN_COLUMNS)
