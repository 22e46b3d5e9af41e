"""Reference figures a model run is set against: USGS, published stage shares and outlooks.

Pure functions of a loaded :class:`~kazree.data.Dataset`. A :class:`Reference` is a share
(``share_pct``: a country's share of world output of a stage, %) or a world tonnage
(``world_t``: world output of a stage, demand at ``end_use``), for one element group and year,
with the publication, case, basis, source id and confidence it comes from.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd

from kazree.data import Dataset
from kazree.data.rows import MineProduction, Outlook, StageShare, WorldMetric, WorldTotal

SHARE = "share_pct"
WORLD_T = "world_t"
WORLD = "WORLD"
OBSERVED = "observed"
STAGES: tuple[str, ...] = ("mining", "separation", "end_use")
"""Stages validated: shares and world output of mining and separation, world demand."""
SCOPE_GROUPS: dict[str, str] = {"all": "all", "heavy_ree": "heavy", "magnet_ree": "magnet"}
"""``stage_shares`` scope -> element group of ``kazree.metrics`` (other scopes, such as magnet
output, are not oxide and are not compared)."""


@dataclass(frozen=True)
class Reference:
    """One published figure to set the model against."""

    year: int
    stage: str
    group: str
    region: str
    """A country code for a share, ``WORLD`` for a world tonnage."""
    metric: str
    value: float
    publication: str
    case: str
    """``observed``, or the outlook's case (``base_case``, ``aps``, ``projection`` ...)."""
    basis: str
    source: str
    vintage: str
    confidence: str

    def same_figure(self, other: Reference) -> bool:
        """Whether ``other`` states the same quantity (year, stage, group, region, metric)."""
        return (self.year, self.stage, self.group, self.region, self.metric) == (
            other.year,
            other.stage,
            other.group,
            other.region,
            other.metric,
        )

    def same_outlook(self, other: Reference) -> bool:
        """Whether ``other`` comes from the same publication and case, for the same stage and
        group (an outlook's ``observed`` figures count as part of each of its cases)."""
        cases = {self.case, OBSERVED}
        return (
            other.publication == self.publication
            and other.case in cases
            and (other.stage, other.group) == (self.stage, self.group)
        )


COLUMNS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Reference))
RowT = TypeVar("RowT")


def _rows(ds: Dataset, table: str, model: type[RowT]) -> Iterator[RowT]:
    return (row for row in ds.rows(table) if isinstance(row, model))


def usgs_references(ds: Dataset, years: Collection[int]) -> list[Reference]:
    """China's share of world mine production and the world total, per USGS edition and year."""
    production = {
        (row.country, row.year, row.edition): row.production_t_reo
        for row in _rows(ds, "mine_production", MineProduction)
    }
    out = []
    for total in _rows(ds, "world_totals", WorldTotal):
        if total.metric is not WorldMetric.MINE_PRODUCTION or total.year not in years:
            continue
        world = Reference(
            year=total.year,
            stage="mining",
            group="all",
            region=WORLD,
            metric=WORLD_T,
            value=total.value_t_reo,
            publication=f"USGS {total.edition}",
            case=OBSERVED,
            basis=f"world mine production, {total.edition}, t REO",
            source=total.source,
            vintage=total.vintage,
            confidence=total.confidence.value,
        )
        out.append(world)
        china = production.get(("CN", total.year, total.edition))
        if china is not None:
            basis = f"China's mine output (its quota) / world total, {china / 1e3:,.0f}/"
            basis += f"{world.value / 1e3:,.0f} kt"
            share = 100.0 * china / world.value
            out.append(
                dataclasses.replace(world, region="CN", metric=SHARE, value=share, basis=basis)
            )
    return out


def stage_share_references(ds: Dataset, years: Collection[int]) -> list[Reference]:
    """Published country shares of mining and separation (``stage_shares``) in ``years``."""
    return [
        Reference(
            year=row.year,
            stage=row.stage.value,
            group=SCOPE_GROUPS[row.scope.value],
            region=row.country,
            metric=SHARE,
            value=row.share_pct,
            publication=row.basis,
            case="projection" if row.projection else OBSERVED,
            basis=row.basis,
            source=row.source,
            vintage=row.vintage,
            confidence=row.confidence.value,
        )
        for row in _rows(ds, "stage_shares", StageShare)
        if row.year in years and row.stage.value in STAGES and row.scope.value in SCOPE_GROUPS
    ]


def outlook_references(ds: Dataset, years: Collection[int]) -> list[Reference]:
    """The figures of ``outlooks`` in ``years``."""
    return [
        Reference(
            year=row.year,
            stage=row.stage.value,
            group=row.element_group.value,
            region=row.region,
            metric=row.metric.value,
            value=row.value,
            publication=row.outlook,
            case=row.case,
            basis=row.basis,
            source=row.source,
            vintage=row.vintage,
            confidence=row.confidence.value,
        )
        for row in _rows(ds, "outlooks", Outlook)
        if row.year in years and row.stage.value in STAGES
    ]


def references(ds: Dataset, years: Collection[int] | None = None) -> list[Reference]:
    """Every reference figure (for ``years``, default all): USGS, stage shares, outlooks.

    A figure that two tables hold from the same source (a USGS share that ``stage_shares`` also
    lists) is kept once, from the first table.
    """
    chosen = range(1900, 2101) if years is None else years
    found = (
        usgs_references(ds, chosen)
        + stage_share_references(ds, chosen)
        + outlook_references(ds, chosen)
    )
    kept: list[Reference] = []
    for ref in found:
        if not any(ref.same_figure(k) and ref.source == k.source for k in kept):
            kept.append(ref)
    return kept


def references_frame(refs: list[Reference]) -> pd.DataFrame:
    """``refs`` as a DataFrame with :data:`COLUMNS`."""
    return pd.DataFrame([dataclasses.astuple(r) for r in refs], columns=list(COLUMNS))
