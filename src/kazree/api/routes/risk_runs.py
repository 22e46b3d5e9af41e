"""Risk runs for the dashboard: which scenarios have odds to compute, start a run, follow it.

``POST /v1/planning/risk-runs`` checks the scenario, sample count, seed and language at once (a
one-line 422 problem otherwise) and answers 202 with the run's id;
``GET /v1/planning/risk-runs/{run_id}`` tells how many samples are solved and, once done, the
odds section of the report (fan charts, probability of each target by year, tornado).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from starlette.concurrency import run_in_threadpool

from kazree.api.problems import PROBLEM_RESPONSES, ApiProblem
from kazree.api.routes.risk_jobs import RiskJobs
from kazree.api.routes.runs_schemas import (
    MAX_RISK_SAMPLES,
    MAX_SEED,
    RiskRunIn,
    RiskRunOut,
    ScenarioOut,
)
from kazree.errors import KazreeError
from kazree.i18n import check_language
from kazree.scenario import Scenario

router = APIRouter(tags=["risk runs"], responses=PROBLEM_RESPONSES)
"""Mounted under ``/v1/planning`` (see :mod:`kazree.web`)."""


def get_risk_jobs(request: Request) -> RiskJobs:
    """The risk-run queue of the app handling ``request``."""
    jobs: RiskJobs = request.app.state.risk
    return jobs


RiskJobsDep = Annotated[RiskJobs, Depends(get_risk_jobs)]


def _invalid(detail: str) -> ApiProblem:
    return ApiProblem(422, "request.invalid", detail)


@router.get("/risk-scenarios", operation_id="list_risk_scenarios")
async def list_risk_scenarios(jobs: RiskJobsDep) -> list[ScenarioOut]:
    """The shipped scenarios that declare uncertain inputs (an ``uncertain:`` block)."""
    scenarios = await run_in_threadpool(jobs.scenarios)
    return [
        ScenarioOut(name=name, description=s.description.strip()) for name, s in scenarios.items()
    ]


def check_risk_run(body: RiskRunIn, jobs: RiskJobs) -> Scenario:
    """The scenario of a risk run, once every field is checked."""
    try:
        check_language(body.lang, where="lang:")
    except KazreeError as exc:
        raise _invalid(str(exc)) from None
    if not 1 <= body.samples <= MAX_RISK_SAMPLES:
        msg = f"samples: {body.samples} (allowed: 1..{MAX_RISK_SAMPLES})"
        raise _invalid(msg)
    if not 0 <= body.seed <= MAX_SEED:
        msg = f"seed: {body.seed} (allowed: 0..{MAX_SEED})"
        raise _invalid(msg)
    scenarios = jobs.scenarios()
    if body.scenario not in scenarios:
        allowed = ", ".join(scenarios) or "none shipped yet"
        msg = (
            f"scenario: {body.scenario!r}: not a shipped scenario with an uncertain: block "
            f"(allowed: {allowed})"
        )
        raise _invalid(msg)
    return scenarios[body.scenario]


@router.post("/risk-runs", status_code=status.HTTP_202_ACCEPTED, operation_id="start_risk_run")
async def start_risk_run(jobs: RiskJobsDep, body: RiskRunIn) -> RiskRunOut:
    """Check the request and queue the Monte Carlo; poll the run for progress."""
    scenario = await run_in_threadpool(check_risk_run, body, jobs)
    return jobs.submit(scenario, body.samples, body.seed, body.lang).view()


@router.get("/risk-runs/{run_id}", operation_id="get_risk_run")
async def get_risk_run(jobs: RiskJobsDep, run_id: str) -> RiskRunOut:
    """A risk run's status and progress; once done, its fan charts, odds and tornado."""
    job = jobs.get(run_id)
    if job is None:
        raise ApiProblem(404, "validation.unknown_run", f"unknown risk run {run_id!r}")
    return job.view()
