"""The report's parts on the real dataset: timeline, map points, sources, assumptions."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
import xarray as xr
from report_chain import BLOCS, chain_run

from kazree.data import load_dataset
from kazree.errors import KazreeError
from kazree.policy.rules import dataset_rules
from kazree.report import build_report
from kazree.report.controls_timeline import EARLIEST, MS_PER_DAY, rule_windows, timeline_figure
from kazree.report.facility_map import facility_map, facility_points, scenario_facilities
from kazree.report.runs import header_comment
from kazree.report.sources import sources_table

HORIZON = date(2040, 12, 31)


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def test_windows_follow_rule_dates_and_suspensions():
    windows = rule_windows(dataset_rules(), HORIZON)
    by_rule = {(w.rule_id, w.kind): w for w in windows}
    no57 = by_rule[("cn_mofcom_57_2025", "licence")]
    assert (no57.start, no57.end) == (date(2025, 11, 8), HORIZON)
    paused = by_rule[("cn_mofcom_57_2025", "suspended")]
    assert (paused.start, paused.end) == (date(2025, 11, 7), date(2026, 11, 10))
    assert "cn_mofcom_70_2025" in paused.note
    old = by_rule[("cn_tech_catalogue_2008", "technology")]
    assert (old.start, old.end) == (date(2001, 1, 1), date(2023, 12, 20))
    assert by_rule[("my_raw_ree_export_ban", "ban")].start == EARLIEST
    assert not any(w.rule_id == "cn_mofcom_70_2025" for w in windows)
    assert sum(w.kind == "suspended" for w in windows) == 6


def test_timeline_bars_span_the_windows():
    windows = rule_windows(dataset_rules(), HORIZON)
    figure = timeline_figure(windows)
    suspended = next(t for t in figure.data if t.meta["rule_kind"] == "suspended")
    assert suspended.marker.pattern.shape == "/"
    days = (date(2026, 11, 10) - date(2025, 11, 7)).days + 1
    assert set(suspended.x) == {days * MS_PER_DAY}
    assert sum(len(t.y) for t in figure.data) == len(windows)


def test_every_facility_is_on_the_map_own_location_where_published(dataset):
    facilities = dataset.table("facilities")
    points = facility_points(facilities, dataset.table("countries"))
    # USGS's "other countries" remainder has no place on a map.
    assert sorted(set(facilities["id"]) - set(points["id"])) == ["ZZ-mining"]
    own = points[points["located"]]
    assert len(own) == int(facilities["lat"].notna().sum()) == 7
    assert (own["map_lat"] == own["lat"]).all()
    centroid = points[~points["located"]].iloc[0]
    countries = dataset.table("countries").set_index("code")
    assert centroid["map_lat"] == countries.loc[centroid["country"], "lat"]
    figure = facility_map(points)
    drawn = [i for t in figure.data for i in t.meta["ids"]]
    assert sorted(drawn) == sorted(points["id"])
    symbols = [s for t in figure.data for s in t.marker.symbol]
    assert sum(s.endswith("-open") for s in symbols) == len(points) - 7


def test_sources_are_those_the_tables_cite(dataset):
    tables = {"export_controls": dataset.table("export_controls")}
    table = sources_table(dataset.table("sources"), tables)
    cited = {s.strip() for cell in tables["export_controls"]["source"] for s in cell.split(";")}
    assert set(table["id"]) == cited
    row = table[table["id"] == "chemradar_no70_2025_11_07"].iloc[0]
    assert row["cited by"] == "export_controls"
    assert row["url"].startswith("http")
    assert list(table["id"]) == sorted(table["id"])


def test_header_comment_is_the_leading_comment_block():
    text = "# Baseline.\n#\n# Source: USGS.\nname: x\n# not header\ndescription: No controls.\n"
    assert header_comment(text) == "Baseline.\n\nSource: USGS."
    assert header_comment("name: x\n# late comment\n") == ""


def test_facilities_a_scenario_adds_join_the_map(dataset):
    results = xr.Dataset(
        {
            "facility_country": ("facility", ["KZ", "CN"]),
            "facility_stage": ("facility", ["magnet", "mining"]),
            "capacity": (("facility", "year"), np.array([[0.0, 2000.0], [270e3, 270e3]])),
        },
        coords={"facility": ["kz-new-magnet", "CN-mining-bayan-obo"], "year": [2024, 2030]},
    )
    known = dataset.table("facilities")["id"]
    added = scenario_facilities({"alpha": results, "beta": results}, known)
    assert list(added["id"]) == ["kz-new-magnet"]
    row = added.iloc[0]
    assert row["name"] == "kz-new-magnet (alpha, beta)"
    assert (row["country"], row["stage"], row["status"]) == ("KZ", "magnet", "scenario")
    assert row["capacity_t"] == 2000.0
    points = facility_points(added, dataset.table("countries"))
    kz = dataset.table("countries").set_index("code").loc["KZ"]
    assert (points.loc[0, "map_lat"], points.loc[0, "map_lon"]) == (kz["lat"], kz["lon"])
    assert facility_map(points).data[0].marker.symbol == ("hexagram-open",)


def test_a_scenario_given_twice_is_an_error(dataset):
    runs = [chain_run("alpha"), chain_run("alpha")]
    with pytest.raises(KazreeError, match="'alpha' is given twice"):
        build_report(runs, dataset=dataset, rules=dataset_rules(), blocs=BLOCS)


def test_kazakhstan_value_sets_model_prices_beside_the_deck():
    from dataclasses import replace

    from kazree.report.build import kazakhstan_value_block

    run = chain_run("alpha")
    ds = run.results.copy(deep=True)
    # Kazakhstan separates 5 t Nd in 2024 (10 t in 2030) and sells it at a scarcity price of
    # 500 USD/kg, against a deck of 56; its ore is worth 10 USD/kg.
    ds["stage_output"].loc[{"stage": "separation", "country": "KZ", "element": "Nd"}] = [5, 10]
    ds["shadow_price"].loc[{"stage": "separation", "country": "KZ", "element": "Nd"}] = 500.0
    ds["shadow_price"].loc[{"stage": "mining", "country": "KZ"}] = 10.0
    ds["reference_price"] = xr.DataArray([1.0, 56.0], coords={"element": ["La", "Nd"]})
    ds["reference_magnet_price"] = xr.DataArray([40.0], coords={"grade": ["N52"]})
    magnets = xr.zeros_like(ds["stage_output"].sel(stage="magnet", element="Nd", drop=True))
    ds["magnet_output"] = magnets.expand_dims(grade=["N52"])
    table = kazakhstan_value_block([replace(run, results=ds)], BLOCS, 2030)
    assert table.columns[2:] == (
        "output, t",
        "at model prices, MUSD",
        "at the 2024 deck, MUSD",
        "value added, MUSD",
    )
    assert table.rows == (
        ("alpha", "mining", "40", "0.4", "–", "0.4"),
        ("alpha", "separation", "10", "5.0", "0.6", "5.0"),
    )
