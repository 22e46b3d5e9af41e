"""The journal's hash chain: canonical JSON, entry hashes and chain verification (pure).

Each entry holds one command and the events it produced, as canonical JSON text (keys sorted,
no whitespace, UTF-8). Its hash is ``sha256(prev_hash + "\\n" + command + "\\n" + events)`` as
lowercase hex; the first entry's ``prev_hash`` is :data:`GENESIS_HASH`. Changing, dropping,
inserting or reordering any entry breaks every later link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kazree.errors import KazreeError

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first journal entry."""


class JournalCorrupt(KazreeError):
    """The stored journal or snapshot does not verify; the message names the seq."""


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One journaled command with its events, linked to the previous entry by hash."""

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


def canonical_json(value: Any) -> str:
    """``value`` as canonical JSON text: sorted keys, no whitespace, non-ASCII kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, command: str, events: str) -> str:
    """The hash that links an entry with ``command`` and ``events`` to ``prev_hash``."""
    payload = f"{prev_hash}\n{command}\n{events}".encode()
    return hashlib.sha256(payload).hexdigest()


def chain(
    prev: JournalEntry | None,
    items: Iterable[tuple[Mapping[str, Any], Sequence[Mapping[str, Any]]]],
) -> list[JournalEntry]:
    """Entries for ``(command JSON, events JSON)`` pairs, continuing the chain after ``prev``."""
    seq = prev.seq if prev is not None else 0
    prev_hash = prev.hash if prev is not None else GENESIS_HASH
    entries = []
    for command, events in items:
        seq += 1
        command_text = canonical_json(command)
        events_text = canonical_json(events)
        digest = entry_hash(prev_hash, command_text, events_text)
        entries.append(
            JournalEntry(seq, int(command["ts"]), command_text, events_text, prev_hash, digest)
        )
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
