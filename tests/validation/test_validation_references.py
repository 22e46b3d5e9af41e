"""References read from the embedded dataset: USGS, stage shares and outlooks, each once."""

from __future__ import annotations

import pytest

from kazree.data import load_dataset
from kazree.validation import Reference, references
from kazree.validation.references import references_frame


@pytest.fixture(scope="module")
def refs() -> list[Reference]:
    return references(load_dataset())


def test_usgs_base_year_share_and_totals_per_edition(refs: list[Reference]) -> None:
    usgs = [r for r in refs if r.publication.startswith("USGS") and r.year == 2024]
    shares = [r for r in usgs if r.metric == "share_pct"]
    assert [(r.region, r.publication) for r in shares] == [("CN", "USGS MCS2025")]
    assert shares[0].value == pytest.approx(100 * 270_000 / 390_000)
    totals = {r.publication: r.value for r in usgs if r.metric == "world_t"}
    assert totals == {"USGS MCS2025": 390_000.0, "USGS MCS2026": 380_000.0}


def test_a_figure_two_tables_hold_from_one_source_is_kept_once(refs: list[Reference]) -> None:
    keys = [(r.year, r.stage, r.group, r.region, r.metric, r.source) for r in refs]
    assert len(keys) == len(set(keys))
    usgs_cn_2024 = [
        r for r in refs if r.source == "usgs_mcs2025" and r.region == "CN" and r.year == 2024
    ]
    assert len(usgs_cn_2024) == 1


def test_outlook_years_and_groups_are_there(refs: list[Reference]) -> None:
    outlook = {(r.year, r.stage, r.group, r.publication) for r in refs if r.case != "observed"}
    assert (2030, "mining", "magnet", "IEA GCMO 2024") in outlook
    assert (2035, "separation", "magnet", "IEA GCMO 2025") in outlook
    assert (2040, "mining", "magnet", "IEA GCMO 2024") in outlook
    assert {r.stage for r in refs} <= {"mining", "separation", "end_use"}


def test_years_limit_the_references_and_the_frame_keeps_every_field() -> None:
    only = references(load_dataset(), years=[2030])
    assert {r.year for r in only} == {2030}
    frame = references_frame(only)
    assert len(frame) == len(only)
    assert list(frame.columns)[:6] == ["year", "stage", "group", "region", "metric", "value"]
