"""The call-auction uncross price (pure).

The price maximises the executable volume; ties go to the smallest imbalance between demand
and supply at that price, then to the price closest to the last reference, then to the lower
price.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class Uncross:
    """The chosen price (``None`` when nothing crosses), volume and imbalance, in lots."""

    price_ticks: int | None
    volume_lots: int
    imbalance_lots: int


@dataclass(slots=True, frozen=True)
class AuctionRecord:
    """A market's record of one uncross: when (``ts``), when its call phase opened, the result."""

    ts: int
    call_opened_ts: int
    price_ticks: int | None
    volume_lots: int
    imbalance_lots: int


def uncross(
    bids: Sequence[tuple[int, int]], asks: Sequence[tuple[int, int]], reference_ticks: int
) -> Uncross:
    """Uncross ``(price, lots)`` bid and ask levels around ``reference_ticks``.

    Candidate prices are the limit prices present; one sweep upwards keeps the demand at or
    above and the supply at or below each candidate.
    """
    bid_lots: dict[int, int] = {}
    ask_lots: dict[int, int] = {}
    for p, q in bids:
        bid_lots[p] = bid_lots.get(p, 0) + q
    for p, q in asks:
        ask_lots[p] = ask_lots.get(p, 0) + q
    demand = sum(bid_lots.values())
    supply = 0
    best: tuple[int, int, int, int] | None = None
    result = Uncross(None, 0, 0)
    for p in sorted(bid_lots.keys() | ask_lots.keys()):
        supply += ask_lots.get(p, 0)
        volume = min(demand, supply)
        if volume:
            imbalance = abs(demand - supply)
            key = (-volume, imbalance, abs(p - reference_ticks), p)
            if best is None or key < best:
                best = key
                result = Uncross(p, volume, imbalance)
        demand -= bid_lots.get(p, 0)
    return result
