"""The small planning instance as a fixture (see small_plan.py)."""

from __future__ import annotations

import pytest

from kazree.scenario import Scenario, load_scenario
from small_plan import small_yaml


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """The small instance (20 MUSD of Kazakh value added from 2026)."""
    return load_scenario(small_yaml(tmp_path_factory.mktemp("plan")))
