"""The commands that set the policy: denied parties, jurisdictions, licences, export controls.

Each is validated completely first; then it changes the policy and checks every resting order
again at the command's ``ts`` (``policy.sweep``), so no order the new policy forbids survives it.
"""

from __future__ import annotations

from datetime import date

from kazree.exchange.core.commands import (
    DenyParty,
    GrantLicence,
    LiftDenial,
    RevokeLicence,
    SetExportControls,
    SetJurisdiction,
)
from kazree.exchange.core.domain import ExportControl, is_country
from kazree.exchange.core.errors import Reject, RejectCode
from kazree.exchange.core.events import Accepted, Event
from kazree.exchange.core.ledger import Receipt
from kazree.exchange.core.policy import control_windows, sweep
from kazree.exchange.core.reference import is_day
from kazree.exchange.core.state import State


def deny_party(st: State, c: DenyParty) -> list[Event]:
    """Put a participant on the denied-party list and cancel its resting orders."""
    st.participant(c.participant)
    if not c.reason.strip():
        raise Reject(RejectCode.BAD_FIELD, "reason: must not be empty")
    if c.participant in st.denied:
        raise Reject(
            RejectCode.ALREADY_DENIED,
            f"participant {c.participant!r}: already on the denied-party list",
        )
    st.denied[c.participant] = c.reason
    return _swept(st, c.ts, "deny_party")


def lift_denial(st: State, c: LiftDenial) -> list[Event]:
    """Take a participant off the denied-party list."""
    if st.denied.pop(c.participant, None) is None:
        raise Reject(
            RejectCode.NOT_DENIED, f"participant {c.participant!r}: not on the denied-party list"
        )
    return [Accepted("lift_denial")]


def set_jurisdiction(st: State, c: SetJurisdiction) -> list[Event]:
    """Admit only participants in ``countries`` to an instrument (none listed: everyone)."""
    bad = [code for code in c.countries if not is_country(code)]
    if bad:
        raise Reject(
            RejectCode.BAD_FIELD,
            f"countries: {bad[0]!r} is not an ISO 3166 alpha-2 code such as KZ",
        )
    if len(set(c.countries)) != len(c.countries):
        raise Reject(RejectCode.BAD_FIELD, "countries: listed twice")
    m = st.market(c.instrument)
    m.admitted = frozenset(c.countries) if c.countries else None
    return _swept(st, c.ts, "set_jurisdiction")


def grant_licence(st: State, c: GrantLicence) -> list[Event]:
    """Record the export licence of a receipt's goods."""
    r = _receipt(st, c.receipt_id)
    if not c.licence.strip():
        raise Reject(RejectCode.BAD_FIELD, "licence: must not be empty")
    r.licence = c.licence
    return _swept(st, c.ts, "grant_licence")


def revoke_licence(st: State, c: RevokeLicence) -> list[Event]:
    """Remove a receipt's export licence; sells that now break a control are cancelled."""
    r = _receipt(st, c.receipt_id)
    if r.licence is None:
        raise Reject(RejectCode.BAD_FIELD, f"receipt {c.receipt_id!r} has no export licence")
    r.licence = None
    return _swept(st, c.ts, "revoke_licence")


def set_export_controls(st: State, c: SetExportControls) -> list[Event]:
    """Replace the enforced export controls and check the resting orders against them."""
    for i, control in enumerate(c.controls):
        problem = control_problem(control)
        if problem:
            raise Reject(RejectCode.BAD_FIELD, f"controls[{i}] ({control.rule_id!r}): {problem}")
    st.controls = c.controls
    st.windows = control_windows(c.controls)
    return _swept(st, c.ts, "set_export_controls")


def control_problem(c: ExportControl) -> str | None:
    """What is wrong with a control, or ``None``."""
    if not c.rule_id or not c.legal_instrument:
        return "rule_id and legal_instrument must not be empty"
    if not is_country(c.exporter):
        return f"exporter {c.exporter!r}: need an ISO 3166 alpha-2 code"
    if not c.products or not all(c.products):
        return "products: need at least one product name"
    for name, day in (("first_day", c.first_day), ("last_day", c.last_day)):
        if day is not None and not is_day(day):
            return f"{name} {day!r}: need a calendar date YYYY-MM-DD"
    first, last = c.first_day, c.last_day
    if (
        first is not None
        and last is not None
        and date.fromisoformat(first) > date.fromisoformat(last)
    ):
        return f"first_day {c.first_day} is after last_day {c.last_day}"
    return None


def _receipt(st: State, receipt_id: str) -> Receipt:
    r = st.ledger.receipts.get(receipt_id)
    if r is None:
        raise Reject(RejectCode.UNKNOWN_RECEIPT, f"unknown receipt {receipt_id!r}")
    return r


def _swept(st: State, ts: int, command: str) -> list[Event]:
    events: list[Event] = [Accepted(command)]
    sweep(st, None, ts, events)
    return events
