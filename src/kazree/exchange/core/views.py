"""Read-only views of the engine state: what the engine's query methods hand out.

Frozen copies, never the engine's own mutable objects, so nothing outside the core can change
its state; the service, the CLI and the dashboard read the engine only through them.
"""

from __future__ import annotations

from dataclasses import dataclass

from kazree.exchange.core.auction import AuctionRecord
from kazree.exchange.core.domain import (
    Assay,
    ExportControl,
    InstrumentSpec,
    ProvenanceStep,
    Role,
    Side,
    Stp,
    TimeInForce,
)


@dataclass(slots=True, frozen=True)
class BookDepth:
    """Aggregated levels, best first, as ``(price_ticks, lots)``; ``seq`` orders the views."""

    instrument: str
    seq: int
    bids: tuple[tuple[int, int], ...]
    asks: tuple[tuple[int, int], ...]


@dataclass(slots=True, frozen=True)
class OrderView:
    """A resting order."""

    order_id: int
    participant: str
    client_order_id: str
    instrument: str
    side: Side
    price_ticks: int
    remaining_lots: int
    tif: TimeInForce
    stp: Stp
    post_only: bool
    ts: int


@dataclass(slots=True, frozen=True)
class Balance:
    """Cash in one currency, in minor units."""

    currency: str
    available: int
    locked: int


@dataclass(slots=True, frozen=True)
class ReceiptView:
    """A warehouse receipt and how much of it backs open sells."""

    receipt_id: str
    owner: str
    warehouse: str
    product: str
    quantity_kg: int
    locked_kg: int
    assay: Assay
    provenance: tuple[ProvenanceStep, ...]
    export_licence: str | None
    """The export licence the goods carry, if any."""


@dataclass(slots=True, frozen=True)
class ParticipantView:
    """A registered participant and where it stands."""

    participant: str
    country: str
    roles: tuple[Role, ...]
    suspended: bool
    denied: str | None
    """Why it is on the denied-party list (``None``: it is not)."""


@dataclass(slots=True, frozen=True)
class InstrumentView:
    """A listed instrument: its specification and its state now."""

    spec: InstrumentSpec
    reference_ticks: int
    band_low_ticks: int
    band_high_ticks: int
    call_opened_ts: int | None
    """When its open call phase started (``None`` outside one)."""
    admitted: tuple[str, ...] | None
    """The countries its participants must be in, sorted (``None``: every country)."""
    auctions: tuple[AuctionRecord, ...]
    """Its latest uncrosses (as many as asked for), oldest first."""

    @property
    def in_auction(self) -> bool:
        """Whether a call phase is open."""
        return self.call_opened_ts is not None


@dataclass(slots=True, frozen=True)
class PolicyView:
    """The policy in force: denied parties, instrument jurisdictions, export controls."""

    denied: tuple[tuple[str, str], ...]
    """``(participant, reason)``, by participant."""
    jurisdictions: tuple[tuple[str, tuple[str, ...]], ...]
    """``(instrument, admitted countries)`` of the restricted instruments, by instrument."""
    controls: tuple[ExportControl, ...]
