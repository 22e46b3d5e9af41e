"""A participant's position in one instrument from its fills: net lots, cost, realised P&L.

Lots bought and sold on the exchange are matched first in, first out: a fill against the open
side closes the oldest open lots first and realises ``(sell price - buy price) * lots`` on them;
the rest opens new lots. Everything is integer ticks x lots, so the accounting is exact; money
is ``ticks x lots x tick_value`` minor units. A sell beyond what was bought on the exchange (goods
brought in as warehouse receipts) opens a short trading position, realised when bought back.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kazree.exchange.core.domain import Side

OpenLots = tuple[tuple[int, int], ...]
"""The open lots, oldest first, as ``(price_ticks, lots)``."""


@dataclass(frozen=True, slots=True)
class Position:
    """Net lots (positive long, negative short), the open lots and what has been realised."""

    net_lots: int = 0
    open_lots: OpenLots = ()
    realised_ticks_lots: int = 0
    """Realised P&L in ticks x lots (times the tick value: minor units)."""
    bought_lots: int = 0
    sold_lots: int = 0
    fees_minor: int = 0

    @property
    def open_cost_ticks_lots(self) -> int:
        """What the open lots cost, in ticks x lots (always >= 0)."""
        return sum(price * lots for price, lots in self.open_lots)

    def unrealised_ticks_lots(self, mark_ticks: int) -> int:
        """P&L of the open lots if closed at ``mark_ticks``, in ticks x lots."""
        cost = self.open_cost_ticks_lots
        return mark_ticks * self.net_lots - (cost if self.net_lots >= 0 else -cost)

    def fill(self, side: Side, price_ticks: int, lots: int, fee_minor: int) -> Position:
        """The position after a fill of ``lots`` at ``price_ticks`` on ``side``."""
        sign = 1 if side is Side.BUY else -1
        opened = list(self.open_lots)
        realised = self.realised_ticks_lots
        left = lots
        if self.net_lots * sign < 0:  # the fill closes open lots of the other side, oldest first
            while left and opened:
                price, open_lots = opened[0]
                closed = min(left, open_lots)
                realised += (price_ticks - price) * closed * -sign  # long closed by a sell: +
                left -= closed
                opened[0] = (price, open_lots - closed)
                if opened[0][1] == 0:
                    opened.pop(0)
        if left:
            if opened and opened[-1][0] == price_ticks:
                opened[-1] = (price_ticks, opened[-1][1] + left)
            else:
                opened.append((price_ticks, left))
        return replace(
            self,
            net_lots=self.net_lots + sign * lots,
            open_lots=tuple(opened),
            realised_ticks_lots=realised,
            bought_lots=self.bought_lots + (lots if sign > 0 else 0),
            sold_lots=self.sold_lots + (lots if sign < 0 else 0),
            fees_minor=self.fees_minor + fee_minor,
        )
