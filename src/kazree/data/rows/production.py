"""Mine production and reserves by country (USGS Mineral Commodity Summaries)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field

from kazree.chain.elements import symbols
from kazree.chain.forms import Form
from kazree.data.schema import (
    CountryCode,
    OptionalStr,
    OptionalTonnes,
    SourcedRow,
    Tonnes,
    Year,
)


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


class FlowMeasure(StrEnum):
    """How a trade or production figure was obtained."""

    CUSTOMS = "customs"
    ESTIMATE = "estimate"
    """An analyst's estimate of a past year."""
    FORECAST = "forecast"
    """A forecast made before the year was over."""


class Bound(StrEnum):
    """Whether a figure is a point value or a bound."""

    POINT = "point"
    UPPER = "upper"
    """The source gives "less than" the figure."""
    LOWER = "lower"
    """The source gives "more than" the figure."""


class TradeFlow(SourcedRow):
    """Rare-earth feed or product shipped from one country (or bloc) to another in a year."""

    origin: str = Field(pattern=r"^[A-Z0-9]{2,5}$")
    """A country code, or a bloc (``ASEAN``) where the source gives only a region."""
    destination: CountryCode
    year: Year
    form: Form
    quantity_t_reo: Tonnes
    measure: FlowMeasure
    bound: Bound = Bound.POINT


NDPR = "NdPr"
"""The Nd-Pr pair as traded (PrNd oxide)."""


def _element_or_ndpr(value: str | None) -> str | None:
    if value is not None and value != NDPR and value not in symbols():
        msg = f"unknown element {value!r} (allowed: {', '.join(symbols())}, {NDPR} or empty)"
        raise ValueError(msg)
    return value


class SecondaryProduction(SourcedRow):
    """Rare-earth oxide recovered from scrap (outside mining) in one country and year, t REO."""

    country: CountryCode
    year: Year
    element: Annotated[OptionalStr, AfterValidator(_element_or_ndpr)] = None
    """An element symbol, ``NdPr``, or empty for the total of all elements."""
    feed: str = Field(min_length=1)
    """What was recycled, e.g. ``magnet_scrap``."""
    quantity_t_reo: Tonnes
