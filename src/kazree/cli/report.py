"""``kazree report``: solve scenarios (or read run directories) and write one offline HTML file.

Every argument is checked (scenario files, run directories, the year, the output path) before
the first solve, so a mistake costs no solving time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kazree.cli.output import out, progress
from kazree.errors import KazreeError
from kazree.i18n import _

if TYPE_CHECKING:
    from kazree.report import ScenarioRun
    from kazree.scenario import Scenario

DEFAULT_OUT = Path("report.html")
ResultsOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--results", help="A directory written by kazree run (repeatable).", metavar="DIR"
    ),
]
"""``--results DIR``, repeatable: directories written by ``kazree run``."""


def _solve(scenario: Scenario) -> ScenarioRun:
    """Solve one scenario with a progress line."""
    from kazree.report import solve_loaded

    name = scenario.name
    with progress(_("{scenario}: starting").format(scenario=name)) as line:
        return solve_loaded(scenario, progress=lambda step: line.update(f"{name}: {step}"))


def report(
    scenarios: Annotated[
        list[str] | None,
        typer.Argument(
            help="Shipped scenario names or YAML paths to solve.",
            metavar="SCENARIO",
            show_default=False,
        ),
    ] = None,
    target: Annotated[
        Path, typer.Option("--out", help="HTML file to write.", metavar="FILE")
    ] = DEFAULT_OUT,
    year: Annotated[
        int | None,
        typer.Option("--year", help="Year of the flows and bars (default 2030).", metavar="YEAR"),
    ] = None,
    results: ResultsOpt = None,
) -> None:
    """Write one self-contained HTML report of the scenarios (opens with no network)."""
    from kazree.report import check_out, load_run_dir, write_report
    from kazree.report.build import pick_year
    from kazree.scenario import load_scenario

    if not scenarios and not results:
        msg = _("report: give SCENARIO names or --results DIR (allowed: one or more of either)")
        raise KazreeError(msg)
    check_out(target)
    loaded = [load_scenario(name) for name in scenarios or []]
    runs: list[ScenarioRun] = [load_run_dir(directory) for directory in results or []]
    pick_year([s.years.values for s in loaded] + [r.years() for r in runs], year)
    runs += [_solve(scenario) for scenario in loaded]
    with progress(_("writing {path}").format(path=target)):
        path = write_report(runs, target, year=year)
    out().print(_("wrote {path}").format(path=path))
