"""From a command to an answer: submit it, and map the service's refusals to HTTP once."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from kazree.api.problems import problem_response
from kazree.api.schemas import Ack
from kazree.exchange.core.commands import Command
from kazree.exchange.core.errors import RejectCode
from kazree.exchange.core.events import Accepted, Event, event_to_json
from kazree.venue.audit import apply_and_audit
from kazree.venue.errors import (
    CommandRefused,
    JournalUnavailable,
    SequencerStopped,
    WriterFault,
    accepted,
)
from kazree.venue.service import Service

REJECT_STATUS: dict[RejectCode, int] = {
    RejectCode.UNKNOWN_ORDER: 404,
    RejectCode.NOT_DENIED: 404,
    RejectCode.NOT_PERMITTED: 403,
    RejectCode.SUSPENDED: 403,
    RejectCode.DENIED_PARTY: 403,
    RejectCode.JURISDICTION: 403,
    RejectCode.DUPLICATE_PARTICIPANT: 409,
    RejectCode.DUPLICATE_INSTRUMENT: 409,
    RejectCode.DUPLICATE_CLIENT_ORDER_ID: 409,
    RejectCode.DUPLICATE_RECEIPT: 409,
    RejectCode.ALREADY_DENIED: 409,
    RejectCode.RECEIPT_LOCKED: 409,
    RejectCode.INSUFFICIENT_CASH: 409,
    RejectCode.INSUFFICIENT_RECEIPTS: 409,
    RejectCode.POST_ONLY_WOULD_CROSS: 409,
    RejectCode.AUCTION_PHASE: 409,
    RejectCode.NOT_IN_AUCTION: 409,
    RejectCode.AUCTION_SELF_CROSS: 409,
}
"""HTTP status of an engine refusal; every other reject code is 422."""


async def execute(service: Service, command: Command) -> list[Event]:
    """Sequence ``command``; its events when accepted (a refusal raises, see :func:`install`)."""
    return accepted(await service.sequencer.submit(command))


async def administer(
    service: Service, actor: str, command: Command, note: dict[str, Any] | None = None
) -> list[Event]:
    """Apply an administrative command through the writer and audit it."""
    return await apply_and_audit(service.sequencer.submit, service.store, actor, command, note)


def ack(service: Service, events: list[Event]) -> Ack:
    """The acknowledgement body for accepted ``events``."""
    first = events[0]
    order_id = first.order_id if isinstance(first, Accepted) else None
    return Ack(
        order_id=order_id,
        journal_seq=service.sequencer.journal_seq,
        events=[event_to_json(e) for e in events],
    )


def install(app: FastAPI) -> None:
    """Answer the service's refusals as problem+json: the engine's with its reject code."""

    async def on_refused(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, CommandRefused)
        status = REJECT_STATUS.get(exc.code, 422)
        return problem_response(request, status, exc.code.value, exc.message)

    async def on_stopped(request: Request, exc: Exception) -> JSONResponse:
        msg = "the exchange is starting up or shutting down; retry shortly"
        return problem_response(request, 503, "service.unavailable", msg)

    async def on_journal(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(request, 503, "service.journal_unavailable", str(exc))

    async def on_fault(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(request, 500, "service.internal", str(exc))

    app.add_exception_handler(CommandRefused, on_refused)
    app.add_exception_handler(SequencerStopped, on_stopped)
    app.add_exception_handler(JournalUnavailable, on_journal)
    app.add_exception_handler(WriterFault, on_fault)
