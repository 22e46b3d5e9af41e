"""Schemathesis against the live OpenAPI schema: no server error, no response off the schema.

Bounded: a few examples per operation, as each role (trader, warehouse operator, admin,
observer): each reaches different code and is refused differently elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from api_support import install_keys, served
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kazree.api.app import create_app
from kazree.venue.settings import Settings

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """A demo market served on loopback; (base URL, keys)."""
    path = tmp_path_factory.mktemp("st") / "exchange.db"
    keys = install_keys(f"sqlite:///{path}")
    app = create_app(
        Settings(db_url=f"sqlite:///{path}", rate_per_s=10_000, burst=10_000),
    )
    with served(app) as base:
        yield base, keys


pytestmark = pytest.mark.slow

schema = schemathesis.openapi.from_dict(create_app(Settings()).openapi())
"""The schema the app publishes at /openapi.json (building the app opens no database)."""


SETTINGS = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


def _check(case: schemathesis.Case, live: tuple[str, dict[str, str]], who: str) -> None:
    base, keys = live
    case.call_and_validate(
        base_url=base, headers={"Authorization": f"Bearer {keys[who]}"}, checks=CHECKS
    )


@schema.parametrize()
@SETTINGS
def test_schema_holds_for_a_trader(
    case: schemathesis.Case, live: tuple[str, dict[str, str]]
) -> None:
    _check(case, live, "trader")


@schema.parametrize()
@SETTINGS
def test_schema_holds_for_an_admin(
    case: schemathesis.Case, live: tuple[str, dict[str, str]]
) -> None:
    _check(case, live, "admin")


@schema.parametrize()
@SETTINGS
def test_schema_holds_for_a_warehouse_operator(
    case: schemathesis.Case, live: tuple[str, dict[str, str]]
) -> None:
    _check(case, live, "operator")


@schema.parametrize()
@SETTINGS
def test_schema_holds_for_an_observer(
    case: schemathesis.Case, live: tuple[str, dict[str, str]]
) -> None:
    _check(case, live, "observer")
