"""Call auctions (uncross tie-breaks) and daily reference prices, with hand-checked values."""

from __future__ import annotations

import dataclasses

from engine_support import NDPR, T0, Orders, market, order_id, rejected, trades

from kazree.exchange.core.auction import AuctionRecord, Uncross, uncross
from kazree.exchange.core.commands import OpenAuction, PublishReference, RunAuction
from kazree.exchange.core.domain import Side, TimeInForce
from kazree.exchange.core.errors import RejectCode
from kazree.exchange.core.events import AuctionResult, ReferencePrice, Trade
from kazree.exchange.core.reference import DAY_US, reference_price
from kazree.exchange.core.sample import SPECS


def test_uncross_maximises_volume() -> None:
    # 100: 4 lots; 101: demand 10, supply 10; 102: no demand.
    assert uncross([(101, 10)], [(100, 4), (101, 6), (102, 5)], 100) == Uncross(101, 10, 0)


def test_uncross_then_minimises_imbalance() -> None:
    # Volume 6 at every price; imbalance 4 at 99 and 100, 3 at 101 and 102. The reference (99)
    # alone would pick 99; the imbalance rule comes first and picks 101.
    bids, asks = [(102, 6), (100, 4)], [(99, 6), (101, 3)]
    assert uncross(bids, asks, 99) == Uncross(101, 6, 3)


def test_uncross_then_closest_to_reference_then_lower() -> None:
    bids, asks = [(102, 5)], [(100, 5)]
    assert uncross(bids, asks, 102).price_ticks == 102
    assert uncross(bids, asks, 99).price_ticks == 100
    assert uncross(bids, asks, 101).price_ticks == 100  # equidistant: the lower price


def test_uncross_with_nothing_crossing() -> None:
    assert uncross([(99, 5)], [(100, 5)], 100) == Uncross(None, 0, 0)
    assert uncross([], [], 100) == Uncross(None, 0, 0)


def test_engine_auction_call_and_uncross() -> None:
    ex = market()
    o = Orders(ex)
    opened = o.tick()
    ex.apply(OpenAuction(opened, NDPR))
    assert ex.markets[NDPR].call_opened_ts == opened
    assert rejected(o.buy("t01", 1, 6000, tif=TimeInForce.IOC)).reason_code is (
        RejectCode.AUCTION_PHASE
    )
    order_id(o.buy("t01", 6, 6020))
    order_id(o.buy("t02", 4, 6000))
    order_id(o.sell("t03", 6, 5990))
    order_id(o.sell("t04", 3, 6010))
    # Crossed book is allowed during the call, but not against one's own orders.
    assert rejected(o.sell("t01", 1, 6000)).reason_code is RejectCode.AUCTION_SELF_CROSS
    ran = o.tick()
    events = ex.apply(RunAuction(ran, NDPR))
    # Volumes: 5990 -> 6, 6000 -> 6 (imb 4), 6010 -> 6 (imb 3), 6020 -> 6 (imb 3): the two
    # with imbalance 3 are 10 and 20 ticks from the reference 6000 -> 6010.
    assert events[1] == AuctionResult(NDPR, 6010, 6, 3)
    assert ex.markets[NDPR].auctions == [AuctionRecord(ran, opened, 6010, 6, 3)]
    assert ex.markets[NDPR].call_opened_ts is None
    assert trades(events) == [("t01", "t03", 6010, 6)]
    (t,) = (e for e in events if isinstance(e, Trade))
    assert t.aggressor is None
    assert t.buyer_fee == t.seller_fee == 18_030  # 5 bp of 36,060,000, both sides
    depth = ex.depth(NDPR)
    assert depth.bids == ((6000, 4),)
    assert depth.asks == ((6010, 3),)
    assert ex.invariants() == []
    assert rejected(ex.apply(RunAuction(o.tick(), NDPR))).reason_code is RejectCode.NOT_IN_AUCTION


def _trade(ts: int, buyer: str, seller: str, price: int, lots: int, auction: bool) -> Trade:
    aggressor = None if auction else Side.BUY
    return Trade(1, ts, NDPR, price, lots, 1, 2, buyer, seller, aggressor, 0, 0)


SPEC = SPECS[0]
DAY = "2026-06-01"
NOON = T0 + 3 * 3_600_000_000


def test_reference_vwap_with_enough_counterparties() -> None:
    day_trades = [
        _trade(NOON, "t02", "t01", 6000, 2, False),
        _trade(NOON + 1, "t04", "t03", 6030, 1, False),
        _trade(NOON + DAY_US, "t04", "t03", 9000, 9, False),  # next day: ignored
    ]
    ref = reference_price(SPEC, DAY, day_trades, 5800)
    assert ref == ReferencePrice(NDPR, DAY, 6010, "vwap", 4, False, False)


def test_reference_vwap_rounds_half_up() -> None:
    day_trades = [
        _trade(NOON, "t02", "t01", 6000, 1, False),
        _trade(NOON, "t03", "t01", 6001, 1, False),
    ]
    assert reference_price(SPEC, DAY, day_trades, 5800).price_ticks == 6001


def test_reference_carried_forward_and_flagged_with_too_few_counterparties() -> None:
    day_trades = [_trade(NOON, "t02", "t01", 6100, 5, False)]
    ref = reference_price(SPEC, DAY, day_trades, 5800)
    assert ref == ReferencePrice(NDPR, DAY, 5800, "carried", 2, True, True)
    assert reference_price(SPEC, DAY, [], 5800).carried_forward


def test_reference_prefers_the_days_auction_and_honours_the_vwap_window() -> None:
    day_trades = [
        _trade(NOON, "t02", "t01", 6100, 5, False),
        _trade(NOON + 5, "t03", "t04", 6050, 1, True),
        _trade(NOON + 5, "t02", "t05", 6050, 1, True),
    ]
    ref = reference_price(SPEC, DAY, day_trades, 5800)
    assert (ref.price_ticks, ref.source, ref.counterparties) == (6050, "auction", 4)
    # A one-hour window at the end of the day sees only the 23:30 trades.
    late = T0 + 14 * 3_600_000_000 + 1_800_000_000
    window = dataclasses.replace(SPEC, vwap_window_s=3600)
    day_trades = [
        _trade(NOON, "t02", "t01", 7000, 50, False),
        _trade(late, "t02", "t01", 6000, 1, False),
        _trade(late, "t04", "t03", 6020, 1, False),
    ]
    assert reference_price(window, DAY, day_trades, 5800).price_ticks == 6010


def test_engine_publishes_a_series_and_refuses_days_out_of_order() -> None:
    ex = market()
    o = Orders(ex)
    o.sell("t01", 1, 6000)
    o.buy("t02", 1, 6000)
    o.sell("t03", 1, 6020)
    o.buy("t04", 1, 6020)
    events = ex.apply(PublishReference(o.tick(), NDPR, DAY))
    assert events[1] == ReferencePrice(NDPR, DAY, 6010, "vwap", 4, False, False)
    events = ex.apply(PublishReference(o.tick(), NDPR, "2026-06-02"))
    assert events[1] == ReferencePrice(NDPR, "2026-06-02", 6010, "carried", 0, True, True)
    assert [r.day for r in ex.references(NDPR)] == [DAY, "2026-06-02"]
    for day in ("2026-06-02", "2026-06-01", "2026-6-3", "20260603", "2026-W23-3", "2026-02-30"):
        refusal = rejected(ex.apply(PublishReference(o.tick(), NDPR, day)))
        assert refusal.reason_code is RejectCode.BAD_DAY
