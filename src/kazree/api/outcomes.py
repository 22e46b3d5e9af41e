"""From a command to an answer: submit through the writer, map the engine's refusal to HTTP."""

from __future__ import annotations

from kazree.api.problems import ApiProblem
from kazree.api.schemas import Ack
from kazree.exchange.core.commands import Command
from kazree.exchange.core.errors import RejectCode
from kazree.exchange.core.events import Accepted, Event, Rejected, event_to_json
from kazree.venue.sequencer import Record, SequencerStopped
from kazree.venue.service import Service

REJECT_STATUS: dict[RejectCode, int] = {
    RejectCode.UNKNOWN_ORDER: 404,
    RejectCode.NOT_PERMITTED: 403,
    RejectCode.SUSPENDED: 403,
    RejectCode.DUPLICATE_PARTICIPANT: 409,
    RejectCode.DUPLICATE_INSTRUMENT: 409,
    RejectCode.DUPLICATE_CLIENT_ORDER_ID: 409,
    RejectCode.DUPLICATE_RECEIPT: 409,
    RejectCode.RECEIPT_LOCKED: 409,
    RejectCode.INSUFFICIENT_CASH: 409,
    RejectCode.INSUFFICIENT_RECEIPTS: 409,
    RejectCode.POST_ONLY_WOULD_CROSS: 409,
    RejectCode.AUCTION_PHASE: 409,
    RejectCode.NOT_IN_AUCTION: 409,
    RejectCode.AUCTION_SELF_CROSS: 409,
}
"""HTTP status of an engine refusal; every other reject code is 422."""


async def execute(service: Service, command: Command, record: Record | None = None) -> list[Event]:
    """Sequence ``command``; its events when accepted, else an :class:`ApiProblem`.

    ``record`` is told the outcome before the state after the command can be read.
    """
    try:
        events = await service.sequencer.submit(command, record)
    except SequencerStopped as exc:
        msg = "the exchange is starting up or shutting down; retry shortly"
        raise ApiProblem(503, "service.unavailable", msg) from exc
    first = events[0]
    if isinstance(first, Rejected):
        status = REJECT_STATUS.get(first.reason_code, 422)
        raise ApiProblem(status, first.reason_code.value, first.message)
    return events


def ack(service: Service, events: list[Event]) -> Ack:
    """The acknowledgement body for accepted ``events``."""
    first = events[0]
    order_id = first.order_id if isinstance(first, Accepted) else None
    return Ack(
        order_id=order_id,
        journal_seq=service.sequencer.journal_seq,
        events=[event_to_json(e) for e in events],
    )
