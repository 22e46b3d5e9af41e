"""Service fixtures."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import Market, database, demo_market, install_keys

from databases import BACKENDS


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A SQLite database holding the demo market, copied by tests instead of rebuilt."""
    path = tmp_path_factory.mktemp("template") / "exchange.db"
    return path, install_keys(f"sqlite:///{path}")


@pytest.fixture(params=BACKENDS)
def market(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: tuple[Path, dict[str, str]],
) -> Iterator[Market]:
    """A fresh demo market per test, on each backend."""
    with database(request.param, tmp_path) as url:
        keys = None
        if request.param == "sqlite":
            template, keys = sqlite_template
            shutil.copy(template, tmp_path / "exchange.db")
        with demo_market(url, keys) as m:
            yield m


@pytest.fixture
def sqlite_market(tmp_path: Path, sqlite_template: tuple[Path, dict[str, str]]) -> Iterator[Market]:
    """A fresh demo market on SQLite only: for what no database changes."""
    template, keys = sqlite_template
    shutil.copy(template, tmp_path / "exchange.db")
    with demo_market(f"sqlite:///{tmp_path / 'exchange.db'}", keys) as m:
        yield m
