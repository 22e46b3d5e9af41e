"""``kazree report``: solve scenarios (or read run directories) and write one offline HTML file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from kazree.errors import KazreeError
from kazree.report import ScenarioRun, check_out, load_run_dir, solve_run, write_report

DEFAULT_OUT = Path("report.html")


def _solve(console: Console, name: str) -> ScenarioRun:
    """Solve one scenario with a progress line."""
    with console.status(f"{name}: starting") as status:
        return solve_run(name, progress=lambda step: status.update(f"{name}: {step}"))


def report(
    scenarios: Annotated[
        list[str] | None,
        typer.Argument(
            help="Shipped scenario names or YAML paths to solve.",
            metavar="SCENARIO",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", help="HTML file to write.", metavar="FILE")
    ] = DEFAULT_OUT,
    year: Annotated[
        int | None,
        typer.Option("--year", help="Year of the flows and bars (default 2030).", metavar="YEAR"),
    ] = None,
    results: Annotated[
        list[Path] | None,
        typer.Option(
            "--results", help="A directory written by kazree run (repeatable).", metavar="DIR"
        ),
    ] = None,
) -> None:
    """Write one self-contained HTML report of the scenarios (opens with no network)."""
    if not scenarios and not results:
        msg = "report: give SCENARIO names or --results DIR (allowed: one or more of either)"
        raise KazreeError(msg)
    check_out(out)
    console = Console(highlight=False, soft_wrap=True, stderr=True)
    runs: list[ScenarioRun] = [load_run_dir(directory) for directory in results or []]
    runs += [_solve(console, name) for name in scenarios or []]
    with console.status(f"writing {out}"):
        path = write_report(runs, out, year=year)
    Console(highlight=False, soft_wrap=True).print(f"wrote {path}")
