"""Bodies of the auction routes: schedules (UTC ``HH:MM`` times, weekdays) and results."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field

from kazree.api.schemas import Strict, example_config
from kazree.venue.schedule import DEFAULT_DAYS, AuctionSchedule, hh_mm, next_times, to_datetime

_SCHEDULE: dict[str, Any] = {
    "instrument": "TB-OX",
    "opens": "09:45",
    "uncross": "10:00",
    "days": ["mon", "tue", "wed", "thu", "fri"],
    "next_call_open": "2026-12-08T09:45:00Z",
    "next_uncross": "2026-12-08T10:00:00Z",
}
_RESULT: dict[str, Any] = {
    "ts": 1796637600000000,
    "call_opened_ts": 1796636700000000,
    "price_ticks": 100000,
    "volume_lots": 4,
    "imbalance_lots": 1,
}


class ScheduleIn(Strict):
    """A daily call auction in UTC: the call phase opens at ``opens``, uncrosses at ``uncross``."""

    opens: str = Field(max_length=32, examples=["09:45"], description="UTC time HH:MM")
    uncross: str = Field(
        max_length=32, examples=["10:00"], description="UTC time HH:MM, after opens"
    )
    days: list[Annotated[str, Field(max_length=16)]] = Field(
        default=list(DEFAULT_DAYS),
        min_length=1,
        max_length=7,
        examples=[["mon", "tue", "wed", "thu", "fri"]],
        description="Weekdays (mon ... sun); Monday to Friday when left out",
    )


class ScheduleOut(BaseModel):
    """An instrument's auction schedule and its next times (UTC)."""

    model_config = example_config(_SCHEDULE)

    instrument: str
    opens: str
    uncross: str
    days: list[str]
    next_call_open: datetime
    next_uncross: datetime


class AuctionResultOut(BaseModel):
    """One call-auction uncross at ``ts`` (UTC µs); its call phase opened at ``call_opened_ts``."""

    model_config = example_config(_RESULT)

    ts: int
    call_opened_ts: int
    price_ticks: int | None = Field(description="null when nothing crossed")
    volume_lots: int
    imbalance_lots: int


class AuctionOut(BaseModel):
    """An instrument's schedule (null if none), call phase and uncrosses, the latest last."""

    model_config = example_config(
        {
            "instrument": "TB-OX",
            "schedule": _SCHEDULE,
            "in_call_phase": False,
            "call_opened_ts": None,
            "results": [_RESULT],
        }
    )

    instrument: str
    schedule: ScheduleOut | None
    in_call_phase: bool
    call_opened_ts: int | None = Field(description="When the open call phase started (UTC µs)")
    results: list[AuctionResultOut]


def schedule_out(s: AuctionSchedule, now_us: int) -> ScheduleOut:
    """The body describing ``s`` at ``now_us``."""
    opens, uncross = next_times(s, to_datetime(now_us))
    return ScheduleOut(
        instrument=s.instrument,
        opens=hh_mm(s.opens),
        uncross=hh_mm(s.uncross),
        days=s.day_names,
        next_call_open=opens,
        next_uncross=uncross,
    )
