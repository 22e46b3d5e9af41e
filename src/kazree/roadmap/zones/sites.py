"""The decision table of one kind of site, read from ``deposits``, ``facilities`` and
``zone_criteria``: one value (or a gap) per site and criterion, with its source."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kazree.chain.forms import Stage
from kazree.data.loader import Dataset
from kazree.data.rows import Deposit, Facility, ZoneCriterion
from kazree.roadmap.zones.criteria import (
    CREDITED_REO_T,
    GRADE_PCT_TREO,
    Direction,
    SiteKind,
    criteria_of,
)
from kazree.roadmap.zones.rank import Matrix
from kazree.roadmap.zones.weights import ClaimDiscount

COUNTRY = "KZ"
PROCESSING_STAGES = (Stage.CRACKING, Stage.SEPARATION, Stage.METAL, Stage.MAGNET)
CELL_COLUMNS = ("site", "criterion", "value", "basis", "source", "vintage", "confidence")
LOCATION_COLUMNS = ("site", "lat", "lon")


@dataclass(frozen=True)
class DecisionTable:
    """Sites of one kind by criteria; NaN where no source gives a value."""

    kind: SiteKind
    sites: tuple[str, ...]
    names: tuple[str, ...]
    criteria: tuple[str, ...]
    values: Matrix
    cells: pd.DataFrame
    """One row per known value: ``CELL_COLUMNS``."""

    @property
    def types(self) -> np.ndarray:
        """+1 for a benefit criterion, -1 for a cost criterion (pymcdm's convention)."""
        benefit = {c.name: c.direction is Direction.BENEFIT for c in criteria_of(self.kind)}
        return np.array([1 if benefit[name] else -1 for name in self.criteria])


def grade_pct(row: Deposit) -> float | None:
    """The claim's grade in % TREO (from g/t where only that is given)."""
    if row.grade_pct_treo is not None:
        return row.grade_pct_treo
    return None if row.grade_g_per_t is None else row.grade_g_per_t / 1e4


def holdable_reo_t(row: Deposit) -> float | None:
    """Contained REO the claim can stand for: the claim, capped at ore x grade when both exist."""
    grade = grade_pct(row)
    cap = None if row.ore_t is None or grade is None else row.ore_t * grade / 100.0
    if row.contained_reo_t is None:
        return cap
    return row.contained_reo_t if cap is None else min(row.contained_reo_t, cap)


def _deposit_cells(row: Deposit, discount: ClaimDiscount) -> list[dict[str, object]]:
    common = {"site": row.id, "source": row.source, "vintage": row.vintage}
    cells: list[dict[str, object]] = []
    held = holdable_reo_t(row)
    if held is not None:
        factor = discount.factor(row.claim_basis, row.resource_class, row.confidence)
        basis = (
            f"{held:,.0f} t held x {factor:.3g} (code {row.claim_basis.value}, "
            f"{row.resource_class.value}, {row.confidence.value} confidence)"
        )
        cells.append(
            {**common, "criterion": CREDITED_REO_T, "value": held * factor, "basis": basis}
        )
    grade = grade_pct(row)
    if grade is not None:
        cells.append({**common, "criterion": GRADE_PCT_TREO, "value": grade, "basis": "as claimed"})
    return [{**cell, "confidence": row.confidence.value} for cell in cells]


def _sites(dataset: Dataset, kind: SiteKind) -> dict[str, str]:
    if kind is SiteKind.DEPOSIT:
        deposits = [r for r in dataset.rows("deposits") if isinstance(r, Deposit)]
        return {r.id: r.name for r in deposits if r.country == COUNTRY}
    facilities = [r for r in dataset.rows("facilities") if isinstance(r, Facility)]
    return {
        r.id: r.name
        for r in facilities
        if r.country == COUNTRY and r.stage in PROCESSING_STAGES and not r.aggregate
    }


def decision_table(dataset: Dataset, kind: SiteKind, discount: ClaimDiscount) -> DecisionTable:
    """The decision table of Kazakh sites of ``kind``."""
    sites = _sites(dataset, kind)
    names = tuple(c.name for c in criteria_of(kind))
    cells: list[dict[str, object]] = []
    if kind is SiteKind.DEPOSIT:
        for row in dataset.rows("deposits"):
            if isinstance(row, Deposit) and row.id in sites:
                cells += _deposit_cells(row, discount)
    for row in dataset.rows("zone_criteria"):
        if isinstance(row, ZoneCriterion) and row.site in sites and row.criterion in names:
            cells.append({**row.model_dump(mode="json"), "criterion": str(row.criterion)})
    frame = pd.DataFrame(cells, columns=list(CELL_COLUMNS))
    values = np.full((len(sites), len(names)), np.nan)
    index = {site: i for i, site in enumerate(sites)}
    known = frame.dropna(subset=["value"])
    for site, criterion, value in zip(
        known["site"], known["criterion"], known["value"], strict=True
    ):
        values[index[str(site)], names.index(str(criterion))] = float(value)
    return DecisionTable(kind, tuple(sites), tuple(sites.values()), names, values, frame)


def site_locations(dataset: Dataset) -> pd.DataFrame:
    """site, lat, lon of the Kazakh sites of every kind as their rows place them (NaN where no
    source does)."""
    sites = {site for kind in SiteKind for site in _sites(dataset, kind)}
    rows = [r for table in ("deposits", "facilities") for r in dataset.rows(table)]
    located = [
        {"site": r.id, "lat": r.lat, "lon": r.lon}
        for r in rows
        if isinstance(r, Deposit | Facility) and r.id in sites
    ]
    return pd.DataFrame(located, columns=list(LOCATION_COLUMNS)).astype(
        {"lat": float, "lon": float}
    )
