"""Order history, fills and positions: one's own; admins and observers anyone's.

Answered from the history read model once it holds every acknowledged command, so an order
just placed is there, with its fills.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from kazree.api.deps import Principal, PrincipalDep, ServiceDep
from kazree.api.history_schemas import FillPage, OrderPage, PositionsOut
from kazree.api.problems import PROBLEM_RESPONSES, ApiProblem
from kazree.api.records import caught_up, fill_out, order_out, position_out, specs
from kazree.api.schemas import BalanceOut
from kazree.exchange.core.domain import Role
from kazree.venue.history import MAX_ID, MAX_PAGE

router = APIRouter(prefix="/v1", tags=["history"], responses=PROBLEM_RESPONSES)

Before = Annotated[
    int | None,
    Query(ge=1, le=MAX_ID, description="Only ids below this (the previous page's next_before)"),
]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Most items to answer")]
Participant = Annotated[
    str | None,
    Query(max_length=64, description="Another participant's (admins and observers)"),
]
Instrument = Annotated[str | None, Query(max_length=64)]


def owner(principal: Principal, participant: str | None) -> str:
    """Whose rows to answer: mine, or the named participant's for admins and observers."""
    overseer = principal.can(Role.ADMIN, Role.OBSERVER)
    if participant is not None and participant != principal.participant and not overseer:
        msg = "only admins and observers may see other participants' history"
        raise ApiProblem(403, "auth.not_owner", msg)
    return participant or principal.participant


@router.get("/order-history", operation_id="list_order_history")
async def list_order_history(
    service: ServiceDep,
    principal: PrincipalDep,
    participant: Participant = None,
    instrument: Instrument = None,
    state: Annotated[
        str | None, Query(pattern="^(open|closed)$", description="open or closed only")
    ] = None,
    before: Before = None,
    limit: Limit = 100,
) -> OrderPage:
    """My orders, resting and closed (filled, cancelled, expired), newest first.

    Admins and observers see every participant's unless they name one.
    """
    everyone = participant is None and principal.can(Role.ADMIN, Role.OBSERVER)
    who = None if everyone else owner(principal, participant)
    await caught_up(service)
    listed = await specs(service)
    page = await run_in_threadpool(
        service.history.store.orders,
        who,
        instrument=instrument,
        open_only=None if state is None else state == "open",
        before=before,
        limit=limit,
    )
    return OrderPage(
        items=[order_out(r, listed[r.instrument]) for r in page.rows],
        next_before=page.next_before,
    )


@router.get("/fills", operation_id="list_fills")
async def list_fills(
    service: ServiceDep,
    principal: PrincipalDep,
    participant: Participant = None,
    instrument: Instrument = None,
    before: Before = None,
    limit: Limit = 100,
) -> FillPage:
    """My fills (my side of each trade), newest first, with fees and the receipts delivered."""
    who = owner(principal, participant)
    await caught_up(service)
    listed = await specs(service)
    page = await run_in_threadpool(
        service.history.store.trades, who, instrument=instrument, before=before, limit=limit
    )
    return FillPage(
        items=[fill_out(r, who, listed[r.instrument]) for r in page.rows],
        next_before=page.next_before,
    )


@router.get("/positions", operation_id="get_positions")
async def get_positions(
    service: ServiceDep, principal: PrincipalDep, participant: Participant = None
) -> PositionsOut:
    """My position in each instrument I traded (average price, realised and unrealised P&L)."""
    who = owner(principal, participant)
    await caught_up(service)
    positions = await run_in_threadpool(service.history.store.positions, who)
    async with service.sequencer.reading() as engine:
        if engine.participant_view(who) is None:
            msg = f"unknown participant {who!r}"
            raise ApiProblem(404, "validation.unknown_participant", msg)
        listed = {spec.instrument: spec for spec in engine.instruments()}
        marks = {name: engine.reference_ticks(name) for name in positions}
        cash = engine.balances(who)
    return PositionsOut(
        participant=who,
        positions=[
            position_out(name, p, listed[name], marks[name]) for name, p in positions.items()
        ],
        cash=[BalanceOut.model_validate(b) for b in cash],
    )
