"""Durable exchange: replay reproduces the state hash; tampering and failed writes are handled."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from journal_support import journal_url, stream
from typer.testing import CliRunner

from databases import BACKENDS
from kazree.cli import app, main
from kazree.errors import KazreeError
from kazree.exchange.core.commands import Command
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.events import Trade, event_to_json
from kazree.exchange.durability.durable import DurableExchange, audit
from kazree.exchange.durability.journal import JournalCorrupt, canonical_json, entry_hash
from kazree.exchange.durability.store import JournalStore, database_url

COMMANDS = stream(1_500, seed=7)


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with journal_url(request.param, tmp_path) as opened:
        yield opened


def _in_memory(commands: list[Command]) -> Exchange:
    engine = Exchange()
    for c in commands:
        engine.apply(c)
    return engine


def _run(url: str, commands: list[Command], batch: int = 100, every: int = 10_000) -> str:
    with DurableExchange.open(url, snapshot_every=every) as ex:
        for i in range(0, len(commands), batch):
            ex.submit_many(commands[i : i + batch])
        return ex.state_hash()


def _execute(url: str, sql: str, **params: object) -> None:
    engine = sa.create_engine(database_url(url))
    with engine.begin() as conn:
        conn.execute(sa.text(sql), params)
    engine.dispose()


def test_the_stream_trades_and_conserves() -> None:
    engine = Exchange()
    trades = 0
    for c in COMMANDS:
        trades += sum(isinstance(e, Trade) for e in engine.apply(c))
    assert trades > 200
    assert engine.check_conservation() == []


def test_reopen_replays_to_the_same_state_hash(url: str) -> None:
    before = _run(url, COMMANDS)
    assert before == _in_memory(COMMANDS).state_hash()
    with DurableExchange.open(url) as ex:
        assert ex.seq == len(COMMANDS)
        assert ex.state_hash() == before
        assert ex.engine.check_conservation() == []


def test_events_are_those_of_the_in_memory_engine(url: str) -> None:
    reference = Exchange()
    with DurableExchange.open(url) as ex:
        for i in range(0, 300, 50):
            batch = COMMANDS[i : i + 50]
            got = ex.submit_many(batch)
            assert got == [reference.apply(c) for c in batch]
        assert ex.seq == 300
    store = JournalStore.open(url)
    entry = store.entry(300)
    store.close()
    assert entry is not None
    events = [event_to_json(e) for e in _in_memory(COMMANDS[:299]).apply(COMMANDS[299])]
    assert entry.events == canonical_json(events)


def test_snapshot_plus_replay_equals_full_replay(url: str) -> None:
    before = _run(url, COMMANDS, batch=64, every=250)
    store = JournalStore.open(url)
    snapshot = store.latest_snapshot()
    store.close()
    assert snapshot is not None
    # taken at the end of the first batch at least 250 commands after the previous one
    assert snapshot.seq == 5 * 256
    assert snapshot.seq < len(COMMANDS)
    assert snapshot.state_hash == _in_memory(COMMANDS[: snapshot.seq]).state_hash()
    with DurableExchange.open(url) as ex:
        assert ex.state_hash() == before
    _execute(url, "DELETE FROM exchange_snapshots")
    with DurableExchange.open(url) as ex:  # full replay from the first entry
        assert ex.state_hash() == before


def test_journaling_continues_after_a_reopen(url: str) -> None:
    half = len(COMMANDS) // 2
    _run(url, COMMANDS[:half], every=300)
    _run(url, COMMANDS[half:], every=300)
    with DurableExchange.open(url) as ex:
        assert ex.state_hash() == _in_memory(COMMANDS).state_hash()


def test_an_edited_command_is_reported_at_its_seq(url: str) -> None:
    _run(url, COMMANDS[:200])
    _execute(url, "UPDATE exchange_journal SET command = :c WHERE seq = 150", c="{}")
    with pytest.raises(JournalCorrupt, match=r"^journal seq 150: hash does not match"):
        DurableExchange.open(url)


def test_a_rehashed_forgery_breaks_the_chain_at_the_next_seq(url: str) -> None:
    _run(url, COMMANDS[:200])
    store = JournalStore.open(url)
    old = store.entry(120)
    store.close()
    assert old is not None
    forged = json.loads(old.command) | {"ts": old.ts + 1}
    text = canonical_json(forged)
    _execute(
        url,
        "UPDATE exchange_journal SET command = :c, hash = :h WHERE seq = 120",
        c=text,
        h=entry_hash(old.prev_hash, text, old.events),
    )
    with pytest.raises(JournalCorrupt, match=r"^journal seq 121: broken hash chain"):
        DurableExchange.open(url)


def test_events_that_replay_differently_are_detected(url: str) -> None:
    """A journal re-chained consistently, but with events the command does not produce."""
    _run(url, COMMANDS[:100])
    store = JournalStore.open(url)
    entries = list(store.entries())
    store.close()
    prev = entries[79].hash
    for e in entries[80:]:
        events = "[]" if e.seq == 81 else e.events
        digest = entry_hash(prev, e.command, events)
        _execute(
            url,
            "UPDATE exchange_journal SET events = :ev, prev_hash = :p, hash = :h WHERE seq = :s",
            ev=events,
            p=prev,
            h=digest,
            s=e.seq,
        )
        prev = digest
    with pytest.raises(JournalCorrupt, match=r"^journal seq 81: replayed events differ"):
        DurableExchange.open(url)


def test_a_snapshot_that_does_not_match_its_hash_is_refused(url: str) -> None:
    _run(url, COMMANDS[:400], every=100)
    _execute(url, "UPDATE exchange_snapshots SET state_hash = :h", h="f" * 64)
    with pytest.raises(JournalCorrupt, match=r"^snapshot at seq 400: state does not match"):
        DurableExchange.open(url)


def test_a_failed_write_leaves_memory_at_the_durable_state(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with DurableExchange.open(url) as ex:
        ex.submit_many(COMMANDS[:300])
        durable_hash = ex.state_hash()

        def fail(self: JournalStore, entries: object) -> None:
            raise sa.exc.OperationalError("INSERT", {}, Exception("disk full"))

        with monkeypatch.context() as m:
            m.setattr(JournalStore, "append", fail)
            with pytest.raises(sa.exc.OperationalError):
                ex.submit_many(COMMANDS[300:400])
        assert ex.seq == 300
        assert ex.state_hash() == durable_hash
        ex.submit_many(COMMANDS[300:400])
        assert ex.state_hash() == _in_memory(COMMANDS[:400]).state_hash()
    with DurableExchange.open(url) as ex:
        assert ex.state_hash() == _in_memory(COMMANDS[:400]).state_hash()


def test_a_closed_exchange_refuses_commands(url: str) -> None:
    ex = DurableExchange.open(url)
    ex.close()
    with pytest.raises(KazreeError, match="the exchange is closed"):
        ex.submit(COMMANDS[0])


def test_snapshot_every_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(KazreeError, match=r"snapshot_every 0: must be a positive"):
        DurableExchange.open(f"sqlite:///{tmp_path / 'j.db'}", snapshot_every=0)


def test_audit_replays_everything_and_checks_every_snapshot(url: str) -> None:
    before = _run(url, COMMANDS, batch=100, every=400)
    store = JournalStore.open(url)
    found = audit(store)
    store.close()
    assert (found.entries, found.snapshots, found.state_hash) == (len(COMMANDS), 3, before)


def test_audit_names_a_snapshot_that_differs_from_the_replay(url: str) -> None:
    _run(url, COMMANDS[:1000], batch=100, every=400)
    _execute(url, "UPDATE exchange_snapshots SET state_hash = :h WHERE seq = 800", h="e" * 64)
    store = JournalStore.open(url)
    with pytest.raises(JournalCorrupt, match=r"^snapshot at seq 800: state hash differs"):
        audit(store)
    store.close()


def test_verify_command_prints_the_verified_hash(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'j.db'}"
    before = _run(db, COMMANDS[:300])
    result = CliRunner().invoke(app, ["exchange", "verify", "--db", db], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "│ entries   │ 300 │" in result.stdout
    assert f"state hash: {before}\n" in result.stdout


def test_verify_command_names_the_broken_seq(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'j.db'}"
    _run(db, COMMANDS[:300])
    _execute(db, "DELETE FROM exchange_journal WHERE seq = 77")
    monkeypatch.setattr(sys, "argv", ["kazree", "exchange", "verify", "--db", db])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    assert capsys.readouterr().err == (
        "error: journal seq 77: missing (next stored entry is seq 78)\n"
    )


def _fail_first_snapshot(url: str, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Run commands with snapshots every 100 whose first write fails; the seqs tried."""
    save = JournalStore.save_snapshot
    tried: list[int] = []

    def fails_once(store: JournalStore, seq: int, state_hash: str, state_json: str) -> None:
        tried.append(seq)
        if len(tried) == 1:
            raise sa.exc.OperationalError("INSERT", {}, Exception("disk I/O error"))
        save(store, seq, state_hash, state_json)

    monkeypatch.setattr(JournalStore, "save_snapshot", fails_once)
    with DurableExchange.open(url, snapshot_every=100) as ex:
        ex.submit_many(COMMANDS[:100])
        for c in COMMANDS[100:400]:  # retried after the batch that sees the failure
            ex.submit(c)
            if len(tried) == 2:
                break
    return tried


def test_a_failed_background_snapshot_is_logged_and_taken_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'j.db'}"
    tried = _fail_first_snapshot(url, monkeypatch)
    assert tried[0] == 100
    assert 100 < tried[1] < 400
    assert "snapshot at seq 100 failed; will retry" in caplog.text
    store = JournalStore.open(url)
    stored = store.latest_snapshot()
    store.close()
    assert stored is not None
    assert stored.seq == tried[1]
    assert stored.state_hash == _in_memory(COMMANDS[: stored.seq]).state_hash()


def test_in_memory_sqlite_writes_snapshots_inline(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Each thread has its own in-memory database, so the snapshot is written in line."""
    store = JournalStore.open("sqlite://")
    assert not store.shared_across_threads
    store.close()
    assert _fail_first_snapshot("sqlite://", monkeypatch) == [100, 101]
    assert "snapshot at seq 100 failed; will retry" in caplog.text
