"""``kazree data``: check the dataset, show its tables, list its sources."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from kazree.cli.formats import FormatOpt, OutputFormat, chosen_format
from kazree.cli.output import err, out
from kazree.cli.tables import Column, print_table
from kazree.errors import KazreeError
from kazree.i18n import _, ngettext

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    import pandas as pd

    from kazree.data import Problem

__all__ = ["FormatOpt", "OutputFormat", "chosen_format", "print_frame"]

app = typer.Typer(
    help="The embedded sourced dataset: check it, show its tables, list its sources.",
    no_args_is_help=True,
)

COUNTRY_COLUMNS = ("country", "code", "region", "exporter")
"""Columns that ``--country`` filters on, in order of preference."""
WRAP_FROM = 24
"""A text column wider than this wraps between words in a terminal."""

PathArg = Annotated[
    Path | None,
    typer.Argument(help="Directory holding a copy of the dataset files (default: embedded)."),
]
CopyOpt = Annotated[
    Path | None, typer.Option("--path", help="Directory of a dataset copy (default: embedded).")
]


WarningKey = tuple[str, str, str, str]


def row_keys(root: Traversable, file: str) -> dict[int, str]:
    """CSV line number -> the row's first cell (its id or key) for one file of a dataset."""
    source = root / file
    if not source.is_file():
        return {}
    reader = csv.reader(io.StringIO(source.read_text(encoding="utf-8-sig")))
    next(reader, None)
    keys: dict[int, str] = {}
    for row in reader:
        if row:
            keys[reader.line_num] = row[0]
    return keys


def warning_keys(problems: list[Problem], root: Traversable) -> list[WarningKey]:
    """What identifies each problem across copies: file, row key, field and message.

    The row key (first cell) stands for the line, which moves when rows are added, removed
    or reordered above it.
    """
    keys: dict[str, dict[int, str]] = {}
    found = []
    for p in problems:
        rows = keys.setdefault(p.file, row_keys(root, p.file))
        found.append((p.file, rows.get(p.line, f"line {p.line}"), p.field, p.message))
    return found


def split_known(problems: list[Problem], root: Traversable) -> tuple[list[Problem], int]:
    """``problems`` without the warnings the embedded dataset also has, and how many were left
    out; a warning is the same when its file, row key, field and message are."""
    from kazree.data import check_dataset
    from kazree.data.loader import embedded_root
    from kazree.data.problems import Severity

    known = set(warning_keys(check_dataset(), embedded_root()))
    kept = [
        p
        for p, key in zip(problems, warning_keys(problems, root), strict=True)
        if p.severity is not Severity.WARNING or key not in known
    ]
    return kept, len(problems) - len(kept)


def report_problems(console: Console, problems: list[Problem], hidden: int = 0) -> int:
    """Print errors, then warnings, then a count; return the exit code (1 if any error)."""
    from kazree.data.problems import errors, warnings

    found_errors, found_warnings = errors(problems), warnings(problems)
    error, warning = escape(_("error")), escape(_("warning"))
    for problem in found_errors:
        console.print(f"[red]{error}[/red]: {escape(str(problem))}", highlight=False)
    for problem in found_warnings:
        console.print(f"[yellow]{warning}[/yellow]: {escape(str(problem))}", highlight=False)
    failed = escape(_("FAILED"))
    verdict = f"[red]{failed}[/red]" if found_errors else "[green]OK[/green]"
    counts = _("{errors} error(s), {warnings} warning(s)").format(
        errors=len(found_errors), warnings=len(found_warnings)
    )
    if hidden:
        counts += " " + ngettext(
            "({count} known warning of the embedded dataset not shown)",
            "({count} known warnings of the embedded dataset not shown)",
            hidden,
        ).format(count=hidden)
    console.print(f"{verdict}: {counts}")
    return 1 if found_errors else 0


@app.command()
def check(
    path: PathArg = None,
    only_new: Annotated[
        bool,
        typer.Option(
            "--only-new",
            help="Leave out the warnings the embedded dataset itself has (same file, row id, "
            "field and message), so that the ones your copy adds stand out.",
        ),
    ] = False,
) -> None:
    """Validate the embedded dataset or a copy in PATH; exit 1 if an error is found."""
    from kazree.data import check_dataset

    console = out()
    where = str(path) if path is not None else _("the embedded dataset")
    console.print(_("checking {where}").format(where=where))
    problems = check_dataset(path)
    hidden = 0
    if only_new:
        from kazree.data.loader import embedded_root

        problems, hidden = split_known(problems, path or embedded_root())
    raise typer.Exit(report_problems(console, problems, hidden))


def country_column(frame: pd.DataFrame, table: str) -> str:
    """The column of ``frame`` that ``--country`` filters on."""
    column = next((c for c in COUNTRY_COLUMNS if c in frame.columns), None)
    if column is None:
        allowed = ", ".join(COUNTRY_COLUMNS)
        msg = _("--country: table {table} has no country column (allowed: {allowed})").format(
            table=repr(table), allowed=allowed
        )
        raise KazreeError(msg)
    return column


def filter_country(frame: pd.DataFrame, table: str, country: str) -> pd.DataFrame:
    """Rows of ``frame`` whose country column equals ``country`` (any case)."""
    return frame[frame[country_column(frame, table)] == country.strip().upper()]


def select_columns(frame: pd.DataFrame, table: str, columns: str) -> pd.DataFrame:
    """The ``,``-separated ``columns`` of ``frame``, in that order."""
    wanted = [c.strip() for c in columns.split(",") if c.strip()]
    unknown = [c for c in wanted if c not in frame.columns]
    if unknown:
        msg = _("--columns: {unknown} not in table {table} (allowed: {allowed})").format(
            unknown=", ".join(map(repr, unknown)),
            table=repr(table),
            allowed=", ".join(map(str, frame.columns)),
        )
        raise KazreeError(msg)
    return frame[wanted]


def _cell(value: object) -> str:
    """A cell as text: empty for missing, whole floats without ``.0``."""
    import pandas as pd

    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def frame_cells(frame: pd.DataFrame) -> tuple[list[Column], list[list[str]]]:
    """Columns and text cells of ``frame``, without the columns that are empty in every row.

    Columns keep their order of importance (the table's own order); wide text columns wrap.
    """
    rows = [[_cell(v) for v in values] for values in frame.itertuples(index=False)]
    keep = [i for i in range(len(frame.columns)) if any(row[i] for row in rows)] or [0]
    columns = [
        Column(
            str(frame.columns[i]),
            justify="right" if frame.dtypes.iloc[i].kind in "iuf" else "left",
            wrap=any(" " in row[i] and len(row[i]) > WRAP_FROM for row in rows),
            rank=n,
        )
        for n, i in enumerate(keep)
    ]
    return columns, [[row[i] for i in keep] for row in rows]


def print_frame(
    frame: pd.DataFrame, fmt: OutputFormat | None, title: str, fixed: tuple[str, ...] = ()
) -> None:
    """Print ``frame`` as a table, CSV or JSON records (a table when writing to a terminal).

    A table fits the terminal: wide text wraps between words, empty columns and then the
    rightmost ones are left out, and a line on standard error names them. Columns in ``fixed``
    (one value in every row, e.g. the country filtered on) are left out of a table.
    """
    chosen = chosen_format(fmt)
    if chosen is OutputFormat.CSV:
        typer.echo(frame.to_csv(index=False), nl=False)
        return
    if chosen is OutputFormat.JSON:
        typer.echo(frame.to_json(orient="records", indent=1, force_ascii=False))
        return
    shown = frame.drop(columns=list(fixed))
    columns, rows = frame_cells(shown)
    hidden = [str(c) for c in shown.columns if str(c) not in {col.header for col in columns}]
    hidden += print_table(out(), title, columns, rows)
    if hidden:
        err().print(
            _(
                "({count} columns not shown: {columns}; choose with --columns, or --format csv)"
            ).format(count=len(hidden), columns=", ".join(hidden)),
            highlight=False,
        )


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
    """Print one table of the dataset (to fit the terminal; --columns or --format for more)."""
    from kazree.data import load_dataset

    frame = load_dataset(path).table(table)
    title = _("{table} ({count} rows)")
    fixed: tuple[str, ...] = ()
    if country is not None:
        frame = filter_country(frame, table, country)
        title = _("{table} of {country} ({count} rows)")
        fixed = (country_column(frame, table),) if columns is None else ()
    if columns is not None:
        frame = select_columns(frame, table, columns)
    code = (country or "").strip().upper()
    print_frame(frame, fmt, title.format(table=table, country=code, count=len(frame)), fixed)


def source_usage(path: Path | None = None) -> pd.DataFrame:
    """The sources table with ``rows``: how many rows of other tables cite each source."""
    from kazree.data import load_dataset

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
    print_frame(frame, fmt, _("sources ({count})").format(count=len(frame)))
