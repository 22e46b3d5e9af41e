"""Events: what a command did. Slotted dataclasses; JSON objects with a ``"type"`` field.

Events are read-only by convention, not ``frozen`` (which makes building them several times
slower): the engine keeps trades and references, so a receiver must never change one.

Each accepted command yields :class:`Accepted` first, then the events of its effects; a refused
command yields exactly one :class:`Rejected` and changes nothing. A :class:`Trade` implies its
settlement: the buyer pays ``price * quantity * tick value + buyer_fee``, the seller receives the
notional less ``seller_fee``, the exchange receives both fees, and the receipts move as the
``ReceiptMoved`` / ``ReceiptSplit`` events that follow it say.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kazree.exchange.core.codec import encoder, from_json
from kazree.exchange.core.commands import type_name
from kazree.exchange.core.domain import Side
from kazree.exchange.core.errors import MalformedCommand, RejectCode


class CancelReason(StrEnum):
    """Why an order's remainder left the book."""

    REQUESTED = "requested"
    IOC = "ioc"
    FOK = "fok"
    MARKET = "market"
    STP = "stp"
    SUSPENDED = "suspended"
    POLICY = "policy"
    """A denied party, a jurisdiction or an export control no longer allows it to rest."""


@dataclass(slots=True)
class Accepted:
    """The command was accepted; ``order_id`` is set for a new order."""

    command: str
    order_id: int | None = None


@dataclass(slots=True)
class Rejected:
    """The command was refused and the state is unchanged."""

    command: str
    reason_code: RejectCode
    message: str


@dataclass(slots=True)
class Trade:
    """A fill between a buy and a sell order, settled delivery-versus-payment in the same step.

    ``aggressor`` is the incoming order's side, ``None`` for an auction fill.
    """

    trade_id: int
    ts: int
    instrument: str
    price_ticks: int
    quantity_lots: int
    buy_order_id: int
    sell_order_id: int
    buyer: str
    seller: str
    aggressor: Side | None
    buyer_fee: int
    seller_fee: int


@dataclass(slots=True)
class Cancelled:
    """An order's open remainder was cancelled."""

    order_id: int
    participant: str
    remaining_lots: int
    reason: CancelReason


@dataclass(slots=True)
class Replaced:
    """A resting order now has this price and open quantity."""

    order_id: int
    price_ticks: int
    quantity_lots: int
    priority_kept: bool


@dataclass(slots=True)
class Expired:
    """A DAY order's remainder expired at the end of the day."""

    order_id: int
    participant: str
    remaining_lots: int


@dataclass(slots=True)
class AuctionResult:
    """A call auction's uncross: the price (``None`` when nothing crossed) and volumes."""

    instrument: str
    price_ticks: int | None
    volume_lots: int
    imbalance_lots: int


@dataclass(slots=True)
class ReferencePrice:
    """A day's reference price, or the previous one carried forward and flagged.

    ``source`` is ``auction``, ``vwap`` or ``carried``; ``counterparties`` counts the distinct
    participants in the trades the price was taken from.
    """

    instrument: str
    day: str
    price_ticks: int
    source: str
    counterparties: int
    flagged: bool
    carried_forward: bool


@dataclass(slots=True)
class CashMoved:
    """A deposit (positive) or withdrawal (negative), in minor units."""

    participant: str
    currency: str
    amount: int


@dataclass(slots=True)
class ReceiptIssued:
    """A receipt entered the exchange."""

    receipt_id: str
    owner: str
    quantity_kg: int


@dataclass(slots=True)
class ReceiptWithdrawn:
    """A receipt left the exchange."""

    receipt_id: str
    owner: str
    quantity_kg: int


@dataclass(slots=True)
class ReceiptMoved:
    """A whole receipt changed owner in settlement of a trade."""

    receipt_id: str
    seller: str
    buyer: str
    quantity_kg: int
    trade_id: int


@dataclass(slots=True)
class ReceiptSplit:
    """Part of a receipt became a new receipt owned by the buyer, in settlement of a trade."""

    receipt_id: str
    new_receipt_id: str
    seller: str
    buyer: str
    quantity_kg: int
    trade_id: int


Event = (
    Accepted
    | Rejected
    | Trade
    | Cancelled
    | Replaced
    | Expired
    | AuctionResult
    | ReferencePrice
    | CashMoved
    | ReceiptIssued
    | ReceiptWithdrawn
    | ReceiptMoved
    | ReceiptSplit
)

EVENT_TYPES: dict[str, type[Event]] = {
    type_name(c): c
    for c in (
        Accepted,
        Rejected,
        Trade,
        Cancelled,
        Replaced,
        Expired,
        AuctionResult,
        ReferencePrice,
        CashMoved,
        ReceiptIssued,
        ReceiptWithdrawn,
        ReceiptMoved,
        ReceiptSplit,
    )
}
"""JSON type name -> event class."""

_NAME_OF = {cls: name for name, cls in EVENT_TYPES.items()}


def event_to_json(ev: Event) -> dict[str, Any]:
    """The event as a JSON object with its ``"type"``; ``parse_event`` inverts it."""
    cls = type(ev)
    return encoder(cls, _NAME_OF[cls])(ev)


def parse_event(obj: Mapping[str, Any]) -> Event:
    """The event described by a JSON object (as written by ``event_to_json``)."""
    name = obj.get("type") if isinstance(obj, Mapping) else None
    cls = EVENT_TYPES.get(name) if isinstance(name, str) else None
    if cls is None:
        msg = f"event.type: {name!r} is not one of {', '.join(EVENT_TYPES)}"
        raise MalformedCommand(msg)
    ev: Event = from_json(cls, obj, str(name))
    return ev
