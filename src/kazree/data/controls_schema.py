"""Row schema of ``export_controls.csv``: one dated export-control rule a row.

A rule names who restricts exports (``exporter``), of which elements and product forms, to which
destinations, between which dates, and how much of the trade it lets through
(``licence_share``). A ``suspension`` rule switches other rules off over its window by id.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BeforeValidator, Field, model_validator

from kazree.chain.elements import symbols
from kazree.chain.forms import Form
from kazree.data.schema import CountryCode, SourcedRow, split_codes

ALL = "*"
"""Wildcard: every element, every form or every destination."""

NON_REE = "non_ree"
"""Form token for items outside the rare-earth chain that a package controls alongside it."""

CONTROL_FORMS: tuple[str, ...] = (*(f.value for f in Form), "technology", "equipment", NON_REE)
"""What a rule can cover: the chain's product forms, technology, equipment, non-REE items."""


class RuleKind(StrEnum):
    """What sort of restriction a rule is."""

    LICENCE = "licence"
    """Exports need a licence; ``licence_share`` is the assumed approval share."""
    BAN = "ban"
    """Exports prohibited (share 0)."""
    TECHNOLOGY = "technology"
    """Technology or know-how transfer controls."""
    QUOTA = "quota"
    """A volume cap on exports (not expressed as a share)."""
    DISRUPTION = "disruption"
    """A de-facto interruption of supply (conflict, border closure), not a legal rule."""
    SUSPENSION = "suspension"
    """Switches the rules listed in ``suspends`` off for its window."""


def _split(value: object) -> object:
    """Read a ``;``-separated CSV cell as a tuple; other inputs pass through unchanged."""
    return split_codes(value) if isinstance(value, str) else value


Codes = Annotated[tuple[str, ...], BeforeValidator(_split)]


class ExportControlRow(SourcedRow):
    """One export-control rule, in force from ``effective`` to ``until`` (both inclusive)."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    """Stable identifier, referred to by suspension rules."""
    instrument: str = Field(min_length=1)
    """The legal instrument or event, e.g. ``MOFCOM/GAC Announcement No. 18 (2025)``."""
    issuer: str = Field(min_length=1)
    """Authority (or actor) behind the rule."""
    exporter: CountryCode
    """ISO 3166 alpha-2 code of the country whose exports the rule restricts."""
    kind: RuleKind
    elements: Codes = ()
    """Element symbols covered, or ``*``; empty only for rules on non-REE items alone."""
    forms: Codes = Field(min_length=1)
    """Covered forms: chain product forms, ``technology``, ``equipment``, ``non_ree``, or ``*``."""
    destinations: Codes = Field(min_length=1)
    """ISO 3166 alpha-2 codes of the destinations covered, or ``*`` for all."""
    effective: date | None = None
    """First day in force; empty when the start is unknown and predates the source."""
    until: date | None = None
    """Last day in force (inclusive); empty when open-ended."""
    suspends: Codes = ()
    """Ids of the rules a ``suspension`` rule switches off over its window."""
    licence_share: float = Field(ge=0.0, le=1.0)
    """Share of the covered trade let through (0 = ban, 1 = no effect); an assumption."""
    items: str = ""
    """Short description of the covered items as the instrument lists them."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        """Check element and form codes, date order and the suspension fields together."""
        _check_codes("elements", self.elements, symbols())
        _check_codes("forms", self.forms, CONTROL_FORMS)
        for code in self.destinations:
            if code != ALL and not (len(code) == 2 and code.isalpha() and code.isupper()):
                msg = f"destinations: {code!r} is not an ISO 3166 alpha-2 code or '*'"
                raise ValueError(msg)
        if not self.elements and self.forms != (NON_REE,):
            msg = f"elements: empty is allowed only when forms is '{NON_REE}' alone"
            raise ValueError(msg)
        if self.effective and self.until and self.until < self.effective:
            msg = f"until {self.until} is before effective {self.effective}"
            raise ValueError(msg)
        _check_suspension(self)
        return self


def _check_codes(field: str, codes: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    """Raise ``ValueError`` if ``codes`` has an unknown, repeated or misplaced wildcard code."""
    if ALL in codes:
        if codes != (ALL,):
            msg = f"{field}: '*' must stand alone, got {';'.join(codes)!r}"
            raise ValueError(msg)
        return
    unknown = [c for c in codes if c not in allowed]
    if unknown:
        msg = f"{field}: unknown {', '.join(map(repr, unknown))} (allowed: {', '.join(allowed)}, *)"
        raise ValueError(msg)
    if len(set(codes)) != len(codes):
        msg = f"{field}: repeated code in {';'.join(codes)!r}"
        raise ValueError(msg)


def _check_suspension(row: ExportControlRow) -> None:
    """A suspension lists what it suspends, lets everything through and cannot list itself."""
    if row.kind is RuleKind.SUSPENSION:
        if not row.suspends:
            msg = "suspends: a suspension rule must list the ids it suspends"
            raise ValueError(msg)
        if row.licence_share != 1.0:
            msg = f"licence_share: a suspension rule must have 1, got {row.licence_share}"
            raise ValueError(msg)
        if row.id in row.suspends:
            msg = f"suspends: rule {row.id!r} cannot suspend itself"
            raise ValueError(msg)
    elif row.suspends:
        msg = f"suspends: only kind 'suspension' may suspend rules (kind is {row.kind.value!r})"
        raise ValueError(msg)
