"""The dataset a scenario reads: the embedded one or a copy, with the scenario's overrides."""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path
from types import MappingProxyType

from pydantic import ValidationError

from kazree.data import Dataset, load_dataset
from kazree.data.reading import Record
from kazree.errors import KazreeError
from kazree.scenario.loading import field_message, item_origin
from kazree.scenario.schema import Override, Scenario


@cache
def embedded_dataset() -> Dataset:
    """The embedded dataset, loaded and checked once per process (it never changes)."""
    return load_dataset()


def scenario_dataset(scenario: Scenario) -> Dataset:
    """Load the scenario's dataset and apply its ``dataset.overrides`` (each re-validated)."""
    path = scenario.dataset.path
    base = Path(scenario.origin).parent
    ds = load_dataset(base / path) if path else embedded_dataset()
    if not scenario.dataset.overrides:
        return ds
    records = {name: ds.records[name] for name in ds.tables}
    for i, override in enumerate(scenario.dataset.overrides):
        origin, own = item_origin(Path(scenario.origin), ("dataset", "overrides"), i)
        where = f"{origin}: dataset.overrides[{own}]"
        records[override.table] = _apply(where, ds, override, records)
    return Dataset(MappingProxyType(records), ds.where)


def _apply(
    where: str, ds: Dataset, override: Override, records: dict[str, tuple[Record, ...]]
) -> tuple[Record, ...]:
    if override.table not in records:
        msg = f"{where}: table {override.table!r} unknown (allowed: {', '.join(ds.tables)})"
        raise KazreeError(msg)
    rows = records[override.table]
    fields = type(rows[0].row).model_fields if rows else {}
    for column in (*override.where, *override.set):
        if column not in fields:
            msg = f"{where}: column {column!r} unknown (allowed: {', '.join(fields)})"
            raise KazreeError(msg)
    out: list[Record] = []
    hits = 0
    for record in rows:
        current = record.row.model_dump()
        if all(str(current.get(k)) == str(v) for k, v in override.where.items()):
            hits += 1
            try:
                given = {k: v for k, v in current.items() if v is not None}
                row = type(record.row).model_validate({**given, **override.set})
            except ValidationError as exc:
                raise KazreeError(field_message(where, exc.errors()[0])) from None
            record = dataclasses.replace(record, row=row)
        out.append(record)
    if hits == 0:
        msg = f"{where}: no row of {override.table!r} matches {override.where} (allowed: a row)"
        raise KazreeError(msg)
    return tuple(out)
