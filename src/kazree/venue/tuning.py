"""Process tuning for a long-running exchange writer."""

from __future__ import annotations

import gc

GC_THRESHOLDS = (10_000, 10, 10)
"""Collect the youngest generation every 10,000 net allocations instead of CPython's 700."""


def tune_gc() -> None:
    """Keep the garbage collector's work small for a process that serves the engine.

    The engine makes no reference cycles per command, yet CPython's collections walk every
    tracked object: the imported libraries, the recovered state, and the trades and receipts
    that pile up. Everything alive after start-up lives for the whole process, so it is
    collected once and frozen (:func:`gc.freeze`); later collections walk only what was
    created since, and the larger :data:`GC_THRESHOLDS` make them rarer. Process-wide, so never
    applied by a library call: the service applies it when ``Settings.tune_gc`` says so (``kazree
    serve`` does), once the state is recovered; the benchmark after its set-up.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
