"""The journal's hash chain: documented hash formula, and every kind of tampering detected."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest
from journal_support import INSTRUMENT, T0, stream

from kazree.exchange.core.commands import (
    COMMAND_TYPES,
    DenyParty,
    GrantLicence,
    IssueReceipt,
    LiftDenial,
    OpenAuction,
    PlaceOrder,
    ReinstateParticipant,
    RevokeLicence,
    RunAuction,
    SetExportControls,
    SetJurisdiction,
    SuspendParticipant,
    WithdrawCash,
    WithdrawReceipt,
    command_to_json,
)
from kazree.exchange.core.domain import Assay, ExportControl, Side
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.events import EVENT_TYPES, event_to_json
from kazree.exchange.core.sample import KZ_CHAIN, OPERATOR, WAREHOUSE
from kazree.exchange.durability.journal import (
    GENESIS_HASH,
    JournalCorrupt,
    JournalEntry,
    canonical_json,
    chain,
    entry_hash,
    verify_chain,
)
from kazree.exchange.durability.replay import read_commands

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "replay-commands.jsonl"

ITEMS = [
    (
        10,
        {"type": "deposit_cash", "ts": 10, "participant": "a", "currency": "USD", "amount": 5},
        [],
    ),
    (20, {"type": "end_of_day", "ts": 20}, [{"type": "accepted", "command": "end_of_day"}]),
    (30, {"type": "end_of_day", "ts": 30}, [{"type": "accepted", "command": "end_of_day"}]),
]


def test_canonical_json_sorts_keys_without_whitespace() -> None:
    assert canonical_json({"b": 1, "a": [1, {"d": "é", "c": None}]}) == (
        '{"a":[1,{"c":null,"d":"é"}],"b":1}'
    )


def test_commands_and_events_encode_as_their_json_objects() -> None:
    """The journal's fast encoder writes exactly what the public codec writes."""
    commands = stream(3_000, seed=5)
    with EXAMPLE.open() as lines:
        commands += [c for _, c in read_commands(lines, str(EXAMPLE))]
    commands += [
        OpenAuction(T0, INSTRUMENT),
        RunAuction(T0, INSTRUMENT),
        SuspendParticipant(T0, "t01"),
        ReinstateParticipant(T0, "t01"),
        WithdrawCash(T0, "t02", "USD", 100),
        WithdrawReceipt(T0, OPERATOR, "t03-dy"),
        IssueReceipt(
            T0,
            OPERATOR,
            "dy-1",
            "t05",
            WAREHOUSE,
            "dy_oxide",
            100,
            Assay("c", "SGS", 9995),
            KZ_CHAIN,
        ),
        PlaceOrder(
            T0, "t05", "whole", "DY-OX-KZ", Side.SELL, 1, price_ticks=30_000, receipt_ids=("dy-1",)
        ),
        PlaceOrder(T0, "t06", "whole", "DY-OX-KZ", Side.BUY, 1, price_ticks=30_000),
        SetExportControls(T0, (ExportControl("r", "Act", "CN", ("dy_oxide",), "2025-04-04"),)),
        SetJurisdiction(T0, "DY-OX-KZ", ("KZ", "DE")),
        GrantLicence(T0, "t04-dy", "licence 1"),
        RevokeLicence(T0, "t04-dy"),
        DenyParty(T0, "t07", "sanctions list entry"),
        LiftDenial(T0, "t07"),
    ]
    engine = Exchange()
    seen: set[str] = set()
    for c in commands:
        events = engine.apply(c)
        assert canonical_json(c) == canonical_json(command_to_json(c))
        assert canonical_json(events) == canonical_json([event_to_json(e) for e in events])
        seen |= {type(c).__name__} | {type(e).__name__ for e in events}
    kinds = {cls.__name__ for cls in [*COMMAND_TYPES.values(), *EVENT_TYPES.values()]}
    missing = kinds - seen
    assert missing == set()


@pytest.mark.parametrize(
    "value",
    [
        {"amount": 10**30, "neg": -(10**25)},
        ["tab\t", 'quote"', "back\\slash", "nl\n", "\x00\x1f\x7f", "\u2028 稀土 é", "/"],
        {"z": None, "a": True, "m": [1, {"y": [], "b": {}}]},
    ],
)
def test_canonical_json_is_the_standard_library_text(value: object) -> None:
    expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical_json(value) == expected


def test_anything_else_is_not_encodable() -> None:
    with pytest.raises(TypeError):
        canonical_json({"x": object()})


def test_chain_links_entries_with_the_documented_hash() -> None:
    entries = chain(None, ITEMS)
    assert [e.seq for e in entries] == [1, 2, 3]
    assert [e.ts for e in entries] == [10, 20, 30]
    assert entries[0].prev_hash == GENESIS_HASH
    first = entries[0]
    assert first.command == (
        '{"amount":5,"currency":"USD","participant":"a","ts":10,"type":"deposit_cash"}'
    )
    expected = hashlib.sha256(f"{GENESIS_HASH}\n{first.command}\n[]".encode()).hexdigest()
    assert first.hash == expected
    assert entries[1].prev_hash == first.hash
    assert entries[2].prev_hash == entries[1].hash
    assert entries[2].hash == entry_hash(entries[1].hash, entries[2].command, entries[2].events)


def test_chain_continues_after_a_previous_entry() -> None:
    whole = chain(None, ITEMS)
    continued = chain(whole[0], ITEMS[1:])
    assert continued == whole[1:]


def test_an_intact_chain_verifies() -> None:
    entries = chain(None, ITEMS)
    assert list(verify_chain(entries, None)) == entries
    assert list(verify_chain(entries[1:], entries[0])) == entries[1:]


def _verify(entries: list[JournalEntry]) -> None:
    for _ in verify_chain(entries, None):
        pass


def test_an_edited_command_is_detected_at_its_seq() -> None:
    entries = chain(None, ITEMS)
    entries[1] = dataclasses.replace(entries[1], command=entries[1].command.replace("20", "21"))
    with pytest.raises(JournalCorrupt, match=r"^journal seq 2: hash does not match"):
        _verify(entries)


def test_a_rehashed_edit_breaks_the_next_link() -> None:
    entries = chain(None, ITEMS)
    forged = entries[1].events.replace("accepted", "rejected")
    entries[1] = dataclasses.replace(
        entries[1], events=forged, hash=entry_hash(entries[1].prev_hash, entries[1].command, forged)
    )
    with pytest.raises(JournalCorrupt, match=r"^journal seq 3: broken hash chain"):
        _verify(entries)


def test_a_dropped_entry_is_named() -> None:
    entries = chain(None, ITEMS)
    del entries[1]
    with pytest.raises(
        JournalCorrupt, match=r"^journal seq 2: missing \(next stored entry is seq 3\)"
    ):
        _verify(entries)


def test_reordered_entries_are_detected() -> None:
    entries = chain(None, ITEMS)
    entries[1], entries[2] = entries[2], entries[1]
    with pytest.raises(JournalCorrupt, match=r"^journal seq 2: missing"):
        _verify(entries)


def test_state_hash_is_sha256_of_the_standard_library_snapshot_text() -> None:
    """The state hash stays implementation-independent: plain sorted JSON of the snapshot."""
    engine = Exchange()
    for c in stream(3_000, seed=7):
        engine.apply(c)
    snapshot = engine.snapshot()
    assert len({r["receipt_id"].split("/")[0] for r in snapshot["receipts"]}) < len(
        snapshot["receipts"]
    )  # split receipts, whose assay and provenance the snapshot shares, are included
    text = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert engine.state_hash() == hashlib.sha256(text.encode()).hexdigest()
    assert Exchange.restore(json.loads(text)).state_hash() == engine.state_hash()
