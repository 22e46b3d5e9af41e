"""Orders: placing, cancelling and replacing, with their pre-trade risk checks.

Self-trade prevention is chosen per order (``cancel_resting`` by default). Market orders trade
up to the edge of the price band and never rest. During an auction call phase limit orders rest
without matching, and an order that would cross its owner's own opposite order is refused, so
the uncross never pairs a participant with itself."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from kazree.exchange.core.book import NEVER, Order
from kazree.exchange.core.commands import (
    CancelOrder,
    PlaceOrder,
    ReplaceOrder,
)
from kazree.exchange.core.domain import OrderKind, Role, Side, TimeInForce
from kazree.exchange.core.errors import Reject, RejectCode
from kazree.exchange.core.events import (
    Accepted,
    Cancelled,
    CancelReason,
    Event,
    Replaced,
)
from kazree.exchange.core.ledger import Receipt
from kazree.exchange.core.matching import crosses, fillable, match
from kazree.exchange.core.policy import check_party, screen_sell
from kazree.exchange.core.state import Market, State

# Enum members bound once as finals: compiled, a read is a C static load rather than a
# lookup in the module dict (and attribute lookups on enum classes are slow in CPython 3.11).
_BUY: Final = Side.BUY
_TRADER: Final = Role.TRADER
_MARKET: Final = OrderKind.MARKET
_FOK: Final = TimeInForce.FOK
_IOC: Final = TimeInForce.IOC
_NON_RESTING: Final = (_IOC, _FOK)


def place_order(st: State, c: PlaceOrder) -> list[Event]:
    """Validate, lock (cash for a buy, receipts for a sell), match, then rest or cancel the rest.

    The hot path of the engine: lookups, the cash check and resting are written out here
    rather than called, with the same checks in the same order as the helpers they mirror.
    """
    name = c.participant
    p = st.participants.get(name)
    if p is None or _TRADER not in p.roles:
        p = st.with_role(name, _TRADER)  # refuses with the reason
    if p.suspended:
        raise Reject(RejectCode.SUSPENDED, f"participant {name!r} is suspended")
    m = st.markets.get(c.instrument)
    if m is None:
        m = st.market(c.instrument)  # refuses with the reason
    if st.denied or m.admitted is not None:
        check_party(st, p, m)
    price = _order_price(st, m, c)
    qty = c.quantity_lots
    buy = c.side is _BUY
    acc = None
    if buy:
        one = price * m.tick_value
        per_lot = one - ((-one * m.lock_fee_bp) // 10_000)
        need = per_lot * qty
        acc = st.ledger.accounts[name].get(m.spec.currency)
        if acc is None or acc.available < need:
            _check_cash(st, name, m, need, "buy")  # refuses with the reason
            acc = st.ledger.account(name, m.spec.currency)
        locks: list[tuple[str, int]] = []
        screened = NEVER
    else:
        per_lot = need = 0
        locks = plan_receipts(st, name, m, qty, c.receipt_ids)
        screened = screen_sell(st, m, locks, c.ts, bool(c.receipt_ids)) if st.windows else NEVER
    if m.in_auction or c.post_only:
        _check_phase(st, m, c, price)
    # Validated: from here on the command is accepted.
    oid = st.next_order_id
    st.next_order_id = oid + 1
    o = Order(
        oid,
        name,
        c.client_order_id,
        c.instrument,
        c.side,
        price,
        qty,
        c.tif,
        c.stp,
        c.post_only,
        c.ts,
        per_lot,
        locks,
        screened,
    )
    events: list[Event] = [Accepted("place_order", oid)]
    if acc is not None:
        acc.available -= need
        acc.locked += need
    else:
        receipts = st.ledger.receipts
        for rid, kg in locks:
            receipts[rid].locked_kg += kg
    if m.in_auction:
        st.rest(m, o)
        return events
    market = c.kind is _MARKET
    tif = c.tif
    if tif is _FOK and fillable(st, m, o) < qty:
        st.release(m, o, qty)
        events.append(Cancelled(oid, name, qty, CancelReason.FOK))
        return events
    book = m.book
    if buy:
        if book.ask_prices and book.ask_prices[0] <= price:
            match(st, m, o, c.ts, events)
    elif book.bid_prices and book.bid_prices[-1] >= price:
        match(st, m, o, c.ts, events)
    left = o.remaining
    if not o.live or not left:
        return events
    if market or tif in _NON_RESTING:
        st.release(m, o, left)
        reason = CancelReason.MARKET if market else CancelReason.IOC
        events.append(Cancelled(oid, name, left, reason))
        return events
    book.add(o)
    st.orders[oid] = o
    st.by_participant[name][oid] = o
    st.client_ids[(name, o.client_order_id)] = oid
    return events


def _order_price(st: State, m: Market, c: PlaceOrder) -> int:
    """The order's limit price (the band edge for a market order), after the field checks."""
    if c.quantity_lots <= 0:
        raise Reject(RejectCode.BAD_QUANTITY, f"quantity_lots {c.quantity_lots}: must be > 0")
    low, high = m.band
    if c.kind is _MARKET:
        if c.price_ticks is not None or c.post_only:
            raise Reject(
                RejectCode.BAD_ORDER, "market order: no price_ticks and no post_only allowed"
            )
        price = high if c.side is _BUY else low
    else:
        price = _limit_price(c.price_ticks, low, high)
        if c.post_only and c.tif in _NON_RESTING:
            raise Reject(RejectCode.BAD_ORDER, f"post_only with tif {c.tif.value}")
    if not c.client_order_id:
        raise Reject(RejectCode.BAD_ORDER, "client_order_id: must not be empty")
    if (c.participant, c.client_order_id) in st.client_ids:
        raise Reject(
            RejectCode.DUPLICATE_CLIENT_ORDER_ID,
            f"client_order_id {c.client_order_id!r} is already open",
        )
    if c.side is _BUY and c.receipt_ids:
        raise Reject(RejectCode.BAD_ORDER, "receipt_ids: only sells carry receipts")
    return price


def _check_phase(st: State, m: Market, c: PlaceOrder, price: int) -> None:
    """The matching stage's refusals: orders the call phase or the book do not allow."""
    if m.in_auction:
        if c.kind is _MARKET or c.post_only or c.tif in _NON_RESTING:
            raise Reject(
                RejectCode.AUCTION_PHASE,
                f"{c.instrument} is in an auction call: only GTC/DAY limit orders",
            )
        check_auction_self_cross(st, c.participant, c.instrument, c.side, price, None)
    elif c.post_only and crosses(m.book, c.side, price):
        raise Reject(
            RejectCode.POST_ONLY_WOULD_CROSS, f"post-only {c.side.value} at {price} would trade"
        )


def _check_cash(st: State, participant: str, m: Market, need: int, what: str) -> None:
    have = st.ledger.available(participant, m.spec.currency)
    if have < need:
        raise Reject(
            RejectCode.INSUFFICIENT_CASH,
            f"{what} must lock {need} {m.spec.currency}, {have} available",
        )


def cancel_order(st: State, c: CancelOrder) -> list[Event]:
    """Cancel a participant's resting order."""
    name = c.participant
    o = st.orders.get(c.order_id)
    if o is None or o.participant != name:
        st.participant(name)  # refuses an unknown participant first
        o = st.own_order(name, c.order_id)  # then an order that is not theirs
    events: list[Event] = [Accepted("cancel_order", o.order_id)]
    st.cancel_resting(st.markets[o.instrument], o, CancelReason.REQUESTED, events)
    return events


def replace_order(st: State, c: ReplaceOrder) -> list[Event]:
    """Change price and/or quantity; only a smaller quantity at the same price keeps priority."""
    p = st.participants.get(c.participant) or st.participant(c.participant)
    if p.suspended:
        raise Reject(RejectCode.SUSPENDED, f"participant {c.participant!r} is suspended")
    o = st.orders.get(c.order_id)
    if o is None or o.participant != c.participant:
        o = st.own_order(c.participant, c.order_id)  # refuses it
    m = st.markets[o.instrument]
    spec = m.spec
    if st.denied or m.admitted is not None:
        check_party(st, p, m)
    if c.price_ticks is None and c.quantity_lots is None:
        raise Reject(RejectCode.BAD_ORDER, "replace: give price_ticks and/or quantity_lots")
    qty = o.remaining if c.quantity_lots is None else c.quantity_lots
    if qty <= 0:
        raise Reject(RejectCode.BAD_QUANTITY, f"quantity_lots {qty}: must be > 0")
    price = o.price
    if c.price_ticks is not None and c.price_ticks != o.price:
        price = _limit_price(c.price_ticks, *m.band)
    events: list[Event] = [Accepted("replace_order", o.order_id)]
    if price == o.price and qty <= o.remaining:
        lots = o.remaining - qty
        if lots:
            st.release(m, o, lots)
            m.book.reduce(o, lots)
        events.append(Replaced(o.order_id, price, qty, True))
        return events
    per_lot, extra_cash, extra_receipts = 0, 0, []
    if o.side is _BUY:
        per_lot = _lock_per_lot(price, m)
        extra_cash = per_lot * qty - o.lock_per_lot * o.remaining
        _check_cash(st, o.participant, m, extra_cash, "the replace's increase")
    elif qty > o.remaining:
        extra_receipts = plan_receipts(st, o.participant, m, qty - o.remaining, ())
    screened = o.screened_until
    if st.windows and o.side is not _BUY:
        screened = screen_sell(st, m, o.receipt_locks + extra_receipts, c.ts, False)
    if m.in_auction:
        check_auction_self_cross(st, o.participant, o.instrument, o.side, price, o.order_id)
    elif o.post_only and crosses(m.book, o.side, price):
        raise Reject(
            RejectCode.POST_ONLY_WOULD_CROSS, f"post-only {o.side.value} at {price} would trade"
        )
    # Validated: apply.
    if o.side is _BUY:
        acc = st.ledger.account(o.participant, spec.currency)
        acc.available -= extra_cash
        acc.locked += extra_cash
    elif qty < o.remaining:
        st.release(m, o, o.remaining - qty)
    else:
        for rid, kg in extra_receipts:
            st.ledger.receipts[rid].locked_kg += kg
        o.receipt_locks[:] = _merge_locks(o.receipt_locks, extra_receipts)
    m.book.reduce(o, o.remaining)
    st.forget(o)
    n = Order(
        o.order_id,
        o.participant,
        o.client_order_id,
        o.instrument,
        o.side,
        price,
        qty,
        o.tif,
        o.stp,
        o.post_only,
        c.ts,
        per_lot,
        o.receipt_locks,
        screened,
    )
    events.append(Replaced(n.order_id, price, qty, False))
    if not m.in_auction:
        match(st, m, n, c.ts, events)
    if n.live and n.remaining:
        st.rest(m, n)
    return events


def plan_receipts(
    st: State, participant: str, m: Market, lots: int, ids: tuple[str, ...]
) -> list[tuple[str, int]]:
    """Which receipts (and kg of each) a sell of ``lots`` would lock; no change made.

    Without ``ids``, eligible receipts are taken grade group by grade group, each in the
    order the seller acquired them.
    """
    spec = m.spec
    need = lots * spec.lot_kg
    plan: list[tuple[str, int]] = []
    if ids:
        if len(set(ids)) != len(ids):
            raise Reject(RejectCode.BAD_ORDER, "receipt_ids: listed twice")
        chosen = []
        for rid in ids:
            r = st.ledger.receipts.get(rid)
            if r is None or r.owner != participant:
                raise Reject(
                    RejectCode.UNKNOWN_RECEIPT, f"{participant!r} holds no receipt {rid!r}"
                )
            why = m.ineligibility(r.grade)
            if why:
                raise Reject(RejectCode.RECEIPT_NOT_ELIGIBLE, f"receipt {rid!r}: {why}")
            chosen.append(r)
        need = _take(chosen, need, plan)
    else:
        for grade, group in st.ledger.holdings[participant].items():
            if need and m.ineligibility(grade) is None:
                need = _take(group.values(), need, plan)
    if need:
        raise Reject(
            RejectCode.INSUFFICIENT_RECEIPTS,
            f"sell {lots} lots of {spec.instrument}: eligible receipts lack {need} kg",
        )
    return plan


def _take(receipts: Iterable[Receipt], need: int, plan: list[tuple[str, int]]) -> int:
    """Add the free kg of ``receipts`` to ``plan`` until ``need`` is met; what is still needed."""
    for r in receipts:
        free = r.quantity_kg - r.locked_kg
        if free > 0:
            take = free if free < need else need
            plan.append((r.receipt_id, take))
            need -= take
            if not need:
                return 0
    return need


def check_auction_self_cross(
    st: State, participant: str, instrument: str, side: Side, price: int, skip: int | None
) -> None:
    """Refuse a call-phase price that would cross the owner's own opposite order."""
    for o in st.by_participant[participant].values():
        if o.instrument != instrument or o.side is side or o.order_id == skip:
            continue
        if (o.price <= price) if side is _BUY else (o.price >= price):
            raise Reject(
                RejectCode.AUCTION_SELF_CROSS,
                f"{side.value} at {price} would cross own order {o.order_id} in the auction",
            )


def _limit_price(price: int | None, low: int, high: int) -> int:
    if price is None:
        raise Reject(RejectCode.BAD_ORDER, "limit order: price_ticks is required")
    if price <= 0:
        raise Reject(RejectCode.BAD_PRICE, f"price_ticks {price}: must be > 0")
    if not low <= price <= high:
        raise Reject(RejectCode.PRICE_BAND, f"price_ticks {price}: outside the band {low}..{high}")
    return price


def _lock_per_lot(price: int, m: Market) -> int:
    """Cash a buy at ``price`` locks per lot (see ``pricing.buy_lock_per_lot``), inlined."""
    one = price * m.tick_value
    return one - ((-one * m.lock_fee_bp) // 10_000)


def _merge_locks(
    locks: list[tuple[str, int]], extra: list[tuple[str, int]]
) -> list[tuple[str, int]]:
    """``locks`` then ``extra``, one entry per receipt, so a trade splits a receipt once."""
    kg = dict(locks)
    for rid, more in extra:
        kg[rid] = kg.get(rid, 0) + more
    return list(kg.items())
