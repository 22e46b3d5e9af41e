"""Order history, fills, positions and refusals projected from journal entries (pure).

A round takes journaled entries (a command and its events), the rows those entries touch as
they stand (loaded by the caller), and updates them in memory: an order placed in the round
becomes a new row; a trade fills both orders, adds a trade row and moves both positions; a
cancel, replace or expiry changes the order; a refusal becomes a refusal row. The caller writes
the result in one transaction with the journal seq it reached.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kazree.exchange.core.domain import Side
from kazree.venue.positions import Position

EXPIRED = "expired"
"""``OrderRow.closed`` of an order whose remainder expired at the end of the day."""


@dataclass(slots=True)
class OrderRow:
    """An order as placed, and what became of it."""

    order_id: int
    participant: str
    client_order_id: str
    instrument: str
    side: str
    kind: str
    tif: str
    post_only: bool
    stp: str
    limit_ticks: int | None
    quantity_lots: int
    """Lots ordered (after a replace: filled lots plus the new open lots)."""
    open_lots: int
    filled_lots: int
    filled_ticks_lots: int
    """Sum of price x lots over the fills (the average fill price is this / filled lots)."""
    closed: str | None
    """Why the remainder left the book (a cancel reason or ``expired``); ``None`` otherwise."""
    placed_ts: int
    updated_ts: int
    placed_seq: int

    def status(self) -> str:
        """``resting``, ``filled``, ``cancelled`` or ``expired``."""
        if self.open_lots:
            return "resting"
        if self.closed is None:
            return "filled"
        return EXPIRED if self.closed == EXPIRED else "cancelled"


@dataclass(slots=True)
class TradeRow:
    """A trade with both owners, the fees and the receipts the buyer received."""

    trade_id: int
    ts: int
    instrument: str
    price_ticks: int
    quantity_lots: int
    buy_order_id: int
    sell_order_id: int
    buyer: str
    seller: str
    aggressor: str | None
    buyer_fee: int
    seller_fee: int
    receipts: list[tuple[str, int]] = field(default_factory=list)
    """``(receipt id, kg)`` delivered to the buyer."""


@dataclass(slots=True)
class RefusalRow:
    """A command the engine refused, with its reject code."""

    seq: int
    ts: int
    command: str
    participant: str | None
    instrument: str | None
    code: str
    message: str


@dataclass(slots=True)
class Round:
    """The rows one projection round reads and writes."""

    orders: dict[int, OrderRow]
    """Orders the round touches: loaded ones and those placed in the round."""
    positions: dict[tuple[str, str], Position]
    """(participant, instrument) -> position, for every pair the round's trades touch."""
    new_orders: set[int] = field(default_factory=set)
    trades: list[TradeRow] = field(default_factory=list)
    refusals: list[RefusalRow] = field(default_factory=list)


Entry = tuple[int, dict[str, Any], list[dict[str, Any]]]
"""A journal entry as stored: seq, the command's JSON object, its events' JSON objects.

Read as plain JSON (the objects of ``command_to_json`` / ``event_to_json``) rather than as
typed commands and events: projecting is then several times cheaper, which matters because
it runs in the service beside the writer.
"""


def touched(entries: Iterable[Entry]) -> tuple[set[int], set[tuple[str, str]]]:
    """The order ids and (participant, instrument) positions the entries change."""
    orders: set[int] = set()
    positions: set[tuple[str, str]] = set()
    for _, _, events in entries:
        for ev in events:
            kind = ev["type"]
            if kind == "trade":
                orders.update((ev["buy_order_id"], ev["sell_order_id"]))
                positions.update(
                    ((ev["buyer"], ev["instrument"]), (ev["seller"], ev["instrument"]))
                )
            elif kind in _ORDER_EVENTS:
                orders.add(ev["order_id"])
    return orders, positions


_ORDER_EVENTS = frozenset({"cancelled", "replaced", "expired"})


def apply(round_: Round, entries: Iterable[Entry]) -> None:
    """Project ``entries`` onto ``round_``'s rows, in journal order."""
    trades: dict[int, TradeRow] = {}
    orders = round_.orders
    for seq, command, events in entries:
        ts = command["ts"]
        for ev in events:
            kind = ev["type"]
            if kind == "accepted":
                if command["type"] == "place_order" and ev["order_id"] is not None:
                    _placed(round_, seq, command, ev["order_id"])
            elif kind == "trade":
                trades[ev["trade_id"]] = _traded(round_, ev)
            elif kind == "receipt_moved":
                trades[ev["trade_id"]].receipts.append((ev["receipt_id"], ev["quantity_kg"]))
            elif kind == "receipt_split":
                trades[ev["trade_id"]].receipts.append((ev["new_receipt_id"], ev["quantity_kg"]))
            elif kind == "cancelled":
                _closed(orders.get(ev["order_id"]), ev["reason"], ts)
            elif kind == "expired":
                _closed(orders.get(ev["order_id"]), EXPIRED, ts)
            elif kind == "replaced":
                _replaced(orders.get(ev["order_id"]), ev, ts)
            elif kind == "rejected":
                round_.refusals.append(_refusal(seq, command, ev))
    round_.trades.extend(trades.values())


def _placed(round_: Round, seq: int, cmd: dict[str, Any], order_id: int) -> None:
    round_.orders[order_id] = OrderRow(
        order_id=order_id,
        participant=cmd["participant"],
        client_order_id=cmd["client_order_id"],
        instrument=cmd["instrument"],
        side=cmd["side"],
        kind=cmd["kind"],
        tif=cmd["tif"],
        post_only=cmd["post_only"],
        stp=cmd["stp"],
        limit_ticks=cmd["price_ticks"],
        quantity_lots=cmd["quantity_lots"],
        open_lots=cmd["quantity_lots"],
        filled_lots=0,
        filled_ticks_lots=0,
        closed=None,
        placed_ts=cmd["ts"],
        updated_ts=cmd["ts"],
        placed_seq=seq,
    )
    round_.new_orders.add(order_id)


def _traded(round_: Round, ev: dict[str, Any]) -> TradeRow:
    price, lots, ts = ev["price_ticks"], ev["quantity_lots"], ev["ts"]
    for order_id in (ev["buy_order_id"], ev["sell_order_id"]):
        order = round_.orders.get(order_id)
        if order is not None:
            order.open_lots -= lots
            order.filled_lots += lots
            order.filled_ticks_lots += price * lots
            order.updated_ts = ts
    instrument = ev["instrument"]
    sides = ((ev["buyer"], Side.BUY, ev["buyer_fee"]), (ev["seller"], Side.SELL, ev["seller_fee"]))
    for who, side, fee in sides:
        key = (who, instrument)
        position = round_.positions.get(key, Position())
        round_.positions[key] = position.fill(side, price, lots, fee)
    return TradeRow(
        trade_id=ev["trade_id"],
        ts=ts,
        instrument=instrument,
        price_ticks=price,
        quantity_lots=lots,
        buy_order_id=ev["buy_order_id"],
        sell_order_id=ev["sell_order_id"],
        buyer=ev["buyer"],
        seller=ev["seller"],
        aggressor=ev["aggressor"],
        buyer_fee=ev["buyer_fee"],
        seller_fee=ev["seller_fee"],
    )


def _closed(order: OrderRow | None, why: str, ts: int) -> None:
    if order is not None:
        order.open_lots = 0
        order.closed = why
        order.updated_ts = ts


def _replaced(order: OrderRow | None, ev: dict[str, Any], ts: int) -> None:
    if order is not None:
        order.limit_ticks = ev["price_ticks"]
        order.open_lots = ev["quantity_lots"]
        order.quantity_lots = order.filled_lots + ev["quantity_lots"]
        order.updated_ts = ts


def _refusal(seq: int, command: dict[str, Any], ev: dict[str, Any]) -> RefusalRow:
    spec = command.get("spec")
    instrument = command.get("instrument") or (spec.get("instrument") if spec else None)
    return RefusalRow(
        seq=seq,
        ts=command["ts"],
        command=command["type"],
        participant=command.get("participant") or command.get("operator"),
        instrument=instrument,
        code=ev["reason_code"],
        message=ev["message"],
    )
