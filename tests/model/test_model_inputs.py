"""Model inputs: demand growth from the data year, capacity bases, lanes."""

from __future__ import annotations

import pytest
import xarray as xr

from kazree.errors import KazreeError
from kazree.model.inputs import Inputs, build_inputs
from kazree.model.solve import with_years
from kazree.scenario import load_scenario
from kazree.scenario.dataset import scenario_dataset


def inputs_table(name: str) -> dict[str, float]:
    """World 2024 demand by sector from the dataset table ``name``."""
    from kazree.data import load_dataset

    table = load_dataset().table(name)
    rows = table[(table["region"] == "WORLD") & (table["year"] == 2024)]
    return dict(zip(rows["sector"], rows["demand_t_reo"].astype(float), strict=True))


def inputs_for(name: str, start: int, end: int) -> Inputs:
    scenario = with_years(load_scenario(name), start, end)
    return build_inputs(scenario, scenario_dataset(scenario))


def test_demand_grows_from_the_data_year_whatever_the_first_modelled_year() -> None:
    full = inputs_for("baseline", 2024, 2027)
    late = inputs_for("baseline", 2026, 2027)
    xr.testing.assert_allclose(
        full.demand_magnet.sel(year=[2026, 2027]), late.demand_magnet.sel(year=[2026, 2027])
    )
    ev = full.demand_magnet.sel(sector="ev_traction").sum(("country", "need"))
    assert float(ev.sel(year=2025) / ev.sel(year=2024)) == pytest.approx(1.05)  # IEA APS


def test_other_is_calibrated_on_the_base_year_whatever_the_first_modelled_year() -> None:
    # a run of 2035 alone sees the same demand as 2035 of a run from 2024, though mines that
    # start after 2024 are part of its first year
    full = inputs_for("kazrareearth-2030", 2024, 2035)
    late = inputs_for("kazrareearth-2030", 2035, 2035)
    xr.testing.assert_allclose(full.demand_oxide.sel(year=[2035]), late.demand_oxide)


def test_stated_policies_case_grows_magnet_demand_55_percent_by_2040() -> None:
    base = with_years(load_scenario("baseline"), 2024, 2040)
    scenario = base.model_copy(
        update={"demand": base.demand.model_copy(update={"case": "stated_policies"})}
    )
    magnets = build_inputs(scenario, scenario_dataset(scenario)).demand_magnet
    total = magnets.sum(("sector", "need", "country"))
    # IEA GCMO 2025 STEPS: rare-earth demand +50-60 % from 2024 to 2040
    assert float(total.sel(year=2040) / total.sel(year=2024)) == pytest.approx(1.55, abs=0.05)


def test_itemised_demand_matches_the_dataset() -> None:
    inputs = inputs_for("baseline", 2024, 2024)
    itemised = (
        inputs.demand_oxide.drop_sel(sector="other").sel(year=2024).sum(("country", "element"))
    )
    table = inputs_table("demand")
    for sector, tonnes in itemised.to_series().items():
        assert float(tonnes) == pytest.approx(table[str(sector)], rel=1e-6)
    magnets = (inputs.demand_magnet.sel(year=2024) * inputs.grade_content.rename(grade="need")).sum(
        ("need", "country", "element")
    )
    for sector, tonnes in magnets.to_series().items():
        assert float(tonnes) == pytest.approx(table[str(sector)], rel=1e-6)


def test_kazakhstan_demand_is_its_own_use() -> None:
    inputs = inputs_for("baseline", 2024, 2024)
    assert float(inputs.demand_oxide.sel(country="KZ").sum()) == 0.0
    assert float(inputs.demand_magnet.sel(country="KZ").sum()) == 0.0


def test_capacity_bases_are_converted_to_the_model_basis() -> None:
    inputs = inputs_for("baseline", 2024, 2025)
    capacity = inputs.capacity
    # t_ndpr_oxide separation: 10,500 t NdPr / NdPr share of Malaysia's (monazite) ore
    ndpr = float(inputs.composition.sel(ore="monazite_placer", element=["Nd", "Pr"]).sum())
    assert float(capacity.sel(facility="lynas-lamp", year=2024)) == pytest.approx(10_500 / ndpr)
    # a country without mines: the 0.25 reference share
    assert float(capacity.sel(facility="npm-silmet", year=2024)) == 3_000  # t_reo as is
    # operating from 2025: nothing in 2024, then a 3-year linear ramp
    assert float(capacity.sel(facility="lynas-lamp-hree", year=2024)) == 0.0
    assert float(capacity.sel(facility="lynas-lamp-hree", year=2025)) == 1_500 / 4
    # output not published: no capacity
    assert float(capacity.sel(facility="solvay-la-rochelle").max()) == 0.0
    # feasibility projects count at their risk weight from their start year (2029)
    assert float(capacity.sel(facility="arafura-nolans", year=2025)) == 0.0
    # inside the AU aggregate: its base-year output is the aggregate's, it adds nothing
    assert float(capacity.sel(facility="lynas-mt-weld").max()) == 0.0


def test_plants_inside_an_aggregate_add_only_what_they_grow_after_the_base_year() -> None:
    capacity = inputs_for("baseline", 2024, 2028).capacity
    ndpr = float(
        inputs_for("baseline", 2024, 2024)
        .composition.sel(ore="laterite_carbonatite", element=["Nd", "Pr"])
        .sum()
    )
    expansion = capacity.sel(facility="lynas-mt-weld-expansion")
    # operating from 2025, ramping over 3 years: 1/4, 2/4, 3/4, full
    assert float(expansion.sel(year=2024)) == 0.0
    assert float(expansion.sel(year=2025)) == pytest.approx(5_000 / ndpr / 4)
    assert float(expansion.sel(year=2028)) == pytest.approx(5_000 / ndpr)
    # Serra Verde: 20 t in BR-mining for 2024, its 5,000 t ramp from 2026 on top
    serra = capacity.sel(facility="serra-verde")
    assert float(serra.sel(year=2025)) == 0.0
    assert float(serra.sel(year=2027)) == pytest.approx(5_000 * 2 / 4)
    assert float(capacity.sel(facility="BR-mining", year=2027)) == 20


def test_tariff_adds_its_share_of_the_reference_value(tmp_path) -> None:
    path = tmp_path / "tariff.yaml"
    path.write_text(
        "extends: baseline\nyears: {start: 2024, end: 2024}\n"
        "tariffs:\n  - {exporter: US, importer: CN, form: ore_concentrate, pct: 25}\n"
    )
    scenario = load_scenario(path)
    with_tariff = build_inputs(scenario, scenario_dataset(scenario)).lane_cost
    plain = inputs_for("baseline", 2024, 2024).lane_cost
    lane = {"form": "ore_concentrate", "exporter": "US", "importer": "CN"}
    assert float(with_tariff.sel(lane) - plain.sel(lane)) == pytest.approx(0.25 * 5_000)
    other = {"form": "separated_oxide", "exporter": "US", "importer": "CN"}
    assert float(with_tariff.sel(other)) == float(plain.sel(other))


def test_python_api_is_exported_lazily() -> None:
    import kazree

    assert kazree.load_scenario("baseline").name == "baseline"
    assert callable(kazree.solve)


def test_inline_rule_bans_a_lane(tmp_path) -> None:
    path = tmp_path / "kz_ban.yaml"
    path.write_text(
        "extends: deposit-only\nyears: {start: 2030, end: 2031}\ncontrols:\n  rules:\n"
        "    - {id: kz_ore_ban, instrument: test, issuer: test, exporter: KZ, kind: ban,\n"
        "       elements: '*', forms: ore_concentrate, destinations: '*',\n"
        "       effective: 2031-01-01, licence_share: 0, source: usgs_mcs2025,\n"
        "       vintage: '2025', confidence: low}\n"
    )
    scenario = load_scenario(path)
    licence = build_inputs(scenario, scenario_dataset(scenario)).licence
    lane = licence.sel(form="ore_concentrate", exporter="KZ", importer="CN", element="La")
    assert lane.values.tolist() == [1.0, 0.0]


def test_bad_inline_rule_is_one_line(tmp_path) -> None:
    path = tmp_path / "bad_rule.yaml"
    path.write_text(
        "extends: baseline\ncontrols:\n  rules:\n"
        "    - {id: x, instrument: t, issuer: t, exporter: KZ, kind: ban, elements: Xx,\n"
        "       forms: '*', destinations: '*', licence_share: 0, source: usgs_mcs2025,\n"
        "       vintage: '2025', confidence: low}\n"
    )
    scenario = load_scenario(path)
    with pytest.raises(KazreeError, match=r"bad_rule.yaml: rule 'x': elements: .*Xx"):
        build_inputs(scenario, scenario_dataset(scenario))


def test_own_use_is_a_countrys_industry_demand(tmp_path) -> None:
    path = tmp_path / "own.yaml"
    path.write_text(
        "extends: baseline\nyears: {start: 2024, end: 2024}\ndemand: {own_use_t: {KZ: 500}}\n"
    )
    scenario = load_scenario(path)
    inputs = build_inputs(scenario, scenario_dataset(scenario))
    oxide = float(inputs.demand_oxide.sel(country="KZ").sum())
    magnets = inputs.demand_magnet.sel(country="KZ") * inputs.grade_content.rename(grade="need")
    assert oxide + float(magnets.sum()) == pytest.approx(500.0, rel=1e-6)


def test_capacity_of_a_year_does_not_depend_on_the_first_modelled_year() -> None:
    # plants starting after 2024 ramp up from their own start, and projects without a start
    # year start their status's delay after the data year, whatever year a run begins
    full = inputs_for("kazrareearth-2030", 2024, 2035)
    late = inputs_for("kazrareearth-2030", 2035, 2035)
    ramping = full.capacity.sel(year=2035) != full.capacity.sel(year=2033)
    assert bool(ramping.any())  # the comparison covers plants still ramping up
    xr.testing.assert_allclose(full.capacity.sel(year=[2035]), late.capacity)
