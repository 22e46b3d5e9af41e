"""Safeguards the model obeys: footprint caps, residue storage, bans, recycling floors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from kazree.cli import app
from kazree.data.rows.economics import FootprintMetric
from kazree.errors import KazreeError
from kazree.metrics import metrics_frame
from kazree.metrics.catalogue import UNITS
from kazree.metrics.environment import FOOTPRINT_METRICS, binding_safeguards
from kazree.model.results import MAGNET_SECTOR_NAMES
from kazree.model.safeguards import COST_UNITS
from kazree.model.solve import solve_scenario
from kazree.scenario import load_scenario

ONE_YEAR = "extends: baseline\nyears: {start: 2024, end: 2024}\n"

# A Kazakh monazite mine, a plant that cracks its ore and one that separates, all from 2024;
# a residue store opens in 2026.
MONAZITE = """
extends: baseline
years: {start: 2024, end: 2027}
ramp_up_years: 0
facilities:
  - {id: kz-test-mine, country: KZ, stage: mining, capacity_t: 4000, capacity_basis: t_reo,
     status: operating, start_year: 2024, deposit_type: monazite_placer}
  - {id: kz-test-cracking, country: KZ, stage: cracking, capacity_t: 4000,
     capacity_basis: t_reo, status: operating, start_year: 2024}
  - {id: kz-test-separation, country: KZ, stage: separation, capacity_t: 4000,
     capacity_basis: t_reo, status: operating, start_year: 2024}
"""
STORE = """
safeguards:
  residue_stores: [{name: kz_store, country: KZ, capacity_t: 2000, start_year: 2026}]
  residue_rule: {countries: [KZ]}
"""


def _oxide_sectors(ds) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(s) for s in ds.coords["sector"].values if s not in MAGNET_SECTOR_NAMES]


def _solve(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    return solve_scenario(path).results.ds


@pytest.fixture(scope="module")
def free(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return _solve(tmp_path_factory.mktemp("free"), ONE_YEAR)


def _made(ds, stage: str, year: int):  # type: ignore[no-untyped-def]
    """Output of ``stage``'s plants per country in ``year``."""
    made = ds["production"].where(ds["facility_stage"] == stage).fillna(0.0)
    return made.groupby(ds["facility_country"]).sum().sel(year=year)


def test_footprint_is_flow_times_coefficient(free) -> None:  # type: ignore[no-untyped-def]
    water = free["footprint"].sel(metric="water_m3", stage="separation", year=2024)
    per_country = _made(free, "separation", 2024)
    # separation water: 75 m3 per t REO of feed, every ore type (footprints.csv)
    for country in ("CN", "MY", "US"):
        assert float(water.sel(country=country)) == pytest.approx(
            75.0 * float(per_country.sel(facility_country=country)), rel=1e-6
        )
    assert float(free["footprint"].sel(metric="water_m3", stage="magnet").sum()) == 0.0
    frame = metrics_frame(free).query("metric == 'footprint_water_m3' and region == 'CN'")
    by_stage = frame.set_index("stage")["value"]
    assert by_stage["separation"] == pytest.approx(float(water.sel(country="CN")))
    assert by_stage["all"] == pytest.approx(by_stage.drop("all").sum())
    assert set(frame["unit"]) == {"m3"}


def test_energy_and_reagents_are_flow_times_coefficient(free) -> None:  # type: ignore[no-untyped-def]
    at = free["footprint"].sel(year=2024)
    magnets, feed = _made(free, "magnet", 2024), _made(free, "separation", 2024)
    # footprints.csv: 8.81 MWh per t magnet, 0.04435 t HCl per t REO of feed (every ore type)
    for country in ("CN", "JP"):
        made = float(magnets.sel(facility_country=country))
        assert made > 0.0
        electricity = at.sel(metric="electricity_mwh", stage="magnet", country=country)
        assert float(electricity) == pytest.approx(8.81 * made, rel=1e-6)
        energy = at.sel(metric="energy_gj", stage="magnet", country=country)
        assert float(energy) == pytest.approx(31.72 * made, rel=1e-6)
    hcl = at.sel(metric="hcl_t", stage="separation", country="US")
    assert float(hcl) == pytest.approx(0.04435 * float(feed.sel(facility_country="US")), rel=1e-6)
    frame = metrics_frame(free).query("metric == 'footprint_electricity_mwh' and region == 'CN'")
    assert set(frame["unit"]) == {"mwh"}
    by_stage = frame.set_index("stage")["value"]
    assert by_stage["magnet"] == pytest.approx(
        float(at.sel(metric="electricity_mwh", stage="magnet", country="CN"))
    )


def test_every_footprint_metric_has_a_cap_unit_and_a_metrics_name() -> None:
    for metric in FootprintMetric:
        assert COST_UNITS[metric].startswith("usd_per_")
        assert UNITS[FOOTPRINT_METRICS[metric.value]]


def test_a_cap_on_energy_costs_dollars_per_gj(free, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    uncapped = float(free["footprint"].sel(metric="energy_gj", country="CN", year=2024).sum())
    ds = _solve(
        tmp_path,
        ONE_YEAR + "safeguards:\n  caps: [{name: cn_energy, metric: energy_gj, region: CN,"
        f" limit: {0.8 * uncapped}}}]\n",
    )
    energy = float(ds["footprint"].sel(metric="energy_gj", country="CN", year=2024).sum())
    assert energy == pytest.approx(0.8 * uncapped, rel=1e-6)
    assert float(ds["safeguard_cost"].sel(safeguard="cn_energy", year=2024)) > 0.0
    assert str(ds["safeguard_cost"].sel(safeguard="cn_energy")["unit"].values) == "usd_per_gj"


def test_a_binding_water_cap_moves_the_flows_and_has_a_cost(free, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    uncapped = float(free["footprint"].sel(metric="water_m3", country="CN", year=2024).sum())
    limit = 0.8 * uncapped
    ds = _solve(
        tmp_path,
        ONE_YEAR + "safeguards:\n  caps: [{name: cn_water, metric: water_m3, region: CN,"
        f" limit: {limit}}}]\n",
    )
    water = float(ds["footprint"].sel(metric="water_m3", country="CN", year=2024).sum())
    assert water == pytest.approx(limit, rel=1e-6)
    cn_before = float(free["stage_output"].sel(stage="separation", country="CN").sum())
    cn_after = float(ds["stage_output"].sel(stage="separation", country="CN").sum())
    assert cn_after == pytest.approx(0.8 * cn_before, rel=1e-6)
    cost = float(ds["safeguard_cost"].sel(safeguard="cn_water", year=2024))
    assert cost > 1.0  # US$ per m3: one more m3 for China's plants is worth something
    bound = binding_safeguards(ds)
    assert list(bound["safeguard"]) == ["cn_water"]
    assert bound["unit"].iloc[0] == "usd_per_m3"
    assert bound["max_cost"].iloc[0] == pytest.approx(cost)


def test_a_slack_cap_costs_nothing_and_changes_nothing(free, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ds = _solve(
        tmp_path,
        ONE_YEAR
        + "safeguards:\n  caps: [{name: loose, metric: co2e_t, region: CN, limit: 1e12}]\n",
    )
    assert float(ds["safeguard_cost"].sel(safeguard="loose", year=2024)) == 0.0
    np.testing.assert_allclose(ds["stage_output"].values, free["stage_output"].values, atol=1e-6)


def test_residue_storage_delays_the_monazite_plant(tmp_path: Path) -> None:
    free = _solve(tmp_path, MONAZITE)
    residue_free = free["footprint"].sel(metric="radioactive_residue_t", country="KZ").sum("stage")
    # without the rule Kazakhstan cracks its monazite from 2024 (ThO2: 0.1333 t per t REO)
    np.testing.assert_allclose(residue_free.values, 0.1333 * 4000.0, rtol=1e-6)
    ds = _solve(tmp_path, MONAZITE + STORE)
    residue = ds["footprint"].sel(metric="radioactive_residue_t", country="KZ").sum("stage")
    assert float(residue.sel(year=[2024, 2025]).max()) == 0.0  # no monazite cracked yet
    np.testing.assert_allclose(residue.sel(year=[2026, 2027]).values, 0.1333 * 4000.0, rtol=1e-6)
    cost = ds["safeguard_cost"].sel(safeguard="residue")
    assert float(cost.sel(year=2024)) > 0.0  # binding before the store opens
    assert float(cost.sel(year=2027)) == 0.0


def test_a_ban_stops_the_banned_practice(free, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    clay = "CN-mining-ionic-clay"  # ore type ionic_clay_hree
    assert float(free["production"].sel(facility=clay, year=2024)) > 1_000.0
    ds = _solve(
        tmp_path,
        ONE_YEAR + "safeguards:\n  bans: [{name: no_clay, stage: mining, ore: ionic_clay_hree,"
        " countries: [CN]}]\n",
    )
    assert float(ds["production"].sel(facility=clay, year=2024)) == 0.0
    # the clays' CO2 is gone; Sichuan's bastnaesite keeps its 2.26 t CO2e per t REO
    co2 = float(ds["footprint"].sel(metric="co2e_t", stage="mining", country="CN").sum())
    sichuan = float(ds["production"].sel(facility="CN-mining-sichuan", year=2024))
    assert co2 == pytest.approx(2.26 * sichuan, rel=1e-6)
    assert float(ds["safeguard_cost"].sel(safeguard="no_clay", year=2024)) > 0.0


def test_a_zone_cap_holds_back_the_plants_of_the_zone(free, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plant = "mp-mountain-pass-separation"
    running = float(free["production"].sel(facility=plant, year=2024))
    assert running > 100.0
    limit = 75.0 * running / 2  # half its water: 75 m3 per t REO of feed
    ds = _solve(
        tmp_path,
        ONE_YEAR + "safeguards:\n  caps: [{name: zone, metric: water_m3,"
        f" facilities: [{plant}], limit: {limit}}}]\n",
    )
    assert float(ds["production"].sel(facility=plant, year=2024)) == pytest.approx(running / 2)
    assert float(ds["safeguard_cost"].sel(safeguard="zone", year=2024)) > 0.0


def test_a_recycling_floor_limits_oxide_use_to_what_recycling_covers(free, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    secondary = float(free["secondary_supply"].sel(country="CN", year=2024).sum())
    ds = _solve(
        tmp_path,
        ONE_YEAR + "safeguards:\n  recycling: [{name: cn_recycled, region: CN, share: 0.2}]\n",
    )
    # oxide used in China: to metal (metal stage output) and bought by non-magnet sectors
    made_metal = float(ds["stage_output"].sel(stage="metal", country="CN", year=2024).sum())
    bought = ds["use"].sel(country="CN", year=2024)
    oxide_bought = float(bought.sel(sector=_oxide_sectors(ds)).sum())
    assert 0.2 * (made_metal + oxide_bought) == pytest.approx(secondary, rel=1e-6)
    assert float(ds["safeguard_cost"].sel(safeguard="cn_recycled", year=2024)) > 0.0


def test_run_names_the_safeguards_that_bind(tmp_path: Path) -> None:
    path = tmp_path / "cap.yaml"
    # China's separation water in 2024 is 2.565e7 m3 without a cap (75 m3 per t of feed)
    path.write_text(
        ONE_YEAR + "safeguards:\n  caps: [{name: cn_water, metric: water_m3, region: CN,"
        " limit: 2.0e7}]\n"
    )
    result = CliRunner().invoke(app, ["run", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Safeguard cn_water binds 2024-2024, up to" in result.output
    assert "usd_per_m3" in result.output


@pytest.mark.parametrize(
    ("block", "needle"),
    [
        ("caps: [{name: a, metric: water_m3, region: XX, limit: 1}]", "caps.a.region: 'XX'"),
        ("caps: [{name: a, metric: water_m3, facilities: [nope], limit: 1}]", "'nope'"),
        ("bans: [{name: b, stage: mining, ore: unobtainium}]", "bans.b.ore: 'unobtainium'"),
        ("residue_rule: {countries: [QQ]}", "residue_rule.countries: 'QQ'"),
    ],
)
def test_unknown_references_are_one_line_errors(tmp_path: Path, block: str, needle: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(ONE_YEAR + "safeguards:\n  " + block + "\n")
    with pytest.raises(KazreeError) as info:
        solve_scenario(load_scenario(path))
    message = str(info.value)
    assert needle in message
    assert message.startswith(str(path))
    assert "\n" not in message
