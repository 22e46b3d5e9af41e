"""Risk runs for the dashboard: which scenarios have odds to compute, start a run, follow it.

``POST /v1/planning/risk-runs`` checks the scenario, sample count, seed and language at once (a
one-line 422 problem otherwise) and answers 202 with the run's id;
``GET /v1/planning/risk-runs/{run_id}`` tells how many samples are solved and, once done, the
odds section of the report (fan charts, probability of each target by year, tornado).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from starlette.concurrency import run_in_threadpool

from kazree.api.problems import PROBLEM_RESPONSES
from kazree.api.routes.jobs import check_lang, invalid, job_or_404, queue_of
from kazree.api.routes.risk_jobs import RiskJobs
from kazree.api.routes.runs_schemas import (
    MAX_RISK_SAMPLES,
    MAX_SEED,
    RiskRunIn,
    RiskRunOut,
    ScenarioOut,
)
from kazree.scenario import Scenario

router = APIRouter(tags=["risk runs"], responses=PROBLEM_RESPONSES)
"""Mounted under ``/v1/planning`` (see :mod:`kazree.web`)."""


RiskJobsDep = Annotated[RiskJobs, Depends(queue_of("risk"))]


@router.get("/risk-scenarios", operation_id="list_risk_scenarios")
async def list_risk_scenarios(jobs: RiskJobsDep) -> list[ScenarioOut]:
    """The shipped scenarios that declare uncertain inputs (an ``uncertain:`` block)."""
    scenarios = await run_in_threadpool(jobs.scenarios)
    return [
        ScenarioOut(name=name, description=s.description.strip()) for name, s in scenarios.items()
    ]


def check_risk_run(body: RiskRunIn, jobs: RiskJobs) -> Scenario:
    """The scenario of a risk run, once every field is checked."""
    check_lang(body.lang)
    if not 1 <= body.samples <= MAX_RISK_SAMPLES:
        msg = f"samples: {body.samples} (allowed: 1..{MAX_RISK_SAMPLES})"
        raise invalid(msg)
    if not 0 <= body.seed <= MAX_SEED:
        msg = f"seed: {body.seed} (allowed: 0..{MAX_SEED})"
        raise invalid(msg)
    scenarios = jobs.scenarios()
    if body.scenario not in scenarios:
        allowed = ", ".join(scenarios) or "none shipped yet"
        msg = (
            f"scenario: {body.scenario!r}: not a shipped scenario with an uncertain: block "
            f"(allowed: {allowed})"
        )
        raise invalid(msg)
    return scenarios[body.scenario]


@router.post("/risk-runs", status_code=status.HTTP_202_ACCEPTED, operation_id="start_risk_run")
async def start_risk_run(jobs: RiskJobsDep, body: RiskRunIn) -> RiskRunOut:
    """Check the request and queue the Monte Carlo; poll the run for progress."""
    scenario = await run_in_threadpool(check_risk_run, body, jobs)
    return jobs.submit(scenario, body.samples, body.seed, body.lang).view()


@router.get("/risk-runs/{run_id}", operation_id="get_risk_run")
async def get_risk_run(jobs: RiskJobsDep, run_id: str) -> RiskRunOut:
    """A risk run's status and progress; once done, its fan charts, odds and tornado."""
    return job_or_404(jobs, run_id).view()
