"""Daily call-auction schedules in UTC and what is due when: pure functions, no I/O.

A schedule opens an instrument's call phase at ``opens`` and uncrosses it at ``uncross`` (later
the same day) on the chosen weekdays. :func:`due` decides from the clock and the market's phase
alone, so the scheduler can run it as often as it likes: it never opens twice, and a call phase
whose uncross time passed (the service was down) is uncrossed as soon as it is seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from kazree.errors import KazreeError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday names, Monday first (``datetime.weekday()`` order)."""
DEFAULT_DAYS = WEEKDAYS[:5]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_HH_MM = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


class ScheduleError(KazreeError):
    """A schedule field that cannot be accepted."""

    def __init__(self, field: str, value: object, allowed: str) -> None:
        super().__init__(f"{field} = {value!r}: {allowed}")
        self.field = field


@dataclass(frozen=True, slots=True)
class AuctionSchedule:
    """One instrument's daily call phase, in UTC."""

    instrument: str
    opens: time
    """When the call phase opens."""
    uncross: time
    """When it is uncrossed; after ``opens``, the same day."""
    days: frozenset[int]
    """Weekdays it runs on, 0 = Monday."""

    @property
    def day_names(self) -> list[str]:
        """The weekdays as names, Monday first."""
        return [WEEKDAYS[d] for d in sorted(self.days)]

    def sessions(self, first: date, last: date) -> Iterator[tuple[datetime, datetime]]:
        """(call open, uncross) of every scheduled day from ``first`` to ``last``, in order."""
        day = first
        while day <= last:
            if day.weekday() in self.days:
                yield (
                    datetime.combine(day, self.opens, UTC),
                    datetime.combine(day, self.uncross, UTC),
                )
            day += timedelta(days=1)


def hh_mm(t: time) -> str:
    """``t`` as ``HH:MM``."""
    return t.strftime("%H:%M")


def parse_schedule(
    instrument: str, opens: str, uncross: str, days: Iterable[str] | None = None
) -> AuctionSchedule:
    """A schedule from its text form; :class:`ScheduleError` names the field that is wrong."""
    start = _parse_time("opens", opens)
    end = _parse_time("uncross", uncross)
    if end <= start:
        field, allowed = "uncross", f"must be after opens ({hh_mm(start)}) on the same day (UTC)"
        raise ScheduleError(field, uncross, allowed)
    names = list(DEFAULT_DAYS if days is None else days)
    chosen = [n.strip().lower() for n in names]
    unknown = [n for n, c in zip(names, chosen, strict=True) if c not in WEEKDAYS]
    if unknown or not chosen:
        field, allowed = "days", f"need one or more of {', '.join(WEEKDAYS)}"
        raise ScheduleError(field, unknown or names, allowed)
    return AuctionSchedule(instrument, start, end, frozenset(WEEKDAYS.index(c) for c in chosen))


def _parse_time(field: str, text: str) -> time:
    match = _HH_MM.fullmatch(text.strip())
    if match is None:
        raise ScheduleError(field, text, "need a UTC time of day HH:MM, 00:00 to 23:59")
    return time(int(match[1]), int(match[2]))


def to_datetime(us: int) -> datetime:
    """UTC microseconds since the epoch as an aware datetime (exact)."""
    return EPOCH + us * _US


def to_us(when: datetime) -> int:
    """An aware datetime as UTC microseconds since the epoch (exact)."""
    return (when - EPOCH) // _US


def next_times(s: AuctionSchedule, now: datetime) -> tuple[datetime, datetime]:
    """The next call open and the next uncross strictly after ``now``."""
    upcoming = list(s.sessions(now.date(), now.date() + timedelta(days=7)))
    return (
        next(o for o, _ in upcoming if o > now),
        next(u for _, u in upcoming if u > now),
    )


def _latest(s: AuctionSchedule, now: datetime) -> tuple[tuple[datetime, datetime], datetime]:
    """The latest session that has opened by ``now``, and the latest uncross time passed."""
    past = list(s.sessions(now.date() - timedelta(days=8), now.date()))
    opened = [(o, u) for o, u in past if o <= now]
    return opened[-1], max(u for _, u in past if u <= now)


class Step(StrEnum):
    """What the scheduler submits."""

    OPEN = "open"
    UNCROSS = "uncross"


def due(
    s: AuctionSchedule, now_us: int, call_opened_us: int | None, last: tuple[int, int] | None
) -> tuple[Step, datetime] | None:
    """What to do now for ``s``, and the scheduled time it is for; ``None`` when nothing is due.

    ``call_opened_us`` is when the open call phase started (``None`` outside one); ``last`` is
    (when its call phase opened, when it was uncrossed) for the latest result, if any.

    - A call phase open since before the latest passed uncross time is uncrossed (on time, or
      late after downtime).
    - Between a call open and its uncross, with no call phase open, the call phase is opened,
      unless this session already had one, uncrossed early (by an admin): one that opened
      after the previous uncross time and was uncrossed after this call open.
    """
    now = to_datetime(now_us)
    (opens, uncross), passed = _latest(s, now)
    if call_opened_us is not None:
        return (Step.UNCROSS, passed) if call_opened_us < to_us(passed) else None
    if now >= uncross:
        return None
    had_call = last is not None and last[0] >= to_us(passed) and last[1] >= to_us(opens)
    return None if had_call else (Step.OPEN, opens)
