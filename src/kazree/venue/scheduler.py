"""The auction scheduler: a background task that opens and uncrosses scheduled call phases.

Every ``poll_s`` seconds it re-reads the schedule table (one small query, off the event loop),
looks at each scheduled market between batches and submits what :func:`~kazree.venue.schedule.due`
says through the sequencer, audited as actor ``scheduler``, exactly like the admin routes. Its
first round runs at start-up, so a call phase whose uncross time passed while the service was
down is uncrossed then. A refusal (say an admin opened the call phase a moment before) is
logged, never fatal.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from kazree.errors import KazreeError
from kazree.exchange.core.commands import Command, OpenAuction, RunAuction
from kazree.exchange.core.views import InstrumentView
from kazree.venue.audit import apply_and_audit
from kazree.venue.schedule import AuctionSchedule, Step, due
from kazree.venue.service import Service

ACTOR = "scheduler"
"""The audit log's actor for scheduled actions."""

_log = logging.getLogger("kazree.venue.scheduler")


def _last(m: InstrumentView) -> tuple[int, int] | None:
    """(call opened, uncrossed) of the market's latest auction result."""
    return (m.auctions[-1].call_opened_ts, m.auctions[-1].ts) if m.auctions else None


class AuctionScheduler:
    """Runs the schedules of one service; :meth:`tick` is one round, :meth:`start` loops it."""

    def __init__(self, service: Service, clock: Callable[[], int], poll_s: float) -> None:
        self._service = service
        self._clock = clock
        self._poll_s = poll_s
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._warned: set[str] = set()

    async def tick(self) -> list[Command]:
        """Submit every step due now; the commands submitted (accepted or not)."""
        service = self._service
        schedules = await asyncio.to_thread(service.store.auction_schedules)
        now = self._clock()
        todo: list[tuple[AuctionSchedule, Step, str]] = []
        async with service.sequencer.reading() as engine:
            for s in schedules.values():
                m = engine.instrument(s.instrument, auctions=1)
                if m is None:
                    self._unlisted(s.instrument)
                    continue
                action = due(s, now, m.call_opened_ts, _last(m))
                if action is not None:
                    todo.append((s, action[0], action[1].isoformat()))
        submitted: list[Command] = []
        for s, step, scheduled in todo:
            command: Command = (
                OpenAuction(ts=0, instrument=s.instrument)
                if step is Step.OPEN
                else RunAuction(ts=0, instrument=s.instrument)
            )
            submitted.append(command)
            try:
                await apply_and_audit(
                    service.sequencer.submit,
                    service.store,
                    ACTOR,
                    command,
                    {"scheduled": scheduled},
                )
            except KazreeError as exc:
                _log.warning("scheduled %s of %s refused: %s", step, s.instrument, exc)
            else:
                _log.info("scheduled %s of %s done (due %s)", step, s.instrument, scheduled)
        return submitted

    def _unlisted(self, instrument: str) -> None:
        if instrument not in self._warned:
            self._warned.add(instrument)
            _log.warning("auction schedule of %s ignored: no such instrument", instrument)

    def start(self) -> None:
        """Start the loop: a round now, then one every ``poll_s`` seconds until :meth:`stop`."""
        self._task = asyncio.get_running_loop().create_task(self._run(), name="auction-scheduler")

    async def stop(self) -> None:
        """Let the round under way finish, then end the loop."""
        self._stopping.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                await self.tick()
            except Exception:  # a bad round (database down, say) must not end the schedule
                _log.exception("auction scheduler round failed; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._poll_s)
