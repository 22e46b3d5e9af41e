"""The policy stage of pre-trade risk: denied parties, eligible jurisdictions, export controls.

The policy is engine state, set by commands (``policy_admin``) and journaled like every other
change: ``State.denied`` (participant -> reason), each market's ``admitted`` countries, each
receipt's ``licence`` and ``State.controls``. It is checked on every command that can move
goods, on the command's own ``ts``:

1. A denied party may not place or replace orders (cancelling stays possible).
2. A participant outside an instrument's admitted countries may not place or replace orders on it.
3. A sell may not lock a receipt of a controlled product whose chain of custody passes through
   the exporter of a control in force, unless the receipt carries an export licence or the
   instrument admits participants in that exporter's country only. Settlement moves a sell's
   locked receipts to whichever buyer matches it, so checking the sell against every buyer the
   instrument admits makes the outcome independent of who matches.

A resting order remembers until when its checks hold (``Order.screened_until``: the start of the
next control window that would catch it). Matching and the auction uncross cancel an order met
after that time if it now breaks a control; every policy command re-screens the resting orders
at once, cancelling those it no longer allows (reason ``policy``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from kazree.exchange.core.book import NEVER, Order
from kazree.exchange.core.domain import ExportControl
from kazree.exchange.core.errors import Reject, RejectCode
from kazree.exchange.core.events import CancelReason, Event
from kazree.exchange.core.ledger import Receipt
from kazree.exchange.core.reference import DAY_US, day_start_us
from kazree.exchange.core.state import ControlWindow, Market, Participant, State

_POLICY = CancelReason.POLICY


def day_of(ts: int) -> str:
    """The UTC day ``YYYY-MM-DD`` of a timestamp in microseconds."""
    return datetime.fromtimestamp(ts // 1_000_000, tz=UTC).date().isoformat()


def control_windows(controls: tuple[ExportControl, ...]) -> list[ControlWindow]:
    """The controls with their days as times (the days must be valid)."""
    return [
        ControlWindow(
            c,
            day_start_us(c.first_day) if c.first_day is not None else -NEVER,
            day_start_us(c.last_day) + DAY_US if c.last_day is not None else NEVER,
        )
        for c in controls
    ]


def check_party(st: State, p: Participant, m: Market) -> None:
    """Refuse a denied party, or a participant outside the countries ``m`` admits."""
    reason = st.denied.get(p.participant)
    if reason is not None:
        raise Reject(
            RejectCode.DENIED_PARTY,
            f"participant {p.participant!r} is on the denied-party list ({reason}); "
            "it may only cancel orders",
        )
    admitted = m.admitted
    if admitted is not None and p.country not in admitted:
        raise Reject(
            RejectCode.JURISDICTION,
            f"instrument {m.spec.instrument!r} is open to participants in "
            f"{', '.join(sorted(admitted))} only; {p.participant!r} is in {p.country}",
        )


def screen_sell(st: State, m: Market, locks: list[tuple[str, int]], ts: int, named: bool) -> int:
    """Until when a sell locking ``locks`` may rest; refuses it if a control forbids it now.

    ``named``: the seller listed its receipts (else the refusal suggests doing so).
    """
    until = NEVER
    admitted = m.admitted
    receipts = st.ledger.receipts
    for rid, _ in locks:
        r = receipts[rid]
        if r.licence is not None:
            continue
        grade = r.grade
        for w in st.windows:
            if w.end_us <= ts or w.exporter not in grade.origins:
                continue
            if grade.product not in w.products:
                continue
            if admitted is not None and admitted <= {w.exporter}:
                continue  # only buyers in the exporting country may trade it
            if w.start_us > ts:
                until = min(until, w.start_us)
                continue
            raise Reject(RejectCode.EXPORT_CONTROL, _forbidden(r, w, m, ts, named))
    return until


def _forbidden(r: Receipt, w: ControlWindow, m: Market, ts: int, named: bool) -> str:
    hint = "" if named else " (name receipt_ids to offer other receipts)"
    return (
        f"receipt {r.receipt_id!r} ({r.grade.product}, custody in {w.exporter}) needs an "
        f"export licence under {w.control.legal_instrument} (in force on {day_of(ts)}) to be "
        f"delivered outside {w.exporter}, and instrument {m.spec.instrument!r} is open to "
        f"buyers abroad{hint}"
    )


def allowed_to_rest(st: State, m: Market, o: Order, ts: int) -> bool:
    """Check resting ``o`` again at ``ts``: renew its ``screened_until`` or say it must go."""
    try:
        check_party(st, st.participants[o.participant], m)
        if o.receipt_locks:
            o.screened_until = screen_sell(st, m, o.receipt_locks, ts, True)
    except Reject:
        return False
    return True


def lapsed(st: State, m: Market, o: Order, ts: int, events: list[Event]) -> bool:
    """Cancel resting ``o`` if, checked again at ``ts``, the policy no longer allows it."""
    if allowed_to_rest(st, m, o, ts):
        return False
    st.cancel_resting(m, o, _POLICY, events)
    return True


def sweep(st: State, m: Market | None, ts: int, events: list[Event]) -> None:
    """Check the resting orders (of ``m``, else all) again; cancel those no longer allowed.

    Only orders whose ``screened_until`` has come are checked when ``m`` is given (before an
    uncross); every order otherwise (after a policy change).
    """
    orders = st.orders
    for oid in sorted(orders):
        o = orders[oid]
        if m is None:
            lapsed(st, st.markets[o.instrument], o, ts, events)
        elif o.instrument == m.spec.instrument and o.screened_until <= ts:
            lapsed(st, m, o, ts, events)
