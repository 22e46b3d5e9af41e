"""Market concentration of each stage: country shares, China's share, HHI and top-3 share."""

from __future__ import annotations

import numpy as np
import xarray as xr

from kazree.metrics.groups import by_element_group
from kazree.metrics.inputs import CHINA, ResultsLike, as_dataset


def grouped_output(results: ResultsLike) -> xr.DataArray:
    """Stage output per element group: ``(stage, country, element, year)``, tonnes."""
    return by_element_group(as_dataset(results)["stage_output"].fillna(0.0))


def shares_pct(amounts: xr.DataArray, dim: str) -> xr.DataArray:
    """Each entry's share (percent) of the total over ``dim``; NaN where the total is zero.

    The ratio is taken before scaling, so an entry equal to the total is exactly 100.
    """
    total = amounts.sum(dim)
    return 100.0 * (amounts / total.where(total > 0))


def hhi(shares: xr.DataArray, dim: str) -> xr.DataArray:
    """Herfindahl-Hirschman index of percent ``shares`` over ``dim`` (monopoly = 10,000)."""
    return (shares**2).sum(dim, skipna=False)


def top_share(shares: xr.DataArray, dim: str, n: int = 3) -> xr.DataArray:
    """Sum of the ``n`` largest percent ``shares`` over ``dim``."""

    def largest(values: np.ndarray) -> np.ndarray:
        top: np.ndarray = np.sort(values, axis=-1)[..., ::-1][..., :n].sum(axis=-1)
        return top

    summed: xr.DataArray = xr.apply_ufunc(largest, shares, input_core_dims=[[dim]])
    return summed.where(shares.notnull().all(dim))


def country_shares(results: ResultsLike) -> xr.DataArray:
    """Each country's share (percent) of world stage output per element group."""
    return shares_pct(grouped_output(results), "country")


def china_share(results: ResultsLike) -> xr.DataArray:
    """China's share (percent) of world output: ``(stage, element, year)`` over element groups."""
    shares = country_shares(results)
    if CHINA in shares["country"]:
        return shares.sel(country=CHINA, drop=True)
    return (shares * 0.0).sum("country", skipna=False)


def concentration(results: ResultsLike) -> xr.Dataset:
    """``china_share``, ``hhi`` and ``top3_share`` per stage, element group and year."""
    shares = country_shares(results)
    return xr.Dataset(
        {
            "china_share": china_share(results),
            "hhi": hhi(shares, "country"),
            "top3_share": top_share(shares, "country", 3),
        }
    )
