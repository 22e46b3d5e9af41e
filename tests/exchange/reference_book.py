"""A deliberately simple order book, the oracle for the engine's differential test.

Resting orders live in one list in arrival order; every match scans the whole list for the
best opposite order. No indexes, no lazy deletion, no cleverness.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class RefOrder:
    order_id: int
    participant: str
    side: str  # "buy" | "sell"
    price: int
    qty: int
    tif: str  # "gtc" | "day" | "ioc" | "fok"
    stp: str  # "cancel_resting" | "cancel_incoming"
    post_only: bool = False


@dataclass
class Outcome:
    trades: list[tuple[int, int, int, int]] = field(default_factory=list)
    """(buy order id, sell order id, price, lots)."""
    cancelled: list[tuple[int, str]] = field(default_factory=list)
    """(order id, reason)."""


def _crosses(incoming: RefOrder, resting: RefOrder) -> bool:
    if incoming.side == "buy":
        return resting.side == "sell" and resting.price <= incoming.price
    return resting.side == "buy" and resting.price >= incoming.price


class ReferenceBook:
    def __init__(self) -> None:
        self.orders: list[RefOrder] = []
        self.in_auction = False

    def would_cross(self, side: str, price: int) -> bool:
        probe = RefOrder(0, "", side, price, 1, "gtc", "cancel_resting")
        return any(_crosses(probe, r) for r in self.orders)

    def _best_match(self, o: RefOrder) -> RefOrder | None:
        best = None
        for r in self.orders:
            if not _crosses(o, r):
                continue
            better = best is None or (
                r.price < best.price if o.side == "buy" else r.price > best.price
            )
            if better:
                best = r
        return best

    def _match(self, o: RefOrder, out: Outcome) -> bool:
        """Match ``o``; False when STP cancelled the incoming order."""
        while o.qty > 0:
            r = self._best_match(o)
            if r is None:
                return True
            if r.participant == o.participant:
                if o.stp == "cancel_incoming":
                    out.cancelled.append((o.order_id, "stp"))
                    o.qty = 0
                    return False
                self.orders.remove(r)
                out.cancelled.append((r.order_id, "stp"))
                continue
            q = min(o.qty, r.qty)
            buy, sell = (o, r) if o.side == "buy" else (r, o)
            out.trades.append((buy.order_id, sell.order_id, r.price, q))
            o.qty -= q
            r.qty -= q
            if r.qty == 0:
                self.orders.remove(r)
        return True

    def place(self, o: RefOrder, market: bool = False) -> Outcome:
        """A new order; for a market order ``o.price`` is its protection limit."""
        out = Outcome()
        if self.in_auction:
            self.orders.append(o)
            return out
        if o.tif == "fok":
            trial, trial_out = copy.deepcopy(self), Outcome()
            trial._match(copy.deepcopy(o), trial_out)
            if sum(q for *_, q in trial_out.trades) < o.qty:
                out.cancelled.append((o.order_id, "fok"))
                return out
        if not self._match(o, out):
            return out
        if o.qty > 0:
            if market or o.tif in ("ioc", "fok"):
                out.cancelled.append((o.order_id, "market" if market else "ioc"))
            else:
                self.orders.append(o)
        return out

    def find(self, order_id: int) -> RefOrder:
        return next(r for r in self.orders if r.order_id == order_id)

    def cancel(self, order_id: int) -> None:
        self.orders.remove(self.find(order_id))

    def replace(self, order_id: int, price: int | None, qty: int | None) -> Outcome:
        r = self.find(order_id)
        new_price = r.price if price is None else price
        new_qty = r.qty if qty is None else qty
        if new_price == r.price and new_qty <= r.qty:
            r.qty = new_qty
            return Outcome()
        self.orders.remove(r)
        moved = copy.copy(r)
        moved.price, moved.qty = new_price, new_qty
        out = Outcome()
        if self.in_auction or (self._match(moved, out) and moved.qty > 0):
            self.orders.append(moved)
        return out

    def self_cross(self, participant: str, side: str, price: int) -> bool:
        """Whether ``participant`` has an opposite order that ``price`` would cross."""
        probe = RefOrder(0, participant, side, price, 1, "gtc", "cancel_resting")
        return any(_crosses(probe, r) and r.participant == participant for r in self.orders)

    def uncross(self, reference: int) -> tuple[int | None, int, int, Outcome]:
        """Run the call auction: (price, volume, imbalance, trades), back to continuous."""
        self.in_auction = False
        best: tuple[int, int, int, int] | None = None
        for p in sorted({r.price for r in self.orders}):
            demand = sum(r.qty for r in self.orders if r.side == "buy" and r.price >= p)
            supply = sum(r.qty for r in self.orders if r.side == "sell" and r.price <= p)
            volume = min(demand, supply)
            if volume == 0:
                continue
            candidate = (volume, abs(demand - supply), abs(p - reference), p)
            if best is None or (
                candidate[0] > best[0] or (candidate[0] == best[0] and candidate[1:] < best[1:])
            ):
                best = candidate
        out = Outcome()
        if best is None:
            return None, 0, 0, out
        volume, imbalance, _, price = best
        order = list(enumerate(self.orders))
        buys = [
            r
            for _, r in sorted(order, key=lambda ir: (-ir[1].price, ir[0]))
            if r.side == "buy" and r.price >= price
        ]
        sells = [
            r
            for _, r in sorted(order, key=lambda ir: (ir[1].price, ir[0]))
            if r.side == "sell" and r.price <= price
        ]
        left = volume
        while left:
            b, s = buys[0], sells[0]
            q = min(b.qty, s.qty, left)
            out.trades.append((b.order_id, s.order_id, price, q))
            for r, queue in ((b, buys), (s, sells)):
                r.qty -= q
                if r.qty == 0:
                    queue.pop(0)
                    self.orders.remove(r)
            left -= q
        return price, volume, imbalance, out

    def remove_where(self, keep: Callable[[RefOrder], bool]) -> list[int]:
        """Drop orders for which ``keep(order)`` is false; their ids in id order."""
        gone = sorted(r.order_id for r in self.orders if not keep(r))
        self.orders = [r for r in self.orders if keep(r)]
        return gone

    def levels(self, side: str) -> list[tuple[int, int, int]]:
        """(price, order id, lots) in priority: best price first, then arrival."""
        mine = [(i, r) for i, r in enumerate(self.orders) if r.side == side]
        mine.sort(key=lambda ir: (-ir[1].price if side == "buy" else ir[1].price, ir[0]))
        return [(r.price, r.order_id, r.qty) for _, r in mine]
