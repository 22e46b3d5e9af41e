"""Call auctions, daily reference prices and the end of the trading day."""

from __future__ import annotations

from kazree.exchange.core.auction import AuctionRecord, uncross
from kazree.exchange.core.commands import (
    EndOfDay,
    OpenAuction,
    PublishReference,
    RunAuction,
)
from kazree.exchange.core.domain import Side, TimeInForce
from kazree.exchange.core.errors import Reject, RejectCode
from kazree.exchange.core.events import (
    Accepted,
    AuctionResult,
    Event,
    Expired,
)
from kazree.exchange.core.policy import sweep
from kazree.exchange.core.reference import is_day, reference_price
from kazree.exchange.core.settlement import settle
from kazree.exchange.core.state import Market, State

# Enum members bound once: attribute lookups on enum classes are slow in CPython 3.11.
_BUY = Side.BUY
_SELL = Side.SELL
_DAY = TimeInForce.DAY


def open_auction(st: State, c: OpenAuction) -> list[Event]:
    """Start a call phase: limit orders rest without matching until the uncross."""
    m = st.market(c.instrument)
    if m.in_auction:
        raise Reject(RejectCode.AUCTION_PHASE, f"{c.instrument} is already in a call phase")
    m.call_opened_ts = c.ts
    return [Accepted("open_auction")]


def run_auction(st: State, c: RunAuction) -> list[Event]:
    """Uncross the call phase at one price, settle the fills, resume continuous trading.

    The result is kept in the market, time-stamped with the command's ``ts``.
    """
    m = st.market(c.instrument)
    opened = m.call_opened_ts
    if opened is None:
        raise Reject(RejectCode.NOT_IN_AUCTION, f"{c.instrument} has no open call phase")
    events: list[Event] = [Accepted("run_auction")]
    if st.windows:
        sweep(st, m, c.ts, events)  # orders a control caught up with leave before the uncross
    book = m.book
    u = uncross(
        book.depth(_BUY, len(book.bid_prices)),
        book.depth(_SELL, len(book.ask_prices)),
        m.reference_ticks,
    )
    events.append(AuctionResult(c.instrument, u.price_ticks, u.volume_lots, u.imbalance_lots))
    if u.price_ticks is not None:
        _fill_at(st, m, u.price_ticks, u.volume_lots, c.ts, events)
    m.call_opened_ts = None
    m.auctions.append(AuctionRecord(c.ts, opened, u.price_ticks, u.volume_lots, u.imbalance_lots))
    return events


def _fill_at(st: State, m: Market, price: int, lots: int, ts: int, events: list[Event]) -> None:
    """Trade ``lots`` at ``price`` between the best bids and asks in priority (no aggressor)."""
    book = m.book
    while lots:
        b = book.front(_BUY, book.bid_prices[-1])
        s = book.front(_SELL, book.ask_prices[0])
        q = min(b.remaining, s.remaining, lots)
        settle(st, m, b, s, price, q, ts, None, events)
        for o in (b, s):
            book.reduce(o, q)
            if not o.live:
                st.forget(o)
        lots -= q


def publish_reference(st: State, c: PublishReference) -> list[Event]:
    """Publish (or carry forward) the day's reference price; days must increase."""
    m = st.market(c.instrument)
    if not is_day(c.day):
        raise Reject(RejectCode.BAD_DAY, f"day {c.day!r}: need a calendar date YYYY-MM-DD")
    if m.references and c.day <= m.references[-1].day:
        raise Reject(
            RejectCode.BAD_DAY,
            f"day {c.day}: reference already published up to {m.references[-1].day}",
        )
    ref = reference_price(m.spec, c.day, m.trades, m.reference_ticks)
    m.publish(ref)
    return [Accepted("publish_reference"), ref]


def end_of_day(st: State, c: EndOfDay) -> list[Event]:
    """Expire every DAY order, in order-id order, releasing its locks."""
    events: list[Event] = [Accepted("end_of_day")]
    for oid in sorted(st.orders):
        o = st.orders[oid]
        if o.tif is _DAY:
            m = st.markets[o.instrument]
            lots = o.remaining
            st.release(m, o, lots)
            m.book.remove(o)
            st.forget(o)
            events.append(Expired(oid, o.participant, lots))
    return events
