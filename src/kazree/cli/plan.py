"""``kazree plan``: the least-cost builds that meet a scenario's targets; what is out of reach."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from kazree.cli.output import err, out, progress
from kazree.cli.run import DEFAULT_OUT, YearsOption, prepare
from kazree.errors import KazreeError
from kazree.i18n import _, format_number
from kazree.outputs import (
    COMPARE_FILE,
    FUTURES_FILE,
    METRICS_FILE,
    PLAN_FILE,
    RESULTS_FILE,
    SOLVE_FILE,
    STOCHASTIC_FILE,
    SUMMARY_FILE,
    SWEEP_FILE,
    TARGETS_FILE,
)
from kazree.scenario.sweep import parse_sweep

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

    from kazree.planner import Plan
    from kazree.planner.stochastic import StochasticPlan
    from kazree.report.plan_view import PlanOutputs
    from kazree.scenario import Scenario

OUT_OF_REACH_EXIT = 1


@dataclass(frozen=True)
class StochasticOptions:
    """``kazree plan --stochastic``'s options."""

    futures: int | None
    seed: int | None
    risk: str | None
    integer: bool


def plan_table(result: Plan) -> Table:
    """The builds: what, where, when, how much and at what capex."""
    title = _("{scenario}: {builds} builds, capex {capex} MUSD, solve {seconds} s").format(
        scenario=result.scenario,
        builds=len(result.builds),
        capex=format_number(float(result.builds["capex_musd"].sum()), digits=0),
        seconds=format_number(result.solve_s, digits=2),
    )
    return builds_table(title, result.builds)


def builds_table(title: str, builds: pd.DataFrame) -> Table:
    """``plan.csv`` as a table under ``title``."""
    table = Table(title=title)
    for column in (_("candidate"), _("stage"), _("country")):
        table.add_column(column)
    for column in (_("capacity t/yr"), _("decided"), _("online"), _("capex MUSD")):
        table.add_column(column, justify="right")
    for row in builds.to_dict("records"):
        table.add_row(
            str(row["candidate"]),
            str(row["stage"]),
            str(row["country"]),
            format_number(float(row["capacity_t"]), digits=0),
            str(row["decision_year"]),
            str(row["online_year"]),
            format_number(float(row["capex_musd"]), digits=1),
        )
    return table


def targets_table(frame: pd.DataFrame) -> Table:
    """Each target in its first year: required, achieved, cost, status."""
    from kazree.report.plan_view import achieved_text

    table = Table(title=_("Targets in their year"))
    table.add_column(_("target"))
    for column in (_("year"), _("required"), _("achieved"), _("US$ per unit")):
        table.add_column(column, justify="right")
    table.add_column(_("status"))
    for _name, rows in frame.groupby("target", sort=False):
        row = rows.iloc[0]
        table.add_row(
            str(row["target"]),
            str(row["year"]),
            format_number(float(row["required"]), digits=2, missing="-"),
            achieved_text(str(row["status"]), float(row["achieved"]), missing="-"),
            format_number(float(row["cost_usd_per_unit"]), digits=0, missing="-"),
            str(row["status"]),
        )
    return table


def compare_table(plans: Sequence[PlanOutputs]) -> Table:
    """Plans side by side (one column each): cost, capex, builds and the first year each
    shared target is met."""
    from kazree.report.plan_compare import comparison_block

    block = comparison_block(plans)
    table = Table(title=_("Roadmap plans compared"), caption=block.caption)
    table.add_column("")
    for row in block.rows:
        table.add_column(row[0], justify="right")
    for i, measure in enumerate(block.columns[1:], start=1):
        table.add_row(measure, *(row[i] for row in block.rows))
    return table


def compared_plans(scenario: Scenario, directories: list[Path]) -> list[PlanOutputs]:
    """The plans in ``directories`` (``--against``), each sharing a target with ``scenario``;
    a one-line error otherwise."""
    from kazree.report.plan_view import load_plan_dir

    own = {t.name for t in scenario.plan.targets} if scenario.plan else set()
    plans = [load_plan_dir(directory) for directory in directories]
    for directory, other in zip(directories, plans, strict=True):
        if not own & set(other.targets["target"].astype(str)):
            msg = _(
                "--against {path}: shares no target with {scenario} (allowed: a plan of the"
                " same targets)"
            ).format(path=directory, scenario=scenario.name)
            raise KazreeError(msg)
    return plans


def futures_table(result: StochasticPlan) -> Table:
    """Each future's probability and cost under the stochastic plan, the expected-value plan
    and its own plan, and whether the two plans meet every target there."""
    table = Table(
        title=_("{futures} futures, costs in MUSD: VSS {vss}, EVPI {evpi}").format(
            futures=len(result.futures),
            vss=format_number(result.vss, digits=1),
            evpi=format_number(result.evpi, digits=1),
        )
    )
    table.add_column(_("future"), justify="right")
    for column in (
        _("probability"),
        _("stochastic plan"),
        _("EV plan"),
        _("own plan"),
    ):
        table.add_column(column, justify="right")
    table.add_column(_("targets met"))
    words = {True: _("yes"), False: _("no")}
    for row in result.futures.to_dict("records"):
        table.add_row(
            str(row["future"]),
            format_number(float(row["probability"]), digits=3),
            format_number(float(row["cost_sp"]), digits=1),
            format_number(float(row["cost_ev"]), digits=1),
            format_number(float(row["cost_ws"]), digits=1),
            f"{words[bool(row['met_sp'])]} / {words[bool(row['met_ev'])]}",
        )
    return table


def write_stochastic(result: StochasticPlan, target: Path) -> None:
    """Write plan.csv, stochastic.json and futures.csv."""
    target.mkdir(parents=True, exist_ok=True)
    result.builds.to_csv(target / PLAN_FILE, index=False)
    (target / STOCHASTIC_FILE).write_text(json.dumps(result.summary(), indent=2) + "\n")
    result.futures.to_csv(target / FUTURES_FILE, index=False)


def check_stochastic(
    stochastic: bool, sweep: str | None, futures: int | None, seed: int | None, risk: str | None
) -> None:
    """--futures, --seed and --risk need --stochastic, which does not sweep."""
    if stochastic and sweep is not None:
        raise KazreeError(_("--sweep: not with --stochastic (allowed: one of them)"))
    given = [
        name
        for name, value in (("--futures", futures), ("--seed", seed), ("--risk", risk))
        if value is not None
    ]
    if given and not stochastic:
        msg = _("{option}: only with --stochastic (allowed: add --stochastic)")
        raise KazreeError(msg.format(option=given[0]))


def stochastic(prepared: Scenario, target: Path, options: StochasticOptions) -> None:
    """Solve, write and print the stochastic plan of ``prepared``."""
    from kazree.planner.stochastic import stochastic_plan

    with progress(_("{scenario}: starting").format(scenario=prepared.name)) as line:
        result = stochastic_plan(
            prepared,
            futures=options.futures,
            seed=options.seed or 0,
            risk=options.risk,
            integer=options.integer,
            progress=lambda step: line.update(f"{prepared.name}: {step}"),
        )
        write_stochastic(result, target)
    console = out()
    title = _("{scenario}: stochastic plan, {builds} builds, expected cost {cost} MUSD").format(
        scenario=result.scenario,
        builds=len(result.builds),
        cost=format_number(result.expected_cost, digits=1),
    )
    console.print(builds_table(title, result.builds))
    console.print(futures_table(result))
    console.print(
        _("wrote {plan}, {summary}, {futures}").format(
            plan=target / PLAN_FILE, summary=STOCHASTIC_FILE, futures=FUTURES_FILE
        )
    )


def write_plan(result: Plan, target: Path) -> None:
    """Write what ``kazree run`` writes plus plan.csv, targets.csv and plan.json."""
    from kazree.metrics import metrics_frame

    target.mkdir(parents=True, exist_ok=True)
    solution = result.solution
    solution.results.to_netcdf(target / RESULTS_FILE)
    (target / SOLVE_FILE).write_text(json.dumps(solution.summary(), indent=2) + "\n")
    metrics_frame(solution.results).to_csv(target / METRICS_FILE, index=False)
    result.builds.to_csv(target / PLAN_FILE, index=False)
    result.targets.to_csv(target / TARGETS_FILE, index=False)
    (target / SUMMARY_FILE).write_text(json.dumps(result.summary(), indent=2) + "\n")


def plan(
    scenario: Annotated[str, typer.Argument(help="Shipped scenario name or YAML path.")],
    directory: Annotated[Path | None, typer.Option("--out", help="Output directory.")] = None,
    integer: Annotated[
        bool, typer.Option("--integer", help="Whole plants (HiGHS MIP) with minimum sizes.")
    ] = False,
    sweep: Annotated[
        str | None,
        typer.Option("--sweep", help="Cost curve of one target: TARGET=LOW:HIGH:STEP."),
    ] = None,
    years: YearsOption = None,
    against: Annotated[
        list[Path] | None,
        typer.Option(
            "--against",
            help="A directory kazree plan --out wrote: compare this plan with it (repeatable).",
            metavar="DIR",
        ),
    ] = None,
    hedged: Annotated[
        bool,
        typer.Option(
            "--stochastic", help="One plan for the futures of the scenario's uncertain: block."
        ),
    ] = False,
    futures: Annotated[
        int | None,
        typer.Option("--futures", help="With --stochastic: number of sampled futures."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="With --stochastic: seed of the samples.")
    ] = None,
    risk: Annotated[
        str | None,
        typer.Option("--risk", help="With --stochastic: cvar:ALPHA[:WEIGHT] on the cost."),
    ] = None,
) -> None:
    """Choose what to build, where and when to meet a scenario's plan targets at least cost."""
    from kazree.planner import plan as make_plan
    from kazree.planner import sweep as cost_curve

    check_stochastic(hedged, sweep, futures, seed, risk)
    prepared = prepare(scenario, years)
    if hedged:
        target = directory or DEFAULT_OUT / f"{prepared.name}-stochastic"
        stochastic(prepared, target, StochasticOptions(futures, seed, risk, integer))
        return
    others = compared_plans(prepared, against or [])
    target = directory or DEFAULT_OUT / f"{prepared.name}-plan"
    console = out()
    if sweep is not None:
        name, levels = parse_sweep(sweep)
        with progress(
            _("{scenario}: sweeping {target}").format(scenario=prepared.name, target=name)
        ):
            curve = cost_curve(prepared, name, levels, integer=integer)
        target.mkdir(parents=True, exist_ok=True)
        curve.to_csv(target / SWEEP_FILE, index=False)
        console.print(curve.to_string(index=False))
        console.print(_("wrote {path}").format(path=target / SWEEP_FILE))
        return
    with progress(_("{scenario}: starting").format(scenario=prepared.name)) as line:
        result = make_plan(
            prepared,
            integer=integer,
            progress=lambda step: line.update(f"{prepared.name}: {step}"),
        )
        write_plan(result, target)
    console.print(plan_table(result))
    console.print(targets_table(result.targets))
    console.print(
        _("wrote {results}, {solve}, {metrics}, {plan}, {targets}").format(
            results=target / RESULTS_FILE,
            solve=SOLVE_FILE,
            metrics=METRICS_FILE,
            plan=PLAN_FILE,
            targets=TARGETS_FILE,
        )
    )
    if others:
        from kazree.report.plan_compare import compare_frame
        from kazree.report.plan_view import plan_outputs

        plans = [plan_outputs(result), *others]
        compare_frame(plans).to_csv(target / COMPARE_FILE, index=False)
        console.print(compare_table(plans))
        console.print(_("wrote {path}").format(path=target / COMPARE_FILE))
    if result.out_of_reach:
        for item in result.out_of_reach:
            err().print(item.sentence(), markup=False, emoji=False)
        raise typer.Exit(OUT_OF_REACH_EXIT)
