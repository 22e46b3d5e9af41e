"""Tables that fit: the terminal's width in a terminal, whole lines (no broken words) in a pipe.

In a terminal, columns that may wrap do so between words, and when even that is too wide the
least important columns are left out (the caller names them in a note). Written to a file or a
pipe, a table keeps its natural width so that no cell is wrapped or cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rich.console import Console
from rich.table import Table
from rich.text import Text

EDGE = 4
"""Characters a table adds around one column: a border and a space each side."""
NARROWEST_WRAP = 12
"""A wrapping column is never made narrower than this (or its natural width)."""


@dataclass(frozen=True)
class Column:
    """One column: header, alignment, whether it may wrap, and how much it matters (0 most)."""

    header: str
    justify: Literal["left", "right"] = "left"
    wrap: bool = False
    rank: int = 0


Cell = str | Text


def _text(cell: Cell) -> Text:
    return cell if isinstance(cell, Text) else Text(cell)


def _natural(column: Column, cells: Sequence[Text]) -> int:
    return max([Text(column.header).cell_len, *(c.cell_len for c in cells)])


def _least(column: Column, cells: Sequence[Text]) -> int:
    """The narrowest the column can be without breaking a word."""
    natural = _natural(column, cells)
    if not column.wrap:
        return natural
    words = [len(w) for c in [Text(column.header), *cells] for w in c.plain.split()]
    return max([min(natural, NARROWEST_WRAP), *words])


def fit(columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int | None) -> list[int]:
    """Indices of the columns to show within ``width`` characters (``None``: all of them).

    Columns are dropped from the highest ``rank`` (and, within a rank, the rightmost) until the
    narrowest layout that breaks no word fits; the first column always stays.
    """
    shown = list(range(len(columns)))
    if width is None:
        return shown
    order = sorted(shown[1:], key=lambda i: (columns[i].rank, i))
    while order and least_width(columns, rows, shown) > width:
        shown.remove(order.pop())
    return shown


def least_width(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell]], shown: Sequence[int]
) -> int:
    """The narrowest the ``shown`` columns can be printed without breaking a word."""
    return 1 + sum(_least(columns[i], [_text(row[i]) for row in rows]) + EDGE for i in shown)


def build(
    title: str, columns: Sequence[Column], rows: Sequence[Sequence[Cell]], shown: Sequence[int]
) -> Table:
    """A rich table of the ``shown`` columns; wrapping columns break only between words."""
    cells = [[_text(row[i]) for row in rows] for i in range(len(columns))]
    table = Table(title=title)
    for i in shown:
        column = columns[i]
        table.add_column(
            column.header,
            justify=column.justify,
            no_wrap=not column.wrap,
            min_width=_least(column, cells[i]),
            overflow="fold",
        )
    for r in range(len(rows)):
        table.add_row(*(cells[i][r] for i in shown))
    return table


def print_table(
    console: Console, title: str, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]
) -> list[str]:
    """Print the table on ``console`` to fit it; return the headers of columns left out.

    A table that cannot fit even so (one very long word) is printed wider than the terminal
    rather than cut.
    """
    width = console.width if console.is_terminal else None
    shown = fit(columns, rows, width)
    table = build(title, columns, rows, shown)
    if width is None:
        width = Console(width=1_000_000).measure(table).maximum
    needed = max(width, least_width(columns, rows, shown))
    if needed > console.width:  # rich caps a print at the console's width: widen the console
        console = Console(
            file=console.file,
            width=needed,
            highlight=False,
            force_terminal=console.is_terminal,
            no_color=console.no_color or not console.is_terminal,
        )
    console.print(table)
    return [c.header for i, c in enumerate(columns) if i not in shown]
