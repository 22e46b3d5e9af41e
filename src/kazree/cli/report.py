"""``kazree report``: solve scenarios (or read run directories) and write one offline HTML file.

Every argument is checked (scenario files, run directories, the year, the output path) before
the first solve, so a mistake costs no solving time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kazree.cli.output import note, out, progress
from kazree.errors import KazreeError
from kazree.i18n import _, language, using

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
PlanOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--plan",
        help="A directory written by kazree plan --out: adds its roadmap view (repeatable).",
        metavar="DIR",
    ),
]
"""``--plan DIR``, repeatable: directories written by ``kazree plan``; the plan's own run is
the report's run when no SCENARIO or --results is given."""
RiskOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--risk",
        help="A directory written by kazree risk --out: adds its odds (repeatable).",
        metavar="DIR",
    ),
]
"""``--risk DIR``, repeatable: directories written by ``kazree risk``."""


def _solve(scenario: Scenario) -> ScenarioRun:
    """Solve one scenario with a progress line."""
    from kazree.report import solve_loaded

    name = scenario.name
    with progress(_("{scenario}: starting").format(scenario=name)) as line:
        return solve_loaded(scenario, progress=lambda step: line.update(f"{name}: {step}"))


def _counterfactuals(wanted: list[str | None], present: set[str]) -> list[Scenario]:
    """The ``wanted`` counterfactuals that are not ``present``, loaded, each once."""
    from kazree.report.runs import missing_counterfactuals
    from kazree.scenario import load_scenario

    missing = missing_counterfactuals(wanted, present)
    for name in missing:
        note(
            _("adding {counterfactual}, the counterfactual the report compares with").format(
                counterfactual=name
            )
        )
    return [load_scenario(name) for name in missing]


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
    plans: PlanOpt = None,
    risks: RiskOpt = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Language of the report: en, ru or kk.", metavar="LANG"),
    ] = None,
) -> None:
    """Write one self-contained HTML report of the scenarios (opens with no network).

    A roadmap scenario's counterfactual is solved too when it is not given, so that the report
    can state the difference the roadmap makes. Each --plan adds the roadmap view of a plan (two
    or more plans are also set side by side); each --risk the odds of a risk run (fan charts,
    probabilities, the inputs that matter).
    """
    from kazree.report import check_out, load_run_dir, write_report
    from kazree.report.build import pick_year
    from kazree.report.plan_compare import plan_sections
    from kazree.report.plan_view import load_plan_dir
    from kazree.report.risk_view import load_risk_dir, risk_section
    from kazree.scenario import load_scenario

    with using(lang or language()):
        if not scenarios and not results and not plans:
            msg = _(
                "report: give SCENARIO names, --results DIR or --plan DIR (allowed: one or more)"
            )
            raise KazreeError(msg)
        check_out(target)
        planned = [load_plan_dir(directory) for directory in plans or []]
        odds = [load_risk_dir(directory) for directory in risks or []]
        if not scenarios and not results:
            results = list(plans or [])
        loaded = [load_scenario(name) for name in scenarios or []]
        runs: list[ScenarioRun] = [load_run_dir(directory) for directory in results or []]
        wanted = [s.counterfactual for s in loaded] + [r.counterfactual for r in runs]
        loaded += _counterfactuals(wanted, {s.name for s in loaded} | {r.name for r in runs})
        pick_year([s.years.values for s in loaded] + [r.years() for r in runs], year)
        runs += [_solve(scenario) for scenario in loaded]
        extra = plan_sections(planned) + [risk_section(o) for o in odds]
        with progress(_("writing {path}").format(path=target)):
            path = write_report(runs, target, year=year, extra=extra)
        out().print(_("wrote {path}").format(path=path))
