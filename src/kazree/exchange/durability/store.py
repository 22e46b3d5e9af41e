"""Where the journal and snapshots live: SQLite by default, PostgreSQL in production.

Two append-only tables (SQLAlchemy Core): ``exchange_journal`` (one row per command) and
``exchange_snapshots`` (the engine state every N commands, zlib-compressed canonical JSON).
A call to :meth:`JournalStore.append` is one transaction: when it returns, the entries are on
disk (SQLite in WAL mode with ``synchronous=FULL``; PostgreSQL commits with its default
``synchronous_commit=on``).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from kazree.errors import KazreeError
from kazree.exchange.durability.journal import JournalEntry
from kazree.exchange.durability.writer_lock import WRITER_WAIT_S, WriterLock, lock_writer

_READ_CHUNK = 5_000

metadata = sa.MetaData()

journal_table = sa.Table(
    "exchange_journal",
    metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("ts", sa.BigInteger, nullable=False),
    sa.Column("command", sa.Text, nullable=False),
    sa.Column("events", sa.Text, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

snapshots_table = sa.Table(
    "exchange_snapshots",
    metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("state_hash", sa.String(64), nullable=False),
    sa.Column("state", sa.LargeBinary, nullable=False),
)


def bulk_insert(conn: sa.Connection, table: sa.Table, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert ``rows`` (values of every column of ``table``, in order) in ``conn``'s transaction
    through the driver's bulk path: ``COPY`` on PostgreSQL, ``executemany`` on SQLite.

    For the hot paths that write many plain rows (the journal, the history read model):
    SQLAlchemy's per-row parameter processing would cost more than the write.
    """
    if not rows:
        return
    columns = ", ".join(c.name for c in table.columns)
    dialect = conn.dialect
    if dialect.name == "postgresql":
        statement = f"COPY {table.name} ({columns}) FROM STDIN"
    else:
        marks = ", ".join("?" for _ in table.columns)
        statement = f"INSERT INTO {table.name} ({columns}) VALUES ({marks})"
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        if dialect.name == "postgresql":
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(statement, rows)
    except dialect.loaded_dbapi.Error as exc:
        error = dialect.loaded_dbapi.Error
        raise sa.exc.DBAPIError.instance(statement, None, exc, error) from exc
    finally:
        cursor.close()


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The engine state after journal entry ``seq``."""

    seq: int
    state_hash: str
    state: dict[str, Any]


def database_url(url: str) -> sa.URL:
    """``url`` as a SQLAlchemy URL; ``postgresql://`` uses the psycopg (v3) driver."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        parsed = None
    if parsed is None or parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        msg = (
            f"journal URL {url!r}: not a supported database "
            "(allowed: sqlite:///PATH.db, postgresql://USER@HOST:PORT/DB)"
        )
        raise KazreeError(msg)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _sqlite_durable(dbapi_connection: Any, _record: Any) -> None:
    """Every SQLite connection: write-ahead log, fsync on each commit, wait on locks."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def open_tables(url: str, tables: sa.MetaData, what: str) -> sa.Engine:
    """An engine on ``url`` (durable SQLite pragmas) with ``tables`` created if missing.

    ``what`` names the tables in the error raised when the database cannot be opened.
    """
    try:
        engine = sa.create_engine(database_url(url))
    except ImportError:
        msg = f"journal URL {url!r}: PostgreSQL needs psycopg (pip install 'kazree[pg]')"
        raise KazreeError(msg) from None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_durable)
    try:
        tables.create_all(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        msg = f"journal URL {url!r}: cannot open {what} ({exc.__class__.__name__})"
        raise KazreeError(msg) from exc
    return engine


def _entry(row: sa.Row[Any]) -> JournalEntry:
    return JournalEntry(row.seq, row.ts, row.command, row.events, row.prev_hash, row.hash)


class JournalStore:
    """The journal and snapshot tables of one database."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    @classmethod
    def open(cls, url: str) -> JournalStore:
        """Connect to ``url`` and create the tables if they are missing."""
        return cls(open_tables(url, metadata, "the database"))

    @property
    def shared_across_threads(self) -> bool:
        """Whether every thread sees the same database (not so for in-memory SQLite)."""
        return not isinstance(self._engine.pool, sa.pool.SingletonThreadPool)

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def lock_writer(self, wait_s: float = WRITER_WAIT_S) -> WriterLock:
        """The right to append, held by one process at a time (:class:`JournalBusy` else)."""
        return lock_writer(self._engine, wait_s)

    def append(self, entries: Sequence[JournalEntry]) -> None:
        """Write ``entries`` in one transaction; durable when this returns.

        The rows go through the driver's bulk path (``COPY`` on PostgreSQL, ``executemany``
        on SQLite): the journal write is the exchange's hot path.
        """
        rows = [(e.seq, e.ts, e.command, e.events, e.prev_hash, e.hash) for e in entries]
        if rows:
            with self._engine.begin() as conn:
                bulk_insert(conn, journal_table, rows)

    def entry(self, seq: int) -> JournalEntry | None:
        """The entry at ``seq``, if stored."""
        with self._engine.connect() as conn:
            row = conn.execute(journal_table.select().where(journal_table.c.seq == seq)).first()
        return None if row is None else _entry(row)

    def head(self) -> JournalEntry | None:
        """The last entry, or ``None`` for an empty journal."""
        query = journal_table.select().order_by(journal_table.c.seq.desc()).limit(1)
        with self._engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _entry(row)

    def entries(self, after: int = 0) -> Iterator[JournalEntry]:
        """The entries with seq greater than ``after``, in seq order, read in chunks."""
        last = after
        while True:
            query = (
                journal_table.select()
                .where(journal_table.c.seq > last)
                .order_by(journal_table.c.seq)
                .limit(_READ_CHUNK)
            )
            with self._engine.connect() as conn:
                rows = conn.execute(query).all()
            yield from (_entry(row) for row in rows)
            if len(rows) < _READ_CHUNK:
                return
            last = rows[-1].seq

    def save_snapshot(self, seq: int, state_hash: str, state_json: str) -> None:
        """Store the engine state after entry ``seq``, given as JSON text (stored compressed)."""
        blob = zlib.compress(state_json.encode(), level=1)
        with self._engine.begin() as conn:
            conn.execute(
                snapshots_table.insert(), {"seq": seq, "state_hash": state_hash, "state": blob}
            )

    def snapshot_hashes(self) -> dict[int, str]:
        """The state hash of every stored snapshot, by seq."""
        query = sa.select(snapshots_table.c.seq, snapshots_table.c.state_hash)
        with self._engine.connect() as conn:
            return {row.seq: row.state_hash for row in conn.execute(query)}

    def latest_snapshot(self) -> Snapshot | None:
        """The snapshot with the highest seq, or ``None``."""
        query = snapshots_table.select().order_by(snapshots_table.c.seq.desc()).limit(1)
        with self._engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        state = json.loads(zlib.decompress(row.state))
        return Snapshot(row.seq, row.state_hash, state)
