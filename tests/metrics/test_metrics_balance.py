import numpy as np
import pytest

from kazree.metrics.balance import demand, self_sufficiency, surplus, unmet_demand

Y = 2025


def test_unmet_demand_sums_countries_into_blocs_and_world(blank, blocs):
    ds = blank()
    cell = {"sector": "ev_traction", "element": "Nd", "year": Y}
    for country, want, short in (("DE", 10.0, 4.0), ("US", 20.0, 1.0), ("CN", 50.0, 0.0)):
        ds["demand"].loc[cell | {"country": country}] = want
        ds["unmet_demand"].loc[cell | {"country": country}] = short
    ds["unmet_demand"].loc[cell | {"country": "DE", "sector": "catalysts", "element": "La"}] = 2.0
    got = unmet_demand(ds, blocs).sel(year=Y)
    ev = got.sel(sector="ev_traction")
    assert float(ev.sel(region="EU", element="Nd")) == pytest.approx(4.0)
    assert float(ev.sel(region="G7", element="magnet")) == pytest.approx(5.0)
    assert float(ev.sel(region="world", element="all")) == pytest.approx(5.0)
    assert float(got.sel(sector="catalysts", region="DE", element="all")) == pytest.approx(2.0)
    assert float(
        demand(ds, blocs).sel(year=Y, sector="ev_traction", region="world", element="all")
    ) == pytest.approx(80.0)


def test_surplus_per_region_and_element_group(blank, blocs):
    ds = blank()
    ds["surplus"].loc[{"country": "CN", "element": "La", "year": Y}] = 7.0
    ds["surplus"].loc[{"country": "US", "element": "La", "year": Y}] = 3.0
    got = surplus(ds, blocs).sel(year=Y)
    assert float(got.sel(region="world", element="La")) == pytest.approx(10.0)
    assert float(got.sel(region="world", element="light")) == pytest.approx(10.0)
    assert float(got.sel(region="G7", element="La")) == pytest.approx(3.0)
    assert float(got.sel(region="world", element="Nd")) == pytest.approx(0.0)


def test_self_sufficiency_counts_only_trade_across_the_border(blank, blocs):
    # DE separates 30 t, keeps 10, sends 20 to FR (inside the EU); FR also imports 60 from CN.
    ds = blank(countries=("CN", "US", "DE", "FR"))
    cell = {"stage": "separation", "element": "Nd", "year": Y}
    ds["stage_output"].loc[cell | {"country": "DE"}] = 30.0
    ds["stage_output"].loc[cell | {"country": "CN"}] = 100.0
    ds["trade"].loc[cell | {"exporter": "DE", "importer": "FR"}] = 20.0
    ds["trade"].loc[cell | {"exporter": "CN", "importer": "FR"}] = 60.0
    got = self_sufficiency(ds, blocs).sel(stage="separation", year=Y, element="Nd")
    assert float(got.sel(region="DE")) == pytest.approx(300.0)
    assert float(got.sel(region="FR")) == pytest.approx(0.0)
    assert float(got.sel(region="EU")) == pytest.approx(100.0 * 30 / 90)
    assert float(got.sel(region="CN")) == pytest.approx(250.0)
    assert float(got.sel(region="world")) == pytest.approx(100.0)
    assert np.isnan(float(got.sel(region="US")))
