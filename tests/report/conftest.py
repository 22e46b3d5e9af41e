"""Fixtures: the hand-made chain of :mod:`report_chain` as results and as runs."""

from __future__ import annotations

import pytest
import xarray as xr
from report_chain import chain_results, chain_run

from kazree.report import ScenarioRun


@pytest.fixture
def results() -> xr.Dataset:
    """The hand-made chain results."""
    return chain_results()


@pytest.fixture
def runs() -> list[ScenarioRun]:
    """Two runs of the chain with different metrics."""
    return [chain_run("alpha"), chain_run("beta", scale=2.0)]
