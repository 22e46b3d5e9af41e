"""Participants, instruments, cash and warehouse receipts: the commands that set the market up."""

from __future__ import annotations

from kazree.exchange.core.commands import (
    AddInstrument,
    AddParticipant,
    DepositCash,
    IssueReceipt,
    ReinstateParticipant,
    SuspendParticipant,
    WithdrawCash,
    WithdrawReceipt,
)
from kazree.exchange.core.domain import Role, is_country
from kazree.exchange.core.errors import Reject, RejectCode
from kazree.exchange.core.events import (
    Accepted,
    CancelReason,
    CashMoved,
    Event,
    ReceiptIssued,
    ReceiptWithdrawn,
)
from kazree.exchange.core.ledger import new_receipt
from kazree.exchange.core.provenance import verify_provenance
from kazree.exchange.core.spec import spec_problem
from kazree.exchange.core.state import Market, Participant, State


def add_participant(st: State, c: AddParticipant) -> list[Event]:
    """Register a participant with its country, roles and empty accounts."""
    if not c.participant:
        raise Reject(RejectCode.BAD_FIELD, "participant: must not be empty")
    if c.participant in st.participants:
        raise Reject(RejectCode.DUPLICATE_PARTICIPANT, f"participant {c.participant!r} exists")
    if not is_country(c.country):
        raise Reject(RejectCode.BAD_FIELD, f"country {c.country!r}: need an ISO 3166 alpha-2 code")
    if not c.roles:
        raise Reject(RejectCode.BAD_FIELD, "roles: need at least one role")
    st.participants[c.participant] = Participant(c.participant, c.country, c.roles)
    st.ledger.accounts[c.participant] = {}
    st.ledger.holdings[c.participant] = {}
    st.by_participant[c.participant] = {}
    return [Accepted("add_participant")]


def add_instrument(st: State, c: AddInstrument) -> list[Event]:
    """List an instrument after checking its specification."""
    if c.spec.instrument in st.markets:
        raise Reject(RejectCode.DUPLICATE_INSTRUMENT, f"instrument {c.spec.instrument!r} exists")
    problem = spec_problem(c.spec)
    if problem:
        raise Reject(RejectCode.BAD_SPEC, problem)
    st.markets[c.spec.instrument] = Market(c.spec)
    return [Accepted("add_instrument")]


def deposit_cash(st: State, c: DepositCash) -> list[Event]:
    """Credit cash to a participant."""
    st.participant(c.participant)
    _check_cash(c.currency, c.amount)
    st.ledger.account(c.participant, c.currency).available += c.amount
    nd = st.ledger.net_deposits
    nd[c.currency] = nd.get(c.currency, 0) + c.amount
    return [Accepted("deposit_cash"), CashMoved(c.participant, c.currency, c.amount)]


def withdraw_cash(st: State, c: WithdrawCash) -> list[Event]:
    """Debit available (unlocked) cash from a participant."""
    st.participant(c.participant)
    _check_cash(c.currency, c.amount)
    have = st.ledger.available(c.participant, c.currency)
    if have < c.amount:
        raise Reject(
            RejectCode.INSUFFICIENT_CASH,
            f"withdraw {c.amount} {c.currency}: only {have} available",
        )
    st.ledger.account(c.participant, c.currency).available -= c.amount
    st.ledger.net_deposits[c.currency] -= c.amount
    return [Accepted("withdraw_cash"), CashMoved(c.participant, c.currency, -c.amount)]


def suspend_participant(st: State, c: SuspendParticipant) -> list[Event]:
    """Suspend a participant and cancel its resting orders."""
    p = st.participant(c.participant)
    events: list[Event] = [Accepted("suspend_participant")]
    orders = st.by_participant[c.participant]
    for oid in sorted(orders):
        o = orders[oid]
        st.cancel_resting(st.markets[o.instrument], o, CancelReason.SUSPENDED, events)
    p.suspended = True
    return events


def reinstate_participant(st: State, c: ReinstateParticipant) -> list[Event]:
    """Lift a suspension."""
    st.participant(c.participant).suspended = False
    return [Accepted("reinstate_participant")]


def issue_receipt(st: State, c: IssueReceipt) -> list[Event]:
    """Issue a receipt whose provenance chain verifies, on a warehouse operator's word."""
    st.with_role(c.operator, Role.WAREHOUSE_OPERATOR)
    st.participant(c.owner)
    if not c.receipt_id or "/" in c.receipt_id:
        raise Reject(RejectCode.BAD_FIELD, f"receipt_id {c.receipt_id!r}: non-empty, without '/'")
    if c.receipt_id in st.ledger.receipts:
        raise Reject(RejectCode.DUPLICATE_RECEIPT, f"receipt {c.receipt_id!r} exists")
    if c.quantity_kg <= 0:
        raise Reject(RejectCode.BAD_QUANTITY, f"quantity_kg {c.quantity_kg}: must be > 0")
    if not 0 < c.assay.purity_bp <= 10_000:
        raise Reject(RejectCode.BAD_FIELD, f"assay.purity_bp {c.assay.purity_bp}: need 1..10000")
    if c.export_licence is not None and not c.export_licence.strip():
        raise Reject(RejectCode.BAD_FIELD, "export_licence: must not be empty (leave it out)")
    problem = verify_provenance(c.provenance)
    if problem:
        raise Reject(RejectCode.PROVENANCE_TAMPERED, f"receipt {c.receipt_id!r}: {problem}")
    r = new_receipt(
        c.receipt_id,
        c.owner,
        c.warehouse,
        c.product,
        c.quantity_kg,
        c.assay,
        c.provenance,
        licence=c.export_licence,
    )
    st.ledger.add_receipt(r)
    issued = st.ledger.net_issued_kg
    issued[c.product] = issued.get(c.product, 0) + c.quantity_kg
    return [Accepted("issue_receipt"), ReceiptIssued(c.receipt_id, c.owner, c.quantity_kg)]


def withdraw_receipt(st: State, c: WithdrawReceipt) -> list[Event]:
    """Release an unlocked receipt's goods: it leaves the exchange, with its export licence."""
    st.with_role(c.operator, Role.WAREHOUSE_OPERATOR)
    r = st.ledger.receipts.get(c.receipt_id)
    if r is None:
        raise Reject(RejectCode.UNKNOWN_RECEIPT, f"unknown receipt {c.receipt_id!r}")
    if r.locked_kg:
        raise Reject(
            RejectCode.RECEIPT_LOCKED,
            f"receipt {c.receipt_id!r}: {r.locked_kg} kg back open sell orders",
        )
    st.ledger.drop_receipt(r)
    st.ledger.net_issued_kg[r.grade.product] -= r.quantity_kg
    return [
        Accepted("withdraw_receipt"),
        ReceiptWithdrawn(r.receipt_id, r.owner, r.quantity_kg),
    ]


def _check_cash(currency: str, amount: int) -> None:
    if not currency:
        raise Reject(RejectCode.BAD_AMOUNT, "currency: must not be empty")
    if amount <= 0:
        raise Reject(RejectCode.BAD_AMOUNT, f"amount {amount}: must be > 0")
