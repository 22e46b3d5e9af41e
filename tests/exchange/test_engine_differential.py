"""Seeded random command streams through the engine and through the simple reference book.

Trades, self-trade cancels, expiries and final books must be identical; cash and product are
conserved and no book is crossed after every single command.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from reference_book import Outcome, ReferenceBook, RefOrder

from kazree.exchange.core.auction import AuctionRecord
from kazree.exchange.core.commands import (
    CancelOrder,
    Command,
    DepositCash,
    EndOfDay,
    OpenAuction,
    PlaceOrder,
    PublishReference,
    ReinstateParticipant,
    ReplaceOrder,
    RunAuction,
    SuspendParticipant,
)
from kazree.exchange.core.domain import OrderKind, Side, Stp, TimeInForce
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.errors import RejectCode
from kazree.exchange.core.events import (
    Accepted,
    AuctionResult,
    Cancelled,
    CancelReason,
    Event,
    Expired,
    Rejected,
    Trade,
    event_to_json,
)
from kazree.exchange.core.sample import SPECS, setup_commands, trader_names

TRADERS = trader_names(6)
STREAM_REJECTS = {
    RejectCode.INSUFFICIENT_CASH,
    RejectCode.INSUFFICIENT_RECEIPTS,
    RejectCode.SUSPENDED,
    RejectCode.UNKNOWN_ORDER,
    RejectCode.PRICE_BAND,
    RejectCode.DUPLICATE_CLIENT_ORDER_ID,
    RejectCode.BAD_QUANTITY,
}


def _outcome(events: list[Event]) -> Outcome:
    out = Outcome()
    for e in events:
        if isinstance(e, Trade):
            out.trades.append((e.buy_order_id, e.sell_order_id, e.price_ticks, e.quantity_lots))
        elif isinstance(e, Cancelled):
            out.cancelled.append((e.order_id, e.reason.value))
    return out


class Stream:
    """One seeded run: generates commands, applies them to both books, compares."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.ex = Exchange()
        for cmd in setup_commands(traders=len(TRADERS), cash_minor=10**13, receipt_kg=10**7):
            assert not isinstance(self.ex.apply(cmd)[0], Rejected)
        self.refs = {s.instrument: ReferenceBook() for s in SPECS}
        self.where: dict[int, str] = {}  # order id -> instrument, for resting orders
        self.ts = 1_780_000_000_000_000
        self.day = 0
        self.coid = 0
        self.trades = 0
        self.auctions = 0
        self.call_opened: dict[str, int] = {}
        self.emitted: list[tuple[Event, dict[str, Any]]] = []  # events as first handed out

    def step(self) -> None:
        self.ts += 1_000_000
        roll = self.rng.random()
        handler: Callable[[], None]
        if roll < 0.55:
            handler = self.place
        elif roll < 0.72:
            handler = self.cancel
        elif roll < 0.93:
            handler = self.replace
        elif roll < 0.945:
            handler = self.end_of_day
        elif roll < 0.955:
            handler = self.suspend_or_reinstate
        elif roll < 0.96:
            handler = self.publish
        elif roll < 0.97:
            handler = self.auction
        else:
            handler = self.deposit
        handler()
        ex = self.ex
        assert ex.check_conservation() == []
        for name, m in ex.markets.items():
            assert m.in_auction or not m.book.crossed(), name

    def apply(self, cmd: Command) -> list[Event]:
        events = self.ex.apply(cmd)
        for e in events:
            self.emitted.append((e, event_to_json(e)))
            if isinstance(e, Trade):
                self.trades += 1
        return events

    def place(self) -> None:
        rng = self.rng
        spec = rng.choice(SPECS)
        inst = spec.instrument
        side = rng.choice((Side.BUY, Side.SELL))
        market = rng.random() < 0.05
        tif = rng.choices(
            (TimeInForce.GTC, TimeInForce.DAY, TimeInForce.IOC, TimeInForce.FOK),
            (60, 15, 15, 10),
        )[0]
        post_only = not market and tif in (TimeInForce.GTC, TimeInForce.DAY) and rng.random() < 0.1
        ref = self.ex.reference_ticks(inst)
        price = None if market else ref + rng.randint(-12, 12)
        qty = rng.randint(1, 10) if rng.random() > 0.01 else 0
        self.coid += 1
        cmd = PlaceOrder(
            self.ts,
            rng.choice(TRADERS),
            f"c{self.coid}",
            inst,
            side,
            qty,
            kind=OrderKind.MARKET if market else OrderKind.LIMIT,
            price_ticks=price,
            tif=tif,
            post_only=post_only,
            stp=rng.choice((Stp.CANCEL_RESTING, Stp.CANCEL_INCOMING)),
        )
        low, high = self.ex.band(inst)
        limit = price if price is not None else (high if side is Side.BUY else low)
        book = self.refs[inst]
        events = self.apply(cmd)
        first = events[0]
        if isinstance(first, Rejected):
            if first.reason_code is RejectCode.POST_ONLY_WOULD_CROSS:
                assert book.would_cross(side.value, limit)
            elif first.reason_code is RejectCode.AUCTION_PHASE:
                assert book.in_auction
                assert market or post_only or tif in (TimeInForce.IOC, TimeInForce.FOK)
            elif first.reason_code is RejectCode.AUCTION_SELF_CROSS:
                assert book.self_cross(cmd.participant, side.value, limit)
            else:
                assert first.reason_code in STREAM_REJECTS, first
            return
        assert isinstance(first, Accepted)
        oid = first.order_id
        assert oid is not None
        if post_only and not book.in_auction:
            assert not book.would_cross(side.value, limit)
        if book.in_auction:
            assert not book.self_cross(cmd.participant, side.value, limit)
        o = RefOrder(oid, cmd.participant, side.value, limit, qty, tif.value, cmd.stp.value)
        expected = book.place(o, market=market)
        self._compare(events, expected, inst)
        if o in book.orders:
            self.where[oid] = inst

    def _compare(self, events: list[Event], expected: Outcome, inst: str) -> None:
        got = _outcome(events)
        assert got.trades == expected.trades
        assert got.cancelled == expected.cancelled
        for oid, _ in got.cancelled:
            self.where.pop(oid, None)
        for buy, sell, _, _ in got.trades:
            for oid in (buy, sell):
                if oid in self.where and oid not in {r.order_id for r in self.refs[inst].orders}:
                    del self.where[oid]

    def _pick_order(self) -> tuple[str, int] | None:
        if not self.where or self.rng.random() < 0.03:
            return None
        oid = self.rng.choice(list(self.where))
        return self.where[oid], oid

    def cancel(self) -> None:
        pick = self._pick_order()
        if pick is None:
            events = self.apply(CancelOrder(self.ts, self.rng.choice(TRADERS), 10**9))
            assert isinstance(events[0], Rejected)
            assert events[0].reason_code is RejectCode.UNKNOWN_ORDER
            return
        inst, oid = pick
        owner = self.refs[inst].find(oid).participant
        events = self.apply(CancelOrder(self.ts, owner, oid))
        assert isinstance(events[0], Accepted)
        assert _outcome(events).cancelled == [(oid, CancelReason.REQUESTED.value)]
        self.refs[inst].cancel(oid)
        del self.where[oid]

    def replace(self) -> None:
        pick = self._pick_order()
        if pick is None:
            return
        inst, oid = pick
        book = self.refs[inst]
        r = book.find(oid)
        rng = self.rng
        mode = rng.random()
        price = qty = None
        if mode < 0.4:
            qty = rng.randint(1, r.qty) if r.qty > 1 else 1
        elif mode < 0.6:
            qty = r.qty + rng.randint(1, 5)
        else:
            price = self.ex.reference_ticks(inst) + rng.randint(-12, 12)
            if mode > 0.9:
                qty = rng.randint(1, 10)
        events = self.apply(ReplaceOrder(self.ts, r.participant, oid, price, qty))
        first = events[0]
        if isinstance(first, Rejected):
            if first.reason_code is RejectCode.POST_ONLY_WOULD_CROSS:
                assert price is not None
                assert book.would_cross(r.side, price)
            elif first.reason_code is RejectCode.AUCTION_SELF_CROSS:
                assert price is not None
                assert book.self_cross(r.participant, r.side, price)
            else:
                assert first.reason_code in STREAM_REJECTS, first
            return
        if r.post_only and price is not None and price != r.price and not book.in_auction:
            assert not book.would_cross(r.side, price)
        self._compare(events, book.replace(oid, price, qty), inst)
        if oid in {o.order_id for o in book.orders}:
            self.where[oid] = inst
        else:
            self.where.pop(oid, None)

    def end_of_day(self) -> None:
        events = self.apply(EndOfDay(self.ts))
        expired = sorted(e.order_id for e in events if isinstance(e, Expired))
        gone: list[int] = []
        for book in self.refs.values():
            gone += book.remove_where(lambda r: r.tif != "day")
        assert expired == sorted(gone)
        for oid in expired:
            del self.where[oid]

    def suspend_or_reinstate(self) -> None:
        suspended = [t for t in TRADERS if self.ex.participants[t].suspended]
        if suspended and self.rng.random() < 0.8:
            who = self.rng.choice(suspended)
            assert isinstance(self.apply(ReinstateParticipant(self.ts, who))[0], Accepted)
            return
        who = self.rng.choice(TRADERS)
        events = self.apply(SuspendParticipant(self.ts, who))
        gone: list[int] = []
        for book in self.refs.values():
            gone += book.remove_where(lambda r: r.participant != who)
        assert sorted(e.order_id for e in events if isinstance(e, Cancelled)) == sorted(gone)
        for oid in gone:
            del self.where[oid]

    def publish(self) -> None:
        self.day += 1
        day = f"2026-06-{self.day:02d}" if self.day <= 30 else f"2026-07-{self.day - 30:02d}"
        inst = self.rng.choice(SPECS).instrument
        assert isinstance(self.apply(PublishReference(self.ts, inst, day))[0], Accepted)

    def auction(self) -> None:
        inst = self.rng.choice(SPECS).instrument
        book = self.refs[inst]
        if not book.in_auction:
            assert isinstance(self.apply(OpenAuction(self.ts, inst))[0], Accepted)
            book.in_auction = True
            self.call_opened[inst] = self.ts
            return
        reference = self.ex.reference_ticks(inst)
        events = self.apply(RunAuction(self.ts, inst))
        price, volume, imbalance, expected = book.uncross(reference)
        opened = self.call_opened.pop(inst)
        assert events[1] == AuctionResult(inst, price, volume, imbalance)
        record = AuctionRecord(self.ts, opened, price, volume, imbalance)
        assert self.ex.markets[inst].auctions[-1] == record
        self._compare(events, expected, inst)
        self.auctions += 1

    def deposit(self) -> None:
        who = self.rng.choice(TRADERS)
        assert isinstance(self.apply(DepositCash(self.ts, who, "USD", 10**9))[0], Accepted)

    def final_check(self) -> None:
        assert self.ex.invariants() == []
        assert Exchange.restore(self.ex.snapshot()).state_hash() == self.ex.state_hash()
        # Events are plain slotted objects, immutable by convention: the engine (which keeps
        # trades and references) never changes one after handing it out.
        assert [event_to_json(e) for e, _ in self.emitted] == [j for _, j in self.emitted]
        for inst, book in self.refs.items():
            for side in (Side.BUY, Side.SELL):
                engine = [
                    (o.price_ticks, o.order_id, o.remaining_lots)
                    for o in self.ex.book_orders(inst, side)
                ]
                assert engine == book.levels(side.value), (inst, side)


def run(seed: int, n: int) -> Stream:
    s = Stream(seed)
    for i in range(n):
        s.step()
        if i % 1000 == 999:
            assert s.ex.invariants() == []
    s.final_check()
    return s


def test_short_stream_matches_reference() -> None:
    s = run(seed=12345, n=3_000)
    assert s.trades > 200
    assert s.auctions > 3
    assert s.ex.check_conservation() == []


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(10))
def test_streams_match_reference(seed: int) -> None:
    s = run(seed=seed, n=10_000)
    assert s.trades > 600
    assert s.auctions > 10
