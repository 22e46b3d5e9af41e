"""What applies on date D: the status of each export-control rule and the scope it covers.

Conventions: ``effective`` and ``until`` are both inclusive; a rule without ``effective`` has been
in force since before its source; a suspension switches a rule off on every day of its own
window (so a rule suspended "until 10 Nov 2026" is suspended on 10 Nov and back on 11 Nov).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kazree.chain.elements import symbols
from kazree.data.controls_schema import ALL, CONTROL_FORMS, ExportControlRow, RuleKind
from kazree.errors import KazreeError


class RuleStatus(StrEnum):
    """Status of a rule on one date."""

    NOT_YET_EFFECTIVE = "not_yet_effective"
    IN_FORCE = "in_force"
    SUSPENDED = "suspended"
    EXPIRED = "expired"


LISTED_STATUSES: frozenset[RuleStatus] = frozenset({RuleStatus.IN_FORCE, RuleStatus.SUSPENDED})
"""Statuses listed unless every rule is asked for."""


@dataclass(frozen=True)
class RuleOnDate:
    """A rule with its status on ``on``; ``suspended_by`` names the suspensions switching it off."""

    rule: ExportControlRow
    on: date
    status: RuleStatus
    suspended_by: tuple[str, ...] = ()

    def as_record(self) -> dict[str, object]:
        """The rule and its status as plain JSON-ready values (dates as ``YYYY-MM-DD``)."""
        rule = self.rule
        return {
            "id": rule.id,
            "instrument": rule.instrument,
            "issuer": rule.issuer,
            "exporter": rule.exporter,
            "kind": rule.kind.value,
            "elements": list(rule.elements),
            "forms": list(rule.forms),
            "destinations": list(rule.destinations),
            "status": self.status.value,
            "effective": rule.effective.isoformat() if rule.effective else None,
            "until": rule.until.isoformat() if rule.until else None,
            "suspends": list(rule.suspends),
            "suspended_by": list(self.suspended_by),
            "licence_share": rule.licence_share,
            "items": rule.items,
            "source": rule.source,
            "confidence": rule.confidence.value,
        }


def within_window(rule: ExportControlRow, on: date) -> bool:
    """Whether ``on`` lies between the rule's ``effective`` and ``until`` dates (inclusive)."""
    started = rule.effective is None or rule.effective <= on
    return started and (rule.until is None or on <= rule.until)


def suspensions_of(rules: Iterable[ExportControlRow], rule_id: str, on: date) -> tuple[str, ...]:
    """Ids of the suspension rules that switch ``rule_id`` off on ``on``."""
    return tuple(
        s.id
        for s in rules
        if s.kind is RuleKind.SUSPENSION and rule_id in s.suspends and within_window(s, on)
    )


def status_on(rule: ExportControlRow, on: date, rules: Sequence[ExportControlRow]) -> RuleOnDate:
    """The status of ``rule`` on ``on``, with the suspensions among ``rules`` taken into account."""
    if rule.effective is not None and on < rule.effective:
        return RuleOnDate(rule, on, RuleStatus.NOT_YET_EFFECTIVE)
    if rule.until is not None and on > rule.until:
        return RuleOnDate(rule, on, RuleStatus.EXPIRED)
    suspended_by = suspensions_of(rules, rule.id, on)
    if suspended_by:
        return RuleOnDate(rule, on, RuleStatus.SUSPENDED, suspended_by)
    return RuleOnDate(rule, on, RuleStatus.IN_FORCE)


def covers(
    rule: ExportControlRow,
    *,
    exporter: str | None = None,
    element: str | None = None,
    form: str | None = None,
    destination: str | None = None,
) -> bool:
    """Whether the rule's scope includes the given exporter, element, form and destination.

    ``None`` means "any": that dimension does not narrow the match.
    """
    return (
        (exporter is None or rule.exporter == exporter)
        and (element is None or rule.elements == (ALL,) or element in rule.elements)
        and (form is None or rule.forms == (ALL,) or form in rule.forms)
        and (destination is None or rule.destinations == (ALL,) or destination in rule.destinations)
    )


def check_query(*, element: str | None = None, form: str | None = None) -> None:
    """Raise :class:`KazreeError` if ``element`` or ``form`` is not a known code."""
    if element is not None and element not in symbols():
        msg = f"element {element!r} is unknown (allowed: {', '.join(symbols())})"
        raise KazreeError(msg)
    if form is not None and form not in CONTROL_FORMS:
        msg = f"form {form!r} is unknown (allowed: {', '.join(CONTROL_FORMS)})"
        raise KazreeError(msg)


def rules_on(
    rules: Sequence[ExportControlRow],
    on: date,
    *,
    exporter: str | None = None,
    element: str | None = None,
    form: str | None = None,
    destination: str | None = None,
    include_all: bool = False,
) -> tuple[RuleOnDate, ...]:
    """The rules covering the query, each with its status on ``on``, in table order.

    Parameters
    ----------
    rules : the whole rule table (suspensions are looked up in it, before any filtering).
    on : the date asked about.
    exporter, element, form, destination : narrow the scope; ``None`` matches anything.
    include_all : also return rules not yet effective or expired (default: in force and
        suspended only).
    """
    check_query(element=element, form=form)
    statuses = tuple(
        status_on(rule, on, rules)
        for rule in rules
        if covers(rule, exporter=exporter, element=element, form=form, destination=destination)
    )
    return tuple(s for s in statuses if include_all or s.status in LISTED_STATUSES)
