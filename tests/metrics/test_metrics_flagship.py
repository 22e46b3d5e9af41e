import math

import pandas as pd
import pytest
from rich.console import Console

from kazree.metrics.flagship import flagship_data, flagship_table


def _frame(scenario, rows):
    records = [
        {
            "scenario": scenario,
            "year": year,
            "stage": stage,
            "region": region,
            "element": element,
            "metric": metric,
            "value": value,
            "unit": "",
        }
        for metric, stage, region, element, year, value in rows
    ]
    return pd.DataFrame(records)


@pytest.fixture
def frames():
    base = _frame(
        "baseline",
        [
            ("output_t", "separation", "world", "magnet", 2030, 100.0),
            ("output_t", "separation", "CN", "magnet", 2030, 90.0),
            ("unmet_demand_t", "end_use", "EU", "magnet", 2030, 7.0),
            ("china_share", "mining", "world", "all", 2030, 61.25),
            ("value_added_musd", "all", "KZ", "all", 2030, 12.5),
            ("export_partner_hhi", "all", "KZ", "all", 2030, 10_000.0),
        ],
    )
    roadmap = _frame(
        "kazrareearth-2030",
        [
            ("output_t", "separation", "world", "magnet", 2030, 120.0),
            ("output_t", "separation", "CN", "magnet", 2030, 90.0),
            ("output_t", "magnet", "world", "all", 2030, 50.0),
        ],
    )
    return {"baseline": base, "kazrareearth-2030": roadmap}


def test_flagship_data_picks_and_derives_values(frames):
    data = flagship_data(frames, years=(2027, 2030)).set_index(["indicator", "year"])
    assert list(data.columns) == ["baseline", "kazrareearth-2030"]
    oxide = data.loc[("Magnet REE oxide ex-China, t", 2030)]
    assert oxide["baseline"] == pytest.approx(10.0)
    assert oxide["kazrareearth-2030"] == pytest.approx(30.0)
    magnets = data.loc[("Magnets ex-China, t REE", 2030)]
    assert magnets["kazrareearth-2030"] == pytest.approx(50.0)  # no Chinese magnet row
    assert math.isnan(magnets["baseline"])
    assert data.loc[("Unmet magnet REE EU, t", 2030), "baseline"] == pytest.approx(7.0)
    assert math.isnan(data.loc[("Unmet magnet REE EU, t", 2027), "baseline"])
    assert data.loc[("Kazakhstan export HHI", 2030), "baseline"] == 10_000.0


def test_flagship_table_renders_every_scenario_and_year(frames):
    table = flagship_table(frames, years=(2027, 2030))
    console = Console(record=True, width=160)
    console.print(table)
    text = console.export_text()
    assert "kazrareearth-" in text
    assert "61.2" in text  # China share, one decimal
    assert "12.5" in text
    assert "10,000" in text
    assert text.count("2027") >= 5
    assert len(table.rows) == 2 * 14


def test_a_roadmap_is_shown_against_its_own_counterfactual(frames):
    against = {"kazrareearth-2030": "baseline"}
    data = flagship_data(frames, years=(2030,), against=against).set_index(["indicator", "year"])
    column = "kazrareearth-2030 minus baseline"
    assert list(data.columns) == ["baseline", "kazrareearth-2030", column]
    assert data.loc[("Magnet REE oxide ex-China, t", 2030), column] == pytest.approx(20.0)
    missing = flagship_data(frames, years=(2030,), against={"kazrareearth-2030": "nowhere"})
    assert list(missing.columns) == ["indicator", "year", "baseline", "kazrareearth-2030"]
