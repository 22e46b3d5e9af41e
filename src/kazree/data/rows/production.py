"""Mine production and reserves by country (USGS Mineral Commodity Summaries)."""

from __future__ import annotations

from pydantic import Field

from kazree.data.schema import CountryCode, OptionalStr, OptionalTonnes, SourcedRow, Tonnes, Year


class MineProduction(SourcedRow):
    """Mine production of one country in one year, t REO, as one USGS edition gives it."""

    country: CountryCode
    year: Year
    edition: str = Field(min_length=1)
    """Source edition, e.g. ``MCS2024``, ``MCS2025``; a later edition may revise a figure."""
    production_t_reo: Tonnes
    qualifier: OptionalStr = None
    """USGS's mark on the figure: ``e`` estimate, ``e12`` estimated from China's imports,
    ``quota`` official quota."""


class Reserve(SourcedRow):
    """Reserves of one country, t REO; missing (not zero) where USGS gives none."""

    country: CountryCode
    year: Year
    edition: str = Field(min_length=1)
    reserves_t_reo: OptionalTonnes = None
