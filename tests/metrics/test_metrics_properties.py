"""Properties that hold for any flows: HHI bounds, and tracing that conserves what is made."""

import numpy as np
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kazree.metrics.concentration import hhi, shares_pct, top_share
from kazree.metrics.groups import by_region, regions
from kazree.metrics.tracing import local_use, origin_shares

COUNTRIES = ["CN", "US", "DE", "KZ", "JP"]
amounts = arrays(np.float64, 5, elements=st.floats(0.0, 1e6, allow_subnormal=False))


@settings(deadline=None)
@given(amounts)
def test_hhi_and_top3_bounds(values):
    shares = shares_pct(xr.DataArray(values, dims="country"), "country")
    if values.sum() <= 0:
        assert bool(np.isnan(hhi(shares, "country")))
        return
    index = float(hhi(shares, "country"))
    producers = int((values > 0).sum())
    assert 10_000 / producers - 1e-6 <= index <= 10_000 + 1e-6
    top3 = float(top_share(shares, "country", 3))
    assert float(shares.max()) - 1e-9 <= top3 <= 100 + 1e-9
    assert top3 >= 300 / len(values) - 1e-9  # the three largest hold at least their share


@settings(max_examples=50, deadline=None)
@given(
    arrays(np.float64, 5, elements=st.floats(0.0, 100.0, allow_subnormal=False)),
    arrays(np.float64, (5, 5), elements=st.floats(0.0, 1.0, allow_subnormal=False)),
)
def test_tracing_gives_back_what_each_country_made(made, weights):
    # Each country ships a fraction of its pool (rows of `share` sum to at most 0.9), cycles
    # included; the pool then solves P = out + share^T P.
    np.fill_diagonal(weights, 0.0)
    share = 0.9 * weights / np.maximum(weights.sum(axis=1, keepdims=True), 1.0)
    pool = np.linalg.solve(np.eye(5) - share.T, made)
    flows = share * pool[:, None]
    out = xr.DataArray(made, coords={"country": COUNTRIES}, dims="country")
    trade = xr.DataArray(
        flows, coords={"exporter": COUNTRIES, "importer": COUNTRIES}, dims=("exporter", "importer")
    )
    out, trade = (a.expand_dims(element=["Nd"], year=[2030]) for a in (out, trade))
    origins = origin_shares(out, trade)
    use = local_use(out, trade)
    traced = (origins * use).sum("country").rename(origin="country").transpose(*out.dims)
    assert np.allclose(traced.values, out.values, atol=1e-6 * max(1.0, made.max()))
    held = (pool > 1e-9)[None, None, :]
    row_sums = origins.sum("origin").transpose("element", "year", "country").values
    assert np.allclose(row_sums[held], 1.0)
    assert (origins.values >= -1e-9).all()


def test_regions_list_countries_present_blocs_and_world(blocs):
    got = regions(["DE", "US", "CN"], blocs)
    assert got["EU"] == ("DE",)
    assert got["G7"] == ("DE", "US")
    assert got["world"] == ("DE", "US", "CN")
    assert "JP" not in got
    tonnes = xr.DataArray([1.0, 2.0, 4.0], coords={"country": ["DE", "US", "CN"]}, dims="country")
    summed = by_region(tonnes, blocs)
    assert summed.sel(region=["EU", "G7", "world", "CN"]).values.tolist() == [1.0, 3.0, 7.0, 4.0]
