"""Service settings, validated like data; the app factory takes one, tests build their own."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, Field

from kazree.venue.clock import now_us


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
    auth_failures_per_s: float = Field(default=1.0, gt=0)
    """Failed authentications a client address may add a second, once its burst is used."""
    auth_failure_burst: int = Field(default=10, ge=1)
    """Failed authentications a client address may make before being answered 429."""
    max_pending_key_checks: int = Field(default=8, ge=1)
    """Expensive key checks (a key's first use) waiting at once before 503."""
    body_timeout_s: float = Field(default=10.0, gt=0)
    """Longest wait for the next part of a request body before answering 408, in seconds."""
    max_batch: int = Field(default=512, ge=1)
    """Largest number of commands journaled in one transaction (group commit)."""
    ws_queue: int = Field(default=10_000, ge=1)
    """Messages buffered per WebSocket subscriber before it is closed as a slow consumer."""
    ws_queue_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    """Bytes buffered per WebSocket subscriber before it is closed as a slow consumer."""
    auction_poll_s: float = Field(default=2.0, gt=0)
    """How often the auction scheduler re-reads the schedules and acts, in seconds."""
    tune_gc: bool = False
    """Freeze the start-up heap and raise the collector's thresholds once the journal is
    recovered (``kazree.venue.tuning``): process-wide, so only for a process that is the service,
    as ``kazree serve`` is."""
    clock: Callable[[], int] = Field(default=now_us, exclude=True)
    """UTC microseconds now: stamps commands and drives the auction scheduler."""
