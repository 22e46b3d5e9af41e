"""Delivery-versus-payment settlement of one fill: cash, fees and receipts move together."""

from __future__ import annotations

from typing import Final

from kazree.exchange.core.book import Order
from kazree.exchange.core.domain import Side
from kazree.exchange.core.events import Event, ReceiptMoved, ReceiptSplit, Trade
from kazree.exchange.core.ledger import Receipt
from kazree.exchange.core.state import Market, State

# Enum members bound once as finals: compiled, a read is a C static load rather than a
# lookup in the module dict (and attribute lookups on enum classes are slow in CPython 3.11).
_BUY: Final = Side.BUY


def settle(
    st: State,
    m: Market,
    b: Order,
    s: Order,
    price: int,
    lots: int,
    ts: int,
    aggressor: Side | None,
    events: list[Event],
) -> None:
    """Deliver ``lots`` from ``s`` to ``b`` against payment at ``price``, fees included."""
    spec = m.spec
    ledger = st.ledger
    tid = st.next_trade_id
    st.next_trade_id += 1
    amount = price * lots * m.tick_value
    # pricing.fee, written out: basis points of the notional, rounded up.
    maker = -((-amount * spec.maker_fee_bp) // 10_000)
    if aggressor is None:
        buyer_fee = seller_fee = maker
    else:
        taker = -((-amount * spec.taker_fee_bp) // 10_000)
        buyer_fee, seller_fee = (taker, maker) if aggressor is _BUY else (maker, taker)
    cur = spec.currency
    unlocked = lots * b.lock_per_lot
    # ledger.account, written out: the buyer's account exists (it holds the lock)
    bacc = ledger.accounts[b.participant].get(cur) or ledger.account(b.participant, cur)
    bacc.locked -= unlocked
    bacc.available += unlocked - amount - buyer_fee
    sacc = ledger.accounts[s.participant].get(cur) or ledger.account(s.participant, cur)
    sacc.available += amount - seller_fee
    fees = ledger.fee_income
    fees[cur] = fees.get(cur, 0) + buyer_fee + seller_fee
    trade = Trade(
        tid,
        ts,
        spec.instrument,
        price,
        lots,
        b.order_id,
        s.order_id,
        b.participant,
        s.participant,
        aggressor,
        buyer_fee,
        seller_fee,
    )
    m.trades.append(trade)
    events.append(trade)
    deliver(st, s, b.participant, lots * spec.lot_kg, tid, events)


def deliver(st: State, s: Order, buyer: str, kg: int, tid: int, events: list[Event]) -> None:
    """Move ``kg`` of the receipts locked by sell ``s`` to ``buyer``, splitting as needed."""
    ledger = st.ledger
    receipts = ledger.receipts
    groups = ledger.holdings[buyer]
    seller = s.participant
    locks = s.receipt_locks
    while kg:
        rid, held = locks[0]
        take = kg if kg < held else held
        if take == held:
            del locks[0]
        else:
            locks[0] = (rid, held - take)
        r = receipts[rid]
        r.locked_kg -= take
        if take == r.quantity_kg:
            ledger.transfer_receipt(r, buyer)
            events.append(ReceiptMoved(rid, seller, buyer, take, tid))
        else:
            r.quantity_kg -= take
            new_id = f"{rid}/{tid}"
            # ledger.add_receipt, written out; the split shares the parent's grade, assay
            # and provenance objects
            grade = r.grade
            split = Receipt(new_id, buyer, grade, take, r.assay, r.provenance, 0, r.licence)
            receipts[new_id] = split
            group = groups.get(grade)
            if group is None:
                group = groups[grade] = {}
            group[new_id] = split
            events.append(ReceiptSplit(rid, new_id, seller, buyer, take, tid))
        kg -= take
