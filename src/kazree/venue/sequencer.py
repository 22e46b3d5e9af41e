"""The single writer: a task that stamps, journals and applies commands in batches.

Requests put commands on a queue and await their events. The task takes up to ``max_batch``
queued trading commands (any other command ends a batch), stamps each with a non-decreasing UTC
timestamp, submits them in one group commit
(:meth:`DurableExchange.submit_many`: durable before anything is acknowledged), publishes the
market-data deltas and resolves the requests. Reads take the same lock, so they see the state
between batches, never half a batch and never anything not yet durable.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import operator
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from kazree.exchange.core.commands import (
    COMMAND_TYPES,
    CancelOrder,
    Command,
    PlaceOrder,
    ReplaceOrder,
)
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.events import Event, Rejected, Trade
from kazree.exchange.core.views import ParticipantView
from kazree.exchange.durability.durable import DurableExchange
from kazree.exchange.durability.journal import JournalEntry
from kazree.venue.audit import Record
from kazree.venue.clock import now_us
from kazree.venue.errors import JournalUnavailable, SequencerStopped, WriterFault
from kazree.venue.marketdata import MarketData

_TRADING = (PlaceOrder, CancelOrder, ReplaceOrder)
_DEPTH = 10_000

_log = logging.getLogger("kazree.venue.sequencer")


Outcome = list[Event] | JournalUnavailable
"""A command's events once durable (a refusal is a ``Rejected`` event), or why it failed."""


@dataclasses.dataclass(slots=True)
class _Pending:
    command: Command
    future: asyncio.Future[list[Event]]
    record: Record | None = None


class Sequencer:
    """Owns the :class:`DurableExchange`; every change goes through :meth:`submit`."""

    def __init__(
        self,
        exchange: DurableExchange,
        market: MarketData,
        *,
        max_batch: int = 512,
        clock: Callable[[], int] = now_us,
    ) -> None:
        self._exchange = exchange
        self._clock = clock
        self.market = market
        self._max_batch = max_batch
        self._queue: asyncio.Queue[_Pending | None] = asyncio.Queue()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._last_ts = 0
        self._book_seq: dict[str, int] = {}
        self._followers: list[Callable[[list[JournalEntry]], None]] = []
        self.healthy = True

    @property
    def running(self) -> bool:
        """Whether commands are being accepted."""
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Seed the market-data streams from the recovered state and start the writer task."""
        engine = self._exchange.engine
        for spec in engine.instruments():
            depth = engine.depth(spec.instrument, _DEPTH)
            self.market.seed(spec.instrument, depth.bids, depth.asks)
            self._book_seq[spec.instrument] = depth.seq
        self._task = asyncio.get_running_loop().create_task(self._run(), name="sequencer")

    async def stop(self) -> None:
        """Process everything already queued, then close the journal."""
        if self._task is not None:
            await self._queue.put(None)
            await self._task
            self._task = None
        await asyncio.to_thread(self._exchange.close)

    async def submit(self, command: Command, record: Record | None = None) -> list[Event]:
        """Sequence ``command``; its events once durable (a refusal is a ``Rejected`` event).

        ``record`` is told the outcome before the state after the command can be read.
        """
        if not self.running:
            raise SequencerStopped
        future: asyncio.Future[list[Event]] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Pending(command, future, record))  # unbounded: never waits
        return await future

    def follow(self, follower: Callable[[list[JournalEntry]], None]) -> None:
        """Hand ``follower`` the journal entries of every batch once durable (on the loop)."""
        self._followers.append(follower)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Exchange]:
        """The engine, between batches."""
        async with self._lock:
            yield self._exchange.engine

    def participant(self, name: str) -> ParticipantView | None:
        """A registered participant (one dict read: safe while a batch is written)."""
        return self._exchange.engine.participant_view(name)

    def order_owner(self, order_id: int) -> str | None:
        """Who owns a resting order (one dict read of a field set once: safe during a batch)."""
        return self._exchange.engine.order_owner(order_id)

    @property
    def journal_seq(self) -> int:
        """The seq of the last durable command."""
        return self._exchange.seq

    async def _run(self) -> None:
        stopping = False
        while not stopping:
            first = await self._queue.get()
            if first is None:
                break
            batch = [first]
            while (
                len(batch) < self._max_batch
                and isinstance(batch[-1].command, _TRADING)
                and not self._queue.empty()
            ):
                item = self._queue.get_nowait()
                if item is None:
                    stopping = True
                    break
                batch.append(item)
            async with self._lock:
                try:
                    await self._process(batch)
                except Exception as exc:  # a bug must not leave requests waiting forever
                    _log.exception("batch of %d failed", len(batch))
                    self.healthy = False
                    for item in batch:
                        if not item.future.done():
                            item.future.set_exception(WriterFault(f"internal error: {exc}"))

    def _stamp(self, command: Command) -> Command:
        ts = max(self._clock(), self._last_ts)
        self._last_ts = ts
        cls = type(command)
        return cls(ts, *_AFTER_TS[cls](command))

    async def _process(self, batch: list[_Pending]) -> None:
        """Journal and apply ``batch``; record the outcomes; only then answer."""
        todo: list[_Pending] = []
        for item in batch:
            if not item.future.done():  # else the request went away before its turn
                item.command = self._stamp(item.command)
                todo.append(item)
        outcomes = list(zip(todo, await self._journal(todo), strict=True))
        recorded = [(item.record, _refusal(outcome)) for item, outcome in outcomes if item.record]
        if recorded:
            await asyncio.to_thread(_run_records, recorded)
        for item, outcome in outcomes:
            if item.future.done():
                continue
            if isinstance(outcome, Exception):
                item.future.set_exception(outcome)
            else:
                item.future.set_result(outcome)

    async def _journal(self, todo: list[_Pending]) -> list[Outcome]:
        """Submit ``todo`` in one group commit: each command's events, or why it failed."""
        if not todo:
            return []
        try:
            results = await asyncio.to_thread(
                self._exchange.submit_many, [item.command for item in todo]
            )
        except Exception as exc:
            _log.exception("journal write failed; batch of %d refused", len(todo))
            self.healthy = False
            return [JournalUnavailable(f"journal write failed: {exc}")] * len(todo)
        self.healthy = True
        self._publish(results)
        for follower in self._followers:
            follower(self._exchange.last_batch)
        return list(results)

    def _publish(self, results: list[list[Event]]) -> None:
        engine = self._exchange.engine
        trades: dict[str, list[Trade]] = defaultdict(list)
        for events in results:
            for ev in events:
                if isinstance(ev, Trade):
                    trades[ev.instrument].append(ev)
        for spec in engine.instruments():
            name = spec.instrument
            if self._book_seq.get(name) != engine.book_seq(name):  # changed in this batch
                depth = engine.depth(name, _DEPTH)
                self._book_seq[name] = depth.seq
                self.market.publish_book(name, depth.bids, depth.asks)
        self.market.publish_trades(trades)


def _after_ts(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """The fields of a command after its ``ts`` (always its first), in order: restamping with
    them costs half of :func:`dataclasses.replace`, which looks the fields up every time."""
    first, *rest = (f.name for f in dataclasses.fields(cls))
    if first != "ts":
        msg = f"{cls.__name__}: a command's first field is its ts"
        raise TypeError(msg)
    if len(rest) > 1:
        return operator.attrgetter(*rest)  # a tuple of them
    return lambda command: tuple(getattr(command, name) for name in rest)


_AFTER_TS = {cls: _after_ts(cls) for cls in COMMAND_TYPES.values()}


def _refusal(outcome: Outcome) -> str | None:
    """Why a command was refused (by the engine, or the journal failed), or ``None``."""
    if isinstance(outcome, Exception):
        return str(outcome)
    first = outcome[0]
    return first.message if isinstance(first, Rejected) else None


def _run_records(outcomes: list[tuple[Record, str | None]]) -> None:
    for record, refused in outcomes:
        try:
            record(refused)
        except Exception:  # a failed audit write must not fail the batch: say so loudly
            _log.exception("recording the outcome of a command failed")
