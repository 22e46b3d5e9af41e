"""Hypothesis drives the policy: orders, replaces, cancels, denials, licences, withdrawals, issues.

Whatever the sequence, no receipt of Chinese-origin NdPr oxide without an export licence ever
reaches a buyer outside China while the control is in force, no denied party trades, refused
commands change nothing, and a replay of the commands gives the same events and state hash.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar

from engine_support import T0
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from policy_support import ACT

from kazree.exchange.core.commands import (
    AddParticipant,
    CancelOrder,
    Command,
    DenyParty,
    DepositCash,
    GrantLicence,
    IssueReceipt,
    LiftDenial,
    OpenAuction,
    PlaceOrder,
    ReplaceOrder,
    RevokeLicence,
    RunAuction,
    SetExportControls,
    SetJurisdiction,
    WithdrawReceipt,
)
from kazree.exchange.core.domain import Assay, ExportControl, Role, Side, TimeInForce
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.events import (
    Accepted,
    Event,
    ReceiptMoved,
    ReceiptSplit,
    Rejected,
    Trade,
)
from kazree.exchange.core.reference import DAY_US
from kazree.exchange.core.sample import (
    CN_CHAIN,
    KZ_CHAIN,
    OPERATOR,
    WAREHOUSE,
    setup_commands,
)

NDPR, DY = "NDPR-OX-KZ", "DY-OX-KZ"
TRADERS = ["t01", "t02", "t03", "t04", "t05"]
"""t01, t03 in KZ; t02, t04 in DE (holding Chinese-origin NdPr oxide, then a Kazakh lot);
t05 in CN."""
DY_CONTROL_FROM = date(2026, 6, 3)
CONTROLS = (
    ExportControl("cn_ndpr", ACT, "CN", ("ndpr_oxide",), "2026-01-01"),
    ExportControl("cn_dy", ACT, "CN", ("dy_oxide",), DY_CONTROL_FROM.isoformat()),
)
"""NdPr oxide controlled throughout; Dy oxide from the third day of the run."""

INSTRUMENTS = [NDPR, DY]
WEIGHTS = {
    "buy": 5,
    "sell": 5,
    "replace": 4,
    "cancel": 1,
    "auction": 1,
    "next_day": 1,
    "deny": 1,
    "jurisdiction": 1,
    "licence": 1,
    "withdraw": 1,
    "issue": 1,
}
"""How often each kind of step is taken."""
T = TypeVar("T")


def controlled(product: str, on: date) -> bool:
    """Whether CONTROLS cover Chinese-origin ``product`` on ``on`` (the test's own reading)."""
    return product == "ndpr_oxide" or (product == "dy_oxide" and on >= DY_CONTROL_FROM)


class PolicyMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.ex = Exchange()
        self.ts = T0
        self.log: list[tuple[Command, list[Event]]] = []
        setup = [
            *setup_commands(traders=4, cash_minor=10**10, receipt_kg=5_000, ts=T0),
            AddParticipant(T0, "t05", "CN", (Role.TRADER,)),
            DepositCash(T0, "t05", "USD", 10**10),
            SetExportControls(T0, CONTROLS),
            IssueReceipt(T0, OPERATOR, "cn-dy", "t02", WAREHOUSE, "dy_oxide", 500,
                         Assay("c", "SGS", 9995), CN_CHAIN),
            *(IssueReceipt(T0, OPERATOR, f"{who}-kz", who, WAREHOUSE, "ndpr_oxide", 1000,
                           Assay("c", "SGS", 9995), KZ_CHAIN) for who in ("t02", "t04")),
        ]  # fmt: skip
        for cmd in setup:
            assert isinstance(self.run(cmd)[0], Accepted)
        self.issued = 0

    def tick(self) -> int:
        self.ts += 1_000_000
        return self.ts

    def run(self, cmd: Command) -> list[Event]:
        before = self.ex.state_hash()
        events = self.ex.apply(cmd)
        self.log.append((cmd, events))
        if isinstance(events[0], Rejected):
            assert len(events) == 1
            assert self.ex.state_hash() == before
        self.check_deliveries(cmd, events)
        return events

    def check_deliveries(self, cmd: Command, events: list[Event]) -> None:
        """No unlicensed controlled receipt went abroad; no denied party traded."""
        day = date.fromtimestamp(cmd.ts // 1_000_000)
        trade = None
        for e in events:
            if isinstance(e, Trade):
                trade = e
                assert e.buyer not in self.ex.denied
                assert e.seller not in self.ex.denied
            elif isinstance(e, ReceiptMoved | ReceiptSplit):
                assert trade is not None
                assert trade.trade_id == e.trade_id
                rid = e.new_receipt_id if isinstance(e, ReceiptSplit) else e.receipt_id
                r = self.ex.ledger.receipts[rid]
                buyer_country = self.ex.participants[e.buyer].country
                if "CN" in r.grade.origins and controlled(r.grade.product, day):
                    assert r.licence is not None or buyer_country == "CN", (e, r.licence)

    @initialize(rng=st.randoms(use_true_random=False))
    def seed(self, rng: random.Random) -> None:
        """Choices inside the rules are uniform (Hypothesis prefers its simplest values)."""
        self.rng = rng

    def trader(self) -> str:
        return self.rng.choice(TRADERS)

    def pick(self, items: Iterable[T]) -> T | None:
        ordered = sorted(items)  # type: ignore[type-var]
        return self.rng.choice(ordered) if ordered else None

    @rule()
    def step(self) -> None:
        """One command, chosen by :data:`WEIGHTS` (Hypothesis decides how many)."""
        actions, weights = zip(*WEIGHTS.items(), strict=True)
        getattr(self, self.rng.choices(actions, weights)[0])()

    # -- trading ------------------------------------------------------------------------

    def place(self, side: Side, **kw: Any) -> None:
        who, inst = self.trader(), self.rng.choice(INSTRUMENTS)
        price = self.ex.reference_ticks(inst) + self.rng.randint(-5, 5)
        qty = self.rng.randint(1, 4)
        if side is Side.SELL and self.rng.random() < 0.6:  # name one receipt
            product = self.ex.markets[inst].spec.product
            rid = self.pick(r.receipt_id for r in self.ex.receipts(who) if r.product == product)
            kw["receipt_ids"] = (rid,) if rid else ()
        cmd = PlaceOrder(self.tick(), who, f"c{self.ts}", inst, side, qty, price_ticks=price, **kw)
        self.run(cmd)

    def buy(self) -> None:
        self.place(Side.BUY, tif=self.rng.choice([TimeInForce.GTC, TimeInForce.IOC]))

    def sell(self) -> None:
        self.place(Side.SELL)

    def replace(self) -> None:
        oid = self.pick(self.ex.orders)
        if oid is not None:
            o = self.ex.orders[oid]
            qty = o.remaining + self.rng.randint(-1, 6) if self.rng.random() < 0.8 else None
            price = None
            if qty is None or self.rng.random() < 0.3:
                price = self.ex.reference_ticks(o.instrument) + self.rng.randint(-5, 5)
            self.run(ReplaceOrder(self.tick(), o.participant, oid, price, qty))

    def cancel(self) -> None:
        oid = self.pick(self.ex.orders)
        if oid is not None:
            self.run(CancelOrder(self.tick(), self.ex.orders[oid].participant, oid))

    def auction(self) -> None:
        inst = self.rng.choice(INSTRUMENTS)
        cls = RunAuction if self.ex.markets[inst].in_auction else OpenAuction
        self.run(cls(self.tick(), inst))

    def next_day(self) -> None:
        self.ts += DAY_US

    # -- policy and receipts ------------------------------------------------------------

    def deny(self) -> None:
        denied = self.pick(self.ex.denied)
        if denied is not None and self.rng.random() < 0.7:
            self.run(LiftDenial(self.tick(), denied))
            return
        who = self.trader()
        already = who in self.ex.denied
        events = self.run(DenyParty(self.tick(), who, "list entry 1"))
        assert isinstance(events[0], Rejected) == already
        assert not self.ex.open_orders(who)

    def jurisdiction(self) -> None:
        admitted = [c for c in ("CN", "DE", "KZ") if self.rng.random() < 0.5]
        if self.rng.random() < 0.5:
            admitted = []  # open to all
        self.run(SetJurisdiction(self.tick(), self.rng.choice(INSTRUMENTS), tuple(admitted)))

    def licence(self) -> None:
        rid = self.pick(self.ex.ledger.receipts)
        if rid is None:
            return
        if self.ex.ledger.receipts[rid].licence is None:
            self.run(GrantLicence(self.tick(), rid, f"L-{self.ts}"))
        else:
            self.run(RevokeLicence(self.tick(), rid))

    def withdraw(self) -> None:
        rid = self.pick(self.ex.ledger.receipts)
        if rid is not None:
            self.run(WithdrawReceipt(self.tick(), OPERATOR, rid))

    def issue(self) -> None:
        product = self.rng.choice(["ndpr_oxide", "dy_oxide"])
        self.issued += 1
        rid = "r1" if self.rng.random() < 0.3 else f"r{self.issued}"  # r1 again: a re-issue
        self.run(
            IssueReceipt(
                self.tick(),
                OPERATOR,
                rid,
                self.trader(),
                WAREHOUSE,
                product,
                1000 if product == "ndpr_oxide" else 300,
                Assay("c", "SGS", 9995),
                self.rng.choice([CN_CHAIN, KZ_CHAIN]),
                self.rng.choice([None, "L-issued"]),
            )
        )

    # -- invariants ---------------------------------------------------------------------

    @invariant()
    def consistent(self) -> None:
        assert self.ex.check_conservation() == []
        assert self.ex.invariants() == []

    @precondition(lambda self: len(self.log) % 10 == 0)
    @invariant()
    def replay_agrees(self) -> None:
        twin = Exchange()
        for cmd, events in self.log:
            assert twin.apply(cmd) == events
        assert twin.state_hash() == self.ex.state_hash()
        assert Exchange.restore(self.ex.snapshot()).state_hash() == self.ex.state_hash()


PolicyMachine.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestPolicyMachine = PolicyMachine.TestCase
