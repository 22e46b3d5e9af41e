"""Auction results and the open call phase are engine state: in snapshots, rebuilt by replay."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from journal_support import INSTRUMENT, T0, TRADERS, journal_url

from databases import BACKENDS
from kazree.exchange.core.auction import AuctionRecord
from kazree.exchange.core.commands import Command, OpenAuction, PlaceOrder, RunAuction
from kazree.exchange.core.domain import Side
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.sample import setup_commands
from kazree.exchange.core.snapshot import VERSION
from kazree.exchange.durability.durable import DurableExchange
from kazree.exchange.durability.store import JournalStore, database_url

MINUTE = 60_000_000


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with journal_url(request.param, tmp_path) as opened:
        yield opened


def _session(ts: int, n: int, buy: int, sell: int) -> list[Command]:
    """A call phase at ``ts`` with one crossing pair of orders, uncrossed ten minutes later."""
    buyer, seller = TRADERS[0], TRADERS[1]
    return [
        OpenAuction(ts, INSTRUMENT),
        PlaceOrder(ts + 1, buyer, f"b{n}", INSTRUMENT, Side.BUY, 3, price_ticks=buy),
        PlaceOrder(ts + 2, seller, f"s{n}", INSTRUMENT, Side.SELL, 2, price_ticks=sell),
        RunAuction(ts + 10 * MINUTE, INSTRUMENT),
    ]


COMMANDS = [
    *setup_commands(traders=len(TRADERS), ts=T0),
    *_session(T0 + 60 * MINUTE, 1, 6_010, 6_000),
    *_session(T0 + 120 * MINUTE, 2, 5_990, 6_020),  # nothing crosses
    *_session(T0 + 180 * MINUTE, 3, 6_005, 5_995),
    OpenAuction(T0 + 240 * MINUTE, INSTRUMENT),  # left open
]


def _submit(url: str, commands: list[Command], every: int) -> str:
    with DurableExchange.open(url, snapshot_every=every) as ex:
        for c in commands:
            ex.submit(c)
        return ex.state_hash()


def test_results_carry_the_uncross_time_and_are_kept_in_order() -> None:
    ex = Exchange()
    for c in COMMANDS:
        ex.apply(c)
    m = ex.markets[INSTRUMENT]
    ran = [c.ts for c in COMMANDS if isinstance(c, RunAuction)]
    assert [a.ts for a in m.auctions] == ran
    # 3 lots bid against 2 offered: 2 trade, 1 left over; the reference (6000) breaks the tie.
    opened = [c.ts for c in COMMANDS if isinstance(c, OpenAuction)]
    assert m.auctions[0] == AuctionRecord(ran[0], opened[0], 6_000, 2, 1)
    assert m.auctions[1] == AuctionRecord(ran[1], opened[1], None, 0, 0)
    assert m.auctions[2].volume_lots == 2
    assert (m.in_auction, m.call_opened_ts) == (True, T0 + 240 * MINUTE)
    assert ex.invariants() == []


def test_results_survive_a_reopen(url: str) -> None:
    reference = Exchange()
    for c in COMMANDS:
        reference.apply(c)
    cut = len(COMMANDS) - 5  # after the second uncross
    _submit(url, COMMANDS[:cut], every=1)  # snapshots up to here
    before = _submit(url, COMMANDS[cut:], every=10_000)  # journal only
    assert before == reference.state_hash()
    store = JournalStore.open(url)
    snapshot = store.latest_snapshot()
    store.close()
    assert snapshot is not None
    assert snapshot.seq == cut
    assert len(snapshot.state["markets"][0]["auctions"]) == 2
    with DurableExchange.open(url) as ex:
        assert ex.state_hash() == before
        m = ex.engine.markets[INSTRUMENT]
        assert m.auctions == reference.markets[INSTRUMENT].auctions
        assert len(m.auctions) == 3
        assert m.call_opened_ts == T0 + 240 * MINUTE
        ex.submit(RunAuction(T0 + 250 * MINUTE, INSTRUMENT))
    with DurableExchange.open(url) as ex:
        m = ex.engine.markets[INSTRUMENT]
        assert [a.ts for a in m.auctions][-1] == T0 + 250 * MINUTE
        assert (m.in_auction, m.call_opened_ts) == (False, None)


def test_a_snapshot_of_an_older_version_is_passed_over(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    expected = _submit(url, COMMANDS, every=5)
    engine = sa.create_engine(database_url(url))
    with engine.begin() as conn:
        for seq, blob in conn.execute(sa.text("SELECT seq, state FROM exchange_snapshots")).all():
            state = json.loads(zlib.decompress(blob))
            state["version"] = 1
            for market in state["markets"]:
                del market["auctions"], market["call_opened_ts"]
            conn.execute(
                sa.text("UPDATE exchange_snapshots SET state = :s WHERE seq = :q"),
                {"s": zlib.compress(json.dumps(state).encode()), "q": seq},
            )
    engine.dispose()
    with DurableExchange.open(url, snapshot_every=1) as ex:  # the journal alone rebuilds it
        assert ex.state_hash() == expected
        ex.submit(RunAuction(T0 + 250 * MINUTE, INSTRUMENT))
    assert f"snapshot version 1: this kazree reads version {VERSION}" in caplog.text
    store = JournalStore.open(url)
    snapshot = store.latest_snapshot()
    store.close()
    assert snapshot is not None
    assert (snapshot.seq, snapshot.state["version"]) == (len(COMMANDS) + 1, VERSION)
