"""Shared by the engine tests: a small funded market and one-line order shortcuts."""

from __future__ import annotations

from typing import Any

from kazree.exchange.core.commands import Command, PlaceOrder
from kazree.exchange.core.domain import Side
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.events import Accepted, Event, Rejected, Trade
from kazree.exchange.core.reference import day_start_us
from kazree.exchange.core.sample import setup_commands

NDPR = "NDPR-OX-KZ"
DY = "DY-OX-KZ"
EXCN = "NDPR-OX-EXCN"
T0 = day_start_us("2026-06-01") + 9 * 3_600_000_000
"""09:00 UTC on 2026-06-01, in microseconds."""


def market(traders: int = 4, cash: int = 10**10, receipt_kg: int = 50_000) -> Exchange:
    """The sample market: t01..tNN with ``cash`` USD cents and ``receipt_kg`` per product."""
    ex = Exchange()
    for cmd in setup_commands(traders=traders, cash_minor=cash, receipt_kg=receipt_kg, ts=T0):
        assert isinstance(ex.apply(cmd)[0], Accepted)
    return ex


class Orders:
    """Places orders with increasing timestamps and client ids."""

    def __init__(self, ex: Exchange, ts: int = T0) -> None:
        self.ex = ex
        self.ts = ts
        self.n = 0

    def apply(self, cmd: Command) -> list[Event]:
        return self.ex.apply(cmd)

    def tick(self) -> int:
        self.ts += 1_000_000
        self.n += 1
        return self.ts

    def order(
        self, who: str, side: Side, qty: int, price: int | None, inst: str = NDPR, **kw: Any
    ) -> list[Event]:
        cmd = PlaceOrder(self.tick(), who, f"c{self.n}", inst, side, qty, price_ticks=price, **kw)
        return self.ex.apply(cmd)

    def buy(self, who: str, qty: int, price: int | None, **kw: Any) -> list[Event]:
        return self.order(who, Side.BUY, qty, price, **kw)

    def sell(self, who: str, qty: int, price: int | None, **kw: Any) -> list[Event]:
        return self.order(who, Side.SELL, qty, price, **kw)


def order_id(events: list[Event]) -> int:
    first = events[0]
    assert isinstance(first, Accepted), first
    assert first.order_id is not None
    return first.order_id


def trades(events: list[Event]) -> list[tuple[str, str, int, int]]:
    """(buyer, seller, price, lots) of each trade."""
    return [
        (e.buyer, e.seller, e.price_ticks, e.quantity_lots) for e in events if isinstance(e, Trade)
    ]


def rejected(events: list[Event]) -> Rejected:
    assert len(events) == 1
    assert isinstance(events[0], Rejected), events
    return events[0]
