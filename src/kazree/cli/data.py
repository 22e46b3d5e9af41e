"""``kazree data``: check the dataset, show its tables, list its sources."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from kazree.data import Problem, check_dataset, load_dataset
from kazree.data.problems import errors, warnings
from kazree.errors import KazreeError

app = typer.Typer(
    help="The embedded sourced dataset: check it, show its tables, list its sources.",
    no_args_is_help=True,
)

COUNTRY_COLUMNS = ("country", "code", "region", "exporter")
"""Columns that ``--country`` filters on, in order of preference."""
MAX_CELL = 40
"""Widest cell of a rich table, in characters."""


class OutputFormat(StrEnum):
    """How ``show`` and ``sources`` print a table."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


PathArg = Annotated[
    Path | None,
    typer.Argument(help="Directory holding a copy of the dataset files (default: embedded)."),
]
CopyOpt = Annotated[
    Path | None, typer.Option("--path", help="Directory of a dataset copy (default: embedded).")
]
FormatOpt = Annotated[
    OutputFormat | None,
    typer.Option("--format", "-f", help="table (default in a terminal), csv or json."),
]


def report_problems(console: Console, problems: list[Problem]) -> int:
    """Print errors, then warnings, then a count; return the exit code (1 if any error)."""
    found_errors, found_warnings = errors(problems), warnings(problems)
    for problem in found_errors:
        console.print(f"[red]error[/red]: {problem}", markup=True, highlight=False)
    for problem in found_warnings:
        console.print(f"[yellow]warning[/yellow]: {problem}", markup=True, highlight=False)
    verdict = "[red]FAILED[/red]" if found_errors else "[green]OK[/green]"
    console.print(f"{verdict}: {len(found_errors)} error(s), {len(found_warnings)} warning(s)")
    return 1 if found_errors else 0


def _console() -> Console:
    return Console(highlight=False, soft_wrap=True)


@app.command()
def check(path: PathArg = None) -> None:
    """Validate the embedded dataset or a copy in PATH; exit 1 if an error is found."""
    console = _console()
    console.print(f"checking {path if path is not None else 'the embedded dataset'}")
    code = report_problems(console, check_dataset(path))
    raise typer.Exit(code)


def filter_country(frame: pd.DataFrame, table: str, country: str) -> pd.DataFrame:
    """Rows of ``frame`` whose country column equals ``country`` (any case)."""
    column = next((c for c in COUNTRY_COLUMNS if c in frame.columns), None)
    if column is None:
        allowed = ", ".join(COUNTRY_COLUMNS)
        msg = f"--country: table {table!r} has no country column (allowed: {allowed})"
        raise KazreeError(msg)
    return frame[frame[column] == country.strip().upper()]


def select_columns(frame: pd.DataFrame, table: str, columns: str) -> pd.DataFrame:
    """The ``,``-separated ``columns`` of ``frame``, in that order."""
    wanted = [c.strip() for c in columns.split(",") if c.strip()]
    unknown = [c for c in wanted if c not in frame.columns]
    if unknown:
        msg = (
            f"--columns: {', '.join(map(repr, unknown))} not in table {table!r} "
            f"(allowed: {', '.join(map(str, frame.columns))})"
        )
        raise KazreeError(msg)
    return frame[wanted]


def rich_table(frame: pd.DataFrame, title: str) -> Table:
    """``frame`` as a rich table; long cells are cut to ``MAX_CELL`` characters."""
    table = Table(title=title)
    for column in frame.columns:
        table.add_column(str(column), no_wrap=True, max_width=MAX_CELL, overflow="ellipsis")
    for values in frame.itertuples(index=False):
        table.add_row(*(_cell(v) for v in values))
    return table


def _cell(value: object) -> str:
    """A cell as text: empty for missing, whole floats without ``.0``."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def chosen_format(fmt: OutputFormat | None) -> OutputFormat:
    """``fmt``, or a table when writing to a terminal and CSV otherwise."""
    return fmt or (OutputFormat.TABLE if sys.stdout.isatty() else OutputFormat.CSV)


def print_frame(frame: pd.DataFrame, fmt: OutputFormat | None, title: str) -> None:
    """Print ``frame`` as a rich table, CSV or JSON records (table when writing to a terminal).

    A table wider than the terminal is printed at its natural width rather than squeezed.
    """
    chosen = chosen_format(fmt)
    if chosen is OutputFormat.CSV:
        typer.echo(frame.to_csv(index=False), nl=False)
    elif chosen is OutputFormat.JSON:
        typer.echo(frame.to_json(orient="records", indent=1, force_ascii=False))
    else:
        table = rich_table(frame, title)
        width = Console(width=10_000).measure(table).maximum
        Console(highlight=False, width=max(width, 40)).print(table)


@app.command()
def show(
    table: Annotated[str, typer.Argument(help="Table name, e.g. facilities.")],
    country: Annotated[
        str | None, typer.Option("--country", "-c", help="Only rows of this ISO code.")
    ] = None,
    columns: Annotated[
        str | None, typer.Option("--columns", help="Only these columns, comma-separated.")
    ] = None,
    fmt: FormatOpt = None,
    path: CopyOpt = None,
) -> None:
    """Print one table of the dataset."""
    frame = load_dataset(path).table(table)
    if country is not None:
        frame = filter_country(frame, table, country)
    if columns is not None:
        frame = select_columns(frame, table, columns)
    print_frame(frame, fmt, f"{table} ({len(frame)} rows)")


def source_usage(path: Path | None = None) -> pd.DataFrame:
    """The sources table with ``rows``: how many rows of other tables cite each source."""
    ds = load_dataset(path)
    counts: dict[str, int] = {}
    for name in ds.tables:
        frame = ds.table(name)
        if name == "sources" or "source" not in frame.columns:
            continue
        for cell in frame["source"]:
            for sid in str(cell).split(";"):
                counts[sid.strip()] = counts.get(sid.strip(), 0) + 1
    sources = ds.table("sources")
    sources.insert(1, "rows", sources["id"].map(counts).fillna(0).astype(int))
    return sources


@app.command()
def sources(fmt: FormatOpt = None, path: CopyOpt = None) -> None:
    """List the sources the dataset cites, with how many rows cite each."""
    frame = source_usage(path)
    print_frame(frame, fmt, f"sources ({len(frame)})")
