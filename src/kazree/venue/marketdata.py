"""Market data: per instrument and channel, a snapshot with a sequence number, then deltas.

Channels are ``book`` (aggregated levels) and ``trades``. Each (channel, instrument) stream
numbers its messages 1, 2, 3, ...; a snapshot carries the number of the last message it
includes, so a subscriber expects ``seq + 1`` next and resubscribes on any gap. Deltas are
published once per journaled batch, after the batch is durable.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kazree.exchange.core.events import Trade

Levels = dict[int, int]
"""price_ticks -> open lots."""

TRADE_HISTORY = 100
"""Trades kept per instrument for a trades snapshot."""


def level_changes(before: Levels, after: Levels) -> list[list[int]]:
    """``[price, lots]`` for each level that changed, ``lots`` 0 for a level that went away."""
    changes = [[p, q] for p, q in after.items() if before.get(p) != q]
    changes.extend([p, 0] for p in before if p not in after)
    return sorted(changes)


def trade_message(trade: Trade) -> dict[str, Any]:
    """A trade as market data (no participant names: the tape is anonymous)."""
    return {
        "trade_id": trade.trade_id,
        "ts": trade.ts,
        "price_ticks": trade.price_ticks,
        "quantity_lots": trade.quantity_lots,
        "aggressor": trade.aggressor.value if trade.aggressor else None,
    }


@dataclass
class _Stream:
    seq: int = 0
    bids: Levels = field(default_factory=dict)
    asks: Levels = field(default_factory=dict)
    trades: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=TRADE_HISTORY))


def encode(message: dict[str, Any]) -> str:
    """A message as the JSON text sent (once per message, whatever the number of subscribers)."""
    return json.dumps(message, separators=(",", ":"))


class Subscriber:
    """One WebSocket client's outbound queue of JSON texts, bounded in messages and in bytes.

    Past either bound it stops queueing and sets ``overflowed`` (an event the socket's owner
    waits on to close it at once, even while a send to the client is stuck).
    """

    def __init__(self, limit: int, max_bytes: int = 4 * 1024 * 1024) -> None:
        self.queue: asyncio.Queue[str] = asyncio.Queue(maxsize=limit)
        self.max_bytes = max_bytes
        self.queued_bytes = 0
        self.overflowed = asyncio.Event()

    def send(self, message: dict[str, Any]) -> None:
        """Queue ``message``; on overflow, stop queueing and mark the subscriber."""
        self.send_text(encode(message))

    def send_text(self, text: str) -> None:
        """Queue an encoded message (see :meth:`send`)."""
        if self.overflowed.is_set():
            return
        if self.queued_bytes + len(text) > self.max_bytes or self.queue.full():
            self.overflowed.set()
            return
        self.queue.put_nowait(text)
        self.queued_bytes += len(text)

    async def next(self) -> str:
        """The oldest queued message, waiting for one."""
        text = await self.queue.get()
        self.queued_bytes -= len(text)
        return text


class MarketData:
    """Per-instrument streams and their subscribers."""

    CHANNELS = ("book", "trades")

    def __init__(self) -> None:
        self._streams: dict[tuple[str, str], _Stream] = {}
        self._subs: dict[tuple[str, str], set[Subscriber]] = {}

    def _stream(self, channel: str, instrument: str) -> _Stream:
        key = (channel, instrument)
        stream = self._streams.get(key)
        if stream is None:
            stream = self._streams[key] = _Stream()
        return stream

    def seed(
        self, instrument: str, bids: Iterable[tuple[int, int]], asks: Iterable[tuple[int, int]]
    ) -> None:
        """Set the book stream's current levels without publishing (start-up)."""
        stream = self._stream("book", instrument)
        stream.bids, stream.asks = dict(bids), dict(asks)

    def snapshot(self, channel: str, instrument: str) -> dict[str, Any]:
        """The current state of a stream with the seq of the last delta it includes."""
        stream = self._stream(channel, instrument)
        base = {"type": "snapshot", "channel": channel, "instrument": instrument, "seq": stream.seq}
        if channel == "book":
            return {
                **base,
                "bids": [[p, q] for p, q in sorted(stream.bids.items(), reverse=True)],
                "asks": [[p, q] for p, q in sorted(stream.asks.items())],
            }
        return {**base, "trades": list(stream.trades)}

    def subscribe(self, channel: str, instrument: str, sub: Subscriber) -> None:
        """Send ``sub`` the snapshot now and every later delta of the stream."""
        sub.send(self.snapshot(channel, instrument))
        self._subs.setdefault((channel, instrument), set()).add(sub)

    def unsubscribe(
        self, sub: Subscriber, channel: str | None = None, instrument: str | None = None
    ) -> None:
        """Stop sending to ``sub`` (one stream, or all of them)."""
        for (ch, inst), subs in self._subs.items():
            if (channel is None or ch == channel) and (instrument is None or inst == instrument):
                subs.discard(sub)

    def subscribers(self) -> int:
        """How many subscriptions are live (each socket counted once per stream)."""
        return sum(len(subs) for subs in self._subs.values())

    def publish_book(
        self, instrument: str, bids: Iterable[tuple[int, int]], asks: Iterable[tuple[int, int]]
    ) -> None:
        """Publish the level changes since the last publication, if any."""
        stream = self._stream("book", instrument)
        new_bids, new_asks = dict(bids), dict(asks)
        bid_changes = level_changes(stream.bids, new_bids)
        ask_changes = level_changes(stream.asks, new_asks)
        if not bid_changes and not ask_changes:
            return
        stream.seq += 1
        stream.bids, stream.asks = new_bids, new_asks
        self._fan_out(
            ("book", instrument),
            {
                "type": "delta",
                "channel": "book",
                "instrument": instrument,
                "seq": stream.seq,
                "bids": bid_changes,
                "asks": ask_changes,
            },
        )

    def publish_trades(self, by_instrument: Mapping[str, list[Trade]]) -> None:
        """Publish each instrument's new trades as one message."""
        for instrument, trades in by_instrument.items():
            stream = self._stream("trades", instrument)
            stream.seq += 1
            messages = [trade_message(t) for t in trades]
            stream.trades.extend(messages)
            self._fan_out(
                ("trades", instrument),
                {
                    "type": "delta",
                    "channel": "trades",
                    "instrument": instrument,
                    "seq": stream.seq,
                    "trades": messages,
                },
            )

    def _fan_out(self, key: tuple[str, str], message: dict[str, Any]) -> None:
        subs = self._subs.get(key)
        if subs:
            text = encode(message)
            for sub in subs:
                sub.send_text(text)
