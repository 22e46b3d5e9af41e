"""Scratch databases for tests: a SQLite file always, a private PostgreSQL schema when configured.

PostgreSQL tests skip without ``KAZREE_TEST_PG_URL`` and fail instead when ``KAZREE_REQUIRE_PG=1``
(as CI sets it), so a missing server never passes as a skip there.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from kazree.exchange.durability.store import database_url

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _unavailable(reason: str) -> None:
    if os.environ.get("KAZREE_REQUIRE_PG") == "1":
        pytest.fail(f"KAZREE_REQUIRE_PG=1 but {reason}")
    pytest.skip(reason)


@contextmanager
def scratch_database(backend: str, tmp_path: Path, name: str) -> Iterator[str]:
    """A fresh database URL named ``name``: a SQLite file, or a private PostgreSQL schema."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / f'{name}.db'}"
        return
    base = os.environ.get("KAZREE_TEST_PG_URL")
    if not base:
        _unavailable("KAZREE_TEST_PG_URL is not set")
        return
    schema = f"kz_{name}_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(database_url(base))
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        engine.dispose()
        _unavailable(f"PostgreSQL at KAZREE_TEST_PG_URL is unreachable: {exc}")
        return
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
