"""Administration over HTTP: participants, instruments, cash, suspensions, the policy, auctions
and their schedules. Every change is a command applied and audited by ``kazree.venue.audit``."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from starlette.concurrency import run_in_threadpool

from kazree.api.auction_schemas import ScheduleIn, ScheduleOut, schedule_out
from kazree.api.deps import Admin, Overseer, ServiceDep
from kazree.api.outcomes import ack, administer, execute
from kazree.api.params import InstrumentId, ParticipantId, ReceiptId
from kazree.api.problems import PROBLEM_RESPONSES, ApiProblem
from kazree.api.routes.market import instrument_out, require_listed
from kazree.api.schemas import (
    Ack,
    CashIn,
    ControlOut,
    DenialIn,
    DeniedOut,
    InstrumentIn,
    InstrumentOut,
    JurisdictionIn,
    LicenceIn,
    ParticipantIn,
    PolicyOut,
)
from kazree.errors import KazreeError
from kazree.exchange.core.codec import to_json
from kazree.exchange.core.commands import (
    AddInstrument,
    AddParticipant,
    Command,
    DenyParty,
    DepositCash,
    GrantLicence,
    LiftDenial,
    OpenAuction,
    ReinstateParticipant,
    RevokeLicence,
    RunAuction,
    SetJurisdiction,
    SuspendParticipant,
    WithdrawCash,
)
from kazree.exchange.core.errors import RejectCode
from kazree.exchange.core.events import Event
from kazree.venue.audit import audited_change
from kazree.venue.errors import CommandRefused
from kazree.venue.listing import Listing, ListingError, listing_spec
from kazree.venue.policy import sync_service_policy
from kazree.venue.schedule import ScheduleError, parse_schedule
from kazree.venue.service import Service

router = APIRouter(prefix="/v1/admin", tags=["admin"], responses=PROBLEM_RESPONSES)


_UNKNOWN = frozenset(
    {RejectCode.UNKNOWN_PARTICIPANT, RejectCode.UNKNOWN_INSTRUMENT, RejectCode.UNKNOWN_RECEIPT}
)


async def _audited(service: Service, actor: str, command: Command, *, by_path: bool = False) -> Ack:
    """Run an admin command, audited, and acknowledge it.

    With ``by_path`` the command names what the route's path names: unknown is 404 then.
    """
    try:
        return ack(service, await administer(service, actor, command))
    except CommandRefused as exc:
        if by_path and exc.code in _UNKNOWN:
            raise ApiProblem(404, exc.code.value, exc.message) from exc
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
    """List a new instrument with its specification; it trades at once, export-checked."""
    fields = {**body.model_dump(), "excluded_origins": tuple(body.excluded_origins)}

    async def change() -> list[Event]:
        try:
            spec = listing_spec(Listing(**fields))
        except ListingError as exc:
            raise ApiProblem(422, "validation.bad_instrument_spec", str(exc)) from exc
        return await execute(service, AddInstrument(ts=0, spec=spec))

    args = body.model_dump(mode="json")
    await audited_change(service.store, principal.participant, "add_instrument", args, change)
    await sync_service_policy(service)  # the export controls cover the new product
    async with service.sequencer.reading() as engine:
        return instrument_out(require_listed(engine, body.instrument))


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


@router.post("/participants/{participant}/deny", operation_id="deny_party")
async def deny_party(
    service: ServiceDep, principal: Admin, participant: ParticipantId, body: DenialIn
) -> Ack:
    """Put a participant on the denied-party list: its resting orders are cancelled."""
    command = DenyParty(ts=0, participant=participant, reason=body.reason)
    return await _audited(service, principal.participant, command, by_path=True)


@router.post("/participants/{participant}/undeny", operation_id="lift_denial")
async def lift_denial(service: ServiceDep, principal: Admin, participant: ParticipantId) -> Ack:
    """Take a participant off the denied-party list."""
    command = LiftDenial(ts=0, participant=participant)
    return await _audited(service, principal.participant, command, by_path=True)


@router.put("/instruments/{instrument}/jurisdiction", operation_id="set_jurisdiction")
async def set_jurisdiction(
    service: ServiceDep, principal: Admin, instrument: InstrumentId, body: JurisdictionIn
) -> Ack:
    """Admit only participants in ``countries`` (none: every country); others' orders go."""
    command = SetJurisdiction(ts=0, instrument=instrument, countries=tuple(body.countries))
    return await _audited(service, principal.participant, command, by_path=True)


@router.put("/receipts/{receipt_id:receipt}/licence", operation_id="grant_licence")
async def grant_licence(
    service: ServiceDep, principal: Admin, receipt_id: ReceiptId, body: LicenceIn
) -> Ack:
    """Record the export licence a receipt's goods carry."""
    command = GrantLicence(ts=0, receipt_id=receipt_id, licence=body.licence)
    return await _audited(service, principal.participant, command, by_path=True)


@router.delete("/receipts/{receipt_id:receipt}/licence", operation_id="revoke_licence")
async def revoke_licence(service: ServiceDep, principal: Admin, receipt_id: ReceiptId) -> Ack:
    """Remove a receipt's export licence; sells it allowed that now break a control go."""
    command = RevokeLicence(ts=0, receipt_id=receipt_id)
    return await _audited(service, principal.participant, command, by_path=True)


@router.get("/policy", operation_id="get_policy")
async def get_policy(service: ServiceDep, _: Overseer) -> PolicyOut:
    """Denied parties, instrument jurisdictions and the export controls enforced now."""
    async with service.sequencer.reading() as engine:
        policy = engine.policy()
    return PolicyOut(
        denied=[DeniedOut(participant=p, reason=r) for p, r in policy.denied],
        jurisdictions={i: list(c) for i, c in policy.jurisdictions},
        controls=[ControlOut.model_validate(to_json(c)) for c in policy.controls],
    )


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
        service.store, principal.participant, "set_auction_schedule", args, change
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
        service.store, principal.participant, "clear_auction_schedule", args, change
    )
