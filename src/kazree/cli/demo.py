"""``kazree demo``: check the dataset, summarise its base year, compare the flagship scenarios.

:func:`demo_sections` returns the printable sections; later parts of the pipeline (model runs,
metrics) add their own sections to it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer
from rich.console import Console, RenderableType
from rich.table import Table

from kazree.cli.data import report_problems
from kazree.data import Dataset, check_dataset, load_dataset
from kazree.data.schema import BASE_YEAR
from kazree.data.summary import (
    BASE_EDITION,
    STAGE_SHARE_BASIS,
    base_capacity,
    country_hhi,
    country_share_pct,
    mining_shares,
    published_share_pct,
)
from kazree.metrics import FLAGSHIP_SCENARIOS, FLAGSHIP_YEARS, flagship_table
from kazree.model.solve import with_years
from kazree.report import ScenarioRun, solve_loaded, write_report
from kazree.report.runs import counterfactuals
from kazree.scenario import load_scenario

CHINA = "CN"
TOP_PRODUCERS = 8


def rows_per_table(ds: Dataset) -> Table:
    """A table of row counts, one line per dataset table."""
    table = Table(title="Dataset tables")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name in ds.tables:
        table.add_row(name, str(len(ds.table(name))))
    return table


def mining_section(ds: Dataset) -> Table:
    """Base-year mine production shares (USGS), with China's share and the HHI."""
    shares = mining_shares(ds)
    china = country_share_pct(shares, CHINA)
    title = (
        f"Mine production {BASE_YEAR} ({BASE_EDITION}): China {china:.1f} %,"
        f" HHI {country_hhi(shares):,.0f}"
    )
    table = Table(title=title)
    for column in ("country", "t REO", "share %"):
        table.add_column(column, justify="left" if column == "country" else "right")
    for row in shares.head(TOP_PRODUCERS).itertuples(index=False):
        table.add_row(str(row.country), f"{row.production_t_reo:,.0f}", f"{row.share_pct:.1f}")
    return table


def stage_section(ds: Dataset) -> Table:
    """China's share of base-year operating capacity in each stage, with its basis."""
    table = Table(title=f"China's share of operating capacity, {BASE_YEAR}")
    for column in ("stage", "basis", "China % of capacity", "published % of output", "HHI"):
        table.add_column(column, justify="left" if column in ("stage", "basis") else "right")
    for stage, basis in STAGE_SHARE_BASIS.items():
        shares = base_capacity(ds, stage)
        table.add_row(
            stage,
            basis.value,
            f"{country_share_pct(shares, CHINA):.1f}",
            f"{published_share_pct(ds, stage, CHINA):.1f}",
            f"{country_hhi(shares):,.0f}",
        )
    return table


SECTIONS: list[Callable[[Dataset], RenderableType]] = [
    rows_per_table,
    mining_section,
    stage_section,
]
"""Summary sections in print order; append a function to add one."""


def demo_sections(ds: Dataset) -> list[RenderableType]:
    """Every summary section for ``ds``, in print order."""
    return [section(ds) for section in SECTIONS]


DEMO_YEARS = (2024, max(FLAGSHIP_YEARS))
"""Years solved for the flagship comparison (base year to the last year shown)."""


DEMO_REPORT = Path("out/flagship-report.html")
"""Where ``make demo`` writes the HTML report of the flagship comparison."""


def flagship_runs(console: Console) -> list[ScenarioRun]:
    """Solve the four flagship scenarios (with their metrics) for the comparison and report."""
    runs = []
    for name in FLAGSHIP_SCENARIOS:
        scenario = with_years(load_scenario(name), *DEMO_YEARS)
        with console.status(f"solving {name}"):
            runs.append(solve_loaded(scenario))
    return runs


def demo() -> None:
    """Check the dataset, summarise its base year, then compare the flagship scenarios."""
    console = Console(highlight=False, soft_wrap=True)
    console.print("[bold]kazree data check[/bold]")
    code = report_problems(console, check_dataset())
    if code:
        raise typer.Exit(code)
    for section in demo_sections(load_dataset()):
        console.print(section)
    runs = flagship_runs(console)
    frames = {run.name: run.metrics for run in runs}
    console.print(flagship_table(frames, against=counterfactuals(runs)))
    DEMO_REPORT.parent.mkdir(parents=True, exist_ok=True)
    with console.status(f"writing {DEMO_REPORT}"):
        path = write_report(runs, DEMO_REPORT)
    console.print(f"report: {path.resolve()}")
