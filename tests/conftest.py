"""Refuse to test compiled engine modules that are older than their source; start every test
in English."""

from collections.abc import Iterator

import pytest

from kazree.exchange.core import stale_compiled_modules
from kazree.i18n import DEFAULT_LANGUAGE, using


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Each test starts in English, whatever language an earlier command left set."""
    with using(DEFAULT_LANGUAGE):
        yield


def pytest_sessionstart(session: pytest.Session) -> None:
    if stale := stale_compiled_modules():
        pytest.exit(
            f"compiled kazree.exchange modules older than their source: {', '.join(stale)}; "
            "run make test to rebuild",
            returncode=2,
        )
