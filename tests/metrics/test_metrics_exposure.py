import numpy as np
import pytest

from kazree.metrics.exposure import exposure, touched_by_china
from kazree.metrics.tracing import local_use, origin_shares, trace

Y = 2024


def _out(ds, stage, country, tonnes, element="Nd"):
    ds["stage_output"].loc[{"stage": stage, "country": country, "element": element, "year": Y}] = (
        tonnes
    )


def _ship(ds, stage, src, dst, tonnes, element="Nd"):
    ds["trade"].loc[
        {"stage": stage, "exporter": src, "importer": dst, "element": element, "year": Y}
    ] = tonnes


def _chain(ds, country, tonnes, stages=("mining", "cracking", "separation", "metal", "magnet")):
    for stage in stages:
        _out(ds, stage, country, tonnes)


def test_us_ore_separated_in_china_is_fully_exposed(blank, blocs):
    ds = blank()
    _out(ds, "mining", "US", 10.0)
    _ship(ds, "mining", "US", "CN", 10.0)
    _chain(ds, "CN", 10.0, ("cracking", "separation"))
    _ship(ds, "separation", "CN", "US", 10.0)
    _chain(ds, "US", 10.0, ("metal", "magnet"))
    got = exposure(ds, blocs).sel(year=Y)
    assert float(got.sel(region="US", element="all")) == pytest.approx(100.0)
    assert float(got.sel(region="world", element="magnet")) == pytest.approx(100.0)
    assert np.isnan(float(got.sel(region="DE", element="all")))


def test_all_non_china_chain_is_not_exposed(blank, blocs):
    ds = blank()
    _chain(ds, "US", 10.0)
    _chain(ds, "CN", 40.0)  # China makes and keeps its own magnets
    got = exposure(ds, blocs).sel(year=Y, element="all")
    assert float(got.sel(region="US")) == pytest.approx(0.0)
    assert float(got.sel(region="CN")) == pytest.approx(100.0)
    assert float(got.sel(region="world")) == pytest.approx(80.0)


def test_mixed_inputs_and_a_customer_abroad(blank, blocs):
    # US magnets: 10 t Nd metal from its own chain + 10 t imported Chinese metal; DE buys half.
    ds = blank()
    _chain(ds, "US", 10.0, ("mining", "cracking", "separation", "metal"))
    _chain(ds, "CN", 10.0, ("mining", "cracking", "separation", "metal"))
    _ship(ds, "metal", "CN", "US", 10.0)
    _out(ds, "magnet", "US", 20.0)
    _ship(ds, "magnet", "US", "DE", 10.0)
    got = exposure(ds, blocs).sel(year=Y, element="all")
    assert float(got.sel(region="US")) == pytest.approx(50.0)
    assert float(got.sel(region="DE")) == pytest.approx(50.0)
    assert float(got.sel(region="EU")) == pytest.approx(50.0)
    touched = touched_by_china(trace(ds)).sel(year=Y, element="Nd")
    assert float(touched.sel(stage="metal", country="US")) == pytest.approx(0.5)
    assert float(touched.sel(stage="mining", country="US")) == pytest.approx(0.0)


def test_elements_are_traced_separately(blank, blocs):
    ds = blank()
    _chain(ds, "US", 10.0)  # Nd, all in the US
    _chain(ds, "CN", 30.0, ("mining", "cracking", "separation", "metal"))  # La from China
    for stage in ("mining", "cracking", "separation", "metal"):
        _out(ds, stage, "CN", 30.0, element="La")
        _out(ds, stage, "CN", 0.0)
    _ship(ds, "metal", "CN", "US", 30.0, element="La")
    _out(ds, "magnet", "US", 30.0, element="La")
    got = exposure(ds, blocs).sel(year=Y, region="US")
    assert float(got.sel(element="Nd")) == pytest.approx(0.0)
    assert float(got.sel(element="La")) == pytest.approx(100.0)
    assert float(got.sel(element="all")) == pytest.approx(75.0)


def test_origin_shares_with_a_trade_cycle(blank):
    # Separation: US makes 10, CN 10 (sent to US), DE 10; US sends 10 to DE, DE returns 5.
    ds = blank()
    for country in ("US", "CN", "DE"):
        _out(ds, "separation", country, 10.0)
    _ship(ds, "separation", "CN", "US", 10.0)
    _ship(ds, "separation", "US", "DE", 10.0)
    _ship(ds, "separation", "DE", "US", 5.0)
    out = ds["stage_output"].sel(stage="separation")
    trade = ds["trade"].sel(stage="separation")
    origins = origin_shares(out, trade).sel(element="Nd", year=Y)
    # x_US = 10 / 22.5 from the hand-solved balance; x_DE = x_US / 2.
    assert float(origins.sel(country="US", origin="CN")) == pytest.approx(4 / 9)
    assert float(origins.sel(country="DE", origin="CN")) == pytest.approx(2 / 9)
    assert origins.sum("origin").values == pytest.approx([1.0, 1.0, 1.0])
    use = local_use(out, trade).sel(element="Nd", year=Y)
    assert use.sel(country=["CN", "US", "DE"]).values.tolist() == pytest.approx([0.0, 15.0, 15.0])


def test_a_closed_cycle_with_nothing_made_does_not_break_the_rest(blank):
    ds = blank()
    _ship(ds, "metal", "US", "DE", 5.0)  # 2024: material circling with no producer
    _ship(ds, "metal", "DE", "US", 5.0)
    cell = {"stage": "metal", "element": "Nd", "year": 2025}
    ds["stage_output"].loc[cell | {"country": "CN"}] = 8.0
    ds["trade"].loc[cell | {"exporter": "CN", "importer": "US"}] = 8.0
    out = ds["stage_output"].sel(stage="metal")
    trade = ds["trade"].sel(stage="metal")
    origins = origin_shares(out, trade).sel(element="Nd")
    assert np.allclose(origins.sel(year=2024).values, 0.0)
    assert float(origins.sel(year=2025, country="US", origin="CN")) == pytest.approx(1.0)
