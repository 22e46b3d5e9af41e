"""The projector: keeps the history read model up with the journal, in the service.

A task catches the history tables up with the journal (:meth:`HistoryStore.catch_up` in a
thread) whenever it is woken, and at least every ``idle_s`` seconds, as far as the journal was
when it woke: one transaction per round however fast commands arrive. The writer hands over
the entries of each durable batch (:meth:`Projector.feed`), so the task projects those rather
than reading them back from the journal. A read that must see every acknowledged command calls
:meth:`Projector.reach` with the journal seq of the last durable command: it wakes the task and
waits until the tables are projected that far.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections import deque
from collections.abc import Callable

from kazree.exchange.durability.journal import JournalEntry
from kazree.venue.history import ROUND_ENTRIES, HistoryStore

MAX_HELD = 20 * ROUND_ENTRIES
"""The most handed-over entries held for projection; beyond that they are read back instead."""

_log = logging.getLogger("kazree.venue.readmodel")


class HistoryBehind(Exception):
    """The history tables did not reach the wanted journal seq in time."""


class Projector:
    """Projects the journal into ``store`` up to ``journal_seq()``, in the background."""

    def __init__(
        self, store: HistoryStore, journal_seq: Callable[[], int], idle_s: float = 0.5
    ) -> None:
        self.store = store
        self._journal_seq = journal_seq
        self._idle_s = idle_s
        self.seq = 0
        """The journal seq the tables hold (read from them by :meth:`catch_up_now`)."""
        self._wake = asyncio.Event()
        self._progress = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._held: deque[JournalEntry] = deque()
        """Entries handed over by the writer and not yet projected, in seq order."""

    def feed(self, entries: list[JournalEntry]) -> None:
        """Hold the entries of a batch just made durable, for the next round."""
        held = self._held
        if len(held) + len(entries) > MAX_HELD:  # far behind: the journal has them all
            held.clear()
        elif entries:
            held.extend(entries)

    def catch_up_now(self) -> None:
        """Project everything journaled so far, blocking (at start-up, before serving)."""
        self.seq = self.store.catch_up()
        while self.seq < self._journal_seq():
            self.seq = self.store.catch_up()

    def start(self) -> None:
        """Start the background task."""
        self._task = asyncio.get_running_loop().create_task(self._run(), name="projector")

    async def stop(self) -> None:
        """Project what is left and stop the task."""
        if self._task is not None:
            self._stopping = True
            self._wake.set()
            await self._task
            self._task = None

    async def reach(self, seq: int, timeout_s: float = 10.0) -> None:
        """Return once the tables hold journal entry ``seq``; :class:`HistoryBehind` if not."""
        if self.seq >= seq:
            return
        self._wake.set()
        try:
            async with self._progress:
                await asyncio.wait_for(self._progress.wait_for(lambda: self.seq >= seq), timeout_s)
        except TimeoutError as exc:
            raise HistoryBehind(seq) from exc

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._idle_s)
            self._wake.clear()
            stopping = self._stopping
            await self._round()
            if stopping:
                return

    async def _round(self) -> None:
        target = self._journal_seq()
        held = self._held
        while self.seq < target:
            recent = list(itertools.islice(held, ROUND_ENTRIES))
            try:
                seq = await asyncio.to_thread(self.store.catch_up, ROUND_ENTRIES, recent)
            except Exception:  # a database fault or a bug: reads answer 503 until it clears
                _log.exception("history projection failed after seq %d; will retry", self.seq)
                return
            while held and held[0].seq <= seq:
                held.popleft()
            async with self._progress:
                self.seq = seq
                self._progress.notify_all()
