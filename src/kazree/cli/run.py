"""``kazree run`` and ``kazree compare``: solve scenarios, write results, print summaries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from kazree.errors import KazreeError
from kazree.metrics import flagship_table, metrics_frame
from kazree.model.solve import Solution, solve_scenario, with_years
from kazree.scenario import Scenario, load_scenario

RESULTS_FILE = "results.nc"
SOLVE_FILE = "solve.json"
METRICS_FILE = "metrics.csv"
DEFAULT_OUT = Path("out")
SUMMARY_STAGES = ("mining", "separation", "metal", "magnet")

YearsOption = Annotated[
    str | None, typer.Option("--years", help="First:last modelled year, e.g. 2024:2040.")
]


def parse_years(text: str) -> tuple[int, int]:
    """``"2024:2040"`` -> ``(2024, 2040)``; a one-line error otherwise."""
    parts = text.split(":")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        msg = f"--years: {text!r} is not FIRST:LAST (allowed: e.g. 2024:2040, up to 2050)"
        raise KazreeError(msg)
    return int(parts[0]), int(parts[1])


def prepare(name: str, years: str | None) -> Scenario:
    """The scenario ``name`` with the ``--years`` override applied."""
    scenario = load_scenario(name)
    if years is None:
        return scenario
    start, end = parse_years(years)
    try:
        return with_years(scenario, start, end)
    except ValidationError as exc:
        problem = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
        msg = f"--years: {years!r}: {problem} (allowed: FIRST:LAST within 2000:2050)"
        raise KazreeError(msg) from None


def run_one(
    console: Console, scenario: Scenario, out: Path, export_lp: Path | None = None
) -> tuple[Solution, pd.DataFrame]:
    """Solve ``scenario`` with a progress line; write results, solve.json and metrics.csv."""
    with console.status(f"{scenario.name}: starting") as status:
        solution = solve_scenario(
            scenario,
            export_lp=export_lp,
            progress=lambda step: status.update(f"{scenario.name}: {step}"),
        )
        status.update(f"{scenario.name}: writing {out}")
        out.mkdir(parents=True, exist_ok=True)
        solution.results.to_netcdf(out / RESULTS_FILE)
        (out / SOLVE_FILE).write_text(json.dumps(solution.summary(), indent=2) + "\n")
        frame = metrics_frame(solution.results)
        frame.to_csv(out / METRICS_FILE, index=False)
    return solution, frame


def summary_table(solution: Solution, frame: pd.DataFrame) -> Table:
    """Solve figures and China's share per stage in the first, middle and last year."""
    ds = solution.results.ds
    years = [int(y) for y in ds["year"].values]
    shown = sorted({years[0], years[len(years) // 2], years[-1]})
    table = Table(
        title=(
            f"{solution.results.scenario}: {solution.status.value}, objective"
            f" {solution.objective / 1e6:,.0f} MUSD, {solution.n_variables:,} variables,"
            f" solve {solution.solve_s:.2f} s"
        )
    )
    table.add_column("China share %")
    for year in shown:
        table.add_column(str(year), justify="right")
    world = frame[(frame["region"] == "world") & (frame["element"] == "all")]
    for stage in SUMMARY_STAGES:
        rows = world[(world["metric"] == "china_share") & (world["stage"] == stage)]
        values = rows.set_index("year")["value"]
        table.add_row(stage, *(f"{values.get(y, float('nan')):.1f}" for y in shown))
    unmet = ds["unmet_demand"].sum(["sector", "country", "element"])
    table.add_row("unmet demand (kt)", *(f"{float(unmet.sel(year=y)) / 1e3:,.1f}" for y in shown))
    return table


def run(
    scenario: Annotated[str, typer.Argument(help="Shipped scenario name or YAML path.")],
    out: Annotated[Path | None, typer.Option("--out", help="Output directory.")] = None,
    years: YearsOption = None,
    export_lp: Annotated[
        Path | None, typer.Option("--export-lp", help="Also write the LP as MPS.")
    ] = None,
) -> None:
    """Solve a scenario; write results.nc, solve.json and metrics.csv; print a summary."""
    console = Console(highlight=False, soft_wrap=True)
    prepared = prepare(scenario, years)
    target = out or DEFAULT_OUT / prepared.name
    solution, frame = run_one(console, prepared, target, export_lp)
    for note in solution.notes:
        console.print(f"[yellow]note:[/yellow] {note}")
    console.print(summary_table(solution, frame))
    console.print(f"wrote {target / RESULTS_FILE}, {SOLVE_FILE}, {METRICS_FILE}")


def compare(
    scenarios: Annotated[list[str], typer.Argument(help="Scenario names or YAML paths.")],
    out: Annotated[Path, typer.Option("--out", help="Output directory (one folder each).")] = (
        DEFAULT_OUT
    ),
    years: YearsOption = None,
) -> None:
    """Solve several scenarios and print their headline figures side by side."""
    console = Console(highlight=False, soft_wrap=True)
    frames, against = compare_frames(console, scenarios, out, years)
    console.print(flagship_table(frames, against=against))


def compare_frames(
    console: Console, scenarios: list[str], out: Path, years: str | None = None
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Solve each scenario into ``out/NAME``: (metrics frame by name, counterfactual by name)."""
    prepared = [prepare(name, years) for name in scenarios]
    frames: dict[str, pd.DataFrame] = {}
    for scenario in prepared:
        _, frames[scenario.name] = run_one(console, scenario, out / scenario.name)
    against = {s.name: s.counterfactual for s in prepared if s.counterfactual}
    return frames, against
