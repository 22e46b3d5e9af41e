"""Order handling with hand-checked values: fees, locks, DvP, priority, STP, bands, suspension."""

from __future__ import annotations

from engine_support import DY, EXCN, NDPR, Orders, market, order_id, rejected, trades

from kazree.exchange.core.commands import (
    CancelOrder,
    IssueReceipt,
    PublishReference,
    ReinstateParticipant,
    ReplaceOrder,
    SuspendParticipant,
)
from kazree.exchange.core.domain import Assay, OrderKind, Side, Stp, TimeInForce
from kazree.exchange.core.errors import RejectCode
from kazree.exchange.core.events import (
    Cancelled,
    CancelReason,
    ReceiptMoved,
    ReceiptSplit,
    Replaced,
    Trade,
)
from kazree.exchange.core.sample import KZ_CHAIN, OPERATOR, WAREHOUSE

CASH = 10**10


def usd(ex, who):
    (bal,) = ex.balances(who)
    return bal.available, bal.locked


def test_buy_locks_notional_plus_fee_per_lot_and_fill_settles_dvp() -> None:
    ex = market()
    o = Orders(ex)
    o.sell("t01", 2, 6000)
    # 1 lot = 1000 kg at 6000 ticks of 1 cent/kg = 6,000,000 cents; fee lock 10 bp = 6,000.
    o.buy("t02", 3, 5990)
    assert usd(ex, "t02") == (CASH - 3 * (5_990_000 + 5_990), 3 * (5_990_000 + 5_990))
    events = o.buy("t04", 2, 6000)
    assert trades(events) == [("t04", "t01", 6000, 2)]
    (trade,) = (e for e in events if isinstance(e, Trade))
    assert (trade.buyer_fee, trade.seller_fee, trade.aggressor) == (12_000, 6_000, Side.BUY)
    assert usd(ex, "t04") == (CASH - 12_000_000 - 12_000, 0)
    assert usd(ex, "t01") == (CASH + 12_000_000 - 6_000, 0)
    assert ex.fee_income() == {"USD": 18_000}
    assert ex.check_conservation() == []


def test_fees_round_up_to_the_next_cent() -> None:
    ex = market()
    o = Orders(ex)
    # Dy: 100 kg lots, so 30,001 ticks = 3,000,100 cents; 10 bp = 3,000.1 -> 3,001, 5 bp -> 1,501.
    o.sell("t01", 1, 30_001, inst=DY)
    events = o.buy("t02", 1, 30_001, inst=DY)
    (trade,) = (e for e in events if isinstance(e, Trade))
    assert (trade.buyer_fee, trade.seller_fee) == (3_001, 1_501)
    assert usd(ex, "t02")[0] == CASH - 3_000_100 - 3_001


def test_fill_splits_the_receipt_and_a_whole_receipt_moves() -> None:
    ex = market()
    o = Orders(ex)
    o.sell("t01", 3, 6000)
    events = o.buy("t02", 3, 6000)
    split = next(e for e in events if isinstance(e, ReceiptSplit))
    assert (split.receipt_id, split.new_receipt_id, split.quantity_kg) == (
        "t01-ndpr",
        "t01-ndpr/1",
        3000,
    )
    held = {r.receipt_id: r.quantity_kg for r in ex.receipts("t02")}
    assert held["t01-ndpr/1"] == 3000
    assert {r.receipt_id: r.quantity_kg for r in ex.receipts("t01")}["t01-ndpr"] == 47_000
    ex.apply(
        IssueReceipt(
            o.tick(),
            OPERATOR,
            "small",
            "t03",
            WAREHOUSE,
            "ndpr_oxide",
            2000,
            Assay("coa-9", "SGS", 9990),
            KZ_CHAIN,
        )
    )
    o.sell("t03", 2, 6000, receipt_ids=("small",))
    events = o.buy("t04", 2, 6000)
    moved = next(e for e in events if isinstance(e, ReceiptMoved))
    assert (moved.receipt_id, moved.seller, moved.buyer, moved.quantity_kg) == (
        "small",
        "t03",
        "t04",
        2000,
    )
    assert "small" in {r.receipt_id for r in ex.receipts("t04")}
    assert ex.check_conservation() == []


def test_sell_without_enough_eligible_receipts_is_refused() -> None:
    ex = market(receipt_kg=5_000)
    o = Orders(ex)
    assert rejected(o.sell("t01", 6, 6000)).reason_code is RejectCode.INSUFFICIENT_RECEIPTS
    # t02 holds China-mined NdPr only: nothing to deliver on the ex-China instrument.
    refusal = rejected(o.sell("t02", 1, 6500, inst=EXCN))
    assert refusal.reason_code is RejectCode.INSUFFICIENT_RECEIPTS
    refusal = rejected(o.sell("t02", 1, 6500, inst=EXCN, receipt_ids=("t02-ndpr",)))
    assert refusal.reason_code is RejectCode.RECEIPT_NOT_ELIGIBLE
    assert "CN" in refusal.message


def test_buy_beyond_available_cash_is_refused() -> None:
    ex = market(cash=10_000_000)
    o = Orders(ex)
    refusal = rejected(o.buy("t01", 2, 6000))
    assert refusal.reason_code is RejectCode.INSUFFICIENT_CASH
    assert "12012000" in refusal.message


def test_replace_down_keeps_priority_up_or_new_price_loses_it() -> None:
    ex = market()
    o = Orders(ex)
    a = order_id(o.sell("t01", 5, 6100))
    order_id(o.sell("t03", 5, 6100))
    events = ex.apply(ReplaceOrder(o.tick(), "t01", a, quantity_lots=3))
    assert events[-1] == Replaced(a, 6100, 3, True)
    assert trades(o.buy("t02", 4, 6100)) == [("t02", "t01", 6100, 3), ("t02", "t03", 6100, 1)]

    ex = market()
    o = Orders(ex)
    a = order_id(o.sell("t01", 5, 6100))
    order_id(o.sell("t03", 5, 6100))
    assert ex.apply(ReplaceOrder(o.tick(), "t01", a, quantity_lots=6))[-1] == Replaced(
        a, 6100, 6, False
    )
    assert trades(o.buy("t02", 4, 6100)) == [("t02", "t03", 6100, 4)]

    ex = market()
    o = Orders(ex)
    a = order_id(o.sell("t01", 5, 6100))
    order_id(o.sell("t03", 5, 6100))
    ex.apply(ReplaceOrder(o.tick(), "t01", a, price_ticks=6101))
    ex.apply(ReplaceOrder(o.tick(), "t01", a, price_ticks=6100))
    assert trades(o.buy("t02", 6, 6100)) == [("t02", "t03", 6100, 5), ("t02", "t01", 6100, 1)]


def test_replace_to_a_crossing_price_trades() -> None:
    ex = market()
    o = Orders(ex)
    o.sell("t01", 2, 6050)
    b = order_id(o.buy("t02", 3, 6000))
    events = ex.apply(ReplaceOrder(o.tick(), "t02", b, price_ticks=6060))
    assert trades(events) == [("t02", "t01", 6050, 2)]
    assert [(v.price_ticks, v.remaining_lots) for v in ex.open_orders("t02")] == [(6060, 1)]


def test_self_trade_prevention_cancel_resting_and_cancel_incoming() -> None:
    ex = market()
    o = Orders(ex)
    o.sell("t03", 1, 5990)
    own = order_id(o.sell("t01", 2, 6000))
    events = o.buy("t01", 3, 6000, stp=Stp.CANCEL_RESTING)
    assert trades(events) == [("t01", "t03", 5990, 1)]
    assert Cancelled(own, "t01", 2, CancelReason.STP) in events
    assert [(v.side, v.price_ticks, v.remaining_lots) for v in ex.open_orders("t01")] == [
        (Side.BUY, 6000, 2)
    ]

    ex = market()
    o = Orders(ex)
    own = order_id(o.sell("t01", 2, 6000))
    events = o.buy("t01", 3, 6000, stp=Stp.CANCEL_INCOMING)
    incoming = order_id(events)
    assert events[1:] == [Cancelled(incoming, "t01", 3, CancelReason.STP)]
    assert [v.order_id for v in ex.open_orders("t01")] == [own]
    assert usd(ex, "t01") == (CASH, 0)


def test_ioc_fok_market_and_post_only() -> None:
    ex = market()
    o = Orders(ex)
    o.sell("t01", 2, 6000)
    o.sell("t03", 2, 6010)
    events = o.buy("t02", 3, 6000, tif=TimeInForce.IOC)
    assert trades(events) == [("t02", "t01", 6000, 2)]
    assert isinstance(events[-1], Cancelled)
    assert events[-1].reason is CancelReason.IOC
    assert events[-1].remaining_lots == 1
    events = o.buy("t02", 3, 6010, tif=TimeInForce.FOK)
    assert trades(events) == []
    assert events[-1].reason is CancelReason.FOK
    refusal = rejected(o.buy("t02", 1, 6010, post_only=True))
    assert refusal.reason_code is RejectCode.POST_ONLY_WOULD_CROSS
    events = o.buy("t04", 5, None, kind=OrderKind.MARKET)
    assert trades(events) == [("t04", "t03", 6010, 2)]
    assert events[-1].reason is CancelReason.MARKET
    assert ex.depth(NDPR).asks == ()
    assert usd(ex, "t04")[1] == 0


def test_price_band_follows_the_reference() -> None:
    ex = market()
    o = Orders(ex)
    assert ex.band(NDPR) == (5400, 6600)
    assert rejected(o.buy("t01", 1, 6601)).reason_code is RejectCode.PRICE_BAND
    assert rejected(o.sell("t01", 1, 5399)).reason_code is RejectCode.PRICE_BAND
    order_id(o.buy("t01", 1, 6600))
    assert rejected(o.buy("t01", 1, 0)).reason_code is RejectCode.BAD_PRICE
    # t03 and t02 sell into t01's and t04's bids at 6600: four counterparties, VWAP 6600.
    o.sell("t03", 1, 5400)
    o.buy("t04", 1, 6600)
    o.sell("t02", 1, 5400)
    ex.apply(PublishReference(o.tick(), NDPR, "2026-06-01"))
    assert ex.reference_ticks(NDPR) == 6600
    assert ex.band(NDPR) == (5940, 7260)
    order_id(o.buy("t01", 1, 7260))
    assert rejected(o.buy("t01", 1, 7261)).reason_code is RejectCode.PRICE_BAND


def test_suspension_cancels_orders_and_blocks_new_ones() -> None:
    ex = market()
    o = Orders(ex)
    a = order_id(o.buy("t01", 2, 5900))
    b = order_id(o.sell("t01", 1, 6100))
    events = ex.apply(SuspendParticipant(o.tick(), "t01"))
    assert {(e.order_id, e.reason) for e in events if isinstance(e, Cancelled)} == {
        (a, CancelReason.SUSPENDED),
        (b, CancelReason.SUSPENDED),
    }
    assert usd(ex, "t01") == (CASH, 0)
    assert all(r.locked_kg == 0 for r in ex.receipts("t01"))
    assert rejected(o.buy("t01", 1, 5900)).reason_code is RejectCode.SUSPENDED
    ex.apply(ReinstateParticipant(o.tick(), "t01"))
    order_id(o.buy("t01", 1, 5900))


def test_cancel_releases_locks_and_unknown_orders_are_refused() -> None:
    ex = market()
    o = Orders(ex)
    a = order_id(o.sell("t01", 4, 6100))
    assert sum(r.locked_kg for r in ex.receipts("t01")) == 4000
    assert rejected(ex.apply(CancelOrder(o.tick(), "t02", a))).reason_code is (
        RejectCode.UNKNOWN_ORDER
    )
    ex.apply(CancelOrder(o.tick(), "t01", a))
    assert sum(r.locked_kg for r in ex.receipts("t01")) == 0
    assert ex.invariants() == []
