"""Base-year demand, its growth and magnet intensities of end uses."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from kazree.chain.forms import Sector
from kazree.data.schema import CountryCode, OptionalFloat, Percent, SourcedRow, Tonnes, Year


class Demand(SourcedRow):
    """Rare-earth demand of one region and sector in one year, t REO."""

    region: str = Field(pattern=r"^[A-Z0-9]{2,5}$")
    """A country code from ``countries.csv``, a bloc, or ``WORLD``."""
    sector: Sector
    year: Year
    demand_t_reo: Tonnes


class DemandGrowth(SourcedRow):
    """Expected growth of a sector's demand, % per year, over a span of years."""

    sector: Sector
    growth_pct_per_year: float = Field(ge=-50.0, le=100.0)
    from_year: Year
    to_year: Year


class MagnetIntensity(SourcedRow):
    """Magnet or rare-earth content of one end-use application (low / central / high)."""

    application: str = Field(pattern=r"^[a-z0-9_]+$")
    sector: Sector
    value: float = Field(ge=0.0)
    low: OptionalFloat = None
    high: OptionalFloat = None
    unit: str = Field(min_length=1)
    """E.g. ``kg_ndfeb_per_vehicle``, ``kg_ndfeb_per_mw``, ``g_dy_per_vehicle``."""


class MagnetProduct(StrEnum):
    """Which magnets an output figure counts."""

    NDFEB = "ndfeb"
    """All NdFeB magnets (sintered and bonded)."""
    SINTERED_NDFEB = "sintered_ndfeb"
    BONDED_NDFEB = "bonded_ndfeb"


class MagnetOutput(SourcedRow):
    """Magnet output of one country in one year, t of magnet."""

    country: CountryCode
    year: Year
    product: MagnetProduct
    output_t: Tonnes
    lower_bound: bool = False
    """True where the source gives only a floor (">150,000 t")."""


class DemandCaseGrowth(SourcedRow):
    """Growth of a sector's demand in one published outlook case, % per year, over a span."""

    case: str = Field(pattern=r"^[a-z0-9_]+$")
    sector: Sector
    growth_pct_per_year: float = Field(ge=-50.0, le=100.0)
    from_year: Year
    to_year: Year


class MagnetGradeUse(SourcedRow):
    """Share of a magnet sector's base-year demand that needs at least one magnet grade, %."""

    sector: Sector
    grade: str = Field(min_length=1)
    share_pct: Percent
