"""Continuous matching in price-time priority and delivery-versus-payment settlement."""

from __future__ import annotations

from kazree.exchange.core.book import Book, Order
from kazree.exchange.core.domain import Side, Stp
from kazree.exchange.core.events import (
    Cancelled,
    CancelReason,
    Event,
    ReceiptMoved,
    ReceiptSplit,
    Trade,
)
from kazree.exchange.core.ledger import Receipt
from kazree.exchange.core.policy import allowed_to_rest, lapsed
from kazree.exchange.core.state import Market, State

# Enum members bound once: attribute lookups on enum classes are slow in CPython 3.11.
_BUY = Side.BUY
_SELL = Side.SELL
_CANCEL_INCOMING = Stp.CANCEL_INCOMING


def match(st: State, m: Market, o: Order, ts: int, events: list[Event]) -> None:
    """Trade incoming ``o`` against the book in price-time priority, settling each fill."""
    book = m.book
    buy = o.side is _BUY
    prices = book.ask_prices if buy else book.bid_prices
    levels = book.asks if buy else book.bids
    limit = o.price
    while o.remaining and prices:
        best = prices[0] if buy else prices[-1]
        if (best > limit) if buy else (best < limit):
            return
        level = levels[best]
        orders = level.orders
        while True:
            r = orders[0]
            if not r.live:
                orders.popleft()
                continue
            if r.screened_until <= ts and lapsed(st, m, r, ts, events):
                pass  # cancelled: a control now forbids it
            elif r.participant == o.participant:
                if o.stp is _CANCEL_INCOMING:
                    st.release(m, o, o.remaining)
                    events.append(
                        Cancelled(o.order_id, o.participant, o.remaining, CancelReason.STP)
                    )
                    o.remaining = 0
                    o.live = False
                    return
                st.cancel_resting(m, r, CancelReason.STP, events)
            else:
                q = o.remaining if o.remaining < r.remaining else r.remaining
                if buy:
                    settle(st, m, o, r, best, q, ts, _BUY, events)
                else:
                    settle(st, m, r, o, best, q, ts, _SELL, events)
                o.remaining -= q
                # book.reduce and st.forget, written out for the resting order
                r.remaining -= q
                level.qty -= q
                book.seq += 1
                if not r.remaining:
                    r.live = False
                    del st.orders[r.order_id]
                    del st.by_participant[r.participant][r.order_id]
                    del st.client_ids[(r.participant, r.client_order_id)]
                if not level.qty:
                    del levels[best]
                    if buy:
                        del prices[0]
                    else:
                        prices.pop()
                    break
            if not o.remaining or not level.qty:
                break


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


def crosses(book: Book, side: Side, price: int) -> bool:
    """Whether an order at ``price`` on ``side`` would trade against the book now."""
    if side is _BUY:
        ask = book.best_ask()
        return ask is not None and price >= ask
    bid = book.best_bid()
    return bid is not None and price <= bid


def fillable(st: State, m: Market, o: Order) -> int:
    """Lots an incoming order could fill now, honouring self-trade prevention and the policy."""
    book = m.book
    got = 0
    opposite = _SELL if o.side is _BUY else _BUY
    for price, orders in book.level_orders(opposite):
        if (price > o.price) if o.side is _BUY else (price < o.price):
            break
        for r in orders:
            if r.screened_until <= o.ts and not allowed_to_rest(st, m, r, o.ts):
                continue  # matching will cancel it
            if r.participant == o.participant:
                if o.stp is _CANCEL_INCOMING:
                    return got
                continue
            got += r.remaining
            if got >= o.remaining:
                return got
    return got
