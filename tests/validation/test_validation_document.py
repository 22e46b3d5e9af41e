"""The comparison as text: cells, markdown and the page's summary and sources."""

from __future__ import annotations

import math

import pandas as pd

from kazree.validation import COLUMNS
from kazree.validation.document import (
    display,
    gap_text,
    markdown_table,
    validation_page,
    value_text,
)


def test_cells_are_shares_in_percent_and_tonnages_in_kt() -> None:
    assert value_text(69.2307, "%") == "69.2 %"
    assert value_text(390_023.0, "t") == "390.0 kt"
    assert value_text(math.nan, "%") == ""
    assert gap_text(-0.04, -0.06, "%") == "-0.0 pp"
    assert gap_text(-17_864.3, -16.7, "t") == "-17.9 kt (-17 %)"


def test_markdown_escapes_pipes_and_keeps_one_line_per_row() -> None:
    frame = pd.DataFrame({"a": ["x|y"], "b": ["two\nlines"]})
    assert markdown_table(frame).splitlines() == ["| a | b |", "|---|---|", "| x\\|y | two lines |"]


def comparison(status: list[str], years: list[int]) -> pd.DataFrame:
    rows = [
        {
            "scenario": "s",
            "year": year,
            "stage": "mining",
            "group": "all",
            "measure": "China share",
            "model": 70.0,
            "reference": 69.0,
            "gap": 1.0,
            "gap_pct": 1.45,
            "unit": "%",
            "status": state,
            "explanation": "agrees within 2 pp",
            "publication": "USGS MCS2025",
            "case": "observed",
            "basis": "b",
            "source": "usgs_mcs2025",
            "confidence": "high",
        }
        for state, year in zip(status, years, strict=True)
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def test_page_counts_agreement_by_base_and_outlook_years_and_lists_sources() -> None:
    table = comparison(["agrees", "gap", "agrees", "gap"], [2024, 2024, 2030, 2035])
    sources = pd.DataFrame(
        {"id": ["usgs_mcs2025", "unused"], "title": ["USGS MCS 2025.", "X"], "url": ["u", "v"]}
    )
    page = validation_page({"s": table}, {"s": 2024}, sources)
    assert "| s | 1 / 2 | 1 / 2 |" in page
    assert "- `usgs_mcs2025` (USGS MCS2025): USGS MCS 2025. <u>" in page
    assert "unused" not in page
    assert "No published figure to compare in 2024: world output (mining, all)," in page
    cells = display(table)
    assert list(cells.iloc[0]) == [
        "2024",
        "mining",
        "all",
        "China share",
        "70.0 %",
        "69.0 %",
        "+1.0 pp",
        "USGS MCS2025 (observed; high)",
        "agrees within 2 pp",
    ]
