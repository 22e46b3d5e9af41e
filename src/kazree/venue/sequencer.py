"""The single writer: a task that stamps, checks, journals and applies commands in batches.

Requests put commands on a queue and await their events. The task takes up to ``max_batch``
queued commands (set-up commands such as a new participant or receipt end a batch, so the
policy gate of a later command sees them), stamps each with a non-decreasing UTC timestamp,
runs the policy gate on the current state, submits the rest in one group commit
(:meth:`DurableExchange.submit_many`: durable before anything is acknowledged), publishes the
market-data deltas and resolves the requests. Reads take the same lock, so they see the state
between batches, never half a batch and never anything not yet durable.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from kazree.api.problems import ApiProblem
from kazree.exchange.core.commands import CancelOrder, Command, PlaceOrder, ReplaceOrder
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.events import Event, Rejected, Trade
from kazree.exchange.core.state import Participant
from kazree.exchange.durability.durable import DurableExchange
from kazree.venue.marketdata import MarketData
from kazree.venue.store import now_us

Gate = Callable[[Exchange, Command], ApiProblem | None]
"""A check run by the writer on the current state before a command is journaled."""

Record = Callable[[str | None], None]
"""Told a command's outcome (``None`` when accepted, else why it was refused) by the writer,
in a worker thread, after the batch is durable and before anyone can read its state: the
audit log of an administrative command is never behind what the engine shows."""

_TRADING = (PlaceOrder, CancelOrder, ReplaceOrder)
_DEPTH = 10_000

_log = logging.getLogger("kazree.venue.sequencer")


Outcome = list[Event] | ApiProblem
"""A command's events once durable, or why it was refused before the engine saw it."""


@dataclasses.dataclass(slots=True)
class _Pending:
    command: Command
    future: asyncio.Future[list[Event]]
    record: Record | None = None


class SequencerStopped(Exception):
    """The sequencer is not accepting commands (starting up or shutting down)."""


class Sequencer:
    """Owns the :class:`DurableExchange`; every change goes through :meth:`submit`."""

    def __init__(
        self,
        exchange: DurableExchange,
        market: MarketData,
        *,
        max_batch: int = 512,
        gate: Gate | None = None,
        clock: Callable[[], int] = now_us,
    ) -> None:
        self._exchange = exchange
        self._clock = clock
        self.market = market
        self._max_batch = max_batch
        self._gate = gate
        self._queue: asyncio.Queue[_Pending | None] = asyncio.Queue()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._last_ts = 0
        self._book_seq: dict[str, int] = {}
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
        """Sequence ``command``; its events once durable, or the gate's :class:`ApiProblem`.

        ``record`` is told the outcome before the state after the command can be read.
        """
        if not self.running:
            raise SequencerStopped
        future: asyncio.Future[list[Event]] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Pending(command, future, record))
        return await future

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Exchange]:
        """The engine, between batches."""
        async with self._lock:
            yield self._exchange.engine

    def participant(self, name: str) -> Participant | None:
        """A registered participant (a single dict read: safe while a batch is written)."""
        return self._exchange.engine.participants.get(name)

    def order_owner(self, order_id: int) -> tuple[str, str] | None:
        """(owner, instrument) of a resting order (dict reads of fields set once: safe
        while a batch is written)."""
        order = self._exchange.engine.orders.get(order_id)
        return (order.participant, order.instrument) if order is not None else None

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
                    problem = ApiProblem(500, "service.internal", f"internal error: {exc}")
                    for item in batch:
                        if not item.future.done():
                            item.future.set_exception(problem)

    def _stamp(self, command: Command) -> Command:
        ts = max(self._clock(), self._last_ts)
        self._last_ts = ts
        return dataclasses.replace(command, ts=ts)

    async def _process(self, batch: list[_Pending]) -> None:
        """Gate, journal and apply ``batch``; record the outcomes; only then answer."""
        engine = self._exchange.engine
        outcomes: list[tuple[_Pending, Outcome]] = []
        todo: list[_Pending] = []
        for item in batch:
            if item.future.done():  # the request went away before its turn
                continue
            item.command = self._stamp(item.command)
            refusal = self._gate(engine, item.command) if self._gate else None
            if refusal is not None:
                outcomes.append((item, refusal))
            else:
                todo.append(item)
        outcomes += zip(todo, await self._journal(todo), strict=True)
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
            problem = ApiProblem(503, "service.journal_unavailable", f"journal write failed: {exc}")
            return [problem] * len(todo)
        self.healthy = True
        self._publish(results)
        return list(results)

    def _publish(self, results: list[list[Event]]) -> None:
        engine = self._exchange.engine
        trades: dict[str, list[Trade]] = defaultdict(list)
        for events in results:
            for ev in events:
                if isinstance(ev, Trade):
                    trades[ev.instrument].append(ev)
        for name, market in engine.markets.items():
            if self._book_seq.get(name) != market.book.seq:  # the book changed in this batch
                depth = engine.depth(name, _DEPTH)
                self._book_seq[name] = depth.seq
                self.market.publish_book(name, depth.bids, depth.asks)
        self.market.publish_trades(trades)


def _refusal(outcome: Outcome) -> str | None:
    """Why a command was refused (gate, engine or journal), or ``None``."""
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
