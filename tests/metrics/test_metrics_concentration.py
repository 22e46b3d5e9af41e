import numpy as np
import pytest

from kazree.metrics.concentration import concentration, hhi, shares_pct, top_share


def _mining(ds, values, element="Nd", year=2024):
    for country, tonnes in values.items():
        ds["stage_output"].loc[
            {"stage": "mining", "country": country, "element": element, "year": year}
        ] = tonnes
    return ds


def test_monopoly_hhi_is_10000_and_china_share_100(blank):
    ds = _mining(blank(), {"CN": 50.0})
    got = concentration(ds).sel(stage="mining", element="Nd", year=2024)
    assert float(got["hhi"]) == pytest.approx(10_000.0)
    assert float(got["china_share"]) == pytest.approx(100.0)
    assert float(got["top3_share"]) == pytest.approx(100.0)


def test_two_equal_producers_hhi_5000(blank):
    ds = _mining(blank(), {"US": 30.0, "DE": 30.0})
    got = concentration(ds).sel(stage="mining", element="Nd", year=2024)
    assert float(got["hhi"]) == pytest.approx(5_000.0)
    assert float(got["china_share"]) == pytest.approx(0.0)


def test_shares_by_hand_and_element_groups(blank):
    ds = blank(countries=("CN", "US", "DE", "JP"))
    _mining(ds, {"CN": 60.0, "US": 20.0, "DE": 10.0, "JP": 10.0}, element="Nd")
    _mining(ds, {"CN": 100.0}, element="La")
    got = concentration(ds).sel(stage="mining", year=2024)
    nd = got.sel(element="Nd")
    assert float(nd["china_share"]) == pytest.approx(60.0)
    assert float(nd["hhi"]) == pytest.approx(60**2 + 20**2 + 10**2 + 10**2)
    assert float(nd["top3_share"]) == pytest.approx(90.0)
    # all = 160 CN, 20 US, 10 DE, 10 JP of 200 t
    assert float(got["china_share"].sel(element="all")) == pytest.approx(80.0)
    assert float(got["top3_share"].sel(element="all")) == pytest.approx(95.0)
    assert float(got["china_share"].sel(element="light")) == pytest.approx(80.0)
    assert float(got["china_share"].sel(element="magnet")) == pytest.approx(60.0)


def test_no_output_gives_nan_not_zero(blank):
    got = concentration(blank()).sel(stage="magnet", element="Nd", year=2025)
    assert np.isnan(float(got["hhi"]))
    assert np.isnan(float(got["china_share"]))
    assert np.isnan(float(got["top3_share"]))


def test_china_share_zero_when_china_is_not_a_node(blank):
    ds = _mining(blank(countries=("US", "DE")), {"US": 1.0, "DE": 3.0})
    got = concentration(ds).sel(stage="mining", element="Nd", year=2024)
    assert float(got["china_share"]) == pytest.approx(0.0)
    assert float(got["top3_share"]) == pytest.approx(100.0)


def test_generic_helpers_on_arrays():
    import xarray as xr

    amounts = xr.DataArray([5.0, 3.0, 1.0, 1.0], dims="country")
    shares = shares_pct(amounts, "country")
    assert shares.values.tolist() == pytest.approx([50.0, 30.0, 10.0, 10.0])
    assert float(hhi(shares, "country")) == pytest.approx(2500 + 900 + 100 + 100)
    assert float(top_share(shares, "country", 2)) == pytest.approx(80.0)
