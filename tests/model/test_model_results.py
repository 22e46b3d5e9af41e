"""The results contract, mass balance and capacity rules on solved scenarios."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from kazree.chain import SECTORS, STAGES, symbols
from kazree.model import Results, check_mass_balance
from kazree.model.solve import Solution, solve_scenario

FLOWS = ("stage_output", "trade", "demand", "use", "unmet_demand", "surplus", "production")


def test_contract_coordinates_and_attrs(baseline: Solution) -> None:
    ds = baseline.results.ds
    assert ds["year"].dtype == np.int64
    assert list(ds["year"].values) == [2024, 2025, 2026]
    assert tuple(ds["element"].values) == symbols()
    assert list(ds["stage"].values) == [s.value for s in STAGES]
    assert list(ds["sector"].values) == [s.value for s in SECTORS]
    assert list(ds["exporter"].values) == list(ds["country"].values)
    assert list(ds["importer"].values) == list(ds["country"].values)
    assert ds["stage_output"].dims == ("stage", "country", "element", "year")
    assert ds["trade"].dims == ("stage", "exporter", "importer", "element", "year")
    assert ds["unmet_demand"].dims == ("sector", "country", "element", "year")
    assert ds["shadow_price"].dims == ("stage", "country", "element", "year")
    assert ds.attrs["scenario"] == "baseline"
    assert ds.attrs["status"] == "optimal"
    assert ds.attrs["base_year"] == 2024
    assert ds.attrs["currency"] == "USD"
    assert ds.attrs["objective"] == pytest.approx(baseline.objective)


def test_flows_are_finite_and_non_negative(baseline: Solution) -> None:
    ds = baseline.results.ds
    for name in FLOWS:
        values = ds[name].values
        assert np.isfinite(values).all(), name
        assert (values >= -1e-6).all(), name


def test_mass_balance_holds(baseline: Solution, controls: Solution) -> None:
    assert check_mass_balance(baseline.results) == []
    assert check_mass_balance(controls.results) == []


def test_mass_balance_check_reports_a_broken_node(baseline: Solution) -> None:
    ds = baseline.results.ds.copy(deep=True)
    ds["stage_output"].loc[
        {"stage": "separation", "country": "CN", "element": "Nd", "year": 2025}
    ] += 100.0
    problems = check_mass_balance(Results(ds))
    assert any("oxide balance" in p and "country=CN" in p and "element=Nd" in p for p in problems)
    assert any("intermediate balance" in p and "year=2025" in p for p in problems)


def test_no_production_before_start_year(baseline: Solution) -> None:
    ds = baseline.results.ds
    start = ds["facility_start_year"]
    before = ds["year"] < start
    assert bool(before.any()), "some facility must start inside the horizon for this test"
    assert float(ds["production"].where(before, 0.0).max()) == 0.0
    assert float(ds["capacity"].where(before, 0.0).max()) == 0.0
    assert float((ds["production"] - ds["capacity"]).max()) <= 1e-6


def test_risk_weight_is_the_share_of_published_capacity_counted(baseline: Solution) -> None:
    weight = baseline.results.ds["facility_risk_weight"]
    assert float(weight.sel(facility="mp-mountain-pass-mine")) == 1.0  # operating
    assert float(weight.sel(facility="iluka-eneabba")) == 0.9  # construction
    assert float(weight.sel(facility="lindian-kangankunde")) == 0.5  # feasibility
    assert float(weight.sel(facility="mp-10x")) == 0.25  # announced
    assert float(weight.sel(facility="gl-kvanefjeld")) == 0.0  # suspended: counts nothing
    # Kangankunde (8,415 t REO, feasibility from 2026) ramps: 1/4 of its weighted capacity
    capacity = float(baseline.results.ds["capacity"].sel(facility="lindian-kangankunde", year=2026))
    assert capacity == pytest.approx(8_415 * 0.5 / 4)


def test_shadow_price_of_a_surplus_element_is_the_disposal_cost(tmp_path: Path) -> None:
    path = tmp_path / "glut.yaml"
    path.write_text(
        "extends: baseline\nyears: {start: 2024, end: 2024}\ndemand:\n  cases:\n"
        + "".join(
            f"    - {{sector: {s}, factor: 0.5}}\n"
            for s in ("catalysts", "glass_polishing", "metallurgy", "other")
        )
    )
    ds = solve_scenario(path).results.ds
    surplus = ds["surplus"].sel(country="CN", element="Ce", year=2024)
    assert float(surplus) > 1_000.0  # half the Ce buyers: more Ce than the curves take
    price = float(ds["shadow_price"].sel(stage="separation", country="CN", element="Ce", year=2024))
    assert price == pytest.approx(-1.0, abs=1e-6)  # disposal 1,000 US$/t avoided per extra tonne
    assert np.isnan(ds["shadow_price"].sel(stage="end_use")).all()


def test_concentrate_price_is_shared_by_the_elements_of_one_ore(baseline: Solution) -> None:
    price = baseline.results.ds["shadow_price"].sel(stage="mining", country="MM", year=2024)
    held = price.sel(element=["La", "Dy", "Y"]).values  # Myanmar: one ore type, all exported
    assert np.isfinite(held).all()
    assert held.max() - held.min() < 1e-9
    assert held[0] > 0


def test_netcdf_round_trip(baseline: Solution, tmp_path: Path) -> None:
    path = tmp_path / "results.nc"
    baseline.results.to_netcdf(path)
    back = Results.from_netcdf(path)
    xr.testing.assert_allclose(back.ds, baseline.results.ds)
    assert back.ds.attrs == baseline.results.ds.attrs
