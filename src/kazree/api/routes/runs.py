"""Scenario runs for the dashboard: list scenarios, start a run, follow it, list facilities.

A run is a background job: ``POST /v1/planning/runs`` checks the scenarios at once (a bad
file is a 422 problem naming file, field and value) and answers 202 with the run's id;
``GET /v1/planning/runs/{run_id}`` tells its progress and, once done, the report's charts.
"""

from __future__ import annotations

import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, status
from starlette.concurrency import run_in_threadpool

from kazree.api.problems import PROBLEM_RESPONSES
from kazree.api.routes.jobs import check_lang, invalid, job_or_404, queue_of
from kazree.api.routes.runs_jobs import RunJobs, Source
from kazree.api.routes.runs_schemas import (
    MAX_SCENARIOS,
    FacilityOut,
    RunIn,
    RunOut,
    ScenarioOut,
    UploadIn,
)
from kazree.errors import KazreeError
from kazree.report.runs import missing_counterfactuals
from kazree.scenario import Scenario, load_scenario
from kazree.scenario.loading import shipped_names
from kazree.scenario.sweep import parse_sweep

router = APIRouter(tags=["scenario runs"], responses=PROBLEM_RESPONSES)
"""Mounted under ``/v1/planning`` (see :mod:`kazree.web`)."""


JobsDep = Annotated[RunJobs, Depends(queue_of("runs"))]


@cache
def _shipped() -> tuple[ScenarioOut, ...]:
    return tuple(
        ScenarioOut(name=name, description=load_scenario(name).description.strip())
        for name in shipped_names()
    )


@router.get("/scenarios", operation_id="list_scenarios")
async def list_scenarios() -> list[ScenarioOut]:
    """The scenarios shipped with kazree."""
    return list(await run_in_threadpool(_shipped))


def load_upload(upload: UploadIn, workdir: Path) -> Scenario:
    """Validate an uploaded scenario file; errors name the file as the user called it."""
    path = workdir / upload.filename
    if path.exists():
        msg = f"uploads: {upload.filename!r} given twice (allowed: distinct file names)"
        raise invalid(msg)
    path.write_text(upload.yaml, encoding="utf-8")
    try:
        return load_scenario(path)
    except KazreeError as exc:
        raise invalid(str(exc).replace(str(path), upload.filename)) from None


def load_sources(body: RunIn, workdir: Path) -> list[Source]:
    """The run's scenarios, validated: known names, valid files, distinct names, common years;
    the shipped counterfactual of a scenario is added when not given, for the summary."""
    if not body.scenarios and not body.uploads:
        msg = "body: give at least one scenario name or upload"
        raise invalid(msg)
    check_lang(body.lang)
    if len(body.scenarios) + len(body.uploads) > MAX_SCENARIOS:
        count = len(body.scenarios) + len(body.uploads)
        msg = f"body: {count} scenarios (allowed: 1..{MAX_SCENARIOS})"
        raise invalid(msg)
    known = shipped_names()
    sources = []
    for name in body.scenarios:
        if name not in known:
            msg = f"scenarios: {name!r}: not a shipped scenario (allowed: {', '.join(known)})"
            raise invalid(msg)
        sources.append(Source(load_scenario(name), shipped=True))
    sources += [Source(load_upload(u, workdir), shipped=False) for u in body.uploads]
    wanted = [s.scenario.counterfactual for s in sources]
    sources += [
        Source(load_scenario(name), shipped=True)
        for name in missing_counterfactuals(wanted, {s.scenario.name for s in sources})
        if name in known
    ]
    names = [s.scenario.name for s in sources]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        msg = f"scenarios: {twice[0]!r} given twice (allowed: scenarios with distinct names)"
        raise invalid(msg)
    common = set.intersection(*(set(s.scenario.years.values) for s in sources))
    if not common:
        msg = "scenarios: they share no model year (allowed: overlapping years)"
        raise invalid(msg)
    if body.plan and not any(s.scenario.plan for s in sources):
        msg = "plan: no scenario given has a plan block (allowed: plan with such a scenario)"
        raise invalid(msg)
    if body.sweep is not None:
        _check_sweep(body.sweep, body.plan, sources)
    if body.year is not None and body.year not in common:
        allowed = f"{min(common)}..{max(common)}"
        msg = f"year: {body.year}: not a year of every scenario (allowed: {allowed})"
        raise invalid(msg)
    return sources


def _check_sweep(text: str, plan: bool, sources: list[Source]) -> None:
    """A sweep asks for a plan and names a target of a planned scenario; 422 otherwise."""
    try:
        name, _levels = parse_sweep(text, "sweep:")
    except KazreeError as exc:
        raise invalid(str(exc)) from None
    stated = sorted({t.name for s in sources if s.scenario.plan for t in s.scenario.plan.targets})
    if not plan:
        msg = "sweep: a cost curve needs plan (allowed: plan true, or no sweep)"
        raise invalid(msg)
    if name not in stated:
        msg = (
            f"sweep: target {name!r} is not in a planned scenario's plan.targets"
            f" (allowed: {', '.join(stated)})"
        )
        raise invalid(msg)


@router.post("/runs", status_code=status.HTTP_202_ACCEPTED, operation_id="start_run")
async def start_run(jobs: JobsDep, body: RunIn) -> RunOut:
    """Check the scenarios and queue their solve and comparison; poll the run for progress."""
    workdir = Path(tempfile.mkdtemp(prefix="kazree-run-"))
    try:
        sources = await run_in_threadpool(load_sources, body, workdir)
    except BaseException:
        await run_in_threadpool(_remove, workdir)
        raise
    sweep = None if body.sweep is None else parse_sweep(body.sweep, "sweep:")
    return jobs.submit(sources, body.year, workdir, body.lang, plan=body.plan, sweep=sweep).view()


def _remove(workdir: Path) -> None:
    shutil.rmtree(workdir, ignore_errors=True)


@router.get("/runs/{run_id}", operation_id="get_run")
async def get_run(jobs: JobsDep, run_id: str) -> RunOut:
    """A run's status and progress; once done, the same charts as the HTML report."""
    return job_or_404(jobs, run_id).view()


def _number(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def _text(value: Any) -> str:
    return "" if pd.isna(value) else str(value)


@cache
def _facilities() -> tuple[FacilityOut, ...]:
    from kazree.data import load_dataset

    dataset = load_dataset()
    sources = dataset.table("sources").set_index("id")
    rows = []
    for f in dataset.table("facilities").itertuples(index=False):
        first = str(f.source).split(";")[0].strip()
        known = first in sources.index
        start = _number(f.start_year)
        rows.append(
            FacilityOut(
                id=str(f.id),
                name=str(f.name),
                country=str(f.country),
                stage=str(f.stage),
                status=str(f.status),
                capacity_t=_number(f.capacity_t),
                capacity_basis=str(f.capacity_basis),
                start_year=None if start is None else int(start),
                source=str(f.source),
                source_title=_text(sources.at[first, "title"]) if known else "",
                source_url=_text(sources.at[first, "url"]) if known else "",
            )
        )
    return tuple(rows)


@router.get("/facilities", operation_id="list_facilities")
async def list_facilities() -> list[FacilityOut]:
    """The dataset's mines and plants, each with the source of its numbers."""
    return list(await run_in_threadpool(_facilities))
