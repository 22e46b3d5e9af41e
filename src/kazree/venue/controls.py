"""The export controls the engine enforces, derived from the dataset's dated rules.

Each exchange product is read as the elements and chain form it consists of, in the chain's
vocabulary (:func:`kazree.chain.products.product`; listing refuses a name that does not read).
A restricting rule (licence, ban or quota) of ``kazree.policy`` covering any of a product's
elements in its form controls that product; its days in force are
its ``effective``..``until`` window less the windows of the suspensions that name it. The
result is one :class:`ExportControl` per rule and window, in rule order, for the products
listed on the exchange: the ``set_export_controls`` command the service journals when it starts
or an instrument is listed and the set differs from the engine's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from kazree.chain.products import Product, UnknownProduct, product
from kazree.data.controls_schema import ExportControlRow, RuleKind
from kazree.exchange.core.domain import ExportControl
from kazree.policy.status import covers

RESTRICTING = frozenset({RuleKind.LICENCE, RuleKind.BAN, RuleKind.QUOTA})
"""Rule kinds that stop an unlicensed delivery abroad."""


Window = tuple[date | None, date | None]
"""First and last day (inclusive); ``None``: open-ended."""


def export_controls(
    rules: Sequence[ExportControlRow], listed: Iterable[str]
) -> tuple[ExportControl, ...]:
    """The controls on the ``listed`` products that ``rules`` put in force, day windows and all.

    A product whose name does not read (listed before names were checked) is not controlled.
    """
    classes = {p: read for p in sorted(set(listed)) if (read := _read(p)) is not None}
    controls: list[ExportControl] = []
    for rule in rules:
        if rule.kind not in RESTRICTING:
            continue
        covered = tuple(
            name
            for name, cls in classes.items()
            if any(covers(rule, element=e, form=cls.form.value) for e in cls.elements)
        )
        if not covered:
            continue
        suspensions = [
            (s.effective, s.until)
            for s in rules
            if s.kind is RuleKind.SUSPENSION and rule.id in s.suspends
        ]
        for first, last in in_force_windows((rule.effective, rule.until), suspensions):
            controls.append(
                ExportControl(
                    rule.id,
                    rule.instrument,
                    rule.exporter,
                    covered,
                    first.isoformat() if first else None,
                    last.isoformat() if last else None,
                )
            )
    return tuple(controls)


def _read(name: str) -> Product | None:
    try:
        return product(name)
    except UnknownProduct:
        return None


def in_force_windows(window: Window, suspensions: Iterable[Window]) -> list[Window]:
    """``window`` less the ``suspensions`` (all inclusive), as the windows that remain, in order."""
    left = [window]
    for s_first, s_last in suspensions:
        remaining: list[Window] = []
        for first, last in left:
            if _before(last, s_first) or _before(s_last, first):
                remaining.append((first, last))  # no overlap
                continue
            if s_first is not None and (first is None or first < s_first):
                remaining.append((first, s_first - timedelta(days=1)))
            if s_last is not None and (last is None or s_last < last):
                remaining.append((s_last + timedelta(days=1), last))
        left = remaining
    return left


def _before(last: date | None, first: date | None) -> bool:
    """Whether a window ending on ``last`` ends before one starting on ``first`` begins."""
    return last is not None and first is not None and last < first
