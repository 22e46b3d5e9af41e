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
COVERAGE_GROUPS: dict[str, str] = {"all_ree": "all", "magnet_ree": "magnet", "hree": "heavy"}
"""Coverage of a published figure -> element group of ``kazree.metrics`` (other coverages, such
as NdFeB magnets, are not compared)."""


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
    measure: str
    """``output`` or ``capacity``: what the published figure divides or counts."""
    publication: str
    case: str
    """``observed``, or the outlook's case (``base_case``, ``aps``, ``projection`` ...)."""
    basis: str
    source: str
    vintage: str
    confidence: str

    def same_figure(self, other: Reference) -> bool:
        """Whether ``other`` states the same quantity (year, stage, group, region, metric,
        measure)."""
        return (
            self.year,
            self.stage,
            self.group,
            self.region,
            self.metric,
            self.measure,
        ) == (other.year, other.stage, other.group, other.region, other.metric, other.measure)

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
            measure="output",
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
            group=COVERAGE_GROUPS[row.coverage.value],
            region=row.country,
            metric=SHARE,
            value=row.share_pct,
            measure=row.measure.value,
            publication=row.basis,
            case="projection" if row.projection else OBSERVED,
            basis=row.basis,
            source=row.source,
            vintage=row.vintage,
            confidence=row.confidence.value,
        )
        for row in _rows(ds, "stage_shares", StageShare)
        if row.year in years and row.stage.value in STAGES and row.coverage.value in COVERAGE_GROUPS
    ]


def outlook_references(ds: Dataset, years: Collection[int]) -> list[Reference]:
    """The figures of ``outlooks`` in ``years``."""
    return [
        Reference(
            year=row.year,
            stage=row.stage.value,
            group=COVERAGE_GROUPS[row.coverage.value],
            region=row.region,
            metric=row.metric.value,
            value=row.value,
            measure=row.measure.value,
            publication=row.outlook,
            case=row.case,
            basis=row.basis,
            source=row.source,
            vintage=row.vintage,
            confidence=row.confidence.value,
        )
        for row in _rows(ds, "outlooks", Outlook)
        if row.year in years and row.stage.value in STAGES and row.coverage.value in COVERAGE_GROUPS
    ]


def references(ds: Dataset, years: Collection[int] | None = None) -> list[Reference]:
    """Every reference figure (for ``years``, default all): USGS, outlooks, stage shares.

    A figure that two tables hold from the same source (a USGS share or an IEA share that
    ``stage_shares`` also lists) is kept once, from the first table.
    """
    chosen = range(1900, 2101) if years is None else years
    found = (
        usgs_references(ds, chosen)
        + outlook_references(ds, chosen)
        + stage_share_references(ds, chosen)
    )
    kept: list[Reference] = []
    for ref in found:
        if not any(ref.same_figure(k) and ref.source == k.source for k in kept):
            kept.append(ref)
    return kept


def references_frame(refs: list[Reference]) -> pd.DataFrame:
    """``refs`` as a DataFrame with :data:`COLUMNS`."""
    return pd.DataFrame([dataclasses.astuple(r) for r in refs], columns=list(COLUMNS))
