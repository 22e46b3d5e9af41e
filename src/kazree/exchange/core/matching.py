"""Continuous matching in price-time priority: which resting orders an incoming order meets,
and for how many lots. Each fill is handed to ``settlement`` as it is found, so the events of a
command keep their order (a fill's trade and deliveries, then the next fill or cancel)."""

from __future__ import annotations

from typing import Final

from kazree.exchange.core.book import Book, Order
from kazree.exchange.core.domain import Side, Stp
from kazree.exchange.core.events import Cancelled, CancelReason, Event
from kazree.exchange.core.policy import allowed_to_rest, lapsed
from kazree.exchange.core.settlement import settle
from kazree.exchange.core.state import Market, State

# Enum members bound once as finals: compiled, a read is a C static load rather than a
# lookup in the module dict (and attribute lookups on enum classes are slow in CPython 3.11).
_BUY: Final = Side.BUY
_SELL: Final = Side.SELL
_CANCEL_INCOMING: Final = Stp.CANCEL_INCOMING


def match(st: State, m: Market, o: Order, ts: int, events: list[Event]) -> None:
    """Trade incoming ``o`` against the book in price-time priority, settling each fill."""
    book = m.book
    buy = o.side is _BUY
    prices = book.ask_prices if buy else book.bid_prices
    levels = book.asks if buy else book.bids
    limit = o.price
    while o.remaining and prices:
        best = prices[0] if buy else prices[-1]
        if (best > limit) if buy else (best < limit):
            return
        level = levels[best]
        orders = level.orders
        while True:
            r = orders[0]
            if not r.live:
                orders.popleft()
                continue
            if r.screened_until <= ts and lapsed(st, m, r, ts, events):
                pass  # cancelled: a control now forbids it
            elif r.participant == o.participant:
                if o.stp is _CANCEL_INCOMING:
                    st.release(m, o, o.remaining)
                    events.append(
                        Cancelled(o.order_id, o.participant, o.remaining, CancelReason.STP)
                    )
                    o.remaining = 0
                    o.live = False
                    return
                st.cancel_resting(m, r, CancelReason.STP, events)
            else:
                q = o.remaining if o.remaining < r.remaining else r.remaining
                if buy:
                    settle(st, m, o, r, best, q, ts, _BUY, events)
                else:
                    settle(st, m, r, o, best, q, ts, _SELL, events)
                o.remaining -= q
                # book.reduce and st.forget, written out for the resting order
                r.remaining -= q
                level.qty -= q
                book.seq += 1
                if not r.remaining:
                    r.live = False
                    del st.orders[r.order_id]
                    del st.by_participant[r.participant][r.order_id]
                    del st.client_ids[(r.participant, r.client_order_id)]
                if not level.qty:
                    del levels[best]
                    if buy:
                        del prices[0]
                    else:
                        prices.pop()
                    break
            if not o.remaining or not level.qty:
                break


def crosses(book: Book, side: Side, price: int) -> bool:
    """Whether an order at ``price`` on ``side`` would trade against the book now."""
    if side is _BUY:
        ask = book.best_ask()
        return ask is not None and price >= ask
    bid = book.best_bid()
    return bid is not None and price <= bid


def fillable(st: State, m: Market, o: Order) -> int:
    """Lots an incoming order could fill now, honouring self-trade prevention and the policy."""
    book = m.book
    got = 0
    opposite = _SELL if o.side is _BUY else _BUY
    for price, orders in book.level_orders(opposite):
        if (price > o.price) if o.side is _BUY else (price < o.price):
            break
        for r in orders:
            if r.screened_until <= o.ts and not allowed_to_rest(st, m, r, o.ts):
                continue  # matching will cancel it
            if r.participant == o.participant:
                if o.stp is _CANCEL_INCOMING:
                    return got
                continue
            got += r.remaining
            if got >= o.remaining:
                return got
    return got
