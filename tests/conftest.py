"""Refuse to test compiled engine modules that are older than their source."""

import pytest

from kazree.exchange.core import stale_compiled_modules


def pytest_sessionstart(session: pytest.Session) -> None:
    if stale := stale_compiled_modules():
        pytest.exit(
            f"compiled kazree.exchange modules older than their source: {', '.join(stale)}; "
            "run make test to rebuild",
            returncode=2,
        )
