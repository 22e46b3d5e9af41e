"""Scenario runs as background jobs: one worker thread solves them in turn, with progress.

Shipped scenarios, once solved, are kept so that comparing them again costs only the charts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kazree.api.routes.jobs import ENDED, JobQueue, JobState, new_id
from kazree.api.routes.runs_schemas import ReportOut, RunOut, RunStatus, report_out
from kazree.data import Dataset, load_dataset
from kazree.data.controls_schema import ExportControlRow
from kazree.i18n import DEFAULT_LANGUAGE, using
from kazree.metrics.groups import Blocs, dataset_blocs
from kazree.policy.rules import dataset_rules
from kazree.report.build import SectionBuilder, build_report
from kazree.report.plan_compare import plan_sections
from kazree.report.plan_view import PlanOutputs
from kazree.report.runs import ScenarioRun
from kazree.scenario import Scenario

SOLVE_STEPS = 5
"""Progress steps per solved scenario: read, build, solve, extract, metrics."""
PLAN_STEPS = 3
"""Progress steps per planned scenario: read, solve the plan, solve it year by year (and one
more for a cost curve)."""

Solver = Callable[[Scenario, Callable[[str], None]], ScenarioRun]
Sweep = tuple[str, list[float]]
"""A cost curve to draw: a plan target and its levels."""
Planner = Callable[[Scenario, Callable[[str], None], Sweep | None], PlanOutputs]
Charts = Callable[[Sequence[ScenarioRun], int | None, Sequence[SectionBuilder]], ReportOut]


@dataclass(frozen=True)
class Source:
    """A scenario to solve; ``shipped`` ones may be reused from earlier runs."""

    scenario: Scenario
    shipped: bool


def solve_source(scenario: Scenario, progress: Callable[[str], None]) -> ScenarioRun:
    """Solve ``scenario`` and compute its metrics (the model is imported on first use)."""
    from kazree.report.loading import solve_loaded

    return solve_loaded(scenario, progress)


def plan_source(
    scenario: Scenario, progress: Callable[[str], None], sweep: Sweep | None = None
) -> PlanOutputs:
    """Plan ``scenario`` and, if it states the ``sweep`` target, draw that target's cost curve
    (the planner is imported on first use)."""
    from kazree.planner import plan
    from kazree.planner import sweep as cost_curve
    from kazree.report.plan_view import plan_outputs

    result = plan(scenario, progress=progress)
    stated = {t.name for t in scenario.plan.targets} if scenario.plan else set()
    curve = None
    if sweep is not None and sweep[0] in stated:
        progress(f"sweeping {sweep[0]}")
        curve = cost_curve(scenario, *sweep)
    return plan_outputs(result, curve)


@cache
def _report_inputs() -> tuple[Dataset, tuple[ExportControlRow, ...], Blocs]:
    return load_dataset(), tuple(dataset_rules()), dataset_blocs()


def draw_charts(
    runs: Sequence[ScenarioRun], year: int | None, extra: Sequence[SectionBuilder] = ()
) -> ReportOut:
    """The report's charts for ``runs``, with the sections of ``extra``."""
    dataset, rules, blocs = _report_inputs()
    report = build_report(runs, dataset=dataset, rules=rules, blocs=blocs, year=year, extra=extra)
    return report_out(report)


@dataclass
class RunJob(JobState[ReportOut]):
    """One run: its scenarios, where it stands and, once done, its charts or error; its
    ``workdir`` holds uploaded files."""

    sources: tuple[Source, ...]
    year: int | None
    lang: str = DEFAULT_LANGUAGE
    """The language of the report."""
    plan: bool = False
    """Whether the scenarios with a plan block are also planned (their roadmap view)."""
    sweep: Sweep | None = None
    """The cost curve drawn for each planned scenario that states its target."""

    @property
    def planned(self) -> tuple[Source, ...]:
        """The sources this run plans."""
        return tuple(s for s in self.sources if self.plan and s.scenario.plan is not None)

    @property
    def total(self) -> int:
        """Progress steps of the whole run (solves, plans, then the charts)."""
        per_plan = PLAN_STEPS + (self.sweep is not None)
        return SOLVE_STEPS * len(self.sources) + per_plan * len(self.planned) + 1

    def advance(self, step: str, steps: int = 1) -> None:
        """Record that ``steps`` more steps are done and what is happening now."""
        with self.lock:
            self.done = min(self.done + steps, self.total - 1)
            self.step = step

    def view(self) -> RunOut:
        """The run as the API shows it."""
        with self.lock:
            return RunOut(
                run_id=self.run_id,
                scenarios=[s.scenario.name for s in self.sources],
                status=self.status,
                progress=1.0 if self.status in ENDED else round(self.done / self.total, 3),
                step=self.step,
                error=self.error,
                report=self.result,
            )


class RunJobs(JobQueue[RunJob]):
    """Queued runs and the worker thread that carries them out, one at a time."""

    thread_name = "kazree-runs"
    kind = "run"
    work = "solving"

    def __init__(
        self,
        solve: Solver = solve_source,
        charts: Charts = draw_charts,
        planner: Planner = plan_source,
    ) -> None:
        super().__init__()
        self._solve = solve
        self._charts = charts
        self._planner = planner
        self._solved: dict[str, ScenarioRun] = {}

    def submit(
        self,
        sources: Sequence[Source],
        year: int | None,
        workdir: Path | None,
        lang: str = DEFAULT_LANGUAGE,
        *,
        plan: bool = False,
        sweep: Sweep | None = None,
    ) -> RunJob:
        """Queue a run of ``sources`` and start the worker if it is not running; its report
        is written in ``lang``; with ``plan``, it shows the roadmap of each source that has a
        plan block (with the ``sweep`` target's cost curve where it states that target)."""
        job = RunJob(new_id(), tuple(sources), year, lang, plan, sweep, workdir=workdir)
        return self.enqueue(job)

    def _carry_out(self, job: RunJob) -> ReportOut:
        with job.lock:
            job.status = RunStatus.RUNNING
        runs = [self._run(job, source) for source in job.sources]
        with using(job.lang):
            plans = [self._plan(job, source) for source in job.planned]
            job.advance("drawing charts", 0)
            return self._charts(runs, job.year, plan_sections(plans))

    def _run(self, job: RunJob, source: Source) -> ScenarioRun:
        name = source.scenario.name
        kept = self._solved.get(name) if source.shipped else None
        if kept is not None:
            job.advance(f"{name}: solved earlier", SOLVE_STEPS)
            return kept
        job.advance(f"{name}: starting", 0)
        run = self._solve(source.scenario, lambda step: job.advance(f"{name}: {step}"))
        if source.shipped:
            self._solved[name] = run
        return run

    def _plan(self, job: RunJob, source: Source) -> PlanOutputs:
        name = source.scenario.name
        job.advance(f"{name}: planning", 0)
        return self._planner(
            source.scenario, lambda step: job.advance(f"{name}: {step}"), job.sweep
        )
