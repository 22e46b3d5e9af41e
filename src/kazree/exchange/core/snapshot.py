"""The engine state as JSON-ready data, its exact restoration, and consistency checks.

The snapshot lists everything that can influence a later command, in an order that does not
depend on how the state was reached (participants and owners sorted, books in priority), so
its canonical JSON hashes the same for equal states.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from kazree.errors import KazreeError
from kazree.exchange.core.auction import AuctionRecord
from kazree.exchange.core.book import NEVER, Order
from kazree.exchange.core.codec import from_json, to_json
from kazree.exchange.core.domain import (
    Assay,
    ExportControl,
    InstrumentSpec,
    ProvenanceStep,
    Role,
    Side,
    Stp,
    TimeInForce,
)
from kazree.exchange.core.events import ReferencePrice, Trade
from kazree.exchange.core.ledger import Account, Receipt, new_receipt

if TYPE_CHECKING:
    from kazree.exchange.core.engine import Exchange

VERSION = 3
"""Version 3: the policy (denied parties, export controls, each market's admitted countries,
each receipt's licence, each order's ``screened_until``); version 2: a market records when its
call phase opened (in place of a flag) and its auctions."""

NEVER_JSON = 1 << 62
"""How a snapshot writes :data:`~kazree.exchange.core.book.NEVER` (an order no control will
catch up with): the value version 3 was first written with, so its snapshots and state hashes
stay as they were."""

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _collector_paused(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``fn`` with the cyclic garbage collector paused.

    Dumping and loading build large acyclic structures; as they grow the collector would
    re-scan them again and again, which made up most of the time taken.
    """

    @functools.wraps(fn)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return run


@_collector_paused
def dump(ex: Exchange) -> dict[str, Any]:
    """The state of ``ex`` as JSON-ready data."""
    ledger = ex.ledger
    return {
        "version": VERSION,
        "next_order_id": ex.next_order_id,
        "next_trade_id": ex.next_trade_id,
        "participants": [
            {
                "participant": p.participant,
                "country": p.country,
                "roles": [r.value for r in p.roles],
                "suspended": p.suspended,
            }
            for _, p in sorted(ex.participants.items())
        ],
        "accounts": {
            name: {cur: [a.available, a.locked] for cur, a in sorted(accs.items())}
            for name, accs in sorted(ledger.accounts.items())
        },
        "fee_income": dict(sorted(ledger.fee_income.items())),
        "net_deposits": dict(sorted(ledger.net_deposits.items())),
        "net_issued_kg": dict(sorted(ledger.net_issued_kg.items())),
        "receipts": _receipts(ledger.iter_receipts()),
        "denied": dict(sorted(ex.denied.items())),
        "controls": [to_json(c) for c in ex.controls],
        "markets": [
            {
                "spec": to_json(m.spec),
                "admitted": sorted(m.admitted) if m.admitted is not None else None,
                "call_opened_ts": m.call_opened_ts,
                "book_seq": m.book.seq,
                "bids": [_order(o) for o in m.book.orders_in_priority(Side.BUY)],
                "asks": [_order(o) for o in m.book.orders_in_priority(Side.SELL)],
                "trades": [to_json(t) for t in m.trades],
                "auctions": [to_json(a) for a in m.auctions],
                "references": [to_json(r) for r in m.references],
            }
            for m in ex.markets.values()
        ],
    }


def _receipts(receipts: Iterable[Receipt]) -> list[dict[str, Any]]:
    """The receipts as JSON-ready data; a split receipt shares its parent's assay and
    provenance objects, so each is encoded once."""
    encoded: dict[int, Any] = {}

    def once(value: Any) -> Any:
        key = id(value)
        if key not in encoded:
            encoded[key] = (
                [to_json(s) for s in value] if isinstance(value, tuple) else to_json(value)
            )
        return encoded[key]

    return [
        {
            "receipt_id": r.receipt_id,
            "owner": r.owner,
            "warehouse": r.grade.warehouse,
            "product": r.grade.product,
            "quantity_kg": r.quantity_kg,
            "locked_kg": r.locked_kg,
            "assay": once(r.assay),
            "provenance": once(r.provenance),
            "export_licence": r.licence,
        }
        for r in receipts
    ]


def _order(o: Order) -> dict[str, Any]:
    return {
        "order_id": o.order_id,
        "participant": o.participant,
        "client_order_id": o.client_order_id,
        "side": o.side.value,
        "price_ticks": o.price,
        "remaining_lots": o.remaining,
        "tif": o.tif.value,
        "stp": o.stp.value,
        "post_only": o.post_only,
        "ts": o.ts,
        "lock_per_lot": o.lock_per_lot,
        "receipt_locks": [[rid, kg] for rid, kg in o.receipt_locks],
        "screened_until": NEVER_JSON if o.screened_until == NEVER else o.screened_until,
    }


class SnapshotVersionError(KazreeError):
    """A snapshot written in another format version; the journal alone can rebuild it."""


@_collector_paused
def load(ex: Exchange, data: dict[str, Any]) -> None:
    """Fill the empty exchange ``ex`` from :func:`dump` data."""
    from kazree.exchange.core.policy import control_windows
    from kazree.exchange.core.state import Market, Participant

    if data.get("version") != VERSION:
        msg = f"snapshot version {data.get('version')!r}: this kazree reads version {VERSION}"
        raise SnapshotVersionError(msg)
    ex.next_order_id = data["next_order_id"]
    ex.next_trade_id = data["next_trade_id"]
    ledger = ex.ledger
    for p in data["participants"]:
        name = p["participant"]
        roles = tuple(Role(r) for r in p["roles"])
        ex.participants[name] = Participant(name, p["country"], roles, p["suspended"])
        ledger.accounts[name] = {}
        ledger.holdings[name] = {}
        ex.by_participant[name] = {}
    for name, accs in data["accounts"].items():
        for cur, (available, locked) in accs.items():
            ledger.accounts[name][cur] = Account(available, locked)
    ledger.fee_income.update(data["fee_income"])
    ledger.net_deposits.update(data["net_deposits"])
    ledger.net_issued_kg.update(data["net_issued_kg"])
    decoded: dict[str, Any] = {}  # split receipts repeat their parent's assay and provenance
    for r in data["receipts"]:
        ledger.add_receipt(
            new_receipt(
                r["receipt_id"],
                r["owner"],
                r["warehouse"],
                r["product"],
                r["quantity_kg"],
                _decode_once(decoded, r["assay"], _assay),
                _decode_once(decoded, r["provenance"], _provenance),
                r["locked_kg"],
                r["export_licence"],
            )
        )
    ex.denied.update(data["denied"])
    ex.controls = tuple(from_json(ExportControl, c, "control") for c in data["controls"])
    ex.windows = control_windows(ex.controls)
    for md in data["markets"]:
        spec: InstrumentSpec = from_json(InstrumentSpec, md["spec"], "spec")
        m = Market(spec)
        ex.markets[spec.instrument] = m
        m.call_opened_ts = md["call_opened_ts"]
        admitted = md["admitted"]
        m.admitted = frozenset(admitted) if admitted is not None else None
        m.trades = [from_json(Trade, t, "trade") for t in md["trades"]]
        m.auctions = [from_json(AuctionRecord, a, "auction") for a in md["auctions"]]
        for r in md["references"]:
            m.publish(from_json(ReferencePrice, r, "reference"))
        for od in (*md["bids"], *md["asks"]):
            o = Order(
                od["order_id"],
                od["participant"],
                od["client_order_id"],
                spec.instrument,
                Side(od["side"]),
                od["price_ticks"],
                od["remaining_lots"],
                TimeInForce(od["tif"]),
                Stp(od["stp"]),
                od["post_only"],
                od["ts"],
                od["lock_per_lot"],
                [(rid, kg) for rid, kg in od["receipt_locks"]],
                NEVER if od["screened_until"] == NEVER_JSON else od["screened_until"],
            )
            ex.rest(m, o)
        m.book.seq = md["book_seq"]


def _assay(data: Any) -> Assay:
    assay: Assay = from_json(Assay, data, "assay")
    return assay


def _provenance(data: list[Any]) -> tuple[ProvenanceStep, ...]:
    return tuple(from_json(ProvenanceStep, s, "provenance") for s in data)


def _decode_once(decoded: dict[str, Any], data: Any, decode: Callable[[Any], Any]) -> Any:
    """``decode(data)``, or the value already decoded from equal data."""
    key = repr(data)
    value = decoded.get(key)
    if value is None:
        value = decoded[key] = decode(data)
    return value


def invariant_problems(ex: Exchange) -> list[str]:
    """Every inconsistency between books, orders, locks and indexes."""
    problems: list[str] = []
    cash_locked: dict[tuple[str, str], int] = {}
    kg_locked: dict[str, int] = {}
    seen: set[int] = set()
    for name, m in ex.markets.items():
        book = m.book
        if not m.in_auction and book.crossed():
            problems.append(f"{name}: book crossed {book.best_bid()} >= {book.best_ask()}")
        for side, levels, prices in (
            (Side.BUY, book.bids, book.bid_prices),
            (Side.SELL, book.asks, book.ask_prices),
        ):
            if prices != sorted(levels):
                problems.append(f"{name} {side.value}: price index out of step")
            for price, level in levels.items():
                live = [o for o in level.orders if o.live]
                if level.qty != sum(o.remaining for o in live) or not live:
                    problems.append(f"{name} {side.value} {price}: level total wrong")
                for o in live:
                    seen.add(o.order_id)
                    if ex.orders.get(o.order_id) is not o or o.price != price or o.side != side:
                        problems.append(f"order {o.order_id}: book and index disagree")
                    if o.side is Side.BUY:
                        key = (o.participant, m.spec.currency)
                        cash_locked[key] = cash_locked.get(key, 0) + o.remaining * o.lock_per_lot
                    else:
                        held = sum(kg for _, kg in o.receipt_locks)
                        if held != o.remaining * m.spec.lot_kg:
                            problems.append(f"order {o.order_id}: locks {held} kg for its lots")
                        for rid, kg in o.receipt_locks:
                            kg_locked[rid] = kg_locked.get(rid, 0) + kg
    if seen != ex.orders.keys():
        problems.append("resting orders and the order index differ")
    if len(ex.client_ids) != len(ex.orders):
        problems.append("client order ids and the order index differ")
    for name, accs in ex.ledger.accounts.items():
        for cur, acc in accs.items():
            if acc.available < 0 or acc.locked != cash_locked.get((name, cur), 0):
                problems.append(f"account {name} {cur}: {acc.available}/{acc.locked} inconsistent")
    for rid, r in ex.ledger.receipts.items():
        if r.quantity_kg <= 0 or r.locked_kg != kg_locked.get(rid, 0):
            problems.append(
                f"receipt {rid}: {r.quantity_kg} kg, {r.locked_kg} locked, inconsistent"
            )
        if ex.ledger.holdings[r.owner].get(r.grade, {}).get(rid) is not r:
            problems.append(f"receipt {rid}: owner index wrong")
    return problems
