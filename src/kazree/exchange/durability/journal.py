"""The journal's hash chain: canonical JSON, entry hashes and chain verification (pure).

Each entry holds one command and the events it produced, as canonical JSON text (the objects
of ``command_to_json`` / ``event_to_json`` with keys sorted, no whitespace, UTF-8). Its hash
is ``sha256(prev_hash + "\\n" + command + "\\n" + events)`` as lowercase hex; the first
entry's ``prev_hash`` is :data:`GENESIS_HASH`. Changing, dropping, inserting or reordering any
entry breaks every later link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from kazree.errors import KazreeError
from kazree.exchange.core.codec import encoder
from kazree.exchange.core.commands import COMMAND_TYPES
from kazree.exchange.core.events import EVENT_TYPES

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first journal entry."""


class JournalCorrupt(KazreeError):
    """The stored journal or snapshot does not verify; the message names the seq."""


@dataclass(slots=True)
class JournalEntry:
    """One journaled command with its events, linked to the previous entry by hash.

    Read-only by convention (not ``frozen``, which makes building one several times slower):
    the chain and the store build and read these on the hot path.
    """

    seq: int
    """Position in the journal, 1 for the first command, contiguous."""
    ts: int
    """The command's own timestamp (copied for queries; also inside ``command``)."""
    command: str
    """The command as canonical JSON text."""
    events: str
    """The list of events the command produced, as canonical JSON text."""
    prev_hash: str
    """Hash of the previous entry (:data:`GENESIS_HASH` for seq 1)."""
    hash: str
    """``sha256(prev_hash + "\\n" + command + "\\n" + events)``, lowercase hex."""


_TYPE_NAMES: dict[type[Any], str] = {
    cls: name for name, cls in (*COMMAND_TYPES.items(), *EVENT_TYPES.items())
}


_ORJSON_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS


def _plain(obj: Any) -> Any:
    """What JSON cannot encode itself: dataclasses (commands and events with their type)."""
    cls = type(obj)
    return encoder(cls, _TYPE_NAMES.get(cls))(obj)


_STDLIB = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain
)


def canonical_json(value: Any) -> str:
    """``value`` as canonical JSON text: sorted keys, no whitespace, non-ASCII kept.

    Commands and events may be given as dataclasses: they are written exactly as their
    ``command_to_json`` / ``event_to_json`` objects (a test holds the two equal). This is the
    journal's hot path, so it runs on orjson, with the standard library (same text) for
    integers beyond 64 bits.
    """
    try:
        return orjson.dumps(value, default=_plain, option=_ORJSON_OPTIONS).decode()
    except orjson.JSONEncodeError:
        return _STDLIB.encode(value)


def entry_hash(prev_hash: str, command: str, events: str) -> str:
    """The hash that links an entry with ``command`` and ``events`` to ``prev_hash``."""
    payload = f"{prev_hash}\n{command}\n{events}".encode()
    return hashlib.sha256(payload).hexdigest()


def chain(prev: JournalEntry | None, items: Iterable[tuple[int, Any, Any]]) -> list[JournalEntry]:
    """Entries for ``(ts, command, events)`` items, continuing the chain after ``prev``."""
    seq = prev.seq if prev is not None else 0
    prev_hash = prev.hash if prev is not None else GENESIS_HASH
    entries = []
    for ts, command, events in items:
        seq += 1
        command_text = canonical_json(command)
        events_text = canonical_json(events)
        digest = entry_hash(prev_hash, command_text, events_text)
        entries.append(JournalEntry(seq, ts, command_text, events_text, prev_hash, digest))
        prev_hash = digest
    return entries


def verify_chain(
    entries: Iterable[JournalEntry], prev: JournalEntry | None
) -> Iterator[JournalEntry]:
    """Yield ``entries`` after checking each one links to the one before (``prev`` first).

    Raises :class:`JournalCorrupt` naming the first seq that is missing, out of order, not
    linked to its predecessor or whose hash does not match its content.
    """
    seq = prev.seq if prev is not None else 0
    prev_hash = prev.hash if prev is not None else GENESIS_HASH
    for entry in entries:
        seq += 1
        if entry.seq != seq:
            msg = f"journal seq {seq}: missing (next stored entry is seq {entry.seq})"
            raise JournalCorrupt(msg)
        if entry.prev_hash != prev_hash:
            msg = f"journal seq {seq}: broken hash chain (prev_hash does not match seq {seq - 1})"
            raise JournalCorrupt(msg)
        if entry_hash(entry.prev_hash, entry.command, entry.events) != entry.hash:
            msg = f"journal seq {seq}: hash does not match the stored command and events"
            raise JournalCorrupt(msg)
        prev_hash = entry.hash
        yield entry
