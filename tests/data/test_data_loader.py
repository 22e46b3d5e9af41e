"""The loader: tables, typed columns, sourced rows, copies and user errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kazree.data import Dataset, load_dataset
from kazree.data.rows import Facility
from kazree.data.schema import SourcedRow
from kazree.data.tables import TABLE_NAMES, TABLES
from kazree.errors import KazreeError


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


def test_every_registered_table_loads(ds: Dataset) -> None:
    assert ds.tables == TABLE_NAMES
    for name in ds.tables:
        assert len(ds.table(name)) > 0, name


def test_every_row_is_sourced(ds: Dataset) -> None:
    # sources.csv and derivations.csv (arithmetic, not data) are the only unsourced tables
    unsourced = [s.name for s in TABLES if not issubclass(s.row, SourcedRow)]
    assert unsourced == ["sources", "derivations"]
    for name in ds.tables:
        if name in unsourced:
            continue
        frame = ds.table(name)
        for column in ("source", "vintage", "confidence"):
            assert frame[column].notna().all(), (name, column)


def test_columns_are_typed(ds: Dataset) -> None:
    facilities = ds.table("facilities")
    assert facilities["capacity_t"].dtype == "float64"
    assert str(facilities["start_year"].dtype) == "Int64"
    assert str(facilities["aggregate"].dtype) == "boolean"
    assert ds.table("mine_production")["production_t_reo"].dtype == "float64"


def test_missing_reserves_stay_missing(ds: Dataset) -> None:
    reserves = ds.table("reserves").set_index(["country", "edition"])["reserves_t_reo"]
    assert pd.isna(reserves[("MM", "MCS2025")])
    assert reserves[("CN", "MCS2025")] == 44_000_000


def test_trace_elements_are_zero_and_flagged(ds: Dataset) -> None:
    dist = ds.table("element_distribution")
    trace = dist[dist["trace"].astype(bool)]
    assert len(trace) > 0
    assert (trace["share_pct"] == 0).all()


def test_rows_are_models(ds: Dataset) -> None:
    rows = ds.rows("facilities")
    assert all(isinstance(row, Facility) for row in rows)
    assert len(rows) == len(ds.table("facilities"))


def test_table_returns_a_copy(ds: Dataset) -> None:
    frame = ds.table("countries")
    frame.loc[:, "name"] = "changed"
    assert (ds.table("countries")["name"] != "changed").all()


def test_copy_loads_like_the_embedded_dataset(copy_dir: Path, ds: Dataset) -> None:
    copy = load_dataset(copy_dir)
    assert copy.where == str(copy_dir)
    pd.testing.assert_frame_equal(copy.table("facilities"), ds.table("facilities"))


def test_unknown_table_names_the_allowed_ones(ds: Dataset) -> None:
    with pytest.raises(KazreeError, match=r"unknown table 'mines' \(allowed: sources, countries"):
        ds.table("mines")


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(KazreeError, match="does not exist"):
        load_dataset(tmp_path / "nowhere")


def test_aggregates_are_named_by_country_and_stage(ds: Dataset) -> None:
    facilities = ds.table("facilities")
    aggregates = facilities[facilities["aggregate"].astype(bool)]
    prefix = aggregates["country"] + "-" + aggregates["stage"]
    named = [
        fid == p or fid.startswith(f"{p}-") for fid, p in zip(aggregates["id"], prefix, strict=True)
    ]
    assert all(named)
    china_mines = aggregates[prefix == "CN-mining"]
    assert sorted(china_mines["id"]) == [
        "CN-mining-bayan-obo",
        "CN-mining-ionic-clay",
        "CN-mining-sichuan",
    ]


def test_element_distributions_cover_the_same_15_elements(ds: Dataset) -> None:
    dist = ds.table("element_distribution")
    per_type = dist.groupby("deposit_type")["element"].apply(frozenset)
    assert per_type.nunique() == 1
    assert len(per_type.iloc[0]) == 15


def test_magnet_recipes_hold_at_most_the_rare_earth_content(ds: Dataset) -> None:
    recipes = ds.table("magnet_recipes")
    totals = recipes.groupby("grade")["content_wt_pct"].sum()
    assert (totals <= 30.0 + 1e-9).all()
    dysprosium = recipes[recipes["element"] == "Dy"].set_index("grade")["content_wt_pct"]
    assert "N52" not in dysprosium.index
    assert dysprosium["high_temperature_ev"] > 0


def test_every_source_is_cited(ds: Dataset) -> None:
    cited = {
        sid
        for name in ds.tables
        if name not in ("sources", "derivations")
        for cell in ds.table(name)["source"]
        for sid in cell.split(";")
    }
    assert set(ds.table("sources")["id"]) == cited


def test_copy_saved_with_a_byte_order_mark_loads(copy_dir: Path) -> None:
    path = copy_dir / "countries.csv"
    path.write_text("\ufeff" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert len(load_dataset(copy_dir).table("countries")) == len(load_dataset().table("countries"))
