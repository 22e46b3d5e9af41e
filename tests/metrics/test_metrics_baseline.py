"""Metrics of the solved ``baseline`` scenario (base year and two more years)."""

import numpy as np
import pytest

from kazree.metrics import concentration, metrics_frame
from kazree.metrics.groups import dataset_blocs
from kazree.metrics.inputs import PRODUCING_STAGES, stage_trade
from kazree.metrics.tracing import local_use, origin_shares
from kazree.model.solve import solve_scenario, with_years
from kazree.scenario import load_scenario

BASE_YEAR = 2024
USGS_CHINA_MINING_PCT = 69.2  # stage_shares.csv: 270 of 390 kt (USGS MCS 2025)


@pytest.fixture(scope="module")
def baseline():
    scenario = with_years(load_scenario("baseline"), BASE_YEAR, BASE_YEAR + 2)
    return solve_scenario(scenario).results.ds


@pytest.fixture(scope="module")
def frame(baseline):
    return metrics_frame(baseline)


def test_base_year_china_mining_share_matches_usgs(baseline):
    share = concentration(baseline)["china_share"].sel(
        stage="mining", element="all", year=BASE_YEAR
    )
    assert float(share) == pytest.approx(USGS_CHINA_MINING_PCT, abs=2.0)


def test_frame_is_complete_and_within_bounds(frame):
    assert not frame.isna().any().any()
    shares = {"china_share", "top3_share", "exposure", "crma_max_single_country_pct"}
    bounded = frame[frame["metric"].isin(shares)]
    assert bounded["value"].between(-1e-6, 100 + 1e-6).all()
    assert frame[frame["unit"] == "index"]["value"].between(0, 10_000 + 1e-6).all()
    assert frame[frame["unit"] == "flag"]["value"].isin([0.0, 1.0]).all()
    for metric in ("china_share", "exposure", "unmet_demand_t", "value_added_musd"):
        assert (frame["metric"] == metric).any(), metric


def test_world_rows_are_the_sum_of_country_rows(frame, baseline):
    countries = set(map(str, baseline["country"].values))
    for metric in ("output_t", "value_added_musd", "unmet_demand_t", "surplus_t"):
        rows = frame[(frame["metric"] == metric) & (frame["element"] == "all")]
        keys = ["year", "stage"]
        world = rows[rows["region"] == "world"].set_index(keys)["value"]
        summed = rows[rows["region"].isin(countries)].groupby(keys)["value"].sum()
        assert np.allclose(world.sort_index(), summed.sort_index(), rtol=1e-9, atol=1e-6), metric


def test_traced_use_adds_back_to_each_producers_output(baseline):
    # Under mass balance everything a country makes is kept somewhere: tracing must return it.
    trade = stage_trade(baseline)
    for stage in PRODUCING_STAGES:
        out = baseline["stage_output"].sel(stage=stage, drop=True)
        flows = trade.sel(stage=stage, drop=True)
        traced = (origin_shares(out, flows) * local_use(out, flows)).sum("country")
        made = out.rename(country="origin")
        scale = max(1.0, float(made.max()))
        assert float(np.abs(traced - made).max()) <= 1e-6 * scale, stage


def test_exposure_regions_include_the_flagship_ones(frame):
    regions = set(frame.loc[frame["metric"] == "exposure", "region"])
    assert {"US", "EU", "JP", "KR", "world"} <= regions
    assert set(dataset_blocs()) & regions


def test_value_added_is_never_above_the_gross_value_of_output(baseline):
    from kazree.metrics.value_added import gross_output_value, value_added

    blocs = dataset_blocs()
    added = value_added(baseline, blocs)
    gross = gross_output_value(baseline, blocs)
    assert float((added - gross).max()) <= 1e-9
    world = added.sel(region="world", year=BASE_YEAR).sum("stage")
    # the chain's value at 2024 prices: billions, not tens of billions of US$
    assert 1_000.0 < float(world) < 40_000.0
