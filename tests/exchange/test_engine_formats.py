"""Command and event JSON, provenance chains, snapshots and the state hash."""

from __future__ import annotations

import dataclasses
import json

import pytest
from engine_support import NDPR, T0, Orders, market, order_id

from kazree.exchange.core.book import NEVER
from kazree.exchange.core.commands import (
    COMMAND_TYPES,
    AddInstrument,
    AddParticipant,
    CancelOrder,
    Command,
    DenyParty,
    DepositCash,
    EndOfDay,
    GrantLicence,
    IssueReceipt,
    LiftDenial,
    OpenAuction,
    PlaceOrder,
    PublishReference,
    ReinstateParticipant,
    ReplaceOrder,
    RevokeLicence,
    RunAuction,
    SetExportControls,
    SetJurisdiction,
    SuspendParticipant,
    WithdrawCash,
    WithdrawReceipt,
    command_to_json,
    parse_command,
)
from kazree.exchange.core.domain import (
    Assay,
    ExportControl,
    OrderKind,
    Role,
    Side,
    Stp,
    TimeInForce,
)
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.errors import MalformedCommand
from kazree.exchange.core.events import EVENT_TYPES, event_to_json, parse_event
from kazree.exchange.core.provenance import GENESIS, verify_provenance
from kazree.exchange.core.sample import KZ_CHAIN, SPECS
from kazree.exchange.durability.journal import canonical_json

ONE_OF_EACH: list[Command] = [
    AddParticipant(T0, "p", "KZ", (Role.TRADER, Role.OBSERVER)),
    AddInstrument(T0, SPECS[2]),
    DepositCash(T0, "p", "USD", 5),
    WithdrawCash(T0, "p", "USD", 5),
    IssueReceipt(T0, "w", "r", "p", "W", "dy_oxide", 100, Assay("c", "l", 9990), KZ_CHAIN),
    WithdrawReceipt(T0, "w", "r"),
    PlaceOrder(
        T0,
        "p",
        "c",
        NDPR,
        Side.SELL,
        3,
        OrderKind.LIMIT,
        6000,
        TimeInForce.DAY,
        True,
        Stp.CANCEL_INCOMING,
        ("r", "s"),
    ),
    PlaceOrder(T0, "p", "c", NDPR, Side.BUY, 3, kind=OrderKind.MARKET),
    CancelOrder(T0, "p", 7),
    ReplaceOrder(T0, "p", 7, None, 2),
    SuspendParticipant(T0, "p"),
    ReinstateParticipant(T0, "p"),
    DenyParty(T0, "p", "sanctions list entry 1"),
    LiftDenial(T0, "p"),
    SetJurisdiction(T0, NDPR, ("KZ", "DE")),
    IssueReceipt(T0, "w", "r", "p", "W", "dy_oxide", 1, Assay("c", "l", 1), KZ_CHAIN, "lic-1"),
    GrantLicence(T0, "r", "lic-2"),
    RevokeLicence(T0, "r"),
    SetExportControls(
        T0,
        (
            ExportControl("a", "Act A", "CN", ("dy_oxide", "tb_oxide"), "2025-04-04", None),
            ExportControl("b", "Act B", "MM", ("dy_oxide",)),
        ),
    ),
    OpenAuction(T0, NDPR),
    RunAuction(T0, NDPR),
    PublishReference(T0, NDPR, "2026-06-01"),
    EndOfDay(T0),
]


def test_every_command_round_trips_through_json_text() -> None:
    assert {type(c) for c in ONE_OF_EACH} == set(COMMAND_TYPES.values())
    for cmd in ONE_OF_EACH:
        obj = json.loads(json.dumps(command_to_json(cmd)))
        assert parse_command(obj) == cmd
        assert obj["type"] == next(k for k, v in COMMAND_TYPES.items() if v is type(cmd))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "buy"}, "command.type: 'buy' is not one of add_participant"),
        ({"quantity_lots": "3"}, "place_order.quantity_lots: expected an integer, got '3'"),
        ({"quantity_lots": True}, "place_order.quantity_lots: expected an integer, got True"),
        ({"price_ticks": 6000.5}, "place_order.price_ticks: expected an integer, got 6000.5"),
        ({"side": "short"}, "place_order.side: 'short' is not one of buy, sell"),
        ({"tif": None}, "place_order.tif: None is not one of gtc, day, ioc, fok"),
        ({"receipt_ids": "r1"}, "place_order.receipt_ids: expected a list"),
        ({"receipt_ids": [1]}, r"place_order.receipt_ids\[0\]: expected a string"),
        ({"colour": "red"}, "place_order: unknown field 'colour'"),
    ],
)
def test_malformed_commands_name_the_field(change: dict[str, object], message: str) -> None:
    obj = command_to_json(ONE_OF_EACH[6]) | change
    with pytest.raises(MalformedCommand, match=message):
        parse_command(obj)


def test_missing_fields_and_nested_errors() -> None:
    with pytest.raises(MalformedCommand, match="cancel_order: missing field 'order_id'"):
        parse_command({"type": "cancel_order", "ts": 1, "participant": "p"})
    obj = command_to_json(ONE_OF_EACH[4])
    obj["provenance"][1]["stage"] = "smelter"
    with pytest.raises(MalformedCommand, match=r"issue_receipt.provenance\[1\].stage: 'smelter'"):
        parse_command(obj)
    with pytest.raises(MalformedCommand, match="expected a JSON object"):
        parse_command([1, 2])  # type: ignore[arg-type]


def test_events_of_a_busy_market_round_trip() -> None:
    ex = market()
    o = Orders(ex)
    seen = set()
    for events in (
        o.sell("t01", 3, 6000),
        o.buy("t02", 2, 6000),
        o.buy("t02", 5, 5990, tif=TimeInForce.IOC),
        ex.apply(ReplaceOrder(o.tick(), "t01", 1, quantity_lots=1)),
        ex.apply(PublishReference(o.tick(), NDPR, "2026-06-01")),
        ex.apply(CancelOrder(o.tick(), "t09", 1)),
    ):
        for e in events:
            obj = json.loads(json.dumps(event_to_json(e)))
            assert parse_event(obj) == e
            seen.add(obj["type"])
    assert {"accepted", "trade", "receipt_split", "cancelled", "replaced", "rejected"} <= seen
    assert seen <= EVENT_TYPES.keys()


def test_provenance_chain_detects_tampering() -> None:
    assert verify_provenance(KZ_CHAIN) is None
    assert KZ_CHAIN[0].prev_hash == GENESIS
    assert KZ_CHAIN[1].prev_hash == KZ_CHAIN[0].hash
    forged = dataclasses.replace(KZ_CHAIN[0], country="AU")
    assert "step 0 (mine) was altered" in (verify_provenance((forged, KZ_CHAIN[1])) or "")
    assert "does not link" in (verify_provenance((KZ_CHAIN[1], KZ_CHAIN[0])) or "")
    assert "does not link" in (verify_provenance((KZ_CHAIN[0], KZ_CHAIN[0])) or "")
    assert verify_provenance(()) == "provenance chain is empty"


def test_snapshot_restores_the_same_state_and_behaviour() -> None:
    ex = market()
    o = Orders(ex)
    o.sell("t01", 3, 6000)
    o.sell("t03", 2, 6010, tif=TimeInForce.DAY)
    o.buy("t02", 4, 6005)
    order_id(o.buy("t04", 1, 5990))
    ex.apply(OpenAuction(o.tick(), "DY-OX-KZ"))
    data = json.loads(json.dumps(ex.snapshot()))
    twin = Exchange.restore(data)
    assert twin.state_hash() == ex.state_hash()
    assert twin.invariants() == []
    # Both continue identically.
    for x in (ex, twin):
        Orders(x, o.ts).sell("t03", 3, 5990)
        x.apply(EndOfDay(o.ts + 10))
    assert twin.state_hash() == ex.state_hash()
    assert twin.depth(NDPR) == ex.depth(NDPR)


def test_state_hash_changes_with_accepted_commands_only() -> None:
    ex = market()
    o = Orders(ex)
    h0 = ex.state_hash()
    o.buy("t01", 1, 1)  # outside the band: refused
    assert ex.state_hash() == h0
    o.buy("t01", 1, 5990)
    assert ex.state_hash() != h0


def test_an_order_no_control_catches_is_written_as_snapshots_always_wrote_it() -> None:
    """``NEVER`` is ``2**62 - 1`` in memory (unboxed when compiled) but ``1 << 62`` in a
    snapshot, the value format version 3 was first written with: older snapshots restore, and
    their state hashes still match a replay."""
    ex = market()
    oid = order_id(Orders(ex).buy("t02", 4, 6005))
    assert ex.orders[oid].screened_until == NEVER == 2**62 - 1
    text = canonical_json(ex.snapshot())
    assert text.count(f'"screened_until":{1 << 62}') == 1
    twin = Exchange.restore(json.loads(text))
    assert twin.orders[oid].screened_until == NEVER
    assert twin.state_hash() == ex.state_hash()
