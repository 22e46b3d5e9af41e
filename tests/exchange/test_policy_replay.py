"""A journal replay reproduces every policy decision: same refusals, same state hash."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_support import DY, NDPR, T0
from policy_support import CONTROL

from databases import BACKENDS, scratch_database
from kazree.exchange.core.commands import (
    Command,
    DenyParty,
    GrantLicence,
    PlaceOrder,
    ReplaceOrder,
    RevokeLicence,
    SetExportControls,
    SetJurisdiction,
)
from kazree.exchange.core.domain import ExportControl, Side
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.events import Cancelled, CancelReason, Event, Rejected
from kazree.exchange.core.reference import DAY_US
from kazree.exchange.core.sample import setup_commands
from kazree.exchange.durability.durable import DurableExchange, read_exchange

LATER = ExportControl("cn_dy", "Act 2", "CN", ("dy_oxide",), "2026-06-02")


def _commands() -> list[Command]:
    """A day of trading under changing policy, with refusals of every ``policy.*`` kind."""
    ts = iter(range(T0 + 1_000_000, T0 + 10**9, 1_000_000))

    def order(who: str, inst: str, side: Side, lots: int, price: int, **kw: object) -> PlaceOrder:
        t = next(ts)
        return PlaceOrder(t, who, f"c{t}", inst, side, lots, price_ticks=price, **kw)  # type: ignore[arg-type]

    return [
        *setup_commands(traders=4, cash_minor=10**10, receipt_kg=5_000, ts=T0),
        SetExportControls(next(ts), (CONTROL, LATER)),
        order("t02", NDPR, Side.SELL, 1, 6000),  # refused: Chinese-origin NdPr
        order("t01", NDPR, Side.SELL, 2, 6000),
        order("t02", NDPR, Side.BUY, 1, 6000),  # t02 now holds Kazakh NdPr
        order("t02", NDPR, Side.SELL, 1, 6010, receipt_ids=("t01-ndpr/1",)),
        ReplaceOrder(next(ts), "t02", 3, None, 3),  # refused: would lock t02-ndpr
        GrantLicence(next(ts), "t02-ndpr", "L-1"),
        ReplaceOrder(next(ts), "t02", 3, None, 3),
        RevokeLicence(next(ts), "t02-ndpr"),  # cancels order 3
        SetJurisdiction(next(ts), DY, ("KZ",)),
        order("t02", DY, Side.BUY, 1, 30_000),  # refused: t02 is in DE
        order("t03", DY, Side.SELL, 1, 30_100),
        DenyParty(next(ts), "t03", "list entry 4"),  # cancels t03's sell
        order("t03", DY, Side.SELL, 1, 30_100),  # refused: denied
        order("t01", DY, Side.BUY, 1, 29_900),
    ]


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with scratch_database(request.param, tmp_path, "policy") as u:
        yield u


def _codes(results: list[list[Event]]) -> list[str]:
    return [e.reason_code.value for ev in results for e in ev if isinstance(e, Rejected)]


def test_replay_reproduces_the_policy_refusals_and_the_state(url: str) -> None:
    commands = _commands()
    live = Exchange()
    results = [live.apply(c) for c in commands]
    assert _codes(results) == [
        "policy.export_control",
        "policy.export_control",
        "policy.jurisdiction",
        "policy.denied_party",
    ]
    cancelled = [
        (type(c).__name__, e.order_id)
        for c, ev in zip(commands, results, strict=True)
        for e in ev
        if isinstance(e, Cancelled) and e.reason is CancelReason.POLICY
    ]
    assert cancelled == [("RevokeLicence", 3), ("DenyParty", 4)]
    with DurableExchange.open(url, snapshot_every=15) as durable:
        assert durable.submit_many(commands[:20]) + durable.submit_many(commands[20:]) == results
        assert durable.state_hash() == live.state_hash()
    replayed = read_exchange(url)  # snapshot, then the journal after it, events checked
    assert replayed.state_hash() == live.state_hash()
    fresh = Exchange()
    assert [fresh.apply(c) for c in commands] == results
    assert fresh.policy() == live.policy()
    assert live.policy().denied == (("t03", "list entry 4"),)


def test_a_window_opening_overnight_is_replayed_alike() -> None:
    commands = _commands()
    live = Exchange()
    for c in commands:
        live.apply(c)
    tomorrow = T0 + DAY_US
    ts = iter(range(tomorrow, tomorrow + 10**9, 1_000_000))
    sell = PlaceOrder(next(ts), "t01", "late", DY, Side.SELL, 1, price_ticks=29_900)
    assert not isinstance(live.apply(sell)[0], Rejected)  # Kazakh Dy: never controlled
    twin = Exchange.restore(live.snapshot())
    assert twin.state_hash() == live.state_hash()
