"""One instrument's order book: price levels of FIFO queues, best prices kept sorted.

Cancelled or filled orders are marked dead and dropped lazily from the front of their queue;
a level disappears as soon as its open quantity reaches zero.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import deque
from collections.abc import Iterator
from typing import Final

from kazree.exchange.core.domain import Side, Stp, TimeInForce

# Enum members bound once as finals: compiled, a read is a C static load rather than a
# lookup in the module dict (and attribute lookups on enum classes are slow in CPython 3.11).
_BUY: Final = Side.BUY

NEVER: Final = 4_611_686_018_427_387_903
"""A time after every command's ``ts``: an order the export controls never catch up with.

``2**62 - 1``, the largest int the compiled engine holds unboxed, so the check of
``Order.screened_until`` on every resting order met is a plain machine comparison."""


class Order:
    """A resting (or incoming) order; mutable engine state, never handed out."""

    __slots__ = (
        "client_order_id",
        "instrument",
        "live",
        "lock_per_lot",
        "order_id",
        "participant",
        "post_only",
        "price",
        "receipt_locks",
        "remaining",
        "screened_until",
        "side",
        "stp",
        "tif",
        "ts",
    )

    def __init__(
        self,
        order_id: int,
        participant: str,
        client_order_id: str,
        instrument: str,
        side: Side,
        price: int,
        remaining: int,
        tif: TimeInForce,
        stp: Stp,
        post_only: bool,
        ts: int,
        lock_per_lot: int,
        receipt_locks: list[tuple[str, int]],
        screened_until: int = NEVER,
    ) -> None:
        self.order_id = order_id
        self.participant = participant
        self.client_order_id = client_order_id
        self.instrument = instrument
        self.side = side
        self.price = price
        self.remaining = remaining
        self.tif = tif
        self.stp = stp
        self.post_only = post_only
        self.ts = ts
        self.lock_per_lot = lock_per_lot
        """Cash locked per open lot (buys), 0 for sells."""
        self.receipt_locks = receipt_locks
        """``(receipt_id, kg)`` pairs locked for this sell, consumed from the front."""
        self.screened_until = screened_until
        """Until when (UTC us, exclusive) the policy checks passed at entry hold for it."""
        self.live = True


class Level:
    """The orders at one price, in time priority, with their total open quantity."""

    __slots__ = ("orders", "qty")

    def __init__(self) -> None:
        self.orders: deque[Order] = deque()
        self.qty = 0


class Book:
    """Bids and asks of one instrument; ``seq`` counts changes for market-data consumers."""

    __slots__ = ("ask_prices", "asks", "bid_prices", "bids", "seq")

    def __init__(self) -> None:
        self.bids: dict[int, Level] = {}
        self.asks: dict[int, Level] = {}
        self.bid_prices: list[int] = []
        """Bid prices ascending: the best bid is last."""
        self.ask_prices: list[int] = []
        """Ask prices ascending: the best ask is first."""
        self.seq = 0

    def best_bid(self) -> int | None:
        """Highest bid price, if any."""
        return self.bid_prices[-1] if self.bid_prices else None

    def best_ask(self) -> int | None:
        """Lowest ask price, if any."""
        return self.ask_prices[0] if self.ask_prices else None

    def add(self, order: Order) -> None:
        """Rest ``order`` at the back of its price level."""
        if order.side is _BUY:
            levels, prices = self.bids, self.bid_prices
        else:
            levels, prices = self.asks, self.ask_prices
        level = levels.get(order.price)
        if level is None:
            level = levels[order.price] = Level()
            insort(prices, order.price)
        level.orders.append(order)
        level.qty += order.remaining
        self.seq += 1

    def reduce(self, order: Order, lots: int) -> None:
        """Take ``lots`` off a resting order; a fully taken order is removed."""
        levels = self.bids if order.side is _BUY else self.asks
        level = levels[order.price]
        order.remaining -= lots
        level.qty -= lots
        if order.remaining == 0:
            order.live = False
        if level.qty == 0:
            self._drop_level(order.side, order.price)
        self.seq += 1

    def remove(self, order: Order) -> None:
        """Take a resting order off the book entirely."""
        self.reduce(order, order.remaining)

    def _drop_level(self, side: Side, price: int) -> None:
        if side is _BUY:
            del self.bids[price]
            prices = self.bid_prices
        else:
            del self.asks[price]
            prices = self.ask_prices
        del prices[bisect_left(prices, price)]

    def front(self, side: Side, price: int) -> Order:
        """The first live order at ``price`` on ``side`` (the level must exist)."""
        orders = (self.bids if side is _BUY else self.asks)[price].orders
        while not orders[0].live:
            orders.popleft()
        return orders[0]

    def level_orders(self, side: Side) -> Iterator[tuple[int, Iterator[Order]]]:
        """Levels of ``side`` best first, each with its live orders in time priority."""
        if side is _BUY:
            for price in reversed(self.bid_prices):
                yield price, (o for o in self.bids[price].orders if o.live)
        else:
            for price in self.ask_prices:
                yield price, (o for o in self.asks[price].orders if o.live)

    def orders_in_priority(self, side: Side) -> Iterator[Order]:
        """Live orders of ``side``, best price first, then time priority."""
        for _, orders in self.level_orders(side):
            yield from orders

    def depth(self, side: Side, levels: int) -> list[tuple[int, int]]:
        """``(price, open lots)`` of the best ``levels`` levels of ``side``."""
        if side is _BUY:
            return [(p, self.bids[p].qty) for p in self.bid_prices[::-1][:levels]]
        return [(p, self.asks[p].qty) for p in self.ask_prices[:levels]]

    def crossed(self) -> bool:
        """Whether the best bid is at or above the best ask."""
        return bool(self.bid_prices and self.ask_prices) and (
            self.bid_prices[-1] >= self.ask_prices[0]
        )
