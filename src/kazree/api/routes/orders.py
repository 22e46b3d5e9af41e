"""Orders: place, list, look up, replace, cancel. Traders act only on their own orders."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, status
from starlette.concurrency import run_in_threadpool

from kazree.api.deps import Principal, PrincipalDep, ServiceDep, Trader
from kazree.api.direct import DirectRoute
from kazree.api.history_schemas import OrderRecordOut
from kazree.api.outcomes import ack, execute
from kazree.api.params import Limit, OrderId, ParticipantFilter
from kazree.api.problems import PROBLEM_RESPONSES, ApiProblem
from kazree.api.records import caught_up, order_out, specs
from kazree.api.schemas import Ack, OrderIn, OrderOut, ReplaceIn
from kazree.exchange.core.commands import CancelOrder, PlaceOrder, ReplaceOrder
from kazree.exchange.core.domain import Role
from kazree.exchange.core.errors import unknown_instrument
from kazree.venue.prices import PriceError, to_ticks
from kazree.venue.service import Service

router = APIRouter(
    prefix="/v1/orders", tags=["orders"], responses=PROBLEM_RESPONSES, route_class=DirectRoute
)


async def _ticks(
    service: Service, instrument: str, ticks: int | None, price_per_kg: Decimal | None
) -> int | None:
    """The limit price in ticks, from ``price_ticks`` or ``price_per_kg`` (not both)."""
    if price_per_kg is None:
        return ticks
    if ticks is not None:
        msg = "body: give price_ticks or price_per_kg, not both"
        raise ApiProblem(422, "request.invalid", msg)
    listed = await specs(service)
    if instrument not in listed:
        detail = unknown_instrument(instrument, listed)
        raise ApiProblem(422, "validation.unknown_instrument", detail)
    try:
        return to_ticks(price_per_kg, listed[instrument])
    except PriceError as exc:
        raise ApiProblem(422, "validation.bad_price", str(exc)) from exc


@router.post("", status_code=status.HTTP_201_CREATED, operation_id="place_order")
async def place_order(service: ServiceDep, principal: Trader, body: OrderIn) -> Ack:
    """Place an order; answered once the order and its fills are durable."""
    command = PlaceOrder(
        ts=0,
        participant=principal.participant,
        client_order_id=body.client_order_id,
        instrument=body.instrument,
        side=body.side,
        quantity_lots=body.quantity_lots,
        kind=body.kind,
        price_ticks=await _ticks(service, body.instrument, body.price_ticks, body.price_per_kg),
        tif=body.tif,
        post_only=body.post_only,
        stp=body.stp,
        receipt_ids=tuple(body.receipt_ids),
    )
    return ack(service, await execute(service, command))


@router.get("", operation_id="list_orders")
async def list_orders(
    service: ServiceDep,
    principal: PrincipalDep,
    participant: ParticipantFilter = None,
    limit: Limit = 1_000,
) -> list[OrderOut]:
    """My open orders; admins and observers may name any participant or see all."""
    overseer = principal.can(Role.ADMIN, Role.OBSERVER)
    if participant is not None and participant != principal.participant and not overseer:
        raise ApiProblem(
            403, "auth.not_owner", "only admins and observers may list other participants' orders"
        )
    async with service.sequencer.reading() as engine:
        if participant is None and overseer:
            views = engine.all_open_orders(limit)
        else:
            views = engine.open_orders(participant or principal.participant)[:limit]
    return [OrderOut.model_validate(v) for v in views]


@router.get("/{order_id}", operation_id="get_order")
async def get_order(
    service: ServiceDep, principal: PrincipalDep, order_id: OrderId
) -> OrderRecordOut:
    """One order, resting or not: what was asked and what became of it (fills, cancel...).

    The owner's, or any for admins and observers.
    """
    await caught_up(service)
    row = await run_in_threadpool(service.history.store.order, order_id)
    if row is None:
        raise ApiProblem(404, "validation.unknown_order", f"no order {order_id}")
    if row.participant != principal.participant and not principal.can(Role.ADMIN, Role.OBSERVER):
        raise ApiProblem(403, "auth.not_owner", f"order {order_id} belongs to another participant")
    listed = await specs(service)
    return order_out(row, listed[row.instrument])


@router.patch("/{order_id}", operation_id="replace_order")
async def replace_order(
    service: ServiceDep, principal: Trader, order_id: OrderId, body: ReplaceIn
) -> Ack:
    """Change price and/or quantity; a smaller quantity keeps time priority."""
    _owned_by(service, principal, order_id)
    async with service.sequencer.reading() as engine:
        view = engine.order(order_id)
    instrument = view.instrument if view is not None else ""
    command = ReplaceOrder(
        ts=0,
        participant=principal.participant,
        order_id=order_id,
        price_ticks=await _ticks(service, instrument, body.price_ticks, body.price_per_kg),
        quantity_lots=body.quantity_lots,
    )
    return ack(service, await execute(service, command))


@router.delete("/{order_id}", operation_id="cancel_order")
async def cancel_order(service: ServiceDep, principal: Trader, order_id: OrderId) -> Ack:
    """Cancel the open remainder of one of my orders."""
    _owned_by(service, principal, order_id)
    command = CancelOrder(ts=0, participant=principal.participant, order_id=order_id)
    return ack(service, await execute(service, command))


def _owned_by(service: Service, principal: Principal, order_id: OrderId) -> None:
    """404 for an unknown order, 403 for another participant's (even for admins).

    Checked without waiting for the batch being written; the writer checks again.
    """
    owner = service.sequencer.order_owner(order_id)
    if owner is None:
        raise ApiProblem(404, "validation.unknown_order", f"no open order {order_id}")
    if owner != principal.participant:
        raise ApiProblem(403, "auth.not_owner", f"order {order_id} belongs to another participant")
