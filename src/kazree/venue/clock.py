"""The exchange's clock: UTC microseconds since the epoch."""

from __future__ import annotations

import time


def now_us() -> int:
    """UTC microseconds since the epoch (the exchange's timestamp unit)."""
    return time.time_ns() // 1_000
