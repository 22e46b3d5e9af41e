"""Auction schedules of every instrument, for any authenticated role."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from kazree.api.auction_schemas import ScheduleOut, schedule_out
from kazree.api.deps import PrincipalDep, ServiceDep
from kazree.api.params import InstrumentAfter, Limit
from kazree.api.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/auctions", tags=["market"], responses=PROBLEM_RESPONSES)


@router.get("", operation_id="list_auction_schedules")
async def list_auction_schedules(
    service: ServiceDep, _: PrincipalDep, after: InstrumentAfter = None, limit: Limit = 1_000
) -> list[ScheduleOut]:
    """The instruments' daily call-auction schedules with their next times (UTC), by
    instrument: the first ``limit`` after the instrument ``after``."""
    schedules = await run_in_threadpool(service.store.auction_schedules, after, limit)
    now = service.settings.clock()
    return [schedule_out(s, now) for s in schedules.values()]
