"""``kazree demo``: check the dataset, summarise its base year, compare the flagship scenarios.

:func:`demo_sections` returns the printable sections; later parts of the pipeline (model runs,
metrics) add their own sections to it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import RenderableType
from rich.table import Table

from kazree.cli.data import report_problems
from kazree.cli.output import out, progress
from kazree.data.schema import BASE_YEAR
from kazree.i18n import _, format_number

if TYPE_CHECKING:
    from kazree.data import Dataset
    from kazree.planner import Plan
    from kazree.report import ScenarioRun
    from kazree.risk import RiskResult

CHINA = "CN"
TOP_PRODUCERS = 8


def rows_per_table(ds: Dataset) -> Table:
    """A table of row counts, one line per dataset table."""
    table = Table(title=_("Dataset tables"))
    table.add_column(_("table"))
    table.add_column(_("rows"), justify="right")
    for name in ds.tables:
        table.add_row(name, str(len(ds.table(name))))
    return table


def mining_section(ds: Dataset) -> Table:
    """Base-year mine production shares (USGS), with China's share and the HHI."""
    from kazree.data.summary import (
        BASE_EDITION,
        country_hhi,
        country_share_pct,
        mining_shares,
    )

    shares = mining_shares(ds)
    china = country_share_pct(shares, CHINA)
    title = _("Mine production {year} ({edition}): China {share} %, HHI {hhi}").format(
        year=BASE_YEAR,
        edition=BASE_EDITION,
        share=format_number(china, digits=1),
        hhi=format_number(country_hhi(shares)),
    )
    table = Table(title=title)
    table.add_column(_("country"))
    table.add_column(_("t REO"), justify="right")
    table.add_column(_("share %"), justify="right")
    top = shares.head(TOP_PRODUCERS)
    for country, tonnes, share in zip(
        top["country"].tolist(),
        top["production_t_reo"].tolist(),
        top["share_pct"].tolist(),
        strict=True,
    ):
        table.add_row(str(country), format_number(tonnes), format_number(share, digits=1))
    return table


def stage_section(ds: Dataset) -> Table:
    """China's share of base-year operating capacity in each stage, with its basis."""
    from kazree.data.summary import (
        STAGE_SHARE_BASIS,
        base_capacity,
        country_hhi,
        country_share_pct,
        published_share_pct,
    )

    table = Table(title=_("China's share of operating capacity, {year}").format(year=BASE_YEAR))
    table.add_column(_("stage"))
    table.add_column(_("basis"))
    for column in (_("China share of capacity %"), _("published share of output %"), _("HHI")):
        table.add_column(column, justify="right")
    for stage, basis in STAGE_SHARE_BASIS.items():
        shares = base_capacity(ds, stage)
        table.add_row(
            stage,
            basis.value,
            format_number(country_share_pct(shares, CHINA), digits=1),
            format_number(published_share_pct(ds, stage, CHINA), digits=1),
            format_number(country_hhi(shares)),
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


DEMO_START = 2024
"""First year solved for the flagship comparison (the base year; it runs to the last shown)."""


DEMO_REPORT = Path("out/flagship-report.html")
"""Where ``make demo`` writes the HTML report of the flagship comparison."""


def flagship_runs() -> list[ScenarioRun]:
    """Solve the four flagship scenarios (with their metrics) for the comparison and report."""
    from kazree.metrics import FLAGSHIP_SCENARIOS, FLAGSHIP_YEARS
    from kazree.model.solve import with_years
    from kazree.report import solve_loaded
    from kazree.scenario import load_scenario

    runs = []
    for name in FLAGSHIP_SCENARIOS:
        scenario = with_years(load_scenario(name), DEMO_START, max(FLAGSHIP_YEARS))
        with progress(_("solving {scenario}").format(scenario=name)):
            runs.append(solve_loaded(scenario))
    return runs


def roadmap_lines(runs: list[ScenarioRun]) -> list[RenderableType]:
    """Zones, finance, safeguards and partners on the roadmap run, in its last year."""
    from kazree.cli.roadmap_demo import roadmap_sections
    from kazree.data import load_dataset
    from kazree.metrics.flagship import ROADMAP_SCENARIO
    from kazree.roadmap.overview import roadmap_overview

    run = next(r for r in runs if r.name == ROADMAP_SCENARIO)
    with progress(_("roadmap instruments")):
        overview = roadmap_overview(load_dataset(), run.results, run.years()[-1])
    return roadmap_sections(overview)


def flagship_plan(name: str) -> Plan:
    """The plan of flagship scenario ``name`` over the demo's years."""
    from kazree.metrics import FLAGSHIP_YEARS
    from kazree.model.solve import with_years
    from kazree.planner import plan
    from kazree.scenario import load_scenario

    scenario = with_years(load_scenario(name), DEMO_START, max(FLAGSHIP_YEARS))
    with progress(_("planning {scenario}").format(scenario=name)):
        return plan(scenario)


DEMO_SAMPLES = 32
"""Futures the demo samples: enough for odds to about +-9 points (one standard error)."""
DEMO_SEED = 2030
DEMO_RISK = Path("out/kazrareearth-2030-risk")


def flagship_risk(roadmap: Plan) -> RiskResult:
    """The odds that the least-cost roadmap meets its targets over the scenario's declared
    uncertainties, from :data:`DEMO_SAMPLES` futures with the plan held fixed."""
    from kazree.cli.output import bar
    from kazree.metrics import FLAGSHIP_YEARS
    from kazree.metrics.flagship import ROADMAP_SCENARIO
    from kazree.model.solve import with_years
    from kazree.risk import risk
    from kazree.risk.evaluate import BUILD_COLUMNS
    from kazree.scenario import load_scenario

    scenario = with_years(load_scenario(ROADMAP_SCENARIO), DEMO_START, max(FLAGSHIP_YEARS))
    with bar(_("{scenario}: sampling futures").format(scenario=ROADMAP_SCENARIO)) as advance:
        result = risk(
            scenario,
            samples=DEMO_SAMPLES,
            seed=DEMO_SEED,
            builds=roadmap.builds[BUILD_COLUMNS],
            workers=2,
            progress=advance,
        )
    result.write(DEMO_RISK, workers=2)
    return result


def plan_section(result: Plan) -> None:
    """Print the roadmap ``result``: its builds, its targets and which are out of reach, with
    the earliest year each can be met."""
    from kazree.cli.plan import plan_table, targets_table

    console = out()
    console.print(plan_table(result))
    console.print(targets_table(result.targets))
    for item in result.out_of_reach:
        console.print(item.sentence(), markup=False, emoji=False)


def plan_finance_section(result: Plan) -> None:
    """Print the finance of each build of the plan ``result`` at its own model margins."""
    from kazree.cli.finance import print_plan_finance
    from kazree.data import load_dataset
    from kazree.roadmap.finance.cashflow import DEFAULT_DISCOUNT_RATE
    from kazree.roadmap.finance.plan import builds_finance

    results = result.solution.results.ds
    frame = builds_finance(load_dataset(), result.builds, results, f"plan {result.scenario}")
    rate = format_number(100 * DEFAULT_DISCOUNT_RATE) + "\N{NO-BREAK SPACE}%"
    title = _("Finance of the plan of {scenario}, NPV at {rate} real").format(
        scenario=result.scenario, rate=rate
    )
    print_plan_finance(out(), frame, title)


def demo() -> None:
    """Check the dataset, summarise its base year, compare the flagship scenarios, plan the
    least-cost roadmap of ``kazrareearth-2030`` and the roadmap as announced for the same
    targets, give the odds that the least-cost roadmap meets them, write the report of all and
    print the plan, the comparison and the odds."""
    from kazree.cli.plan import compare_table
    from kazree.cli.risk import drivers_table, odds_table
    from kazree.data import check_dataset, load_dataset
    from kazree.metrics import flagship_table
    from kazree.metrics.flagship import ANNOUNCED_SCENARIO, ROADMAP_SCENARIO
    from kazree.report import write_report
    from kazree.report.plan_compare import plan_sections
    from kazree.report.plan_view import plan_outputs
    from kazree.report.risk_view import risk_outputs, risk_section
    from kazree.report.runs import counterfactuals

    console = out()
    console.print("[bold]kazree data check[/bold]")
    code = report_problems(console, check_dataset())
    if code:
        raise typer.Exit(code)
    for section in demo_sections(load_dataset()):
        console.print(section)
    runs = flagship_runs()
    frames = {run.name: run.metrics for run in runs}
    console.print(flagship_table(frames, against=counterfactuals(runs)))
    for section in roadmap_lines(runs):
        console.print(section)
    roadmap, announced = (flagship_plan(n) for n in (ROADMAP_SCENARIO, ANNOUNCED_SCENARIO))
    plans = [plan_outputs(roadmap), plan_outputs(announced)]
    odds = flagship_risk(roadmap)
    DEMO_REPORT.parent.mkdir(parents=True, exist_ok=True)
    with progress(_("writing {path}").format(path=DEMO_REPORT)):
        extra = [*plan_sections(plans), risk_section(risk_outputs(odds))]
        path = write_report(runs, DEMO_REPORT, extra=extra)
    console.print(_("report: {path}").format(path=path.resolve()))
    plan_section(roadmap)
    plan_finance_section(roadmap)
    console.print(compare_table(plans))
    for item in announced.out_of_reach:
        console.print(item.sentence(), markup=False, emoji=False)
    console.print(odds_table(odds))
    console.print(drivers_table(odds))
