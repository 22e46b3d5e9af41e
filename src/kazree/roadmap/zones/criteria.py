"""The criteria a site is ranked by: name, unit, direction and which kinds of site use them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kazree.data.rows import ZoneCriterionName as Z


class SiteKind(StrEnum):
    """Sites are ranked against others of their kind only."""

    DEPOSIT = "deposit"
    """A resource claim of ``deposits`` (country KZ)."""
    PROCESSING = "processing"
    """A cracking, separation, metal or magnet plant of ``facilities`` (country KZ)."""


class Direction(StrEnum):
    """Whether more of a criterion is better (benefit) or worse (cost)."""

    BENEFIT = "benefit"
    COST = "cost"


@dataclass(frozen=True)
class Criterion:
    """One criterion: where its value comes from and which way is better."""

    name: str
    unit: str
    direction: Direction
    kinds: tuple[SiteKind, ...]
    description: str


CREDITED_REO_T = "credited_reo_t"
"""Contained REO as claimed, capped at what ore x grade can hold, times the claim discount."""
GRADE_PCT_TREO = "grade_pct_treo"

_D, _P = SiteKind.DEPOSIT, SiteKind.PROCESSING
_B, _C = Direction.BENEFIT, Direction.COST

CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        CREDITED_REO_T, "t REO", _B, (_D,), "contained REO discounted by the quality of the claim"
    ),
    Criterion(GRADE_PCT_TREO, "% TREO", _B, (_D,), "ore grade"),
    Criterion(Z.MAGNET_REE_SHARE_PCT, "% of TREO", _B, (_D,), "Nd + Pr + Dy + Tb share"),
    Criterion(Z.HREE_SHARE_PCT, "% of TREO", _B, (_D,), "heavy rare-earth share"),
    Criterion(Z.TH_U_ASSOCIATION, "0/1", _C, (_D,), "thorium or uranium in the ore"),
    Criterion(Z.DISTANCE_RAIL_KM, "km", _C, (_D, _P), "distance to rail"),
    Criterion(Z.DISTANCE_POWER_KM, "km", _C, (_D, _P), "distance to the grid"),
    Criterion(Z.DISTANCE_WATER_KM, "km", _C, (_D, _P), "distance to water"),
    Criterion(Z.WATER_SCARCE_BASIN, "0/1", _C, (_D, _P), "in a water-deficit basin"),
    Criterion(Z.PROTECTED_AREA_KM, "km", _B, (_D, _P), "distance to a protected area"),
    Criterion(Z.SETTLEMENT_KM, "km", _B, (_D, _P), "distance to the nearest town"),
    Criterion(Z.INDUSTRIAL_BASE, "0-3", _B, (_D, _P), "existing industrial base"),
    Criterion(
        Z.RADIOACTIVE_LICENCE, "0/1", _B, (_P,), "already licensed to handle uranium or thorium"
    ),
)
"""Every criterion, in display order."""


def criteria_of(kind: SiteKind) -> tuple[Criterion, ...]:
    """The criteria that rank sites of ``kind``."""
    return tuple(c for c in CRITERIA if kind in c.kinds)


def criterion_names(kind: SiteKind) -> tuple[str, ...]:
    """Names of the criteria that rank sites of ``kind``."""
    return tuple(c.name for c in criteria_of(kind))
