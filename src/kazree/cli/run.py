"""``kazree run`` and ``kazree compare``: solve scenarios, write results, print summaries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from kazree.cli.output import note, out, progress
from kazree.errors import KazreeError, plain_words
from kazree.i18n import _, format_number
from kazree.outputs import METRICS_FILE, RESULTS_FILE, SOLVE_FILE

if TYPE_CHECKING:
    import pandas as pd

    from kazree.model.solve import Solution
    from kazree.scenario import Scenario

DEFAULT_OUT = Path("out")
SUMMARY_STAGES = ("mining", "separation", "metal", "magnet")

YearsOption = Annotated[
    str | None, typer.Option("--years", help="First:last modelled year, e.g. 2024:2040.")
]


def parse_years(text: str) -> tuple[int, int]:
    """``"2024:2040"`` -> ``(2024, 2040)``; a one-line error otherwise."""
    parts = text.split(":")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        msg = _("--years {value}: not FIRST:LAST (allowed: e.g. 2024:2040, up to 2050)").format(
            value=repr(text)
        )
        raise KazreeError(msg)
    return int(parts[0]), int(parts[1])


def prepare(name: str, years: str | None) -> Scenario:
    """The scenario ``name`` with the ``--years`` override applied."""
    from pydantic import ValidationError

    from kazree.model.solve import with_years
    from kazree.scenario import load_scenario

    scenario = load_scenario(name)
    if years is None:
        return scenario
    start, end = parse_years(years)
    try:
        return with_years(scenario, start, end)
    except ValidationError as exc:
        problem = plain_words(exc.errors()[0])
        msg = _("--years {value}: {problem}").format(value=repr(years), problem=problem)
        raise KazreeError(msg) from None


def run_one(
    scenario: Scenario, target: Path, export_lp: Path | None = None
) -> tuple[Solution, pd.DataFrame]:
    """Solve ``scenario`` with a progress line; write results, solve.json and metrics.csv.

    The notes of the solve (e.g. facilities without a capacity) go to standard error.
    """
    from kazree.metrics import metrics_frame
    from kazree.model.solve import solve_scenario

    with progress(_("{scenario}: starting").format(scenario=scenario.name)) as line:
        solution = solve_scenario(
            scenario,
            export_lp=export_lp,
            progress=lambda step: line.update(f"{scenario.name}: {step}"),
        )
        line.update(_("{scenario}: writing {path}").format(scenario=scenario.name, path=target))
        target.mkdir(parents=True, exist_ok=True)
        solution.results.to_netcdf(target / RESULTS_FILE)
        (target / SOLVE_FILE).write_text(json.dumps(solution.summary(), indent=2) + "\n")
        frame = metrics_frame(solution.results)
        frame.to_csv(target / METRICS_FILE, index=False)
    for text in solution.notes:
        note(f"{scenario.name}: {text}")
    return solution, frame


def summary_table(solution: Solution, frame: pd.DataFrame) -> Table:
    """Solve figures and China's share per stage in the first, middle and last year."""
    from kazree.report.terms import stage_names

    ds = solution.results.ds
    years = [int(y) for y in ds["year"].values]
    shown = sorted({years[0], years[len(years) // 2], years[-1]})
    table = Table(
        title=_(
            "{scenario}: {status}, objective {objective} MUSD, {variables} variables, "
            "solve {seconds} s"
        ).format(
            scenario=solution.results.scenario,
            status=solution.status.value,
            objective=format_number(solution.objective / 1e6),
            variables=format_number(solution.n_variables),
            seconds=format_number(solution.solve_s, digits=2),
        )
    )
    table.add_column(_("China share %"))
    for year in shown:
        table.add_column(str(year), justify="right")
    world = frame[(frame["region"] == "world") & (frame["element"] == "all")]
    for stage in SUMMARY_STAGES:
        rows = world[(world["metric"] == "china_share") & (world["stage"] == stage)]
        values = rows.set_index("year")["value"]
        table.add_row(
            stage_names()[stage],
            *(format_number(values.get(y, float("nan")), digits=1) for y in shown),
        )
    unmet = ds["unmet_demand"].sum(["sector", "country", "element"])
    table.add_row(
        _("unmet demand (kt)"),
        *(format_number(float(unmet.sel(year=y)) / 1e3, digits=1) for y in shown),
    )
    return table


def run(
    scenario: Annotated[str, typer.Argument(help="Shipped scenario name or YAML path.")],
    directory: Annotated[Path | None, typer.Option("--out", help="Output directory.")] = None,
    years: YearsOption = None,
    export_lp: Annotated[
        Path | None, typer.Option("--export-lp", help="Also write the LP as MPS.")
    ] = None,
) -> None:
    """Solve a scenario; write results.nc, solve.json and metrics.csv; print a summary."""
    prepared = prepare(scenario, years)
    target = directory or DEFAULT_OUT / prepared.name
    solution, frame = run_one(prepared, target, export_lp)
    console = out()
    console.print(summary_table(solution, frame))
    if solution.results.ds.sizes.get("safeguard", 0):
        from kazree.cli.roadmap_demo import binding_lines
        from kazree.metrics.environment import binding_safeguards

        for line in binding_lines(binding_safeguards(solution.results.ds)):
            console.print(line, highlight=False)
    console.print(
        _("wrote {results}, {solve}, {metrics}").format(
            results=target / RESULTS_FILE, solve=SOLVE_FILE, metrics=METRICS_FILE
        )
    )


def compare(
    scenarios: Annotated[list[str], typer.Argument(help="Scenario names or YAML paths.")],
    directory: Annotated[
        Path, typer.Option("--out", help="Output directory (one folder each).")
    ] = DEFAULT_OUT,
    years: YearsOption = None,
) -> None:
    """Solve several scenarios and print their headline figures side by side."""
    from kazree.metrics import flagship_table

    frames, against = compare_frames(scenarios, directory, years)
    out().print(flagship_table(frames, against=against))


def compare_frames(
    scenarios: list[str], directory: Path, years: str | None = None
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Solve each scenario into ``directory/NAME``: (metrics frame by name, counterfactual by name).

    Every scenario is read and checked before the first one is solved.
    """
    prepared = [prepare(name, years) for name in scenarios]
    frames = {s.name: run_one(s, directory / s.name)[1] for s in prepared}
    against = {s.name: s.counterfactual for s in prepared if s.counterfactual}
    return frames, against
