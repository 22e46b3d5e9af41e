"""The exchange engine: one writer applies commands; risk, matching and DvP settlement in one step.

``Exchange.apply`` hands each command to its handler (``admin``, ``trading``, ``sessions``).
A handler validates the command completely before changing anything, so a refused command
yields one :class:`Rejected` event and leaves the state exactly as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, Final

from kazree.exchange.core import admin, policy_admin, sessions, trading
from kazree.exchange.core import snapshot as snap
from kazree.exchange.core.book import Order
from kazree.exchange.core.commands import (
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
    command_name,
)
from kazree.exchange.core.domain import InstrumentSpec, Side
from kazree.exchange.core.errors import Reject
from kazree.exchange.core.events import Event, ReferencePrice, Rejected, Trade
from kazree.exchange.core.ledger import Receipt
from kazree.exchange.core.state import Market, Participant, State
from kazree.exchange.core.views import (
    Balance,
    BookDepth,
    InstrumentView,
    OrderView,
    ParticipantView,
    PolicyView,
    ReceiptView,
)
from kazree.exchange.durability.journal import canonical_json

__all__ = ["HANDLERS", "Exchange", "Market", "Participant"]

_BUY: Final = Side.BUY
_SELL: Final = Side.SELL

HANDLERS: dict[type[Any], Callable[[State, Any], list[Event]]] = {
    AddParticipant: admin.add_participant,
    AddInstrument: admin.add_instrument,
    DepositCash: admin.deposit_cash,
    WithdrawCash: admin.withdraw_cash,
    IssueReceipt: admin.issue_receipt,
    WithdrawReceipt: admin.withdraw_receipt,
    SuspendParticipant: admin.suspend_participant,
    ReinstateParticipant: admin.reinstate_participant,
    DenyParty: policy_admin.deny_party,
    LiftDenial: policy_admin.lift_denial,
    SetJurisdiction: policy_admin.set_jurisdiction,
    GrantLicence: policy_admin.grant_licence,
    RevokeLicence: policy_admin.revoke_licence,
    SetExportControls: policy_admin.set_export_controls,
    PlaceOrder: trading.place_order,
    CancelOrder: trading.cancel_order,
    ReplaceOrder: trading.replace_order,
    OpenAuction: sessions.open_auction,
    RunAuction: sessions.run_auction,
    PublishReference: sessions.publish_reference,
    EndOfDay: sessions.end_of_day,
}
"""Command class -> the function that applies it."""


class Exchange(State):
    """The whole exchange state and the single entry point that changes it."""

    # -- entry points -------------------------------------------------------------------

    def apply(self, cmd: Command) -> list[Event]:
        """Apply one command; a refused command yields ``[Rejected]`` and changes nothing."""
        try:
            return HANDLERS[type(cmd)](self, cmd)
        except Reject as r:
            return [Rejected(command_name(cmd), r.code, r.message)]

    def snapshot(self) -> dict[str, Any]:
        """The whole state as JSON-ready data; :meth:`restore` rebuilds it exactly."""
        return snap.dump(self)

    @classmethod
    def restore(cls, data: dict[str, Any]) -> Exchange:
        """An exchange rebuilt from :meth:`snapshot` data."""
        ex = cls()
        snap.load(ex, data)
        return ex

    def state_hash(self) -> str:
        """sha256 (hex) of the canonical JSON of :meth:`snapshot`."""
        return hashlib.sha256(canonical_json(self.snapshot()).encode()).hexdigest()

    # -- queries: frozen views, lookups by id, bounded lists ------------------------------

    def instruments(self) -> list[InstrumentSpec]:
        """Listed instruments."""
        return [m.spec for m in self.markets.values()]

    def instrument(self, instrument: str, auctions: int = 0) -> InstrumentView | None:
        """A listed instrument with its state and its latest ``auctions`` results."""
        m = self.markets.get(instrument)
        if m is None:
            return None
        low, high = m.band
        admitted = tuple(sorted(m.admitted)) if m.admitted is not None else None
        latest = tuple(m.auctions[-auctions:]) if auctions > 0 else ()
        return InstrumentView(
            m.spec, m.reference_ticks, low, high, m.call_opened_ts, admitted, latest
        )

    def participant_names(self) -> list[str]:
        """Every registered participant, sorted."""
        return sorted(self.participants)

    def participant_view(self, name: str) -> ParticipantView | None:
        """A registered participant."""
        p = self.participants.get(name)
        if p is None:
            return None
        return ParticipantView(name, p.country, p.roles, p.suspended, self.denied.get(name))

    def order(self, order_id: int) -> OrderView | None:
        """A resting order."""
        o = self.orders.get(order_id)
        return _view(o) if o is not None else None

    def order_owner(self, order_id: int) -> str | None:
        """Who owns a resting order (one dict read of a field set once: safe at any time)."""
        o = self.orders.get(order_id)
        return o.participant if o is not None else None

    def all_open_orders(self, limit: int) -> list[OrderView]:
        """At most ``limit`` resting orders of every participant, by order id."""
        orders = self.orders
        return [_view(orders[i]) for i in sorted(orders)[:limit]]

    def receipt(self, receipt_id: str) -> ReceiptView | None:
        """A receipt, split parts (``R-1/7``) included."""
        r = self.ledger.receipts.get(receipt_id)
        return _receipt_view(r) if r is not None else None

    def book_seq(self, instrument: str) -> int:
        """The book's sequence number: it changes whenever the book does."""
        return self.markets[instrument].book.seq

    def policy(self) -> PolicyView:
        """Denied parties, instrument jurisdictions and export controls in force."""
        return PolicyView(
            tuple(sorted(self.denied.items())),
            tuple(
                (name, tuple(sorted(m.admitted)))
                for name, m in sorted(self.markets.items())
                if m.admitted is not None
            ),
            self.controls,
        )

    def depth(self, instrument: str, levels: int = 10) -> BookDepth:
        """The best ``levels`` price levels of each side, with the book's sequence number."""
        book = self.markets[instrument].book
        return BookDepth(
            instrument,
            book.seq,
            tuple(book.depth(_BUY, levels)),
            tuple(book.depth(_SELL, levels)),
        )

    def book_orders(self, instrument: str, side: Side) -> list[OrderView]:
        """Resting orders of one side, best price first, then time priority."""
        return [_view(o) for o in self.markets[instrument].book.orders_in_priority(side)]

    def open_orders(self, participant: str) -> list[OrderView]:
        """A participant's resting orders by order id."""
        orders = self.by_participant.get(participant, {})
        return [_view(orders[i]) for i in sorted(orders)]

    def balances(self, participant: str) -> list[Balance]:
        """A participant's cash per currency."""
        accounts = self.ledger.accounts.get(participant, {})
        return [Balance(c, a.available, a.locked) for c, a in sorted(accounts.items())]

    def receipts(self, participant: str) -> list[ReceiptView]:
        """A participant's receipts, grouped by grade, in the order they were acquired."""
        return [_receipt_view(r) for r in self.ledger.owned(participant)]

    def trades(self, instrument: str, limit: int | None = None) -> list[Trade]:
        """The trades of an instrument in order: every one, or the latest ``limit``."""
        trades = self.markets[instrument].trades
        if limit is None:
            return list(trades)
        return trades[-limit:] if limit > 0 else []

    def references(self, instrument: str) -> list[ReferencePrice]:
        """The published reference series of an instrument."""
        return list(self.markets[instrument].references)

    def reference_ticks(self, instrument: str) -> int:
        """The price the band is centred on: the latest reference, else the listing price."""
        return self.markets[instrument].reference_ticks

    def band(self, instrument: str) -> tuple[int, int]:
        """The accepted price range of an instrument now."""
        return self.markets[instrument].band

    def fee_income(self) -> dict[str, int]:
        """Fees collected per currency."""
        return dict(self.ledger.fee_income)

    # -- checks used by tests -----------------------------------------------------------

    def check_conservation(self) -> list[str]:
        """Differences between the cash and product held and what entered the exchange."""
        problems = []
        cash = self.ledger.cash_totals()
        for cur in sorted(cash.keys() | self.ledger.net_deposits.keys()):
            held, put_in = cash.get(cur, 0), self.ledger.net_deposits.get(cur, 0)
            if held != put_in:
                problems.append(f"cash {cur}: held {held} != deposited {put_in}")
        kg = self.ledger.product_totals()
        for prod in sorted(kg.keys() | self.ledger.net_issued_kg.keys()):
            held, put_in = kg.get(prod, 0), self.ledger.net_issued_kg.get(prod, 0)
            if held != put_in:
                problems.append(f"product {prod}: held {held} kg != issued {put_in} kg")
        return problems

    def invariants(self) -> list[str]:
        """Every broken internal invariant (locks, books, indexes), empty when consistent."""
        return snap.invariant_problems(self)


def _view(o: Order) -> OrderView:
    return OrderView(
        o.order_id,
        o.participant,
        o.client_order_id,
        o.instrument,
        o.side,
        o.price,
        o.remaining,
        o.tif,
        o.stp,
        o.post_only,
        o.ts,
    )


def _receipt_view(r: Receipt) -> ReceiptView:
    return ReceiptView(
        r.receipt_id,
        r.owner,
        r.grade.warehouse,
        r.grade.product,
        r.quantity_kg,
        r.locked_kg,
        r.assay,
        r.provenance,
        r.licence,
    )
