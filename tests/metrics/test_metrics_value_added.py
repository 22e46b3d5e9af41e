import numpy as np
import pytest

from kazree.metrics.value_added import shadow_prices, value_added, world_price

Y = 2024


def _set(ds, var, stage, country, element, value):
    ds[var].loc[{"stage": stage, "country": country, "element": element, "year": Y}] = value


def test_value_added_by_hand_with_sign_and_sum(blank, blocs):
    ds = blank()
    # US: mines 100 t Nd at 10 USD/kg, separates 100 t at 60 USD/kg, makes 50 t metal at 50 USD/kg
    for stage, tonnes, price in (
        ("mining", 100.0, 10.0),
        ("cracking", 100.0, 10.0),
        ("separation", 100.0, 60.0),
        ("metal", 50.0, 50.0),
    ):
        _set(ds, "stage_output", stage, "US", "Nd", tonnes)
        _set(ds, "shadow_price", stage, "US", "Nd", price)
    got = value_added(ds, blocs).sel(year=Y, region="US")
    assert float(got.sel(stage="mining")) == pytest.approx(1.0)  # 100 t x 10 USD/kg
    assert float(got.sel(stage="cracking")) == pytest.approx(0.0)
    assert float(got.sel(stage="separation")) == pytest.approx(5.0)  # 100 t x 50 USD/kg
    assert float(got.sel(stage="metal")) == pytest.approx(-0.5)  # metal priced below oxide
    assert float(got.sel(stage="magnet")) == pytest.approx(0.0)
    assert float(got.sum("stage")) == pytest.approx(5.5)
    assert float(value_added(ds, blocs).sel(year=Y, region="world").sum()) == pytest.approx(5.5)


def test_missing_price_falls_back_to_world_mean(blank, blocs):
    ds = blank()
    # CN and DE separate; only the US has a separation price (its own use is 100 t).
    _set(ds, "stage_output", "separation", "US", "Nd", 100.0)
    _set(ds, "shadow_price", "separation", "US", "Nd", 40.0)
    _set(ds, "stage_output", "separation", "DE", "Nd", 10.0)
    got = value_added(ds, blocs).sel(year=Y, stage="separation")
    assert float(got.sel(region="DE")) == pytest.approx(10 * 40 * 1e-3)


def test_world_price_is_use_weighted(blank):
    ds = blank()
    for country, tonnes, price in (("US", 30.0, 10.0), ("DE", 10.0, 50.0)):
        _set(ds, "stage_output", "metal", country, "Nd", tonnes)
        _set(ds, "shadow_price", "metal", country, "Nd", price)
    # DE sends 5 t to CN, which has no price: CN is left out of the mean
    ds["trade"].loc[
        {"stage": "metal", "exporter": "DE", "importer": "CN", "element": "Nd", "year": Y}
    ] = 5.0
    assert float(world_price(ds).sel(stage="metal", element="Nd", year=Y)) == pytest.approx(
        (30 * 10 + 5 * 50) / 35
    )
    prices = shadow_prices(ds).sel(stage="metal", element="Nd", year=Y)
    assert float(prices.sel(region="DE")) == pytest.approx(50.0)
    assert np.isnan(float(prices.sel(region="CN")))
    assert np.isnan(
        float(shadow_prices(ds).sel(stage="magnet", region="world", element="La", year=Y))
    )


def test_an_input_with_a_negative_price_costs_nothing(blank, blocs):
    from kazree.metrics.value_added import gross_output_value

    ds = blank()
    # DE buys La oxide being disposed of (-1 USD/kg) and makes 10 t of metal at 2 USD/kg
    _set(ds, "stage_output", "separation", "DE", "La", 10.0)
    _set(ds, "shadow_price", "separation", "DE", "La", -1.0)
    _set(ds, "stage_output", "metal", "DE", "La", 10.0)
    _set(ds, "shadow_price", "metal", "DE", "La", 2.0)
    added = value_added(ds, blocs).sel(year=Y, region="DE", stage="metal")
    gross = gross_output_value(ds, blocs).sel(year=Y, region="DE", stage="metal")
    assert float(added) == pytest.approx(10 * 2 * 1e-3)
    assert float(added) <= float(gross)


def test_output_at_the_deck_prices_oxides_and_magnet_grades(blank, blocs):
    import xarray as xr

    from kazree.metrics.value_added import deck_output_value

    ds = blank()
    elements = ds["stage_output"].coords["element"].values
    countries = ds["stage_output"].coords["country"].values
    ds["reference_price"] = xr.DataArray(
        [56.0 if e == "Nd" else 1.0 for e in elements], coords={"element": elements}
    )
    ds["reference_magnet_price"] = xr.DataArray([40.0, 90.0], coords={"grade": ["N52", "hi"]})
    ds["magnet_output"] = xr.DataArray(
        np.zeros((2, len(countries), 1)),
        coords={"grade": ["N52", "hi"], "country": countries, "year": [Y]},
        dims=("grade", "country", "year"),
    )
    # DE separates 100 t Nd and 50 t La, and makes 10 t of each grade; a scarcity price of
    # 500 USD/kg on its oxide moves the value at model prices, not the value at the deck
    _set(ds, "stage_output", "separation", "DE", "Nd", 100.0)
    _set(ds, "stage_output", "separation", "DE", "La", 50.0)
    _set(ds, "shadow_price", "separation", "DE", "Nd", 500.0)
    ds["magnet_output"].loc[{"country": "DE", "year": Y}] = 10.0
    deck = deck_output_value(ds, blocs).sel(year=Y, region="DE")
    assert float(deck.sel(stage="separation")) == pytest.approx((100 * 56 + 50 * 1) * 1e-3)
    assert float(deck.sel(stage="magnet")) == pytest.approx((10 * 40 + 10 * 90) * 1e-3)
