"""Derived cells and their arithmetic: ``table[key].column`` references and safe formulas.

A derivation says how one cell of the dataset is computed from numbers and other cells, e.g.
``facilities[CN-mining-ionic-clay].capacity_t = china_quotas[2023,full year,ionic_clay].
mining_quota_t_reo``. A reference names a table, the values of its key columns in key order
(``,``-separated) and a column. Formulas use numbers, references, ``+ - * /`` and brackets.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from kazree.data.reading import Record
from kazree.data.tables import TABLE_NAMES, table_spec

REFERENCE = re.compile(r"(?P<table>[a-z_]+)\[(?P<key>[^\[\]]+)\]\.(?P<column>[a-z0-9_]+)")
"""``table[key values].column``."""

_OPERATORS: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


class DerivationError(ValueError):
    """A reference or formula that cannot be read or resolved; the message says why."""


class MissingTableError(DerivationError):
    """A reference to a table whose file is missing (already reported on its own)."""


@dataclass(frozen=True)
class Cell:
    """A resolved reference: the cell's value and the file line of its row."""

    text: str
    file: str
    line: int
    value: float


def references(text: str) -> list[str]:
    """The ``table[key].column`` references in ``text``, in order."""
    return [match.group(0) for match in REFERENCE.finditer(text)]


def _key_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def resolve(text: str, records: Mapping[str, Sequence[Record]]) -> Cell:
    """The cell a reference names; :class:`DerivationError` naming what is wrong otherwise."""
    match = REFERENCE.fullmatch(text.strip())
    if match is None:
        msg = f"{text!r} is not a reference (allowed: table[key,...].column)"
        raise DerivationError(msg)
    table, column = match["table"], match["column"]
    if table not in TABLE_NAMES:
        msg = f"{text!r}: unknown table {table!r} (allowed: {', '.join(TABLE_NAMES)})"
        raise DerivationError(msg)
    spec = table_spec(table)
    if table not in records:
        msg = f"{text!r}: {spec.file} is missing"
        raise MissingTableError(msg)
    wanted = tuple(part.strip() for part in match["key"].split(","))
    if len(wanted) != len(spec.key):
        msg = f"{text!r}: {table} is keyed by {', '.join(spec.key)} (allowed: that many values)"
        raise DerivationError(msg)
    for record in records.get(table, ()):
        if tuple(_key_text(getattr(record.row, k)) for k in spec.key) == wanted:
            if column not in type(record.row).model_fields:
                msg = f"{text!r}: {table} has no column {column!r}"
                raise DerivationError(msg)
            value = getattr(record.row, column)
            if not isinstance(value, int | float) or isinstance(value, bool):
                msg = f"{text!r}: {spec.file}:{record.line} has no number in {column}"
                raise DerivationError(msg)
            return Cell(text, spec.file, record.line, float(value))
    msg = f"{text!r}: no row of {spec.file} has that key (allowed: an existing row)"
    raise DerivationError(msg)


def evaluate(formula: str, values: Mapping[str, float]) -> float:
    """``formula`` with each reference replaced by its value in ``values``."""
    names: dict[str, float] = {}

    def name_for(match: re.Match[str]) -> str:
        name = f"_v{len(names)}"
        names[name] = values[match.group(0)]
        return name

    try:
        tree = ast.parse(REFERENCE.sub(name_for, formula), mode="eval")
    except SyntaxError as exc:
        msg = f"{formula!r} is not a formula (allowed: numbers, references, + - * / and brackets)"
        raise DerivationError(msg) from exc
    return _eval(tree.body, names, formula)


def _eval(node: ast.expr, names: Mapping[str, float], formula: str) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand, names, formula)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left, right = _eval(node.left, names, formula), _eval(node.right, names, formula)
        if isinstance(node.op, ast.Div) and right == 0:
            msg = f"{formula!r} divides by zero"
            raise DerivationError(msg)
        return _OPERATORS[type(node.op)](left, right)
    msg = f"{formula!r} is not a formula (allowed: numbers, references, + - * / and brackets)"
    raise DerivationError(msg)
