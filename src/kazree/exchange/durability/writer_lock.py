"""One writer per journal: while the service runs, an admin command cannot write beside it.

The lock lives as long as the process that holds it, so a crash never leaves it behind: on
SQLite it is an ``flock`` on ``<database>-writer.lock`` beside the database file, on
PostgreSQL a session advisory lock keyed by the journal's schema, held on a connection of its
own.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from kazree.errors import KazreeError

WRITER_WAIT_S = 3.0
"""How long to wait for the lock, in seconds: a writer that just died may still hold it."""

_LOCK_CLASS = 0x6B7A  # "kz": the first key of the advisory lock, the schema's hash the second
_LOCK_NOT_AVAILABLE = "55P03"


class JournalBusy(KazreeError):
    """Another process writes the journal (normally the exchange service)."""


class WriterLock:
    """The right to write one journal, until :meth:`release`."""

    def __init__(self, release: Callable[[], None]) -> None:
        self._release: Callable[[], None] | None = release

    def release(self) -> None:
        """Give the lock up (again: no effect)."""
        if self._release is not None:
            release, self._release = self._release, None
            release()


def lock_writer(engine: sa.Engine, wait_s: float = WRITER_WAIT_S) -> WriterLock:
    """The writer lock of the journal in ``engine``'s database (:class:`JournalBusy` if held)."""
    if engine.dialect.name == "postgresql":
        return _lock_postgresql(engine, wait_s)
    database = engine.url.database
    if not database or database == ":memory:" or engine.url.query.get("mode") == "memory":
        return WriterLock(lambda: None)  # private to this process: nobody else can write it
    return _lock_file(database, wait_s)


def _busy(where: str) -> JournalBusy:
    msg = (
        f"journal {where}: another process is writing it (the exchange service?); "
        "stop that process first, or make the change through the service's /v1/admin routes"
    )
    return JournalBusy(msg)


def _lock_file(database: str, wait_s: float) -> WriterLock:
    fd = os.open(f"{database}-writer.lock", os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise _busy(database) from None
            time.sleep(0.05)
        else:
            return WriterLock(lambda: os.close(fd))


def _lock_postgresql(engine: sa.Engine, wait_s: float) -> WriterLock:
    conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    try:
        conn.execute(sa.text(f"SET lock_timeout = {max(1, round(wait_s * 1000))}"))
        conn.execute(
            sa.text("SELECT pg_advisory_lock(:cls, hashtext(current_schema()))"),
            {"cls": _LOCK_CLASS},
        )
    except DBAPIError as exc:
        conn.invalidate()
        if getattr(exc.orig, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
            schema = engine.url.render_as_string(hide_password=True)
            raise _busy(schema) from None
        raise

    def release() -> None:
        conn.invalidate()  # closes the session, which ends its advisory lock
        conn.close()

    return WriterLock(release)
