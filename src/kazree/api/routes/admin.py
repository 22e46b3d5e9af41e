"""Administration over HTTP: participants, instruments, cash, suspensions, auctions, schedules.

Every change is audited.
"""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from starlette.concurrency import run_in_threadpool

from kazree.api.auction_schemas import ScheduleIn, ScheduleOut, schedule_out
from kazree.api.deps import Admin, ServiceDep
from kazree.api.outcomes import ack, execute
from kazree.api.params import InstrumentId, ParticipantId
from kazree.api.problems import PROBLEM_RESPONSES, ApiProblem
from kazree.api.routes.market import instrument_out, require_listed
from kazree.api.schemas import Ack, CashIn, InstrumentIn, InstrumentOut, ParticipantIn
from kazree.errors import KazreeError
from kazree.exchange.core.commands import (
    AddInstrument,
    AddParticipant,
    Command,
    DepositCash,
    OpenAuction,
    ReinstateParticipant,
    RunAuction,
    SuspendParticipant,
    WithdrawCash,
)
from kazree.exchange.core.errors import RejectCode
from kazree.venue.audit import audited, audited_change
from kazree.venue.listing import Listing, ListingError, listing_spec
from kazree.venue.schedule import ScheduleError, parse_schedule
from kazree.venue.service import Service

router = APIRouter(prefix="/v1/admin", tags=["admin"], responses=PROBLEM_RESPONSES)


_UNKNOWN = frozenset({RejectCode.UNKNOWN_PARTICIPANT, RejectCode.UNKNOWN_INSTRUMENT})


async def _audited(service: Service, actor: str, command: Command, *, by_path: bool = False) -> Ack:
    """Run an admin command, audited, and acknowledge it.

    With ``by_path`` the command names what the route's path names: unknown is 404 then.
    """
    try:
        return ack(service, await audited(service, actor, command))
    except ApiProblem as exc:
        if by_path and exc.code in _UNKNOWN:
            raise ApiProblem(404, exc.code, exc.detail) from exc
        raise


@router.post("/participants", status_code=status.HTTP_201_CREATED, operation_id="add_participant")
async def add_participant(service: ServiceDep, principal: Admin, body: ParticipantIn) -> Ack:
    """Register a participant with its country and roles."""
    command = AddParticipant(
        ts=0, participant=body.participant, country=body.country, roles=tuple(body.roles)
    )
    return await _audited(service, principal.participant, command)


@router.post("/deposits", operation_id="deposit_cash")
async def deposit_cash(service: ServiceDep, principal: Admin, body: CashIn) -> Ack:
    """Credit cash (minor units) to a participant."""
    command = DepositCash(
        ts=0, participant=body.participant, currency=body.currency, amount=body.amount
    )
    return await _audited(service, principal.participant, command)


@router.post("/withdrawals", operation_id="withdraw_cash")
async def withdraw_cash(service: ServiceDep, principal: Admin, body: CashIn) -> Ack:
    """Debit available cash (minor units) from a participant."""
    command = WithdrawCash(
        ts=0, participant=body.participant, currency=body.currency, amount=body.amount
    )
    return await _audited(service, principal.participant, command)


@router.post("/instruments", status_code=status.HTTP_201_CREATED, operation_id="list_instrument")
async def list_instrument(
    service: ServiceDep, principal: Admin, body: InstrumentIn
) -> InstrumentOut:
    """List a new instrument with its specification; it trades at once."""
    fields = {**body.model_dump(), "excluded_origins": tuple(body.excluded_origins)}

    async def change() -> InstrumentOut:
        try:
            spec = listing_spec(Listing(**fields))
        except ListingError as exc:
            raise ApiProblem(422, "validation.bad_instrument_spec", str(exc)) from exc
        await execute(service, AddInstrument(ts=0, spec=spec))
        async with service.sequencer.reading() as engine:
            return instrument_out(service, engine, spec.instrument)

    args = body.model_dump(mode="json")
    return await audited_change(service, principal.participant, "add_instrument", args, change)


@router.post("/participants/{participant}/suspend", operation_id="suspend_participant")
async def suspend_participant(
    service: ServiceDep, principal: Admin, participant: ParticipantId
) -> Ack:
    """Suspend a participant: its resting orders are cancelled."""
    command = SuspendParticipant(ts=0, participant=participant)
    return await _audited(service, principal.participant, command, by_path=True)


@router.post("/participants/{participant}/reinstate", operation_id="reinstate_participant")
async def reinstate_participant(
    service: ServiceDep, principal: Admin, participant: ParticipantId
) -> Ack:
    """Lift a suspension."""
    command = ReinstateParticipant(ts=0, participant=participant)
    return await _audited(service, principal.participant, command, by_path=True)


@router.post("/auctions/{instrument}/open", operation_id="open_auction")
async def open_auction(service: ServiceDep, principal: Admin, instrument: InstrumentId) -> Ack:
    """Start a call phase: limit orders rest without matching."""
    command = OpenAuction(ts=0, instrument=instrument)
    return await _audited(service, principal.participant, command, by_path=True)


@router.post("/auctions/{instrument}/run", operation_id="run_auction")
async def run_auction(service: ServiceDep, principal: Admin, instrument: InstrumentId) -> Ack:
    """Uncross the call phase at one price and return to continuous trading."""
    command = RunAuction(ts=0, instrument=instrument)
    return await _audited(service, principal.participant, command, by_path=True)


@router.put("/auctions/{instrument}/schedule", operation_id="set_auction_schedule")
async def set_auction_schedule(
    service: ServiceDep, principal: Admin, instrument: InstrumentId, body: ScheduleIn
) -> ScheduleOut:
    """Open the call phase daily at ``opens`` and uncross at ``uncross`` (UTC) on ``days``."""
    args = {"instrument": instrument, **body.model_dump()}

    async def change() -> ScheduleOut:
        async with service.sequencer.reading() as engine:
            require_listed(engine, instrument)
        try:
            schedule = parse_schedule(instrument, body.opens, body.uncross, body.days)
        except ScheduleError as exc:
            raise ApiProblem(422, "validation.auction_schedule", str(exc)) from exc
        await run_in_threadpool(service.store.set_auction_schedule, schedule)
        return schedule_out(schedule, service.settings.clock())

    return await audited_change(
        service, principal.participant, "set_auction_schedule", args, change
    )


@router.delete(
    "/auctions/{instrument}/schedule",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="clear_auction_schedule",
)
async def clear_auction_schedule(
    service: ServiceDep, principal: Admin, instrument: InstrumentId
) -> Response:
    """Stop scheduling the instrument's auctions (an open call phase stays open)."""

    async def change() -> Response:
        try:
            await run_in_threadpool(service.store.clear_auction_schedule, instrument)
        except KazreeError as exc:
            raise ApiProblem(404, "auction.no_schedule", str(exc)) from exc
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    args = {"instrument": instrument}
    return await audited_change(
        service, principal.participant, "clear_auction_schedule", args, change
    )
