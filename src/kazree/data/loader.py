"""Load the dataset (embedded, or a user's copy in a directory) and check it as a whole."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from pydantic import BaseModel

from kazree.data.checks import check_records
from kazree.data.problems import DatasetError, Problem, errors
from kazree.data.reading import Record, read_table
from kazree.data.reading import embedded_root as embedded_root
from kazree.data.tables import TABLE_NAMES, TABLES, TableSpec
from kazree.errors import KazreeError

if TYPE_CHECKING:
    import pandas as pd

EMBEDDED = "embedded dataset"


@dataclass(frozen=True)
class Dataset:
    """A loaded, validated dataset: one typed DataFrame and one tuple of row models per table."""

    records: Mapping[str, tuple[Record, ...]]
    where: str = EMBEDDED
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    @property
    def tables(self) -> tuple[str, ...]:
        """Names of the tables, in registry order."""
        return tuple(name for name in TABLE_NAMES if name in self.records)

    def table(self, name: str) -> pd.DataFrame:
        """Table ``name`` as a DataFrame (a copy; one row per CSV row, typed columns)."""
        from kazree.data.frames import to_frame  # pandas loads only when a frame is asked for

        spec = self._spec(name)
        if name not in self._frames:
            self._frames[name] = to_frame(spec.row, [r.row for r in self.records[name]])
        return self._frames[name].copy()

    def rows(self, name: str) -> tuple[BaseModel, ...]:
        """Table ``name`` as validated row models, in file order."""
        self._spec(name)
        return tuple(r.row for r in self.records[name])

    def _spec(self, name: str) -> TableSpec:
        """The spec of table ``name``; :class:`KazreeError` naming the tables if unknown."""
        spec = next((s for s in TABLES if s.name == name), None)
        if spec is None or name not in self.records:
            msg = f"unknown table {name!r} (allowed: {', '.join(self.tables)})"
            raise KazreeError(msg)
        return spec


def _root(path: Path | None) -> tuple[Traversable, str]:
    if path is None:
        return embedded_root(), EMBEDDED
    if not path.is_dir():
        msg = f"dataset directory {str(path)!r} does not exist (allowed: a directory of CSV files)"
        raise KazreeError(msg)
    return path, str(path)


def read_dataset(root: Traversable) -> tuple[dict[str, tuple[Record, ...]], list[Problem]]:
    """Read every table file under ``root``; schema problems are returned, not raised."""
    records: dict[str, tuple[Record, ...]] = {}
    problems: list[Problem] = []
    for spec in TABLES:
        source = root / spec.file
        if not source.is_file():
            problems.append(Problem(spec.file, 0, "(file)", "file is missing (allowed: none)"))
            continue
        rows, found = read_table(spec.file, source.read_text(encoding="utf-8-sig"), spec.row)
        records[spec.name] = tuple(rows)
        problems += found
    return records, problems


def check_dataset(path: Path | None = None) -> list[Problem]:
    """All problems (errors and warnings) of the dataset at ``path`` (default: the embedded one).

    Schema problems come first, then cross-table, physical and resource checks on the valid rows.
    """
    root, _ = _root(path)
    records, problems = read_dataset(root)
    return problems + check_records(records)


def load_dataset(path: Path | None = None) -> Dataset:
    """Load and validate the dataset at ``path`` (a directory) or the embedded one.

    Raises :class:`~kazree.data.problems.DatasetError` listing every error; warnings are
    available from :func:`check_dataset`.
    """
    root, where = _root(path)
    records, problems = read_dataset(root)
    found = errors(problems + check_records(records))
    if found:
        raise DatasetError(where, found)
    return Dataset(MappingProxyType(records), where)
