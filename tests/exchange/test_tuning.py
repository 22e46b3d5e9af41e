"""GC tuning for a process serving the engine: frozen start-up heap, larger thresholds."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from kazree.exchange.durability.durable import DurableExchange
from kazree.venue.tuning import GC_THRESHOLDS, tune_gc


@pytest.fixture
def restore_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("restore_gc")
def test_tune_gc_freezes_what_is_alive_and_raises_thresholds() -> None:
    kept = [[i] for i in range(1000)]
    tune_gc()
    assert gc.get_threshold() == GC_THRESHOLDS
    assert gc.get_freeze_count() >= len(kept)
    collected = {id(o) for o in gc.get_objects()}  # frozen objects are in no generation
    assert id(kept) not in collected
    assert not any(id(x) in collected for x in kept)


@pytest.mark.usefixtures("restore_gc")
def test_opening_a_journal_leaves_the_process_gc_alone(tmp_path: Path) -> None:
    with DurableExchange.open(f"sqlite:///{tmp_path}/j.db"):
        assert gc.get_threshold() == (700, 10, 10)
        assert gc.get_freeze_count() == 0
