"""Small hand-made results Datasets in the shape of the model's results contract."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import xarray as xr

from hand_results import blank_results

Blank = Callable[..., xr.Dataset]
BLOCS = {"EU": ("DE", "FR"), "G7": ("DE", "FR", "US", "JP")}


@pytest.fixture
def blank() -> Blank:
    """A builder of zeroed results (see :func:`blank_results`)."""
    return blank_results


@pytest.fixture
def blocs() -> dict[str, tuple[str, ...]]:
    """Two small blocs."""
    return dict(BLOCS)
