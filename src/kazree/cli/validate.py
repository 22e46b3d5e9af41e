"""``kazree validate``: set solved scenarios against USGS, stage shares and published outlooks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from kazree.cli.data import FormatOpt, OutputFormat, chosen_format, print_frame
from kazree.cli.output import progress
from kazree.cli.report import ResultsOpt
from kazree.errors import KazreeError

if TYPE_CHECKING:
    import pandas as pd
    import xarray as xr

    from kazree.data import Dataset

DEFAULT_SCENARIO = "baseline"


def _solve(name: str) -> xr.Dataset:
    """Solve one scenario with a progress line; its results Dataset."""
    from kazree.model.solve import solve_scenario

    with progress(f"{name}: starting") as line:
        solution = solve_scenario(name, progress=lambda step: line.update(f"{name}: {step}"))
    return solution.results.ds


WRAPPED = {"source": 20, "explanation": 48}
"""Columns that wrap, with their narrowest width; the others keep their width."""
PLAIN_WIDTH = 200
"""Width of the table when the output is not a terminal."""


def _rich_table(frame: pd.DataFrame, title: str) -> Table:
    """The display cells as a rich table whose source and explanation columns wrap."""
    table = Table(title=title, show_lines=True)
    for column in frame.columns:
        narrowest = WRAPPED.get(column)
        table.add_column(
            column, no_wrap=narrowest is None, min_width=narrowest, ratio=1 if narrowest else None
        )
    for values in frame.itertuples(index=False):
        table.add_row(*(str(v) for v in values))
    return table


def _check_years(years: list[int], modelled: dict[str, tuple[int, ...]]) -> None:
    for name, held in modelled.items():
        missing = [y for y in years if y not in held]
        if missing:
            msg = f"--year {missing[0]}: not modelled in {name} (allowed: {held[0]} to {held[-1]})"
            raise KazreeError(msg)


def validate(
    scenarios: Annotated[
        list[str] | None,
        typer.Argument(
            help="Shipped scenario names or YAML paths to solve (default: baseline).",
            metavar="SCENARIO",
            show_default=False,
        ),
    ] = None,
    results: ResultsOpt = None,
    year: Annotated[
        list[int] | None,
        typer.Option(
            "--year",
            help="Only this year (repeatable; default: every year with a reference).",
            metavar="YEAR",
        ),
    ] = None,
    fmt: FormatOpt = None,
    data: Annotated[
        Path | None,
        typer.Option("--path", help="Directory of a dataset copy (default: embedded)."),
    ] = None,
    doc: Annotated[
        Path | None,
        typer.Option(
            "--doc",
            help="Write the validation page (markdown) for the scenarios, or for every shipped "
            "scenario when none is given.",
            metavar="FILE",
        ),
    ] = None,
) -> None:
    """Compare China's mining and separation shares and world tonnages with published figures."""
    from kazree.data import load_dataset
    from kazree.report.html import check_out
    from kazree.report.loading import read_results
    from kazree.scenario.dataset import embedded_dataset
    from kazree.scenario.loading import shipped_names
    from kazree.validation import compare, model_figures, references

    if doc is not None:
        check_out(doc, "--doc", "a markdown file name")
    dataset = embedded_dataset() if data is None else load_dataset(data)
    names = list(scenarios or [])
    if not names and not results:
        names = shipped_names() if doc is not None else [DEFAULT_SCENARIO]
    solved = [read_results(directory) for directory in results or []]
    solved += [_solve(name) for name in names]
    figures = [model_figures(ds) for ds in solved]
    _check_years(list(year or []), {f.scenario: f.years for f in figures})
    refs = references(dataset)
    labels = _labels([f.scenario for f in figures])
    tables = {
        label: compare(f, refs, year or None).assign(scenario=label)
        for label, f in zip(labels, figures, strict=True)
    }
    if doc is not None:
        base_years = {label: f.base_year for label, f in zip(labels, figures, strict=True)}
        _write_doc(doc, tables, base_years, dataset)
    else:
        _print(tables, fmt)


def _labels(names: list[str]) -> list[str]:
    """The scenario names, numbered where one appears more than once (``baseline (2)``)."""
    seen: dict[str, int] = {}
    labels = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return labels


def _write_doc(
    doc: Path, tables: dict[str, pd.DataFrame], base_years: dict[str, int], dataset: Dataset
) -> None:
    from kazree.validation.document import validation_page

    page = validation_page(tables, base_years, dataset.table("sources"))
    doc.write_text(page, encoding="utf-8")
    Console(highlight=False, soft_wrap=True).print(f"wrote {doc}")


def _print(tables: dict[str, pd.DataFrame], fmt: OutputFormat | None) -> None:
    import pandas as pd

    from kazree.validation.document import display

    if chosen_format(fmt) is not OutputFormat.TABLE:
        print_frame(pd.concat(tables.values(), ignore_index=True), fmt, "validation")
        return
    terminal = Console(highlight=False)
    out = Console(highlight=False, width=terminal.width if terminal.is_terminal else PLAIN_WIDTH)
    for name, table in tables.items():
        cells = display(table)
        title = f"{name}: model against published figures"
        rich = _rich_table(cells, title)
        if Console(width=10_000).measure(rich).minimum <= out.width:
            out.print(rich)
        else:
            _print_blocks(out, cells, title)


def _print_blocks(out: Console, cells: pd.DataFrame, title: str) -> None:
    """One block per row, for a terminal too narrow for the table."""
    out.print(f"[bold]{title}[/bold]")
    for row in cells.to_dict("records"):
        out.print(
            f"{row['year']} {row['stage']} {row['group']}, {row['measure']}: model "
            f"{row['model']}, reference {row['reference']}, gap {row['gap']} ({row['source']})"
        )
        out.print(f"    {row['explanation']}")
