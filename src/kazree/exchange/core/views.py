"""Read-only views of the engine state, for the service and for tests."""

from __future__ import annotations

from dataclasses import dataclass

from kazree.exchange.core.domain import Assay, ProvenanceStep, Side, Stp, TimeInForce


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
