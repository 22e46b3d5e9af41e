"""Auction schedules of every instrument, for any authenticated role."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from kazree.api.auction_schemas import ScheduleOut, schedule_out
from kazree.api.deps import PrincipalDep, ServiceDep
from kazree.api.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/auctions", tags=["market"], responses=PROBLEM_RESPONSES)


@router.get("", operation_id="list_auction_schedules")
async def list_auction_schedules(service: ServiceDep, _: PrincipalDep) -> list[ScheduleOut]:
    """Every instrument's daily call-auction schedule with its next times (UTC)."""
    schedules = await run_in_threadpool(service.store.auction_schedules)
    now = service.settings.clock()
    return [schedule_out(s, now) for s in schedules.values()]
