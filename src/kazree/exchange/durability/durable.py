"""The exchange with a durable journal: journal before acknowledgement, recover on open.

Every submitted command (accepted or rejected) is applied by the in-memory engine and written,
with its events, to the hash-chained journal; :meth:`DurableExchange.submit_many` returns only
after the whole batch is committed in one transaction (group commit). If the write fails, the
engine is rebuilt from the durable state (latest snapshot + journal) before the error is
raised, so memory is never ahead of disk. Every ``snapshot_every`` commands the engine state
is stored too (written in the background); opening an exchange restores the latest snapshot
and replays the later entries, checking the hash chain and that each command produces exactly
the events journaled for it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from kazree.errors import KazreeError
from kazree.exchange.core.commands import Command, parse_command
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.events import Event
from kazree.exchange.core.snapshot import SnapshotVersionError
from kazree.exchange.durability.journal import (
    JournalCorrupt,
    JournalEntry,
    canonical_json,
    chain,
    verify_chain,
)
from kazree.exchange.durability.store import JournalStore
from kazree.exchange.durability.writer_lock import WRITER_WAIT_S, WriterLock

DEFAULT_SNAPSHOT_EVERY = 100_000

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Recovered:
    """An engine rebuilt from a store, and where it stands in the journal."""

    engine: Exchange
    head: JournalEntry | None
    snapshot_seq: int


def recover(store: JournalStore) -> Recovered:
    """Latest snapshot + replay of the later entries, verifying chain, events and hashes.

    A snapshot in another format version (an older kazree's) is passed over: the whole journal
    is replayed instead, and the next snapshot is written in the current format.
    """
    snapshot = store.latest_snapshot()
    engine, head = Exchange(), None
    if snapshot is not None:
        try:
            engine = Exchange.restore(snapshot.state)
        except SnapshotVersionError as exc:
            _log.warning("%s; replaying the journal from the start", exc)
            snapshot = None
    if snapshot is not None:
        if engine.state_hash() != snapshot.state_hash:
            msg = f"snapshot at seq {snapshot.seq}: state does not match its recorded state hash"
            raise JournalCorrupt(msg)
        head = store.entry(snapshot.seq)
        if head is None:
            msg = f"snapshot at seq {snapshot.seq}: no journal entry with that seq"
            raise JournalCorrupt(msg)
    for entry in verify_chain(store.entries(after=head.seq if head else 0), head):
        replay_entry(engine, entry)
        head = entry
    return Recovered(engine, head, snapshot.seq if snapshot else 0)


@dataclass(frozen=True, slots=True)
class Audit:
    """What a full check of a journal found: all of it verified."""

    entries: int
    snapshots: int
    state_hash: str


def audit(store: JournalStore) -> Audit:
    """Check a whole journal by replaying it from seq 1 on a fresh engine.

    Every link, every entry's events and every snapshot's state hash (at its seq) are checked;
    :class:`JournalCorrupt` names the first fault.
    """
    snapshots = store.snapshot_hashes()
    engine, seq = Exchange(), 0
    for entry in verify_chain(store.entries(), None):
        replay_entry(engine, entry)
        seq = entry.seq
        expected = snapshots.get(seq)
        if expected is not None and engine.state_hash() != expected:
            msg = f"snapshot at seq {seq}: state hash differs from the replayed state"
            raise JournalCorrupt(msg)
    beyond = [s for s in snapshots if s > seq]
    if beyond:
        msg = f"snapshot at seq {min(beyond)}: beyond the last journal entry (seq {seq})"
        raise JournalCorrupt(msg)
    return Audit(seq, len(snapshots), engine.state_hash())


def read_exchange(url: str) -> Exchange:
    """The exchange as of the last durable command at ``url``, to read: no writer lock."""
    store = JournalStore.open(url)
    try:
        return recover(store).engine
    finally:
        store.close()


def replay_entry(engine: Exchange, entry: JournalEntry) -> None:
    """Apply the entry's command; :class:`JournalCorrupt` if its events differ from the journal."""
    try:
        command = parse_command(json.loads(entry.command))
    except (ValueError, KazreeError) as exc:
        msg = f"journal seq {entry.seq}: stored command does not parse ({exc})"
        raise JournalCorrupt(msg) from exc
    if canonical_json(engine.apply(command)) != entry.events:
        msg = f"journal seq {entry.seq}: replayed events differ from the journaled events"
        raise JournalCorrupt(msg)


class DurableExchange:
    """An :class:`Exchange` whose every command is journaled before it is acknowledged."""

    def __init__(
        self, store: JournalStore, lock: WriterLock, recovered: Recovered, snapshot_every: int
    ) -> None:
        self._store: JournalStore | None = store
        self._lock = lock
        self._engine = recovered.engine
        self._head = recovered.head
        self._snapshot_seq = recovered.snapshot_seq
        """The seq of the latest snapshot, stored or being written."""
        self._snapshot_every = snapshot_every
        self._snapshotter = (
            ThreadPoolExecutor(1, thread_name_prefix="kazree-snapshot")
            if store.shared_across_threads
            else None
        )
        self._writing: tuple[Future[bool], int] | None = None
        """The snapshot write under way, and the snapshot seq to fall back to if it fails."""
        self.last_batch: list[JournalEntry] = []
        """The entries of the last batch made durable, as journaled (for read models that follow
        the journal without reading it back)."""

    @classmethod
    def open(
        cls,
        url: str = "sqlite:///exchange.db",
        *,
        snapshot_every: int = DEFAULT_SNAPSHOT_EVERY,
        lock_wait_s: float = WRITER_WAIT_S,
    ) -> DurableExchange:
        """Open (or create) the journal at ``url`` and recover the exchange from it.

        The journal has one writer at a time: :class:`JournalBusy` if another process holds
        it for longer than ``lock_wait_s`` seconds.
        """
        if snapshot_every < 1:
            msg = f"snapshot_every {snapshot_every}: must be a positive number of commands"
            raise KazreeError(msg)
        store = JournalStore.open(url)
        try:
            lock = store.lock_writer(lock_wait_s)
        except BaseException:
            store.close()
            raise
        try:
            recovered = recover(store)
        except BaseException:
            lock.release()
            store.close()
            raise
        return cls(store, lock, recovered, snapshot_every)

    @property
    def seq(self) -> int:
        """The seq of the last durable command (0 for an empty journal)."""
        return self._head.seq if self._head else 0

    @property
    def engine(self) -> Exchange:
        """The in-memory engine, for reads; change it only through :meth:`submit`."""
        return self._engine

    def state_hash(self) -> str:
        """The engine's state hash."""
        return self._engine.state_hash()

    def submit(self, command: Command) -> list[Event]:
        """Apply ``command`` and return its events once it is durable."""
        return self.submit_many([command])[0]

    def submit_many(self, commands: Sequence[Command]) -> list[list[Event]]:
        """Apply ``commands`` in order, journal them in one transaction, then return the events.

        On any failure nothing of the batch is acknowledged: the engine is rebuilt from the
        durable state and the error is raised.
        """
        store = self._live_store()
        try:
            results = [self._engine.apply(c) for c in commands]
            items = zip((c.ts for c in commands), commands, results, strict=True)
            entries = chain(self._head, items)
            store.append(entries)
        except BaseException:
            self._rebuild(store)
            raise
        if entries:
            self._head = entries[-1]
        self.last_batch = entries
        self._settle_snapshot(wait=False)
        if self.seq - self._snapshot_seq >= self._snapshot_every:
            self._snapshot(store)
        return results

    def close(self) -> None:
        """Release the store; the exchange cannot be used afterwards."""
        if self._store is not None:
            try:
                self._settle_snapshot(wait=True)
            finally:
                if self._snapshotter is not None:
                    self._snapshotter.shutdown()
                self._lock.release()
                self._store.close()
                self._store = None

    def __enter__(self) -> DurableExchange:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _live_store(self) -> JournalStore:
        if self._store is None:
            msg = "the exchange is closed (or lost its journal); open it again"
            raise KazreeError(msg)
        return self._store

    def _rebuild(self, store: JournalStore) -> None:
        """Reset the engine to the durable state; if even that fails, close the exchange."""
        try:
            self._settle_snapshot(wait=True)
            recovered = recover(store)
        except BaseException:
            self.close()
            raise
        self._engine, self._head = recovered.engine, recovered.head
        self._snapshot_seq = recovered.snapshot_seq

    def _snapshot(self, store: JournalStore) -> None:
        """Serialise the state and store it, on the snapshot thread when the store allows.

        Only serialising needs the engine; hashing, compressing and writing release the GIL
        and overlap the next batches. One snapshot is written at a time. The state is
        serialised once: its sha256 is the engine's state hash by definition (recovery checks
        it against the restored engine).
        """
        self._settle_snapshot(wait=True)
        text = canonical_json(self._engine.snapshot())
        seq, before = self.seq, self._snapshot_seq
        self._snapshot_seq = seq
        if self._snapshotter is None:
            if not _save_snapshot(store, seq, text):
                self._snapshot_seq = before
            return
        self._writing = (self._snapshotter.submit(_save_snapshot, store, seq, text), before)

    def _settle_snapshot(self, *, wait: bool) -> None:
        """Take the outcome of the snapshot write once it is done (or ``wait`` for it).

        After a failed write the snapshot is taken again at the end of the next batch.
        """
        if self._writing is None:
            return
        write, before = self._writing
        if not (wait or write.done()):
            return
        self._writing = None
        if not write.result():
            self._snapshot_seq = before


def _save_snapshot(store: JournalStore, seq: int, text: str) -> bool:
    """Hash and store a snapshot's canonical JSON; ``False`` (logged) if the write failed."""
    try:
        store.save_snapshot(seq, hashlib.sha256(text.encode()).hexdigest(), text)
    except SQLAlchemyError:
        _log.warning("snapshot at seq %d failed; will retry", seq, exc_info=True)
        return False
    return True
