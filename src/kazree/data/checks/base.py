"""Shared types and helpers of the dataset checks."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TypeVar

from pydantic import BaseModel

from kazree.data.reading import Record
from kazree.data.tables import table_spec

Records = Mapping[str, Sequence[Record]]
"""Validated rows of each table, by table name."""

RowT = TypeVar("RowT", bound=BaseModel)


def rows_of(records: Records, name: str, model: type[RowT]) -> Iterator[tuple[int, RowT]]:
    """``(line, row)`` for each row of table ``name`` that is a ``model`` (none if missing)."""
    for record in records.get(name, ()):
        if isinstance(record.row, model):
            yield record.line, record.row


def file_of(name: str) -> str:
    """The file name of table ``name``."""
    return table_spec(name).file
