"""Solved scenarios shared by the model tests (short horizons keep the suite fast)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kazree.model.solve import Solution, solve_scenario, with_years
from kazree.scenario import load_scenario


def solve_short(name: str | Path, start: int, end: int) -> Solution:
    """Solve scenario ``name`` over ``start``..``end``."""
    return solve_scenario(with_years(load_scenario(name), start, end))


@pytest.fixture(scope="session")
def baseline() -> Solution:
    """``baseline`` over 2024-2026."""
    return solve_short("baseline", 2024, 2026)


@pytest.fixture(scope="session")
def controls() -> Solution:
    """``china-controls-2025`` over 2024-2027 (No. 18 from April 2025)."""
    return solve_short("china-controls-2025", 2024, 2027)
