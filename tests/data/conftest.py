"""Fixtures for the dataset tests: a writable copy of the embedded files and ways to break it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from kazree.data.loader import embedded_root


@pytest.fixture
def copy_dir(tmp_path: Path) -> Path:
    """A copy of the embedded dataset files in a temporary directory."""
    target = tmp_path / "dataset"
    target.mkdir()
    root = embedded_root()
    for item in root.iterdir():
        if item.name.endswith(".csv"):
            (target / item.name).write_text(item.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def edit_cell(
    directory: Path, file: str, key_column: str, key: str, column: str, value: str
) -> int:
    """Set ``column`` to ``value`` in the first row of ``file`` whose ``key_column`` is ``key``.

    ``key_column`` ``"line"`` picks the row on CSV line ``key``. Returns the CSV line number of
    the edited row (the header is line 1; every embedded row fits on one line).
    """
    path = directory / file
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    if key_column == "line":
        index = int(key) - 2
    else:
        index = next(i for i, row in enumerate(rows) if row[key_column] == key)
    rows[index][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return index + 2


@pytest.fixture
def edit(copy_dir: Path) -> Callable[..., int]:
    """``edit(file, key_column, key, column, value)`` on the copy; returns the edited line."""

    def _edit(file: str, key_column: str, key: str, column: str, value: str) -> int:
        return edit_cell(copy_dir, file, key_column, key, column, value)

    return _edit


@pytest.fixture
def remove_file(copy_dir: Path) -> Callable[[str], None]:
    """Delete one file from the copy."""

    def _remove(name: str) -> None:
        (copy_dir / name).unlink()

    return _remove
