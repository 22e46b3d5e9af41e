"""A risk run's own years of its targets, and what follows from them, on hand-made samples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from kazree.risk.outcomes import RiskResult

YEARS = [2029, 2030, 2031, 2032, 2033, 2034, 2035]
STARTS = {"oxide": 2030, "magnets": 2033}
"""The first year each hand-made target applies."""


def _result() -> RiskResult:
    samples = [0, 1, 2, 3]
    draws = pd.DataFrame({"price": [1.0, 2.0, 3.0, 4.0]}, index=samples)
    margin = np.zeros((len(samples), len(STARTS), len(YEARS)))
    margin[:, 0, :] = draws["price"].to_numpy()[:, None] - 2.5  # met when price > 2.5
    margin[:, 1, :] = 2.5 - draws["price"].to_numpy()[:, None]  # met when price < 2.5
    met = (margin >= 0).astype(float)
    for i, start in enumerate(STARTS.values()):
        met[:, i, : YEARS.index(start)] = np.nan
    coords = {"sample": samples, "target": list(STARTS), "year": YEARS}
    dims = ("sample", "target", "year")
    return RiskResult(
        scenario="hand",
        seed=0,
        plan="given plan",
        draws=draws,
        values=pd.DataFrame(),
        margin=xr.DataArray(margin, coords=coords, dims=dims),
        met=xr.DataArray(met, coords=coords, dims=dims),
        capex_musd=np.zeros(len(samples)),
        regimes=(),
    )


def test_each_target_s_own_year_is_the_first_year_it_applies() -> None:
    assert _result().target_years == STARTS


def test_sensitivity_and_headline_use_each_target_s_own_year() -> None:
    result = _result()
    ranking = result.sensitivity().set_index("target")
    assert ranking.loc["oxide", "year"] == 2030
    assert ranking.loc["magnets", "year"] == 2033
    assert ranking.loc["oxide", "score"] == 1.0
    assert ranking.loc["magnets", "score"] == -1.0
    headline = result.headline()
    kept = set(zip(headline["target"], headline["year"], strict=True))
    assert kept == {("oxide", 2030), ("oxide", 2035), ("magnets", 2033), ("magnets", 2035)}
    assert set(headline["probability_met"]) == {0.5}
