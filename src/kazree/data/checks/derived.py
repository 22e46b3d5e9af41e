"""Derived cells recomputed from the cells they cite (``derivations.csv``)."""

from __future__ import annotations

from kazree.data.checks.base import Records, file_of, rows_of
from kazree.data.derivations import (
    DerivationError,
    MissingTableError,
    evaluate,
    references,
    resolve,
)
from kazree.data.problems import Problem
from kazree.data.rows import Derivation


def _cited(cells: list[str]) -> str:
    return ", ".join(cells) if cells else "numbers only"


def _check_one(line: int, derivation: Derivation, records: Records) -> list[Problem]:
    here = f"{file_of('derivations')}:{line}"
    try:
        target = resolve(derivation.target, records)
        inputs = [resolve(ref, records) for ref in references(derivation.formula)]
        expected = evaluate(derivation.formula, {cell.text: cell.value for cell in inputs})
    except MissingTableError:
        return []
    except DerivationError as exc:
        return [Problem(file_of("derivations"), line, "formula", str(exc))]
    gap = abs(target.value - expected)
    if gap <= derivation.tolerance_pct / 100.0 * abs(expected):
        return []
    column = derivation.target.rsplit(".", 1)[1]
    cited = _cited([f"{cell.file}:{cell.line}" for cell in inputs])
    message = (
        f"{target.value:,.6g} does not match {derivation.formula} = {expected:,.6g} "
        f"({here}; from {cited}; allowed: within {derivation.tolerance_pct:g} %)"
    )
    return [Problem(target.file, target.line, column, message)]


def check_derivations(records: Records) -> list[Problem]:
    """Every derived cell equals its formula over the cells it cites, within its tolerance."""
    problems = []
    for line, derivation in rows_of(records, "derivations", Derivation):
        problems += _check_one(line, derivation, records)
    return problems
