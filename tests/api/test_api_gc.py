"""The process-wide GC tuning is the service's to apply, and only when told to."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import demo_market

from kazree.venue.tuning import GC_THRESHOLDS


@pytest.fixture
def restore_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("restore_gc")
def test_the_service_tunes_the_gc_only_when_told_to(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/j.db"
    with demo_market(url):
        assert gc.get_threshold() == (700, 10, 10)
        assert gc.get_freeze_count() == 0
    with demo_market(url, {}, tune_gc=True):
        assert gc.get_threshold() == GC_THRESHOLDS
        assert gc.get_freeze_count() > 0
