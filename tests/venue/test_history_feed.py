"""The history read model fed with the writer's batches: the same rows as reading the journal.

The service hands the projector the entries of each durable batch so that it need not read
them back; these tests hold that the rows come out identical either way, that entries which do
not continue from the cursor are read back from the journal instead, and that handed-over
entries really are not read back (the history then lives in a database without a journal).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kazree.exchange.core.commands import CancelOrder, Command, PlaceOrder, ReplaceOrder
from kazree.exchange.core.domain import Side, TimeInForce
from kazree.exchange.core.sample import setup_commands
from kazree.exchange.durability.durable import DurableExchange
from kazree.exchange.durability.journal import JournalEntry
from kazree.venue.history import HistoryStore

TS = 1_780_000_000_000_000


def _trading() -> list[list[Command]]:
    """Batches of orders that rest, trade (splitting receipts), get replaced and cancelled,
    and are refused."""
    buy, sell = Side.BUY, Side.SELL
    return [
        [
            PlaceOrder(TS, "t01", "a1", "NDPR-OX-KZ", sell, 5, price_ticks=6_010),
            PlaceOrder(TS, "t02", "b1", "NDPR-OX-KZ", buy, 3, price_ticks=5_990),
            PlaceOrder(TS, "t03", "a2", "DY-OX-KZ", sell, 4, price_ticks=30_100),
        ],
        [
            PlaceOrder(TS + 1, "t02", "b2", "NDPR-OX-KZ", buy, 2, price_ticks=6_010),
            ReplaceOrder(TS + 1, "t02", 2, price_ticks=6_010, quantity_lots=4),
            PlaceOrder(TS + 1, "t04", "b3", "DY-OX-KZ", buy, 1, price_ticks=30_100),
        ],
        [
            CancelOrder(TS + 2, "t03", 3),
            PlaceOrder(TS + 2, "t05", "x", "NO-SUCH", buy, 1, price_ticks=1),  # refused
            PlaceOrder(
                TS + 2, "t06", "b4", "NDPR-OX-KZ", buy, 9, price_ticks=6_010, tif=TimeInForce.IOC
            ),
        ],
    ]


def _journal(url: str) -> list[JournalEntry]:
    """Journal the sample market and the trading batches at ``url``; every batch's entries."""
    handed: list[JournalEntry] = []
    with DurableExchange.open(url) as ex:
        for batch in [setup_commands(traders=6, ts=TS), *_trading()]:
            ex.submit_many(batch)
            handed.extend(ex.last_batch)
    return handed


def _everything(store: HistoryStore) -> dict[str, Any]:
    pages = {
        "orders": store.orders(None, limit=1_000),
        "trades": store.trades(None, limit=1_000),
        "refusals": store.refusals(None, limit=1_000),
    }
    rows = {name: page.rows for name, page in pages.items()}
    names = sorted({t.buyer for t in rows["trades"]} | {t.seller for t in rows["trades"]})
    return {**rows, "positions": {p: store.positions(p) for p in names}}


def _read_back(url: str) -> dict[str, Any]:
    """The rows projected by reading the journal at ``url`` back, a few entries a round."""
    store = HistoryStore.open(url)
    try:
        seq = -1
        while seq != (seq := store.catch_up(limit=7)):
            pass
        return _everything(store)
    finally:
        store.close()


def test_handed_over_entries_give_the_rows_the_journal_gives(tmp_path: Path) -> None:
    journal_url = f"sqlite:///{tmp_path / 'journal.db'}"
    handed = _journal(journal_url)
    expected = _read_back(journal_url)
    assert len(expected["trades"]) >= 2
    assert expected["refusals"]
    assert expected["positions"]
    assert any(o.closed for o in expected["orders"])  # a cancel reached the rows
    # A database without the journal: reading back would fail, so nothing is read back.
    elsewhere = HistoryStore.open(f"sqlite:///{tmp_path / 'history-only.db'}")
    try:
        seq = 0
        for start in range(0, len(handed), 5):  # handed over in pieces, as rounds take them
            seq = elsewhere.catch_up(recent=handed[start : start + 5])
        assert seq == handed[-1].seq
        assert _everything(elsewhere) == expected
    finally:
        elsewhere.close()


@pytest.mark.parametrize(("cursor_at", "handed_from"), [(0, 20), (3, 0), (12, 5)])
def test_entries_not_following_the_cursor_are_read_back_or_passed_over(
    tmp_path: Path, cursor_at: int, handed_from: int
) -> None:
    """Entries after a gap are not used (the gap is read back); entries the tables already
    hold are not projected twice."""
    twin = f"sqlite:///{tmp_path / 'twin.db'}"
    _journal(twin)  # the same commands, so the same journal
    expected = _read_back(twin)
    url = f"sqlite:///{tmp_path / 'journal.db'}"
    handed = _journal(url)
    assert handed[-1].seq > 20
    store = HistoryStore.open(url)
    try:
        if cursor_at:
            assert store.catch_up(limit=cursor_at) == cursor_at
        seq = store.catch_up(recent=handed[handed_from:])
        while seq != (seq := store.catch_up(recent=handed[handed_from:])):
            pass
        assert seq == handed[-1].seq
        assert _everything(store) == expected
    finally:
        store.close()
