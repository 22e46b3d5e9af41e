"""Dashboard fixtures: one demo service and one browser per module."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from web_support import chromium, demo_service


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """(base URL, demo keys) of a service on 127.0.0.1."""
    with demo_service(tmp_path_factory.mktemp("dashboard")) as served:
        yield served


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A headless Chromium."""
    with chromium(tmp_path_factory.mktemp("downloads")) as driver:
        yield driver
