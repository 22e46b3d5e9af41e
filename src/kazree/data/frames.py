"""Turn validated rows into a DataFrame whose column types follow the row model."""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from enum import Enum

import pandas as pd
from pydantic import BaseModel


def column_dtype(annotation: object) -> str:
    """Pandas dtype for a field annotation: ``Int64``, ``float64``, ``boolean`` or ``object``."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return column_dtype(args[0])
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        return column_dtype(args[0])
    if annotation is bool:
        return "boolean"
    if annotation is int:
        return "Int64"
    if annotation is float:
        return "float64"
    return "object"


def _cell(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return ";".join(str(v) for v in value)
    return value


SOURCE_COLUMNS = ("source", "vintage", "confidence")


def columns_of(model: type[BaseModel]) -> list[str]:
    """Field names of ``model``, its own first and ``source``, ``vintage``, ``confidence`` last."""
    names = list(model.model_fields)
    return [n for n in names if n not in SOURCE_COLUMNS] + [n for n in names if n in SOURCE_COLUMNS]


def to_frame(model: type[BaseModel], rows: Sequence[BaseModel]) -> pd.DataFrame:
    """One DataFrame row per model row, one column per field, typed by the field annotation."""
    columns = columns_of(model)
    data = {name: [_cell(getattr(row, name)) for row in rows] for name in columns}
    frame = pd.DataFrame(data, columns=columns)
    for name, info in model.model_fields.items():
        frame[name] = frame[name].astype(column_dtype(info.annotation))  # type: ignore[call-overload]
    return frame
