"""Reading one CSV table: empty cells, header problems, messages for each kind of bad cell."""

from __future__ import annotations

from kazree.data.problems import Problem, Severity
from kazree.data.reading import read_table
from kazree.data.rows import Deposit, Reserve
from kazree.data.schema import Source

HEADER = "country,year,edition,reserves_t_reo,source,vintage,confidence\n"


def test_empty_cell_is_missing_not_zero() -> None:
    rows, problems = read_table(
        "reserves.csv", HEADER + "MM,2024,MCS2025,,usgs,2025,high\n", Reserve
    )
    assert problems == []
    assert isinstance(rows[0].row, Reserve)
    assert rows[0].row.reserves_t_reo is None
    assert rows[0].line == 2


def test_each_bad_cell_is_one_problem_on_its_line() -> None:
    text = HEADER + "CN,2024,MCS2025,1,usgs,2025,high\nCN,twenty,MCS2025,-1,usgs,2025,sure\n"
    rows, problems = read_table("reserves.csv", text, Reserve)
    assert len(rows) == 1
    assert [str(p) for p in problems] == [
        "reserves.csv:3: confidence: unknown code 'sure' "
        "(allowed: 'high', 'medium', 'low', 'derived' or 'none')",
        "reserves.csv:3: year: 'twenty' is not a whole number (allowed: an integer such as 2024)",
        "reserves.csv:3: reserves_t_reo: '-1' is negative (allowed: 0 or more)",
    ]


def test_required_cell_left_empty() -> None:
    _, problems = read_table("reserves.csv", HEADER + ",2024,MCS2025,1,usgs,2025,high\n", Reserve)
    assert [str(p) for p in problems] == [
        "reserves.csv:2: country: a value is required (the cell is empty)"
    ]


def test_header_problems_stop_the_table() -> None:
    rows, problems = read_table("sources.csv", "id,title,publisher,extra\n", Source)
    assert rows == []
    assert [str(p) for p in problems] == [
        "sources.csv:1: extra: unknown column (allowed: id, title, publisher, published, url)"
    ]


def test_percent_bounds() -> None:
    text = (
        "id,name,country,grade_pct_treo,claim_basis,claim_year,source,vintage,confidence\n"
        "x,X,KZ,120,none,2025,usgs,2025,low\n"
    )
    _, problems = read_table("deposits.csv", text, Deposit)
    assert [str(p) for p in problems] == [
        "deposits.csv:2: grade_pct_treo: '120' is too large (allowed: <= 100.0)"
    ]


def test_problem_text_and_default_severity() -> None:
    problem = Problem("a.csv", 3, "x", "bad (allowed: good)")
    assert str(problem) == "a.csv:3: x: bad (allowed: good)"
    assert problem.severity is Severity.ERROR


def test_vintage_must_be_a_real_date() -> None:
    text = HEADER + "CN,2024,MCS2025,1,usgs,2025-13,high\nCN,2023,MCS2025,1,usgs,2024-02-29,high\n"
    rows, problems = read_table("reserves.csv", text, Reserve)
    assert [str(p) for p in problems] == [
        "reserves.csv:2: vintage: '2025-13' is not a date (allowed: YYYY, YYYY-MM or YYYY-MM-DD)"
    ]
    assert len(rows) == 1


def test_row_with_more_cells_than_the_header() -> None:
    text = HEADER + "CN,2024,MCS2025,1,usgs,2025,high,extra\n"
    rows, problems = read_table("reserves.csv", text, Reserve)
    assert rows == []
    assert [str(p) for p in problems] == [
        "reserves.csv:2: (row): 1 more cell(s) than the header has columns (allowed: 7)"
    ]
