"""The journal store on SQLite and PostgreSQL: round trips, atomic batches, snapshots, URLs."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from journal_support import journal_url
from sqlalchemy.exc import IntegrityError

from databases import BACKENDS
from kazree.errors import KazreeError
from kazree.exchange.core.commands import DepositCash, EndOfDay, parse_command
from kazree.exchange.core.events import Accepted, CashMoved
from kazree.exchange.durability import store as store_module
from kazree.exchange.durability.journal import chain
from kazree.exchange.durability.store import JournalStore, database_url


def _items(n: int, start: int = 1) -> list[tuple[int, EndOfDay, list[Accepted]]]:
    return [(100 * i, EndOfDay(100 * i), [Accepted("end_of_day")]) for i in range(start, start + n)]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[JournalStore]:
    with journal_url(request.param, tmp_path) as url:
        opened = JournalStore.open(url)
        yield opened
        opened.close()


def test_empty_store_has_no_head_entries_or_snapshot(store: JournalStore) -> None:
    assert store.head() is None
    assert list(store.entries()) == []
    assert store.latest_snapshot() is None


def test_appended_entries_read_back_exactly(store: JournalStore) -> None:
    entries = chain(None, _items(5))
    store.append(entries[:2])
    store.append(entries[2:])
    assert list(store.entries()) == entries
    assert list(store.entries(after=3)) == entries[3:]
    assert store.head() == entries[-1]
    assert store.entry(2) == entries[1]
    assert store.entry(6) is None


def test_text_with_escapes_and_unicode_survives_the_bulk_write(store: JournalStore) -> None:
    tricky = 'tab\there "quoted" back\\slash\nnewline, Ölmühle 稀土 \\N'
    deposit = DepositCash(1, tricky, "USD", 5)
    entries = chain(None, [(1, deposit, [CashMoved(tricky, "USD", 5)])])
    store.append(entries)
    (stored,) = store.entries()
    assert stored == entries[0]
    assert parse_command(json.loads(stored.command)) == deposit


def test_entries_are_read_across_chunks(
    store: JournalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "_READ_CHUNK", 3)
    entries = chain(None, _items(10))
    store.append(entries)
    assert [e.seq for e in store.entries(after=1)] == list(range(2, 11))


def test_a_failed_batch_writes_nothing(store: JournalStore) -> None:
    entries = chain(None, _items(3))
    store.append(entries[:2])
    later = chain(entries[-1], _items(2, start=4))
    with pytest.raises(IntegrityError):
        store.append([*later, entries[1]])  # seq 2 again: the whole batch fails
    assert store.head() == entries[1]


def test_latest_snapshot_wins(store: JournalStore) -> None:
    store.save_snapshot(10, "a" * 64, '{"orders":[1,2],"name":"é"}')
    store.save_snapshot(20, "b" * 64, '{"orders":[3]}')
    latest = store.latest_snapshot()
    assert latest is not None
    assert (latest.seq, latest.state_hash, latest.state) == (20, "b" * 64, {"orders": [3]})


def test_sqlite_journal_is_wal_with_full_sync(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    JournalStore.open(f"sqlite:///{path}").close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn = sqlite3.connect(tmp_path / "other.db")
    store_module._sqlite_durable(conn, None)
    assert conn.execute("PRAGMA synchronous").fetchone() == (2,)  # 2 = FULL


def test_postgresql_urls_use_psycopg_v3() -> None:
    url = database_url("postgresql://postgres@127.0.0.1:5432/test")
    assert url.drivername == "postgresql+psycopg"
    assert database_url("sqlite:///x.db").drivername == "sqlite"


@pytest.mark.parametrize("url", ["mysql://u@h/db", "not a url", "exchange.db"])
def test_unsupported_urls_are_named(url: str) -> None:
    with pytest.raises(KazreeError, match=r"journal URL .*: not a supported database \(allowed"):
        database_url(url)


def test_an_unopenable_database_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "j.db"
    with pytest.raises(KazreeError, match=r"cannot open the database"):
        JournalStore.open(f"sqlite:///{missing}")
