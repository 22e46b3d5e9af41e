"""Inputs of the roadmap instruments: zone criteria, fiscal terms and financing terms."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from kazree.data.schema import OptionalFloat, OptionalStr, SourcedRow


class ZoneCriterionName(StrEnum):
    """Criteria of a site recorded in ``zone_criteria`` (the rest come from ``deposits``)."""

    MAGNET_REE_SHARE_PCT = "magnet_ree_share_pct"
    """Nd + Pr + Dy + Tb, % of TREO."""
    HREE_SHARE_PCT = "hree_share_pct"
    """Heavy rare earths (Gd to Lu and Y), % of TREO."""
    TH_U_ASSOCIATION = "th_u_association"
    """1 where the source names thorium or uranium as a co-commodity of the ore, else 0."""
    DISTANCE_RAIL_KM = "distance_rail_km"
    DISTANCE_POWER_KM = "distance_power_km"
    """To the nearest high-voltage line or power plant."""
    DISTANCE_WATER_KM = "distance_water_km"
    """To the nearest perennial river, reservoir or water main."""
    WATER_SCARCE_BASIN = "water_scarce_basin"
    """1 where the site lies in a water-deficit basin, 0 in a water-rich one."""
    PROTECTED_AREA_KM = "protected_area_km"
    """Distance to the nearest protected area."""
    SETTLEMENT_KM = "settlement_km"
    """Distance to the nearest town."""
    INDUSTRIAL_BASE = "industrial_base"
    """0 none known; 1 industrial town with rail; 2 rare-earth plant built, idle; 3 operating
    metallurgical plant on site."""
    RADIOACTIVE_LICENCE = "radioactive_licence"
    """1 where the site already handles uranium or thorium under licence."""


class ZoneCriterion(SourcedRow):
    """One criterion value of one site (a deposit or a facility id)."""

    site: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    """Id of a row of ``deposits`` or ``facilities``."""
    criterion: ZoneCriterionName
    value: OptionalFloat = None
    """Missing where no source gives it (a known gap)."""
    basis: OptionalStr = None
    """How the value was read or derived from the source."""


class FiscalTerm(SourcedRow):
    """One term of Kazakhstan's fiscal regime for mining and processing."""

    term: str = Field(pattern=r"^[a-z0-9_]+$")
    value: float
    unit: str = Field(min_length=1)
    applies_to: str = Field(min_length=1)
    """A chain stage, ``all`` or ``mining`` (mineral extraction tax)."""
    context: OptionalStr = None


class InstrumentKind(StrEnum):
    """Kinds of tranche in a capital stack."""

    COMMERCIAL_DEBT = "commercial_debt"
    CONCESSIONAL_DEBT = "concessional_debt"
    GUARANTEED_DEBT = "guaranteed_debt"
    """Commercial debt under a development-finance guaranty."""
    BLENDED_DEBT = "blended_debt"
    OFFTAKE_LINKED_DEBT = "offtake_linked_debt"
    GRANT = "grant"
    EQUITY = "equity"
    STATE_EQUITY = "state_equity"
    """A state company's stake; ``carried`` when it pays no capex."""


class InstrumentTerm(SourcedRow):
    """Default terms of one kind of tranche from one institution (rates real, US$)."""

    kind: InstrumentKind
    institution: str = Field(min_length=1)
    rate_pct: OptionalFloat = Field(default=None, ge=0.0, le=100.0)
    """Interest rate, % per year; missing for grants and equity."""
    tenor_years: OptionalFloat = Field(default=None, ge=0.0, le=40.0)
    """From the first year of operation to the last repayment."""
    grace_years: OptionalFloat = Field(default=None, ge=0.0, le=40.0)
    """Years of operation with interest only before principal repayments start."""
    context: OptionalStr = None
