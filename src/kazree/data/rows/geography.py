"""Countries, blocs and the world totals of mine production and reserves."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field

from kazree.data.schema import (
    CountryCode,
    OptionalFloat,
    OptionalStr,
    SourcedRow,
    Tonnes,
    Year,
    split_codes,
)

OTHER_COUNTRIES = "ZZ"
"""Code for USGS's "Other countries" remainder (a user-assigned ISO 3166 code)."""


class Bloc(StrEnum):
    """Groups of countries used for demand regions and policy destinations."""

    EU = "EU"
    """European Union member states."""
    G7 = "G7"
    """Group of Seven (CA, DE, FR, GB, IT, JP, US)."""
    EAEU = "EAEU"
    """Eurasian Economic Union (AM, BY, KZ, KG, RU)."""
    OTS = "OTS"
    """Organization of Turkic States members (AZ, KZ, KG, TR, UZ)."""
    ASEAN = "ASEAN"
    """Association of Southeast Asian Nations."""
    CENTRAL_ASIA = "CA5"
    """The five Central Asian states (KZ, KG, TJ, TM, UZ)."""


def _blocs(value: str) -> str:
    allowed = {b.value for b in Bloc}
    unknown = [code for code in split_codes(value) if code not in allowed]
    if unknown:
        names = ", ".join(map(repr, unknown))
        msg = f"unknown bloc {names} (allowed: {', '.join(sorted(allowed))})"
        raise ValueError(msg)
    return value


class Country(SourcedRow):
    """A country (or the USGS remainder ``ZZ``) with its blocs and an approximate centroid."""

    code: CountryCode
    name: str = Field(min_length=1)
    blocs: Annotated[str, AfterValidator(_blocs)] = ""
    """Bloc codes, ``;``-separated (see :class:`Bloc`); empty for none."""
    usgs_name: OptionalStr = None
    """The name USGS Mineral Commodity Summaries use, where the country appears there."""
    lat: OptionalFloat = Field(default=None, ge=-90.0, le=90.0)
    """Approximate centroid latitude (degrees north)."""
    lon: OptionalFloat = Field(default=None, ge=-180.0, le=180.0)
    """Approximate centroid longitude (degrees east)."""


class WorldMetric(StrEnum):
    """What a world total measures."""

    MINE_PRODUCTION = "mine_production"
    RESERVES = "reserves"
    MAGNET_REE_DEMAND = "magnet_ree_demand"
    """Demand for the magnet rare earths (Nd, Pr, Dy, Tb); the magnet sectors of ``demand``
    sum to it."""
    REE_DEMAND = "ree_demand"
    """Demand for all rare earths; every sector of ``demand`` sums to it."""


class WorldTotal(SourcedRow):
    """A world total as its source publishes it (rounded), in t REO."""

    metric: WorldMetric
    year: Year
    edition: str = Field(min_length=1)
    """Source edition, e.g. ``MCS2025``, ``GCMO2024``; ``derived`` for a total kazree computes."""
    value_t_reo: Tonnes
    lower_bound: bool = False
    """True where the source gives only a floor (``>90,000,000``)."""
