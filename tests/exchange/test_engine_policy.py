"""The policy inside the engine: denied parties, jurisdictions, licences, export controls."""

from __future__ import annotations

from engine_support import NDPR, T0, Orders, order_id, rejected, trades
from policy_support import ACT, CONTROL, controlled_market

from kazree.exchange.core.commands import (
    DenyParty,
    GrantLicence,
    IssueReceipt,
    LiftDenial,
    OpenAuction,
    ReplaceOrder,
    RevokeLicence,
    RunAuction,
    SetExportControls,
    SetJurisdiction,
    WithdrawReceipt,
)
from kazree.exchange.core.domain import (
    Assay,
    CustodyStage,
    ExportControl,
    ProvenanceStep,
    TimeInForce,
)
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.errors import RejectCode
from kazree.exchange.core.events import (
    Accepted,
    AuctionResult,
    Cancelled,
    CancelReason,
    ReceiptSplit,
    Trade,
)
from kazree.exchange.core.provenance import build_chain
from kazree.exchange.core.reference import DAY_US
from kazree.exchange.core.sample import CN_CHAIN, OPERATOR, WAREHOUSE


def _receipt(ex: Exchange, owner: str) -> dict[str, str | None]:
    """receipt id -> licence of ``owner``'s receipts."""
    return {r.receipt_id: ex.ledger.receipts[r.receipt_id].licence for r in ex.receipts(owner)}


def test_unlicensed_controlled_receipt_may_not_be_offered_abroad() -> None:
    ex = controlled_market()
    before = ex.state_hash()
    r = rejected(Orders(ex).sell("t02", 1, 6000))
    assert r.reason_code is RejectCode.EXPORT_CONTROL
    assert "receipt 't02-ndpr'" in r.message
    assert ACT in r.message
    assert "custody in CN" in r.message
    assert ex.state_hash() == before


def test_replace_cannot_lock_a_controlled_receipt_for_an_increase() -> None:
    """Finding 1: a sell of a clean receipt, then a replace for more lots, locked a CN one."""
    ex = controlled_market()
    o = Orders(ex)
    o.sell("t01", 1, 6000)
    got = o.buy("t02", 1, 6000)  # t02 now holds Kazakh NdPr split off t01-ndpr
    clean = next(e.new_receipt_id for e in got if isinstance(e, ReceiptSplit))
    sell = order_id(o.sell("t02", 1, 6000, receipt_ids=(clean,)))
    before = ex.state_hash()
    r = rejected(ex.apply(ReplaceOrder(o.tick(), "t02", sell, None, 51)))
    assert r.reason_code is RejectCode.EXPORT_CONTROL
    assert "receipt 't02-ndpr'" in r.message
    assert ex.state_hash() == before
    # a buyer abroad sweeping the book gets only the clean lot
    bought = o.buy("t04", 51, 6000, tif=TimeInForce.IOC)
    assert trades(bought) == [("t04", "t02", 6000, 1)]
    assert ex.ledger.receipts["t02-ndpr"].owner == "t02"


def test_replace_is_refused_outside_the_admitted_countries() -> None:
    ex = controlled_market()
    o = Orders(ex)
    bid = order_id(o.buy("t02", 1, 5900))  # t02 is in DE
    events = ex.apply(SetJurisdiction(o.tick(), NDPR, ("KZ",)))
    assert events[1:] == [Cancelled(bid, "t02", 1, CancelReason.POLICY)]
    r = rejected(ex.apply(ReplaceOrder(o.tick(), "t02", bid, None, 5)))
    assert r.reason_code is RejectCode.UNKNOWN_ORDER
    r = rejected(o.buy("t02", 1, 5900))
    assert r.reason_code is RejectCode.JURISDICTION
    assert "open to participants in KZ only; 't02' is in DE" in r.message
    assert isinstance(o.buy("t01", 1, 5900)[0], Accepted)
    assert isinstance(ex.apply(SetJurisdiction(o.tick(), NDPR, ()))[0], Accepted)
    assert isinstance(o.buy("t02", 1, 5900)[0], Accepted)


def test_denying_a_party_cancels_its_resting_orders() -> None:
    """Finding 2: a denied party's resting orders kept trading."""
    ex = controlled_market()
    o = Orders(ex)
    ask = order_id(o.sell("t01", 2, 6000))
    bid = order_id(o.buy("t01", 1, 29_000, inst="DY-OX-KZ"))
    events = ex.apply(DenyParty(o.tick(), "t01", "sanctions list entry 7"))
    assert events[1:] == [
        Cancelled(ask, "t01", 2, CancelReason.POLICY),
        Cancelled(bid, "t01", 1, CancelReason.POLICY),
    ]
    assert trades(o.buy("t03", 2, 6000)) == []
    r = rejected(o.sell("t01", 1, 6000))
    assert r.reason_code is RejectCode.DENIED_PARTY
    assert "sanctions list entry 7" in r.message
    assert rejected(ex.apply(DenyParty(o.tick(), "t01", "again"))).reason_code is (
        RejectCode.ALREADY_DENIED
    )
    assert isinstance(ex.apply(LiftDenial(o.tick(), "t01"))[0], Accepted)
    assert rejected(ex.apply(LiftDenial(o.tick(), "t01"))).reason_code is RejectCode.NOT_DENIED
    assert trades(o.sell("t01", 1, 6000)) == [("t03", "t01", 6000, 1)]


def test_a_licence_lets_the_receipt_and_its_split_parts_go_abroad() -> None:
    """Finding 5: the parts split off a licensed receipt showed no licence."""
    ex = controlled_market()
    o = Orders(ex)
    assert isinstance(ex.apply(GrantLicence(o.tick(), "t02-ndpr", "L-1"))[0], Accepted)
    o.sell("t02", 3, 6000)
    got = o.buy("t03", 1, 6000)
    part = next(e.new_receipt_id for e in got if isinstance(e, ReceiptSplit))
    assert _receipt(ex, "t03")[part] == "L-1"
    assert isinstance(o.sell("t03", 1, 6100, receipt_ids=(part,))[0], Accepted)
    snap = Exchange.restore(ex.snapshot())
    assert snap.ledger.receipts[part].licence == "L-1"
    assert snap.state_hash() == ex.state_hash()


def test_revoking_a_licence_cancels_the_sells_it_allowed() -> None:
    ex = controlled_market()
    o = Orders(ex)
    ex.apply(GrantLicence(o.tick(), "t02-ndpr", "L-1"))
    ask = order_id(o.sell("t02", 2, 6000))
    events = ex.apply(RevokeLicence(o.tick(), "t02-ndpr"))
    assert events[1:] == [Cancelled(ask, "t02", 2, CancelReason.POLICY)]
    assert ex.ledger.receipts["t02-ndpr"].locked_kg == 0


def test_a_withdrawn_receipts_licence_does_not_pass_to_a_new_receipt_with_its_id() -> None:
    """Finding 4: a licence outlived its receipt and was inherited by a re-issue."""
    ex = controlled_market()
    o = Orders(ex)
    ex.apply(GrantLicence(o.tick(), "t02-ndpr", "L-1"))
    assert isinstance(ex.apply(WithdrawReceipt(o.tick(), OPERATOR, "t02-ndpr"))[0], Accepted)
    reissue = _issue(o.tick(), "t02-ndpr", "t02", None)
    assert isinstance(ex.apply(reissue)[0], Accepted)
    assert _receipt(ex, "t02")["t02-ndpr"] is None
    assert rejected(o.sell("t02", 1, 6000)).reason_code is RejectCode.EXPORT_CONTROL
    ex.apply(WithdrawReceipt(o.tick(), OPERATOR, "t02-ndpr"))
    assert isinstance(ex.apply(_issue(o.tick(), "t02-ndpr", "t02", "L-2"))[0], Accepted)
    assert _receipt(ex, "t02")["t02-ndpr"] == "L-2"
    assert isinstance(o.sell("t02", 1, 6000)[0], Accepted)


def test_a_receipt_may_rest_where_only_the_exporters_buyers_are_admitted() -> None:
    ex = controlled_market(ExportControl("de", ACT, "DE", ("ndpr_oxide",)))
    de_chain = build_chain([(CustodyStage.MINE, "DE", "Mine", "2026-01-01", "TÜV")])
    ex.apply(_issue(T0, "de-1", "t01", None, de_chain))
    o = Orders(ex)
    named = {"receipt_ids": ("de-1",)}
    assert rejected(o.sell("t01", 1, 6000, **named)).reason_code is RejectCode.EXPORT_CONTROL
    ex.apply(SetJurisdiction(o.tick(), NDPR, ("DE",)))
    assert rejected(o.sell("t01", 1, 6000, **named)).reason_code is RejectCode.JURISDICTION
    ex.apply(SetJurisdiction(o.tick(), NDPR, ("DE", "KZ")))
    assert rejected(o.sell("t01", 1, 6000, **named)).reason_code is RejectCode.EXPORT_CONTROL


def test_a_control_that_starts_later_catches_the_resting_order_then() -> None:
    tomorrow = ExportControl("cn_ndpr", ACT, "CN", ("ndpr_oxide",), "2026-06-02")
    ex = controlled_market(tomorrow)
    o = Orders(ex)
    ask = order_id(o.sell("t02", 2, 6000))
    assert trades(o.buy("t03", 1, 6000)) == [("t03", "t02", 6000, 1)]
    o.ts += DAY_US
    events = o.buy("t01", 1, 6000)
    assert Cancelled(ask, "t02", 1, CancelReason.POLICY) in events
    assert not any(isinstance(e, Trade) for e in events)


def test_a_control_that_starts_during_a_call_phase_keeps_the_order_out_of_the_uncross() -> None:
    tomorrow = ExportControl("cn_ndpr", ACT, "CN", ("ndpr_oxide",), "2026-06-02")
    ex = controlled_market(tomorrow)
    o = Orders(ex)
    ex.apply(OpenAuction(o.tick(), NDPR))
    ask = order_id(o.sell("t02", 1, 6000))
    o.buy("t03", 1, 6000)
    o.ts += DAY_US
    events = ex.apply(RunAuction(o.tick(), NDPR))
    assert events[1] == Cancelled(ask, "t02", 1, CancelReason.POLICY)
    assert events[2] == AuctionResult(NDPR, None, 0, 0)


def test_an_expired_control_lets_the_receipt_trade() -> None:
    ended = ExportControl("cn_ndpr", ACT, "CN", ("ndpr_oxide",), "2025-01-01", "2026-05-31")
    ex = controlled_market(ended)
    assert isinstance(Orders(ex).sell("t02", 1, 6000)[0], Accepted)


def test_new_controls_cancel_the_resting_sells_they_forbid() -> None:
    ex = controlled_market(ExportControl("other", ACT, "CN", ("dy_oxide",)))
    o = Orders(ex)
    ask = order_id(o.sell("t02", 1, 6000))
    events = ex.apply(SetExportControls(o.tick(), (CONTROL,)))
    assert events[1:] == [Cancelled(ask, "t02", 1, CancelReason.POLICY)]


def test_bad_controls_are_refused_naming_the_field() -> None:
    ex = controlled_market()
    bad = ExportControl("x", ACT, "CN", ("ndpr_oxide",), "2026-13-01")
    r = rejected(ex.apply(SetExportControls(T0, (bad,))))
    assert r.message == "controls[0] ('x'): first_day '2026-13-01': need a calendar date YYYY-MM-DD"
    assert ex.controls == (CONTROL,)


def _issue(
    ts: int,
    rid: str,
    owner: str,
    licence: str | None,
    chain: tuple[ProvenanceStep, ...] = CN_CHAIN,
) -> IssueReceipt:
    assay = Assay("c", "SGS", 9995)
    return IssueReceipt(
        ts, OPERATOR, rid, owner, WAREHOUSE, "ndpr_oxide", 1000, assay, chain, licence
    )
