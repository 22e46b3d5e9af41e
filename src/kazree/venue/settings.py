"""Service settings, validated like data; the app factory takes one, tests build their own."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, Field

from kazree.venue.store import now_us


class Settings(BaseModel):
    """How the service runs."""

    db_url: str = "sqlite:///exchange.db"
    """Journal and service tables (``sqlite:///PATH`` or ``postgresql://...``)."""
    snapshot_every: int = Field(default=10_000, ge=1)
    """Engine snapshot interval, in commands."""
    rate_per_s: float = Field(default=200.0, gt=0)
    """Sustained requests a second allowed per API key."""
    burst: int = Field(default=400, ge=1)
    """Requests a key may send at once before the rate applies."""
    max_batch: int = Field(default=512, ge=1)
    """Largest number of commands journaled in one transaction (group commit)."""
    ws_queue: int = Field(default=10_000, ge=1)
    """Messages buffered per WebSocket subscriber before it is told to resynchronise."""
    auction_poll_s: float = Field(default=2.0, gt=0)
    """How often the auction scheduler re-reads the schedules and acts, in seconds."""
    tune_gc: bool = False
    """Freeze the start-up heap and raise the collector's thresholds once the journal is
    recovered (``kazree.venue.tuning``): process-wide, so only for a process that is the service,
    as ``kazree serve`` is."""
    clock: Callable[[], int] = Field(default=now_us, exclude=True)
    """UTC microseconds now: stamps commands and drives the auction scheduler."""
