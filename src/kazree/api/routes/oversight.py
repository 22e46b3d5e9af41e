"""The regulator's view: every trade with its owners, every refusal, the audit log.

For admins and observers only; newest first, paginated like the history.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from kazree.api.deps import Overseer, ServiceDep
from kazree.api.history_schemas import AuditOut, AuditPage, RefusalOut, RefusalPage, TradePage
from kazree.api.problems import PROBLEM_RESPONSES
from kazree.api.records import caught_up, specs, trade_out
from kazree.api.routes.history import Before, Instrument, Limit, Participant

router = APIRouter(prefix="/v1/oversight", tags=["oversight"], responses=PROBLEM_RESPONSES)


@router.get("/trades", operation_id="list_trades_with_owners")
async def list_trades_with_owners(
    service: ServiceDep,
    _: Overseer,
    participant: Participant = None,
    instrument: Instrument = None,
    before: Before = None,
    limit: Limit = 100,
) -> TradePage:
    """Every trade with buyer, seller, their orders and fees (or one participant's)."""
    await caught_up(service)
    listed = await specs(service)
    page = await run_in_threadpool(
        service.history.store.trades,
        participant,
        instrument=instrument,
        before=before,
        limit=limit,
    )
    return TradePage(
        items=[trade_out(r, listed[r.instrument]) for r in page.rows],
        next_before=page.next_before,
    )


@router.get("/refusals", operation_id="list_refusals")
async def list_refusals(
    service: ServiceDep,
    _: Overseer,
    participant: Participant = None,
    before: Before = None,
    limit: Limit = 100,
) -> RefusalPage:
    """Every command the exchange refused, with its reject code (``policy.*``, ``risk.*``...)."""
    await caught_up(service)
    page = await run_in_threadpool(
        service.history.store.refusals, participant, before=before, limit=limit
    )
    return RefusalPage(
        items=[RefusalOut.model_validate(r, from_attributes=True) for r in page.rows],
        next_before=page.next_before,
    )


@router.get("/audit", operation_id="list_audit_log")
async def list_audit_log(
    service: ServiceDep, _: Overseer, before: Before = None, limit: Limit = 100
) -> AuditPage:
    """The audit log: every administrative action and its outcome, newest first."""
    rows = await run_in_threadpool(service.store.audit_page, before, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return AuditPage(
        items=[AuditOut(**r) for r in rows], next_before=rows[-1]["id"] if more else None
    )
