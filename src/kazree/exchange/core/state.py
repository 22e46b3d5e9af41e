"""The engine's state: participants, markets, ledger and resting orders, with the order lifecycle.

Command handlers (``admin``, ``trading``, ``sessions``) validate everything first and raise
:class:`~kazree.exchange.core.errors.Reject` before any change; only then do they mutate the state.
"""

from __future__ import annotations

from typing import Final

from kazree.exchange.core.auction import AuctionRecord
from kazree.exchange.core.book import Book, Order
from kazree.exchange.core.domain import ExportControl, InstrumentSpec, Role, Side
from kazree.exchange.core.errors import Reject, RejectCode
from kazree.exchange.core.events import (
    Cancelled,
    CancelReason,
    Event,
    ReferencePrice,
    Trade,
)
from kazree.exchange.core.ledger import Grade, Ledger, ineligibility
from kazree.exchange.core.pricing import price_band

# Enum members bound once as finals: compiled, a read is a C static load rather than a
# lookup in the module dict (and attribute lookups on enum classes are slow in CPython 3.11).
_BUY: Final = Side.BUY


class Participant:
    """A registered participant."""

    __slots__ = ("country", "participant", "roles", "suspended")

    def __init__(
        self, participant: str, country: str, roles: tuple[Role, ...], suspended: bool = False
    ) -> None:
        self.participant = participant
        self.country = country
        self.roles = roles
        self.suspended = suspended


class Market:
    """One instrument: its spec, book, phase, trades, auction results and reference series."""

    __slots__ = (
        "_eligible",
        "admitted",
        "auctions",
        "band",
        "book",
        "call_opened_ts",
        "lock_fee_bp",
        "references",
        "spec",
        "tick_value",
        "trades",
    )

    def __init__(self, spec: InstrumentSpec) -> None:
        self.spec = spec
        self._eligible: dict[Grade, str | None] = {}
        self.tick_value = spec.tick_value
        self.lock_fee_bp = max(spec.maker_fee_bp, spec.taker_fee_bp)
        self.band = price_band(spec.reference_ticks, spec.band_bp)
        """Lowest and highest accepted price now."""
        self.book = Book()
        self.call_opened_ts: int | None = None
        """When the open call phase started (``None`` outside one)."""
        self.trades: list[Trade] = []
        self.auctions: list[AuctionRecord] = []
        """Every uncross, in order."""
        self.references: list[ReferencePrice] = []
        self.admitted: frozenset[str] | None = None
        """The countries its participants must be in (``None``: every country)."""

    def ineligibility(self, grade: Grade) -> str | None:
        """Why receipts of ``grade`` may not back sells here (``None``: they may); cached."""
        try:
            return self._eligible[grade]
        except KeyError:
            why = self._eligible[grade] = ineligibility(grade, self.spec)
            return why

    def publish(self, ref: ReferencePrice) -> None:
        """Add a day's reference price; the band re-centres on it."""
        self.references.append(ref)
        self.band = price_band(ref.price_ticks, self.spec.band_bp)

    @property
    def in_auction(self) -> bool:
        """Whether a call phase is open: limit orders rest without matching."""
        return self.call_opened_ts is not None

    @property
    def reference_ticks(self) -> int:
        """The latest reference price, or the listing reference before any."""
        return self.references[-1].price_ticks if self.references else self.spec.reference_ticks


class ControlWindow:
    """One :class:`ExportControl` as the risk stage reads it: times in UTC microseconds."""

    __slots__ = ("control", "end_us", "exporter", "products", "start_us")

    def __init__(self, control: ExportControl, start_us: int, end_us: int) -> None:
        self.control = control
        self.exporter = control.exporter
        self.products = frozenset(control.products)
        self.start_us = start_us
        """First microsecond in force."""
        self.end_us = end_us
        """First microsecond no longer in force."""


class State:
    """Everything the engine knows; one writer changes it, one command at a time."""

    def __init__(self) -> None:
        self.participants: dict[str, Participant] = {}
        self.markets: dict[str, Market] = {}
        self.ledger = Ledger()
        self.orders: dict[int, Order] = {}
        """Resting orders by id."""
        self.by_participant: dict[str, dict[int, Order]] = {}
        self.client_ids: dict[tuple[str, str], int] = {}
        self.next_order_id = 1
        self.next_trade_id = 1
        self.denied: dict[str, str] = {}
        """Denied parties: participant -> why."""
        self.controls: tuple[ExportControl, ...] = ()
        """The export-control rules enforced, as last set."""
        self.windows: list[ControlWindow] = []
        """``controls`` with their days as times, for the risk stage."""

    def participant(self, name: str) -> Participant:
        """The registered participant ``name``; refuses an unknown one."""
        p = self.participants.get(name)
        if p is None:
            raise Reject(RejectCode.UNKNOWN_PARTICIPANT, f"unknown participant {name!r}")
        return p

    def with_role(self, name: str, role: Role) -> Participant:
        """The participant ``name`` if it holds ``role``; refuses otherwise."""
        p = self.participant(name)
        if role not in p.roles:
            raise Reject(RejectCode.NOT_PERMITTED, f"participant {name!r} lacks role {role.value}")
        return p

    def market(self, instrument: str) -> Market:
        """The listed instrument; refuses an unknown one."""
        m = self.markets.get(instrument)
        if m is None:
            raise Reject(RejectCode.UNKNOWN_INSTRUMENT, f"unknown instrument {instrument!r}")
        return m

    def own_order(self, participant: str, order_id: int) -> Order:
        """``participant``'s resting order ``order_id``; refuses any other."""
        o = self.orders.get(order_id)
        if o is None or o.participant != participant:
            raise Reject(RejectCode.UNKNOWN_ORDER, f"{participant!r} has no open order {order_id}")
        return o

    def rest(self, m: Market, o: Order) -> None:
        """Put ``o`` on its book and in the order indexes."""
        m.book.add(o)
        self.orders[o.order_id] = o
        self.by_participant[o.participant][o.order_id] = o
        self.client_ids[(o.participant, o.client_order_id)] = o.order_id

    def forget(self, o: Order) -> None:
        """Drop ``o`` from the order indexes (the book drops dead orders itself)."""
        del self.orders[o.order_id]
        del self.by_participant[o.participant][o.order_id]
        del self.client_ids[(o.participant, o.client_order_id)]

    def release(self, m: Market, o: Order, lots: int) -> None:
        """Unlock what ``lots`` open lots of ``o`` hold (cash for buys, receipts for sells)."""
        if o.side is _BUY:
            amount = lots * o.lock_per_lot
            acc = self.ledger.account(o.participant, m.spec.currency)
            acc.locked -= amount
            acc.available += amount
            return
        kg = lots * m.spec.lot_kg
        locks = o.receipt_locks
        receipts = self.ledger.receipts
        while kg:
            rid, held = locks[-1]
            give = kg if kg < held else held
            receipts[rid].locked_kg -= give
            if give == held:
                locks.pop()
            else:
                locks[-1] = (rid, held - give)
            kg -= give

    def cancel_resting(
        self, m: Market, o: Order, reason: CancelReason, events: list[Event]
    ) -> None:
        """Cancel resting ``o`` for ``reason``: unlock, unbook, unindex, and say so."""
        lots = o.remaining
        self.release(m, o, lots)
        m.book.reduce(o, lots)
        self.forget(o)
        events.append(Cancelled(o.order_id, o.participant, lots, reason))
