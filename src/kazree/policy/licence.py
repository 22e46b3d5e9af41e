"""The licence-share model: how much of a trade flow the export controls in force let through.

A rule's ``licence_share`` is the share of covered exports it lets through (0 = ban, 1 = no
effect; 0.5 is the assumed default for licence regimes, a scenario parameter). When several rules
in force cover the same flow the strictest one governs (the minimum of their shares): overlapping
controls by one authority are cleared by one licence, so their shares do not multiply.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from kazree.data.controls_schema import ExportControlRow, RuleKind
from kazree.errors import KazreeError
from kazree.policy.status import RuleStatus, rules_on


def licence_share(
    rules: Sequence[ExportControlRow],
    *,
    exporter: str,
    destination: str,
    element: str,
    form: str,
    on: date,
) -> float:
    """Share (0-1) of the flow exporter -> destination of ``element`` as ``form`` let through.

    The minimum share of the rules in force on ``on`` that cover the flow; 1.0 when none does
    and for domestic flows (``destination == exporter``).
    """
    in_force = rules_on(
        rules, on, exporter=exporter, element=element, form=form, destination=destination
    )
    if destination == exporter:
        return 1.0
    shares = (s.rule.licence_share for s in in_force if s.status is RuleStatus.IN_FORCE)
    return min(shares, default=1.0)


def year_segments(rules: Sequence[ExportControlRow], year: int) -> tuple[tuple[date, int], ...]:
    """Split ``year`` into spans over which no rule starts or ends: ``(first day, days)`` pairs."""
    first, end = date(year, 1, 1), date(year + 1, 1, 1)
    edges = {first}
    for rule in rules:
        if rule.effective is not None:
            edges.add(rule.effective)
        if rule.until is not None and rule.until < date.max:
            edges.add(rule.until + timedelta(days=1))
    starts = sorted(d for d in edges if first <= d < end)
    ends = [*starts[1:], end]
    return tuple((start, (stop - start).days) for start, stop in zip(starts, ends, strict=True))


def annual_licence_share(
    rules: Sequence[ExportControlRow],
    *,
    exporter: str,
    destination: str,
    element: str,
    form: str,
    year: int,
) -> float:
    """Day-weighted mean of :func:`licence_share` over the calendar ``year`` (0-1).

    A yearly model thus sees a rule in force from 4 April 2025 with share 0.5 as
    ``(93 * 1 + 272 * 0.5) / 365`` for 2025.
    """
    segments = year_segments(rules, year)
    total_days = sum(days for _, days in segments)
    weighted = sum(
        days
        * licence_share(
            rules,
            exporter=exporter,
            destination=destination,
            element=element,
            form=form,
            on=start,
        )
        for start, days in segments
    )
    return weighted / total_days


def with_licence_share(
    rules: Sequence[ExportControlRow],
    share: float,
    *,
    kinds: tuple[RuleKind, ...] = (RuleKind.LICENCE,),
) -> tuple[ExportControlRow, ...]:
    """The rules with every rule of ``kinds`` letting ``share`` (0-1) of its trade through.

    The scenario lever for the assumed approval share of licence regimes (default 0.5).
    """
    if not 0.0 <= share <= 1.0:
        msg = f"licence share {share!r} is out of range (allowed: 0 to 1)"
        raise KazreeError(msg)
    if RuleKind.SUSPENSION in kinds:
        msg = "a suspension's licence share is always 1 (allowed kinds: all but suspension)"
        raise KazreeError(msg)
    return tuple(
        r.model_copy(update={"licence_share": share}) if r.kind in kinds else r for r in rules
    )
