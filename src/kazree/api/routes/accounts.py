"""Accounts: cash and receipts. Participants see their own; admins and observers anyone's."""

from __future__ import annotations

from fastapi import APIRouter

from kazree.api.deps import PrincipalDep, ServiceDep
from kazree.api.params import ParticipantId
from kazree.api.problems import PROBLEM_RESPONSES, ApiProblem
from kazree.api.routes.receipts import receipt_out
from kazree.api.schemas import AccountOut, BalanceOut
from kazree.exchange.core.domain import Role
from kazree.venue.service import Service

router = APIRouter(prefix="/v1/accounts", tags=["accounts"], responses=PROBLEM_RESPONSES)


async def _account(service: Service, participant: str) -> AccountOut:
    async with service.sequencer.reading() as engine:
        p = engine.participant_view(participant)
        if p is None:
            raise ApiProblem(
                404, "validation.unknown_participant", f"unknown participant {participant!r}"
            )
        balances = engine.balances(participant)
        receipts = engine.receipts(participant)
    return AccountOut(
        participant=participant,
        country=p.country,
        roles=list(p.roles),
        suspended=p.suspended,
        balances=[BalanceOut.model_validate(b) for b in balances],
        receipts=[receipt_out(r) for r in receipts],
    )


@router.get("/me", operation_id="get_my_account")
async def get_my_account(service: ServiceDep, principal: PrincipalDep) -> AccountOut:
    """My cash (available and locked, per currency) and receipts (with locked kg)."""
    return await _account(service, principal.participant)


@router.get("/{participant}", operation_id="get_account")
async def get_account(
    service: ServiceDep, principal: PrincipalDep, participant: ParticipantId
) -> AccountOut:
    """A participant's account: one's own, or anyone's for admins and observers."""
    if participant != principal.participant and not principal.can(Role.ADMIN, Role.OBSERVER):
        raise ApiProblem(
            403, "auth.not_owner", "only admins and observers may see other participants' accounts"
        )
    return await _account(service, participant)
