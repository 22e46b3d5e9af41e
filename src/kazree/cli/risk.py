"""``kazree risk``: the odds that a plan meets its targets, over a scenario's uncertain inputs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from kazree.cli.output import bar, out
from kazree.cli.run import DEFAULT_OUT
from kazree.errors import KazreeError
from kazree.i18n import _, format_number
from kazree.outputs import RISK_FILE, SAMPLES_FILE, SENSITIVITY_FILE, TARGETS_FILE

if TYPE_CHECKING:
    from kazree.risk import RiskResult

MAX_SAMPLES = 100_000
MAX_WORKERS = 64
TOP_INPUTS = 3


def odds_table(result: RiskResult) -> Table:
    """Probability that each target holds, in its own year and in 2030 and 2035."""
    from kazree.report.risk_view import plan_words

    table = Table(
        title=_("{scenario}: odds over {samples} samples (seed {seed}, {plan})").format(
            scenario=result.scenario,
            samples=result.samples,
            seed=result.seed,
            plan=plan_words(result.plan),
        )
    )
    table.add_column(_("target"))
    table.add_column(_("year"), justify="right")
    table.add_column(_("probability met"), justify="right")
    frame = result.headline()
    for target, year, probability in zip(
        frame["target"].tolist(),
        frame["year"].tolist(),
        frame["probability_met"].astype(float).tolist(),
        strict=True,
    ):
        table.add_row(target, str(year), f"{format_number(100.0 * probability, digits=0)} %")
    return table


def drivers_table(result: RiskResult) -> Table:
    """The inputs that move each target most in its year."""
    table = Table(title=_("What decides each target (rank correlation with its margin)"))
    table.add_column(_("target"))
    table.add_column(_("year"), justify="right")
    table.add_column(_("input"))
    table.add_column(_("measure"))
    table.add_column(_("score"), justify="right")
    frame = result.sensitivity()
    top = frame[frame["rank"] <= TOP_INPUTS]
    for target, year, name, measure, score in zip(
        top["target"].tolist(),
        top["year"].tolist(),
        top["input"].tolist(),
        top["measure"].tolist(),
        top["score"].astype(float).tolist(),
        strict=True,
    ):
        table.add_row(target, str(year), name, measure, format_number(score, digits=2))
    return table


def risk(
    scenario: Annotated[str, typer.Argument(help="Shipped scenario name or YAML path.")],
    samples: Annotated[int, typer.Option("--samples", help="Number of sampled futures.")] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the draws.")] = 0,
    plan_file: Annotated[
        Path | None,
        typer.Option("--plan", help="plan.csv to hold fixed (default: the expected future's)."),
    ] = None,
    replan: Annotated[
        bool, typer.Option("--replan", help="Re-plan each future instead of holding a plan.")
    ] = False,
    workers: Annotated[int, typer.Option("--workers", help="Local Dask worker processes.")] = 2,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Address of a running Dask scheduler (tcp://host:8786)."),
    ] = None,
    directory: Annotated[Path | None, typer.Option("--out", help="Output directory.")] = None,
) -> None:
    """Sample a scenario's uncertain inputs and give the odds that its plan meets each target."""
    from kazree.risk import builds_from
    from kazree.risk import risk as run_risk
    from kazree.scenario import load_scenario

    if not 1 <= samples <= MAX_SAMPLES:
        msg = _("--samples {value} (allowed: 1..{most})").format(value=samples, most=MAX_SAMPLES)
        raise KazreeError(msg)
    if not 1 <= workers <= MAX_WORKERS:
        msg = _("--workers {value} (allowed: 1..{most})").format(value=workers, most=MAX_WORKERS)
        raise KazreeError(msg)
    if replan and plan_file is not None:
        msg = _("--plan and --replan together (allowed: one of them)")
        raise KazreeError(msg)
    loaded = load_scenario(scenario)
    builds = builds_from(plan_file) if plan_file is not None else None
    target = directory or DEFAULT_OUT / f"{loaded.name}-risk"
    with bar(_("{scenario}: samples").format(scenario=loaded.name)) as advance:
        result = run_risk(
            loaded,
            samples=samples,
            seed=seed,
            builds=builds,
            replan=replan,
            workers=workers,
            scheduler=scheduler,
            progress=advance,
        )
    result.write(target, workers=workers if scheduler is None else None)
    console = out()
    console.print(odds_table(result))
    console.print(drivers_table(result))
    console.print(
        _("wrote {samples}, {targets}, {sensitivity}, {info}").format(
            samples=target / SAMPLES_FILE,
            targets=TARGETS_FILE,
            sensitivity=SENSITIVITY_FILE,
            info=RISK_FILE,
        )
    )
