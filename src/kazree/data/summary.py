"""Base-year figures computed from the dataset: mining shares, concentration, stage shares.

Pure functions of a :class:`~kazree.data.loader.Dataset`; the demo and the tests use them to show
that the tables reproduce their sources.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from kazree.data.checks.feed import mined_ndpr_share as checks_mined_ndpr_share
from kazree.data.loader import Dataset
from kazree.data.rows import OTHER_COUNTRIES, CapacityBasis, Status, WorldMetric
from kazree.data.schema import BASE_YEAR
from kazree.errors import KazreeError

BASE_EDITION = "MCS2025"
STAGE_SHARE_BASIS: dict[str, CapacityBasis] = {
    "mining": CapacityBasis.T_REO,
    "separation": CapacityBasis.T_NDPR_OXIDE,
    "magnet": CapacityBasis.T_MAGNET,
}
"""The capacity basis on which each stage's country shares are computed. Separation rows
published in t REO count at the NdPr share of their country's mined ore (see
:func:`base_capacity`)."""

PUBLISHED_SHARES: dict[str, tuple[str, str]] = {
    "mining": ("all_ree", "mine output (USGS"),
    "separation": ("magnet_ree", "IEA commentary Oct 2025"),
    "magnet": ("ndfeb_magnets", "IEA commentary Oct 2025"),
}
"""For each stage, the ``stage_shares`` output share (coverage, start of basis) that China's
base-year capacity share is shown against."""


def hhi(shares_pct: Iterable[float]) -> float:
    """Herfindahl-Hirschman index of shares given in percent (0 to 10,000)."""
    return float(sum(share * share for share in shares_pct))


def world_total_t(ds: Dataset, metric: WorldMetric, year: int, edition: str) -> float:
    """World total of ``metric`` in ``year`` as edition ``edition`` gives it, t REO."""
    totals = ds.table("world_totals")
    match = totals[
        (totals["metric"] == metric.value)
        & (totals["year"] == year)
        & (totals["edition"] == edition)
    ]
    if match.empty:
        msg = f"world_totals: no {metric.value} total for {year} in {edition}"
        raise KazreeError(msg)
    return float(match["value_t_reo"].iloc[0])


def mining_shares(ds: Dataset, year: int = BASE_YEAR, edition: str = BASE_EDITION) -> pd.DataFrame:
    """Mine production by country with its share of the world total, largest first.

    Columns: ``country``, ``production_t_reo``, ``share_pct``. Shares are of USGS's rounded world
    total, so they need not add up to exactly 100 %.
    """
    prod = ds.table("mine_production")
    rows = prod[(prod["year"] == year) & (prod["edition"] == edition)]
    world = world_total_t(ds, WorldMetric.MINE_PRODUCTION, year, edition)
    out = rows[["country", "production_t_reo"]].copy()
    out["share_pct"] = 100.0 * out["production_t_reo"] / world
    return out.sort_values("share_pct", ascending=False).reset_index(drop=True)


def country_hhi(shares: pd.DataFrame) -> float:
    """HHI of a share table, leaving out the ``ZZ`` remainder (not one producer)."""
    return hhi(shares.loc[shares["country"] != OTHER_COUNTRIES, "share_pct"])


def _operating(fac: pd.DataFrame, year: int) -> pd.Series:
    """Rows that operate in ``year``, are not inside an aggregate and have a capacity."""
    started = fac["start_year"].isna() | (fac["start_year"] <= year)
    return (
        (fac["status"] == Status.OPERATING.value)
        & started.astype(bool)
        & fac["part_of"].isna()
        & fac["capacity_t"].notna()
    )


def mined_ndpr_share(ds: Dataset) -> dict[str, float]:
    """NdPr share of each country's base-year mined ore, weighted by t REO mine capacity.

    Element distributions are renormalised to 100 % per deposit type; mines without a deposit
    type do not count.
    """
    return checks_mined_ndpr_share(ds.records)


def base_capacity(ds: Dataset, stage: str, year: int = BASE_YEAR) -> pd.DataFrame:
    """Operating capacity of ``stage`` in ``year`` by country, on the stage's share basis.

    Counts rows that operate, have started by ``year`` and are not already inside an aggregate
    (``part_of`` empty). Separation rows in t REO count as t NdPr oxide at the NdPr share of
    their country's mined ore (:func:`mined_ndpr_share`); those of countries without mines
    do not count. Columns: ``country``, ``capacity_t``, ``share_pct``.
    """
    basis = STAGE_SHARE_BASIS.get(stage)
    if basis is None:
        msg = f"no share basis for stage {stage!r} (allowed: {', '.join(STAGE_SHARE_BASIS)})"
        raise KazreeError(msg)
    fac = ds.table("facilities")
    fac = fac[_operating(fac, year) & (fac["stage"] == stage)].copy()
    if stage == "separation":
        share = mined_ndpr_share(ds)
        in_reo = fac["capacity_basis"] == CapacityBasis.T_REO.value
        factor = fac["country"].map(share).where(in_reo)
        fac.loc[in_reo, "capacity_t"] = fac.loc[in_reo, "capacity_t"] * factor[in_reo]
        fac.loc[in_reo & factor.notna(), "capacity_basis"] = basis.value
    fac = fac[(fac["capacity_basis"] == basis.value) & fac["capacity_t"].notna()]
    out = fac.groupby("country")["capacity_t"].sum().reset_index()
    out["share_pct"] = 100.0 * out["capacity_t"] / out["capacity_t"].sum()
    return out.sort_values("share_pct", ascending=False).reset_index(drop=True)


def country_share_pct(shares: pd.DataFrame, country: str) -> float:
    """The share of ``country`` in a share table (0 when absent)."""
    match = shares.loc[shares["country"] == country, "share_pct"]
    return float(match.iloc[0]) if not match.empty else 0.0


def published_share_pct(
    ds: Dataset, stage: str, country: str = "CN", year: int = BASE_YEAR
) -> float:
    """The published output share (``stage_shares``) of ``country`` in ``stage``, %."""
    coverage, basis = PUBLISHED_SHARES[stage]
    shares = ds.table("stage_shares")
    match = shares[
        (shares["stage"] == stage)
        & (shares["coverage"] == coverage)
        & (shares["measure"] == "output")
        & (shares["country"] == country)
        & (shares["year"] == year)
        & shares["basis"].str.startswith(basis)
    ]
    if match.empty:
        msg = (
            f"stage_shares: no {stage}/{coverage} output share for {country} in {year}"
            f" with basis {basis!r}"
        )
        raise KazreeError(msg)
    return float(match["share_pct"].iloc[0])
