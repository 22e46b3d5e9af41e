"""The outlooks table: its rows are read, checked and say what they were derived from."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError

from kazree.data import check_dataset, load_dataset
from kazree.data.checks.outlooks import check_outlooks
from kazree.data.reading import Record
from kazree.data.rows import Country, Outlook

SOURCED = {"source": "s", "vintage": "2024", "confidence": "low"}


def outlook(**fields: object) -> Outlook:
    row: dict[str, object] = {
        "outlook": "O",
        "case": "base_case",
        "year": 2030,
        "stage": "mining",
        "coverage": "magnet_ree",
        "measure": "output",
        "region": "CN",
        "metric": "share_pct",
        "value": 50.0,
        "basis": "b",
    }
    return Outlook.model_validate(row | fields | SOURCED)


def records(*rows: Outlook) -> dict[str, list[Record]]:
    countries = [
        Record(2 + i, Country(code=code, name=code, **SOURCED))
        for i, code in enumerate(("CN", "AU", "MY"))
    ]
    return {"countries": countries, "outlooks": [Record(2 + i, r) for i, r in enumerate(rows)]}


def test_embedded_outlooks_hold_the_iea_2030_magnet_shares() -> None:
    table = load_dataset().table("outlooks")
    iea = table[(table["outlook"] == "IEA GCMO 2024") & (table["year"] == 2030)]
    shares = iea[iea["metric"] == "share_pct"].set_index(["stage", "region"])["value"]
    assert shares[("mining", "CN")] == 54.0
    assert shares[("separation", "CN")] == 77.0
    assert shares[("separation", "MY")] == 12.0
    world = iea[(iea["metric"] == "world_t") & (iea["stage"] == "mining")]["value"]
    assert list(world) == [107_000.0]


def test_derived_rows_match_their_arithmetic() -> None:
    table = load_dataset().table("outlooks")

    def world(outlook: str, year: int, stage: str) -> float:
        rows = table[
            (table["outlook"] == outlook)
            & (table["year"] == year)
            & (table["stage"] == stage)
            & (table["metric"] == "world_t")
        ]
        assert len(rows) == 1
        return float(rows["value"].iloc[0])

    mined_2030 = world("IEA GCMO 2024", 2030, "mining")
    assert world("IEA GCMO 2024", 2023, "mining") == pytest.approx(mined_2030 / 1.44, rel=1e-3)
    gap = world("McKinsey 2025", 2035, "end_use") - world("McKinsey 2025", 2035, "mining")
    assert gap == 60_000.0


def test_every_row_is_sourced_and_every_projection_year_is_in_the_future() -> None:
    table = load_dataset().table("outlooks")
    assert table["source"].str.len().min() > 0
    projected = table[table["case"] != "observed"]
    assert (projected["year"] > projected["vintage"].str[:4].astype(int)).all()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"region": "WORLD"}, "is for a country"),
        ({"value": 101.0}, "above 100"),
        ({"metric": "world_t", "value": 1e5}, "is for WORLD"),
        ({"region": "world"}, "should match pattern"),
        ({"coverage": "magnets"}, "magnets"),
    ],
)
def test_a_figure_that_cannot_hold_is_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        outlook(**fields)


def test_shares_of_one_outlook_above_100_are_an_error() -> None:
    fine = records(outlook(value=60.0), outlook(region="AU", value=40.0))
    assert check_outlooks(fine) == []
    over = check_outlooks(records(outlook(value=60.0), outlook(region="AU", value=45.0)))
    assert [p.message for p in over] == [
        "shares of mining/magnet_ree output in 2030 (O, base_case) sum to 105.0 % "
        "(allowed: <= 100 %)"
    ]
    other_case = records(outlook(value=60.0), outlook(region="AU", value=45.0, case="aps"))
    assert check_outlooks(other_case) == []


def test_unknown_region_and_future_observation_are_errors() -> None:
    found = check_outlooks(records(outlook(region="XX"), outlook(case="observed", year=2030)))
    assert [(p.field, p.line) for p in found] == [("region", 2), ("year", 3)]
    assert "observed figure for 2030 in a source of 2024" in found[1].message


def test_a_broken_copy_names_file_line_and_field(copy_dir: Path, edit: Callable[..., int]) -> None:
    line = edit("outlooks.csv", "line", "3", "region", "CN")
    problems = [p for p in check_dataset(copy_dir) if p.file == "outlooks.csv"]
    assert [(p.line, p.field) for p in problems] == [(line, "region")]
    assert "is for WORLD, not 'CN'" in problems[0].message


def test_a_share_both_tables_cite_from_one_source_must_agree(
    copy_dir: Path, edit: Callable[..., int]
) -> None:
    table = load_dataset().table("outlooks")
    line = 2 + int(
        table.index[
            (table["outlook"] == "IEA GCMO 2024")
            & (table["year"] == 2030)
            & (table["stage"] == "mining")
            & (table["region"] == "CN")
        ][0]
    )
    edit("outlooks.csv", "line", str(line), "value", "55")
    problems = [p for p in check_dataset(copy_dir) if p.file == "outlooks.csv"]
    assert [(p.line, p.field) for p in problems] == [(line, "value")]
    assert "55 % differs from the 54 % that stage_shares cites from iea_2024" in problems[0].message
