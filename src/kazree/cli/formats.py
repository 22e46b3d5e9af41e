"""How a command prints a table: ``--format table|csv|json`` (a table in a terminal, else CSV)."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer


class OutputFormat(StrEnum):
    """How a command prints its table."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


FormatOpt = Annotated[
    OutputFormat | None,
    typer.Option("--format", "-f", help="table (default in a terminal), csv or json."),
]


def chosen_format(fmt: OutputFormat | None) -> OutputFormat:
    """``fmt``, or a table when writing to a terminal and CSV otherwise."""
    return fmt or (OutputFormat.TABLE if sys.stdout.isatty() else OutputFormat.CSV)
