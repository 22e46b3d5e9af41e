"""Stage shares, facilities (itemised plants and country aggregates) and resource claims."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from kazree.chain.forms import Form, MagnetType, Stage
from kazree.data.schema import (
    CountryCode,
    OptionalFloat,
    OptionalNonNegative,
    OptionalStr,
    OptionalTonnes,
    OptionalYear,
    Percent,
    SourcedRow,
    Year,
)

FacilityId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+$")]
"""Stable id: ``CC-stage`` for country aggregates (``CN-separation``), else a slug."""


class ShareCoverage(StrEnum):
    """Which elements or products a stage share covers."""

    ALL_REE = "all_ree"
    """All rare earths (total REO)."""
    MAGNET_REE = "magnet_ree"
    """The magnet rare earths Nd, Pr, Dy and Tb (the IEA's scope)."""
    NDPR = "ndpr"
    HREE = "hree"
    """Heavy rare earths."""
    NDFEB_MAGNETS = "ndfeb_magnets"
    """All NdFeB magnets."""
    SINTERED_NDFEB_MAGNETS = "sintered_ndfeb_magnets"


class ShareMeasure(StrEnum):
    """What a stage share divides: output or capacity."""

    OUTPUT = "output"
    CAPACITY = "capacity"


class StageShare(SourcedRow):
    """A published share of one country in one stage of the chain (t02)."""

    stage: Stage
    coverage: ShareCoverage
    """Elements (or magnets) the share covers."""
    measure: ShareMeasure
    """Whether it is a share of output or of capacity."""
    country: CountryCode
    share_pct: Percent
    year: Year
    projection: bool = False
    """True for an outlook figure rather than an observed one."""
    basis: str = Field(min_length=1)
    """Who computed the share and from what (free text)."""


class CapacityBasis(StrEnum):
    """What ``capacity_t`` counts, in tonnes per year."""

    T_REO = "t_reo"
    """Rare-earth oxide (in concentrate for mines, in products for plants)."""
    T_NDPR_OXIDE = "t_ndpr_oxide"
    """Separated NdPr oxide."""
    T_HREE_FEED = "t_hree_feed"
    """Heavy rare-earth feedstock treated."""
    T_METAL = "t_metal"
    """Rare-earth metal and alloy."""
    T_MAGNET = "t_magnet"
    """Finished magnet (e.g. sintered NdFeB)."""
    T_ORE = "t_ore"
    """Run-of-mine ore."""


class CapacityMeasure(StrEnum):
    """What kind of figure ``capacity_t`` is."""

    NAMEPLATE = "nameplate"
    """Design (nameplate) capacity, built or planned."""
    OUTPUT = "output"
    """Actual output of a year, standing in for capacity (the plant's nameplate is not used)."""
    QUOTA = "quota"
    """An official production quota (China's mining and separation quotas)."""


class Status(StrEnum):
    """Where a facility stands."""

    OPERATING = "operating"
    CONSTRUCTION = "construction"
    FEASIBILITY = "feasibility"
    EXPLORATION = "exploration"
    ANNOUNCED = "announced"
    SUSPENDED = "suspended"
    HISTORIC = "historic"


class Facility(SourcedRow):
    """A mine or plant, or a country aggregate of plants that are not itemised.

    ``capacity_t`` is tonnes per year on ``capacity_basis``; missing where undisclosed.
    A row with ``part_of`` is already counted, for the base year, in the named aggregate.
    """

    id: FacilityId
    name: str = Field(min_length=1)
    country: CountryCode
    stage: Stage
    form: Form | None = None
    """Product form made (chain vocabulary)."""
    magnet_type: MagnetType | None = None
    capacity_t: OptionalTonnes = None
    capacity_basis: CapacityBasis
    capacity_measure: CapacityMeasure
    """Whether ``capacity_t`` is a nameplate, a year's output or a quota."""
    status: Status
    start_year: OptionalYear = None
    """First (or planned first) year of production."""
    aggregate: bool = False
    """True for a country aggregate (id ``CC-stage``) rather than one plant."""
    part_of: OptionalStr = None
    """Id of the aggregate that already counts this plant's base-year output."""
    deposit_type: OptionalStr = None
    """For mines: the ``deposit_type`` of ``element_distribution.csv`` that describes the ore."""
    discovery_year: OptionalYear = None
    capex_musd: OptionalNonNegative = None
    """Capital cost, million US$ (converted at the source's rate where it gave another currency)."""
    dy_oxide_t: OptionalTonnes = None
    """Dysprosium oxide the plant makes or plans, t per year, where the source gives it."""
    tb_oxide_t: OptionalTonnes = None
    """Terbium oxide the plant makes or plans, t per year, where the source gives it."""
    owners: OptionalStr = None
    """Owners and shares as published, ``;``-separated."""
    lat: OptionalFloat = Field(default=None, ge=-90.0, le=90.0)
    lon: OptionalFloat = Field(default=None, ge=-180.0, le=180.0)


class ClaimBasis(StrEnum):
    """The reporting code a resource figure was published under."""

    JORC = "JORC"
    NI_43_101 = "NI 43-101"
    GKZ = "GKZ"
    NONE = "none"


class ResourceClass(StrEnum):
    """How firm a resource figure is."""

    RESERVE = "reserve"
    MEASURED_INDICATED = "measured_indicated"
    INFERRED = "inferred"
    PROGNOSTIC = "prognostic"
    HISTORIC = "historic"
    UNKNOWN = "unknown"


class Deposit(SourcedRow):
    """One resource claim for a deposit: ore tonnage, grade and contained rare earths as claimed.

    Any of the figures may be missing; where ore, grade and contained tonnage are all given they
    must agree (``ore_t`` x grade ~ ``contained_reo_t``).
    """

    id: FacilityId
    name: str = Field(min_length=1)
    country: CountryCode
    deposit_type: OptionalStr = None
    ore_t: OptionalTonnes = None
    grade_g_per_t: OptionalNonNegative = None
    """Grade in grams of total rare earths per tonne of ore."""
    grade_pct_treo: Annotated[OptionalFloat, Field(ge=0.0, le=100.0)] = None
    """Grade in percent of total rare-earth oxide."""
    contained_reo_t: OptionalTonnes = None
    """Contained rare earths as claimed (oxide, or metal where the claim says so)."""
    claim_basis: ClaimBasis
    resource_class: ResourceClass = ResourceClass.UNKNOWN
    discovery_year: OptionalYear = None
    claim_year: Year
    lat: OptionalFloat = Field(default=None, ge=-90.0, le=90.0)
    """Where the claim lies, as its sources place it; missing where none does."""
    lon: OptionalFloat = Field(default=None, ge=-180.0, le=180.0)
