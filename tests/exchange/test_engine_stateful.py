"""Hypothesis drives the engine with arbitrary command sequences, valid and malformed.

Every refused command must name its reason and leave the state hash unchanged; after every
step cash and product are conserved, indexes and locks agree, and no continuous book is crossed.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from kazree.exchange.core.commands import (
    AddInstrument,
    CancelOrder,
    Command,
    DepositCash,
    EndOfDay,
    IssueReceipt,
    OpenAuction,
    PlaceOrder,
    PublishReference,
    ReinstateParticipant,
    ReplaceOrder,
    RunAuction,
    SuspendParticipant,
    WithdrawCash,
    WithdrawReceipt,
    command_to_json,
    parse_command,
)
from kazree.exchange.core.domain import Assay, OrderKind, Side, Stp, TimeInForce
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.errors import MalformedCommand, RejectCode
from kazree.exchange.core.events import Accepted, Event, Rejected
from kazree.exchange.core.sample import (
    CN_CHAIN,
    KZ_CHAIN,
    OPERATOR,
    SPECS,
    WAREHOUSE,
    setup_commands,
    trader_names,
)

TRADERS = trader_names(4)
INSTRUMENTS = [s.instrument for s in SPECS]
EXCN = next(s.instrument for s in SPECS if s.excluded_origins)

traders = st.sampled_from(TRADERS)
instruments = st.sampled_from(INSTRUMENTS)
sides = st.sampled_from(list(Side))
tifs = st.sampled_from(list(TimeInForce))
stps = st.sampled_from(list(Stp))
offsets = st.integers(min_value=-30, max_value=30)


class EngineMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.ex = Exchange()
        for cmd in setup_commands(traders=len(TRADERS), cash_minor=10**10, receipt_kg=50_000):
            assert isinstance(self.ex.apply(cmd)[0], Accepted)
        self.ts = 1_780_000_000_000_000
        self.n = 0
        self.day = 0

    def _next_ts(self) -> int:
        self.ts += 1_000_000
        self.n += 1
        return self.ts

    def run(self, cmd: Command) -> list[Event]:
        """Apply; a refused command must leave the hash unchanged and name its reason."""
        before = self.ex.state_hash()
        events = self.ex.apply(cmd)
        first = events[0]
        if isinstance(first, Rejected):
            assert len(events) == 1
            assert first.message
            assert self.ex.state_hash() == before
        else:
            assert isinstance(first, Accepted)
        return events

    def refused(self, cmd: Command, code: RejectCode) -> None:
        events = self.run(cmd)
        assert isinstance(events[0], Rejected)
        assert events[0].reason_code is code, events[0]

    # -- valid or plausibly valid commands ----------------------------------------------

    @rule(
        who=traders,
        inst=instruments,
        side=sides,
        off=offsets,
        qty=st.integers(1, 12),
        tif=tifs,
        stp=stps,
        post_only=st.booleans(),
        market=st.booleans(),
    )
    def place(
        self,
        who: str,
        inst: str,
        side: Side,
        off: int,
        qty: int,
        tif: TimeInForce,
        stp: Stp,
        post_only: bool,
        market: bool,
    ) -> None:
        price = None if market else self.ex.reference_ticks(inst) + off
        self.run(
            PlaceOrder(
                self._next_ts(),
                who,
                f"c{self.n}",
                inst,
                side,
                qty,
                kind=OrderKind.MARKET if market else OrderKind.LIMIT,
                price_ticks=price,
                tif=tif,
                post_only=post_only and not market,
                stp=stp,
            )
        )

    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        if not self.ex.orders:
            return
        oid = data.draw(st.sampled_from(sorted(self.ex.orders)))
        who = self.ex.orders[oid].participant
        events = self.run(CancelOrder(self._next_ts(), who, oid))
        assert isinstance(events[0], Accepted)
        assert oid not in self.ex.orders

    @rule(data=st.data(), off=st.none() | offsets, qty=st.none() | st.integers(1, 15))
    def replace(self, data: st.DataObject, off: int | None, qty: int | None) -> None:
        if not self.ex.orders:
            return
        oid = data.draw(st.sampled_from(sorted(self.ex.orders)))
        o = self.ex.orders[oid]
        price = None if off is None else self.ex.reference_ticks(o.instrument) + off
        self.run(ReplaceOrder(self._next_ts(), o.participant, oid, price, qty))

    @rule()
    def end_of_day(self) -> None:
        self.run(EndOfDay(self._next_ts()))
        assert all(o.tif is not TimeInForce.DAY for o in self.ex.orders.values())

    @rule(inst=instruments)
    def auction(self, inst: str) -> None:
        if self.ex.markets[inst].in_auction:
            events = self.run(RunAuction(self._next_ts(), inst))
        else:
            events = self.run(OpenAuction(self._next_ts(), inst))
        assert isinstance(events[0], Accepted)

    @rule(inst=instruments)
    def publish(self, inst: str) -> None:
        self.day += 1
        self.run(
            PublishReference(
                self._next_ts(), inst, f"2026-{1 + self.day // 28:02d}-{1 + self.day % 28:02d}"
            )
        )

    @rule(who=traders)
    def suspend_or_reinstate(self, who: str) -> None:
        if self.ex.participants[who].suspended:
            self.run(ReinstateParticipant(self._next_ts(), who))
        else:
            self.run(SuspendParticipant(self._next_ts(), who))
            assert not self.ex.open_orders(who)

    # -- malformed commands: a precise reject, nothing changed --------------------------

    @rule(who=traders, inst=instruments, qty=st.integers(-5, 0))
    def zero_or_negative_quantity(self, who: str, inst: str, qty: int) -> None:
        if self.ex.participants[who].suspended:
            return
        price = self.ex.reference_ticks(inst)
        cmd = PlaceOrder(self._next_ts(), who, "bad", inst, Side.BUY, qty, price_ticks=price)
        self.refused(cmd, RejectCode.BAD_QUANTITY)

    @rule(who=traders, inst=instruments, price=st.integers(-10, 0) | st.integers(10**6, 10**7))
    def price_out_of_range(self, who: str, inst: str, price: int) -> None:
        if self.ex.participants[who].suspended:
            return
        cmd = PlaceOrder(self._next_ts(), who, "bad", inst, Side.BUY, 1, price_ticks=price)
        self.refused(cmd, RejectCode.BAD_PRICE if price <= 0 else RejectCode.PRICE_BAND)

    @rule(frac=st.floats(0.01, 0.99))
    def price_off_the_tick(self, frac: float) -> None:
        ref = self.ex.reference_ticks(INSTRUMENTS[0])
        cmd = PlaceOrder(
            self._next_ts(), TRADERS[0], "bad", INSTRUMENTS[0], Side.BUY, 1, price_ticks=ref
        )
        obj = command_to_json(cmd) | {"price_ticks": ref + frac}
        before = self.ex.state_hash()
        with pytest.raises(MalformedCommand, match="price_ticks: expected an integer"):
            parse_command(obj)
        assert self.ex.state_hash() == before

    @rule(who=traders, name=st.text(min_size=1, max_size=8))
    def unknown_instrument(self, who: str, name: str) -> None:
        if name in INSTRUMENTS or self.ex.participants[who].suspended:
            return
        cmd = PlaceOrder(self._next_ts(), who, "bad", name, Side.SELL, 1, price_ticks=100)
        self.refused(cmd, RejectCode.UNKNOWN_INSTRUMENT)

    @rule(who=traders, rid=st.text(min_size=1, max_size=8))
    def unknown_receipt(self, who: str, rid: str) -> None:
        if rid in self.ex.ledger.receipts or self.ex.participants[who].suspended:
            return
        inst = INSTRUMENTS[0]
        cmd = PlaceOrder(
            self._next_ts(),
            who,
            "bad",
            inst,
            Side.SELL,
            1,
            price_ticks=self.ex.reference_ticks(inst),
            receipt_ids=(rid,),
        )
        self.refused(cmd, RejectCode.UNKNOWN_RECEIPT)

    @rule(who=st.sampled_from(TRADERS[1::2]))
    def receipt_outside_origin_basket(self, who: str) -> None:
        # Even-numbered traders hold NdPr mined in China: not deliverable ex-China.
        if self.ex.participants[who].suspended:
            return
        rid = f"{who}-ndpr"
        cmd = PlaceOrder(
            self._next_ts(),
            who,
            "bad",
            EXCN,
            Side.SELL,
            1,
            price_ticks=self.ex.reference_ticks(EXCN),
            receipt_ids=(rid,),
        )
        self.refused(cmd, RejectCode.RECEIPT_NOT_ELIGIBLE)

    @rule(step=st.integers(0, 1), field=st.sampled_from(["country", "facility", "date"]))
    def tampered_provenance(self, step: int, field: str) -> None:
        chain = list(KZ_CHAIN)
        chain[step] = dataclasses.replace(chain[step], **{field: "XX"})
        cmd = IssueReceipt(
            self._next_ts(),
            OPERATOR,
            f"fake{self.n}",
            TRADERS[0],
            WAREHOUSE,
            "ndpr_oxide",
            1000,
            Assay("coa", "lab", 9990),
            tuple(chain),
        )
        self.refused(cmd, RejectCode.PROVENANCE_TAMPERED)

    @rule(who=traders)
    def overdraw_cash(self, who: str) -> None:
        have = self.ex.ledger.available(who, "USD")
        self.refused(
            WithdrawCash(self._next_ts(), who, "USD", have + 1), RejectCode.INSUFFICIENT_CASH
        )

    @rule()
    def withdraw_locked_receipt(self) -> None:
        locked = [r for r in self.ex.ledger.receipts.values() if r.locked_kg]
        if locked:
            cmd = WithdrawReceipt(self._next_ts(), OPERATOR, locked[0].receipt_id)
            self.refused(cmd, RejectCode.RECEIPT_LOCKED)

    @rule(who=traders)
    def trader_cannot_issue(self, who: str) -> None:
        cmd = IssueReceipt(
            self._next_ts(),
            who,
            f"x{self.n}",
            who,
            WAREHOUSE,
            "dy_oxide",
            100,
            Assay("coa", "lab", 9990),
            CN_CHAIN,
        )
        self.refused(cmd, RejectCode.NOT_PERMITTED)

    @rule(
        field=st.sampled_from(["lot_kg", "tick_minor_per_kg", "reference_ticks", "band_bp"]),
        value=st.integers(-5, 0) | st.integers(10_000, 20_000),
    )
    def bad_instrument_spec(self, field: str, value: int) -> None:
        if (field != "band_bp" and value > 0) or (field == "band_bp" and value == 0):
            return  # a valid value
        spec = dataclasses.replace(SPECS[0], instrument=f"NEW{self.n}", **{field: value})
        self.refused(AddInstrument(self._next_ts(), spec), RejectCode.BAD_SPEC)

    @rule(who=st.sampled_from([*TRADERS, "nobody"]), amount=st.integers(-100, 0))
    def bad_deposit(self, who: str, amount: int) -> None:
        code = RejectCode.BAD_AMOUNT if who != "nobody" else RejectCode.UNKNOWN_PARTICIPANT
        self.refused(DepositCash(self._next_ts(), who, "USD", amount), code)

    # -- invariants ---------------------------------------------------------------------

    @invariant()
    def conserved_and_consistent(self) -> None:
        assert self.ex.check_conservation() == []
        assert self.ex.invariants() == []

    @invariant()
    def snapshot_restores_same_hash(self) -> None:
        if self.n % 10 == 0:
            assert Exchange.restore(self.ex.snapshot()).state_hash() == self.ex.state_hash()


EngineMachine.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestEngineMachine = EngineMachine.TestCase
