"""Daily reference prices (pure): from the day's auction, else a VWAP window, else carried.

A price is published only when the trades it comes from involve at least
``min_counterparties`` distinct participants; otherwise the previous reference is carried
forward and flagged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime

from kazree.exchange.core.domain import InstrumentSpec
from kazree.exchange.core.events import ReferencePrice, Trade

DAY_US = 86_400_000_000

_DAY_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}")


def is_day(text: str) -> bool:
    """Whether ``text`` is a calendar date written ``YYYY-MM-DD``."""
    if not _DAY_FORMAT.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def day_start_us(day: str) -> int:
    """UTC microseconds since the epoch at the start of ``day`` (``YYYY-MM-DD``)."""
    start = datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=UTC)
    return int(start.timestamp()) * 1_000_000


def vwap(trades: Sequence[Trade]) -> int:
    """Volume-weighted average price in ticks, rounded half up."""
    value = sum(t.price_ticks * t.quantity_lots for t in trades)
    lots = sum(t.quantity_lots for t in trades)
    return (2 * value + lots) // (2 * lots)


def counterparties(trades: Sequence[Trade]) -> int:
    """Distinct participants on either side of ``trades``."""
    return len({t.buyer for t in trades} | {t.seller for t in trades})


def reference_price(
    spec: InstrumentSpec, day: str, trades: Sequence[Trade], previous_ticks: int
) -> ReferencePrice:
    """The reference for ``day`` from the instrument's ``trades`` (any order of days)."""
    start = day_start_us(day)
    end = start + DAY_US
    today = [t for t in trades if start <= t.ts < end]
    auction = [t for t in today if t.aggressor is None]
    if auction:
        last_ts = auction[-1].ts
        basis = [t for t in auction if t.ts == last_ts]
        source, price = "auction", basis[0].price_ticks
    else:
        window_start = max(start, end - spec.vwap_window_s * 1_000_000)
        basis = [t for t in today if t.ts >= window_start]
        source, price = "vwap", vwap(basis) if basis else previous_ticks
    n = counterparties(basis)
    if n >= spec.min_counterparties:
        return ReferencePrice(spec.instrument, day, price, source, n, False, False)
    return ReferencePrice(spec.instrument, day, previous_ticks, "carried", n, True, True)
