"""Liveness and readiness (no key needed)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from kazree.api.deps import ServiceDep
from kazree.api.schemas import Health

router = APIRouter(tags=["operations"])


@router.get("/healthz", operation_id="healthz")
async def healthz() -> Health:
    """The process answers."""
    return Health(status="ok")


@router.get(
    "/readyz",
    operation_id="readyz",
    responses={503: {"model": Health, "description": "Not ready"}},
)
async def readyz(service: ServiceDep, response: Response) -> Health:
    """Ready when the engine is recovered, the writer runs and the database answers."""
    reachable = await run_in_threadpool(service.store.ping)
    if service.sequencer.running and service.sequencer.healthy and reachable:
        return Health(status="ok", journal_seq=service.sequencer.journal_seq)
    detail = "database unreachable" if not reachable else "writer not running or journal failing"
    response.status_code = 503
    return Health(status="unavailable", detail=detail)
