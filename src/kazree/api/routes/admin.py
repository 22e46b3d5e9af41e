"""Administration over HTTP: participants, cash, suspensions, auctions. Every call is audited."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status
from starlette.concurrency import run_in_threadpool

from kazree.api.deps import Admin, ServiceDep
from kazree.api.outcomes import ack, execute
from kazree.api.problems import PROBLEM_RESPONSES
from kazree.api.schemas import Ack, CashIn, ParticipantIn
from kazree.api.service import Service
from kazree.exchange.commands import (
    AddParticipant,
    Command,
    DepositCash,
    OpenAuction,
    ReinstateParticipant,
    RunAuction,
    SuspendParticipant,
    WithdrawCash,
    command_to_json,
)

router = APIRouter(prefix="/v1/admin", tags=["admin"], responses=PROBLEM_RESPONSES)


async def _audited(service: Service, actor: str, command: Command) -> Ack:
    """Run an admin command and record it (with its outcome) in the audit log."""
    args: dict[str, Any] = command_to_json(command)
    args.pop("ts", None)
    action = str(args.pop("type"))
    try:
        events = await execute(service, command)
    except Exception as exc:
        await run_in_threadpool(service.store.audit, actor, action, {**args, "refused": str(exc)})
        raise
    await run_in_threadpool(service.store.audit, actor, action, args)
    return ack(service, events)


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


@router.post("/participants/{participant}/suspend", operation_id="suspend_participant")
async def suspend_participant(service: ServiceDep, principal: Admin, participant: str) -> Ack:
    """Suspend a participant: its resting orders are cancelled."""
    command = SuspendParticipant(ts=0, participant=participant)
    return await _audited(service, principal.participant, command)


@router.post("/participants/{participant}/reinstate", operation_id="reinstate_participant")
async def reinstate_participant(service: ServiceDep, principal: Admin, participant: str) -> Ack:
    """Lift a suspension."""
    command = ReinstateParticipant(ts=0, participant=participant)
    return await _audited(service, principal.participant, command)


@router.post("/auctions/{instrument}/open", operation_id="open_auction")
async def open_auction(service: ServiceDep, principal: Admin, instrument: str) -> Ack:
    """Start a call phase: limit orders rest without matching."""
    return await _audited(service, principal.participant, OpenAuction(ts=0, instrument=instrument))


@router.post("/auctions/{instrument}/run", operation_id="run_auction")
async def run_auction(service: ServiceDep, principal: Admin, instrument: str) -> Ack:
    """Uncross the call phase at one price and return to continuous trading."""
    return await _audited(service, principal.participant, RunAuction(ts=0, instrument=instrument))
