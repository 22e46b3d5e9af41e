"""Row schemas shared by every dataset table: the sourced base row and common field types.

Every row carries ``source``, ``vintage`` and ``confidence``. Field types here turn a CSV cell into
a typed value and, when the cell is wrong, say what is allowed.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from kazree.chain.elements import symbols

BASE_YEAR = 2024
"""The dataset's base year: the year its country aggregates and calibrations describe."""

_VINTAGE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_SOURCE_ID = re.compile(r"^[a-z0-9_]+$")


class Confidence(StrEnum):
    """How far a datum can be trusted.

    ``derived`` rows are computed from cited numbers; ``none`` marks a known gap kept on purpose.
    """

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    DERIVED = "derived"
    NONE = "none"


def split_codes(value: str) -> tuple[str, ...]:
    """Split a ``;``-separated cell (``"EU;G7"``) into stripped, non-empty codes."""
    return tuple(part.strip() for part in value.split(";") if part.strip())


def _vintage(value: str) -> str:
    padded = value + "-01" * (2 - value.count("-"))
    try:
        ok = bool(_VINTAGE.match(value)) and date.fromisoformat(padded) is not None
    except ValueError:
        ok = False
    if not ok:
        msg = f"{value!r} is not a date (allowed: YYYY, YYYY-MM or YYYY-MM-DD)"
        raise ValueError(msg)
    return value


def _optional_vintage(value: str | None) -> str | None:
    return None if value is None else _vintage(value)


def _source_ids(value: str) -> str:
    bad = [code for code in split_codes(value) if not _SOURCE_ID.match(code)]
    if bad or not split_codes(value):
        msg = f"{value!r} is not a list of source ids (allowed: ids like usgs_mcs2025, ';' between)"
        raise ValueError(msg)
    return value


def _country(value: str) -> str:
    if not _COUNTRY.match(value):
        msg = f"{value!r} is not a country code (allowed: ISO 3166 alpha-2, e.g. KZ)"
        raise ValueError(msg)
    return value


def _element(value: str) -> str:
    if value not in symbols():
        msg = f"unknown element {value!r} (allowed: {', '.join(symbols())})"
        raise ValueError(msg)
    return value


def _blank_to_none(value: object) -> object:
    if isinstance(value, str) and not value.strip():
        return None
    return value


CountryCode = Annotated[str, AfterValidator(_country)]
"""ISO 3166 alpha-2 code (``ZZ`` stands for USGS's "Other countries" remainder)."""
ElementSymbol = Annotated[str, AfterValidator(_element)]
"""Symbol of one of the 16 rare earths in :mod:`kazree.chain`."""
Tonnes = Annotated[float, Field(ge=0.0)]
"""A non-negative mass in tonnes."""
Percent = Annotated[float, Field(ge=0.0, le=100.0)]
"""A share in percent, 0 to 100."""
Year = Annotated[int, Field(ge=1900, le=2100)]
"""A calendar year."""
OptionalNonNegative = Annotated[float | None, BeforeValidator(_blank_to_none), Field(ge=0.0)]
"""A non-negative number, or missing when the cell is empty."""
OptionalTonnes = OptionalNonNegative
"""A non-negative mass in tonnes, or missing."""
OptionalFloat = Annotated[float | None, BeforeValidator(_blank_to_none)]
OptionalYear = Annotated[int | None, BeforeValidator(_blank_to_none), Field(ge=1900, le=2100)]
OptionalStr = Annotated[str | None, BeforeValidator(_blank_to_none)]


class Row(BaseModel):
    """Base of every table row: frozen, whitespace-stripped, no unknown columns."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class SourcedRow(Row):
    """Base of every dataset row: where the number comes from and how good it is."""

    source: Annotated[str, AfterValidator(_source_ids)]
    """Id of a row in ``sources.csv``; several ids are separated by ``;``."""
    vintage: Annotated[str, AfterValidator(_vintage)]
    """Edition or publication date of the source: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    confidence: Confidence

    @property
    def source_ids(self) -> tuple[str, ...]:
        """The ids in ``source``."""
        return split_codes(self.source)


class Source(Row):
    """One cited source, referred to by id from the ``source`` column of every other table."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    published: Annotated[OptionalStr, AfterValidator(_optional_vintage)] = None
    """Publication date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) where known."""
    url: OptionalStr = None
