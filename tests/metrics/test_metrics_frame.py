from pathlib import Path

import numpy as np
import pytest

from kazree.metrics import METRICS, UNITS, metrics_frame
from kazree.metrics.concentration import china_share

Y = 2024
REQUIRED = {
    "china_share",
    "hhi",
    "top3_share",
    "exposure",
    "unmet_demand_t",
    "surplus_t",
    "shadow_price_usd_per_kg",
    "value_added_musd",
    "export_partner_hhi",
}
STAGES = {"mining", "cracking", "separation", "metal", "magnet", "end_use", "all"}
DOCS = Path(__file__).parents[2] / "docs" / "metrics.md"


@pytest.fixture
def solved(blank):
    """A small chain: KZ and CN mine, CN separates, US and CN make magnets, DE buys them."""
    ds = blank(countries=("CN", "US", "DE", "KZ"))
    for year in (2024, 2025):
        cell = {"element": "Nd", "year": year}

        def put(var, tonnes, cell=cell, **where):
            ds[var].loc[cell | where] = tonnes

        put("stage_output", 40.0, stage="mining", country="KZ")
        put("stage_output", 60.0, stage="mining", country="CN")
        put("trade", 30.0, stage="mining", exporter="KZ", importer="CN")
        put("trade", 10.0, stage="mining", exporter="KZ", importer="US")
        for stage in ("cracking", "separation", "metal"):
            put("stage_output", 90.0, stage=stage, country="CN")
            put("stage_output", 10.0, stage=stage, country="US")
        put("stage_output", 50.0, stage="magnet", country="CN")
        put("trade", 40.0, stage="metal", exporter="CN", importer="US")
        put("stage_output", 50.0, stage="magnet", country="US")
        put("trade", 20.0, stage="magnet", exporter="US", importer="DE")
        put("stage_output", 50.0, stage="end_use", country="CN")
        put("stage_output", 30.0, stage="end_use", country="US")
        put("stage_output", 20.0, stage="end_use", country="DE")
        put("demand", 25.0, sector="ev_traction", country="DE")
        put("unmet_demand", 5.0, sector="ev_traction", country="DE")
        ds["surplus"].loc[{"country": "CN", "element": "La", "year": year}] = 3.0
        for stage, price in (("mining", 5.0), ("separation", 60.0), ("magnet", 90.0)):
            put("shadow_price", price, stage=stage, country="KZ")
            put("shadow_price", price, stage=stage, country="CN")
    return ds


def test_columns_names_units_and_no_nan(solved, blocs):
    frame = metrics_frame(solved, blocs)
    assert list(frame.columns) == [
        "scenario",
        "year",
        "stage",
        "region",
        "element",
        "metric",
        "value",
        "unit",
    ]
    assert set(frame["metric"]) >= REQUIRED
    assert set(frame["metric"]) <= {m.name for m in METRICS}
    assert (frame["unit"] == frame["metric"].map(UNITS)).all()
    assert not frame.isna().any().any()
    assert set(frame["stage"]) <= STAGES
    assert {"world", "EU", "KZ"} <= set(frame["region"])
    assert frame["year"].dtype == np.int64
    assert (frame["scenario"] == "test").all()
    assert not frame.duplicated(["year", "stage", "region", "element", "metric"]).any()


def _pick(frame, metric, stage, region, element, year=Y):
    rows = frame.query(
        "metric == @metric and stage == @stage and region == @region and element == @element"
        " and year == @year"
    )
    assert len(rows) == 1, (metric, stage, region, element)
    return float(rows["value"].iloc[0])


def test_rows_carry_the_values_of_the_metric_functions(solved, blocs):
    frame = metrics_frame(solved, blocs)
    want = float(china_share(solved).sel(stage="mining", element="all", year=Y))
    assert _pick(frame, "china_share", "mining", "world", "all") == pytest.approx(want)
    assert _pick(frame, "china_share", "mining", "world", "all") == pytest.approx(60.0)
    assert _pick(frame, "unmet_demand_t", "end_use", "EU", "magnet") == pytest.approx(5.0)
    assert _pick(frame, "surplus_t", "all", "world", "La") == pytest.approx(3.0)
    assert _pick(frame, "export_partner_hhi", "all", "KZ", "all") == pytest.approx(75**2 + 25**2)
    # KZ mines 40 t at 5 USD/kg and has no other stage: 0.2 MUSD
    assert _pick(frame, "value_added_musd", "all", "KZ", "all") == pytest.approx(0.2)
    assert _pick(frame, "exposure", "all", "CN", "all") == pytest.approx(100.0)
    # US magnets: 10 t own metal (from KZ ore, cracked at home) + 40 t Chinese metal
    assert _pick(frame, "exposure", "all", "DE", "all") == pytest.approx(80.0)
    assert _pick(frame, "output_t", "magnet", "world", "Nd") == pytest.approx(100.0)
    assert _pick(frame, "crma_extraction_pct", "mining", "EU", "all") == pytest.approx(0.0)
    assert _pick(frame, "crma_extraction_pass", "mining", "EU", "all") == 0.0


def test_blocs_default_to_the_dataset(solved):
    frame = metrics_frame(solved)
    assert {"EU", "G7", "EAEU", "world"} <= set(frame["region"])


def test_every_metric_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    for metric in METRICS:
        assert f"`{metric.name}`" in text, metric.name


def test_accepts_an_object_holding_the_dataset(solved, blocs):
    from kazree.model.results import Results

    assert metrics_frame(Results(solved), blocs).equals(metrics_frame(solved, blocs))


def test_results_without_a_metric_input_is_a_one_line_error(solved, blocs):
    from kazree.errors import KazreeError

    with pytest.raises(KazreeError, match=r"^test: results lack trade \(required for metrics"):
        metrics_frame(solved.drop_vars("trade"), blocs)


def test_keep_gives_the_rows_of_the_full_frame_for_the_kept_regions_and_groups(solved, blocs):
    keep = {"region": ["world", "KZ", "EU"], "element": ["all", "Nd"]}
    full = metrics_frame(solved, blocs)
    kept = metrics_frame(solved, blocs, keep=keep)
    expected = full[full["region"].isin(keep["region"]) & full["element"].isin(keep["element"])]
    key = ["metric", "stage", "region", "element", "year"]
    left = kept.sort_values(key).reset_index(drop=True)
    right = expected.sort_values(key).reset_index(drop=True)
    assert len(left) > 20
    assert set(left["region"]) == {"world", "KZ", "EU"}
    assert set(left["element"]) == {"all", "Nd"}
    np.testing.assert_array_equal(left[key].to_numpy(), right[key].to_numpy())
    np.testing.assert_array_equal(left["value"].to_numpy(), right["value"].to_numpy())
