"""The export-control rule table: validation of rule sets, inline overrides, the dataset's rules."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from pydantic import ValidationError

from kazree.data.controls_schema import ExportControlRow, RuleKind
from kazree.data.problems import DatasetError, errors
from kazree.data.reading import embedded_root, read_table
from kazree.errors import KazreeError

if TYPE_CHECKING:
    from kazree.data.loader import Dataset

CONTROLS_TABLE = "export_controls"
"""Name of the rule table in the embedded dataset."""


def check_rules(rules: Sequence[ExportControlRow], *, origin: str) -> tuple[ExportControlRow, ...]:
    """Check a rule set as a whole and return it.

    Ids must be unique, and every id a suspension lists must name a rule of the set that is not
    itself a suspension. Raises :class:`KazreeError` naming ``origin``, the rule and the id.
    """
    _check_unique(rules, origin=origin)
    kinds = {r.id: r.kind for r in rules}
    for rule in rules:
        for target in rule.suspends:
            if target not in kinds:
                msg = (
                    f"{origin}: rule {rule.id!r}: suspends unknown rule {target!r} "
                    f"(allowed: {', '.join(sorted(kinds))})"
                )
                raise KazreeError(msg)
            if kinds[target] is RuleKind.SUSPENSION:
                msg = f"{origin}: rule {rule.id!r}: cannot suspend suspension rule {target!r}"
                raise KazreeError(msg)
    return tuple(rules)


def _check_unique(rules: Sequence[ExportControlRow], *, origin: str) -> None:
    """Raise :class:`KazreeError` if two rules share an id."""
    repeated = sorted(rule_id for rule_id, n in Counter(r.id for r in rules).items() if n > 1)
    if repeated:
        msg = f"{origin}: rule id {repeated[0]!r} appears more than once (ids must be unique)"
        raise KazreeError(msg)


def parse_rules(records: Iterable[object], *, origin: str) -> tuple[ExportControlRow, ...]:
    """Validate user-supplied rules (e.g. from a scenario file) with the dataset's row model.

    Each record is a mapping of column name to value. Raises :class:`KazreeError` at the first
    bad rule, naming ``origin``, the rule, the field, the value and what is allowed.
    """
    rows = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, Mapping):
            msg = f"{origin}: rule #{number}: {record!r} is not a mapping (allowed: column: value)"
            raise KazreeError(msg)
        try:
            rows.append(ExportControlRow.model_validate(dict(record)))
        except ValidationError as exc:
            label = record.get("id") or f"#{number}"
            raise KazreeError(_describe(origin, str(label), exc)) from exc
    return tuple(rows)


def _describe(origin: str, label: str, exc: ValidationError) -> str:
    """One line for the first error of ``exc``: where, which field, which value, what is wrong."""
    err = exc.errors()[0]
    field = ".".join(str(part) for part in err["loc"] if not isinstance(part, int))
    message = str(err["msg"]).removeprefix("Value error, ")
    if field and err["type"] != "missing":
        message = f"{field} = {err['input']!r}: {message}"
    elif field:
        message = f"{field}: {message}"
    return f"{origin}: rule {label!r}: {message}"


def override_rules(
    base: Sequence[ExportControlRow], extra: Sequence[ExportControlRow], *, origin: str
) -> tuple[ExportControlRow, ...]:
    """``base`` with each rule of ``extra`` replacing the rule of the same id, or appended.

    The result is checked as a whole with :func:`check_rules`.
    """
    _check_unique(extra, origin=origin)
    replacements = {r.id: r for r in extra}
    merged = [replacements.pop(r.id, r) for r in base]
    merged.extend(r for r in extra if r.id in replacements)
    return check_rules(merged, origin=origin)


def dataset_rules(dataset: Dataset | None = None) -> tuple[ExportControlRow, ...]:
    """The rule table of ``dataset`` (default: the embedded dataset), checked as a whole."""
    from kazree.data.loader import load_dataset

    found = (dataset or load_dataset()).rows(CONTROLS_TABLE)
    rows = tuple(row for row in found if isinstance(row, ExportControlRow))
    return check_rules(rows, origin=f"{CONTROLS_TABLE}.csv")


def embedded_rules() -> tuple[ExportControlRow, ...]:
    """The embedded rule table read alone and checked as a whole, for a quick answer.

    The embedded dataset passes every cross-table check (its tests say so), so reading this one
    file gives the same rules as :func:`dataset_rules` without loading the other tables.
    """
    file = f"{CONTROLS_TABLE}.csv"
    text = (embedded_root() / file).read_text(encoding="utf-8-sig")
    records, problems = read_table(file, text, ExportControlRow)
    if errors(problems):
        where = "embedded dataset"
        raise DatasetError(where, errors(problems))
    rows = tuple(r.row for r in records if isinstance(r.row, ExportControlRow))
    return check_rules(rows, origin=file)
