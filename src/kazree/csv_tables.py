"""CSV tables read back from files kazree wrote (``plan.csv``, ``metrics.csv``, a risk run's
tables): the columns a reader needs and the numbers it counts on are checked, and each problem is
one line naming the file, the column or row, the value and what is allowed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kazree.errors import KazreeError


@dataclass(frozen=True)
class Number:
    """A column that must hold a number in every row, at least ``minimum`` if given."""

    allowed: str
    """What the column holds, in words (the ``allowed:`` of an error)."""
    minimum: float | None = None


def read_csv_table(
    path: Path, columns: Sequence[str], numbers: Mapping[str, Number] | None = None
) -> pd.DataFrame:
    """The table in ``path``, which must have ``columns`` (it may have more); those of
    ``columns`` named in ``numbers`` come back as numbers.

    Only an empty cell is missing: text such as ``NA`` (Namibia) stays text.
    """
    try:
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    except (OSError, ValueError) as exc:
        msg = f"{path}: not a readable CSV file ({exc}) (allowed: a CSV file with a header row)"
        raise KazreeError(msg) from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        msg = f"{path}: missing column {missing[0]!r} (allowed: {', '.join(columns)})"
        raise KazreeError(msg)
    for column in columns:
        rule = (numbers or {}).get(column)
        if rule is not None:
            frame[column] = _numbers(path, frame[column], rule)
    return frame


def _numbers(path: Path, cells: pd.Series, rule: Number) -> pd.Series:
    values = pd.to_numeric(cells, errors="coerce")
    bad = values.isna() if rule.minimum is None else values.isna() | (values < rule.minimum)
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        cell = cells.iloc[row]
        text = "" if pd.isna(cell) else str(cell)
        msg = f"{path}: row {row + 2}: {cells.name} {text!r} (allowed: {rule.allowed})"
        raise KazreeError(msg)
    return values
