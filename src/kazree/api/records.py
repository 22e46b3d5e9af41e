"""History rows as response bodies: ticks also in money per kg, lots also in kg."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from kazree.api.history_schemas import FillOut, OrderRecordOut, PositionOut, TradeRecordOut
from kazree.api.problems import ApiProblem
from kazree.exchange.core.domain import InstrumentSpec, OrderKind, Side, Stp, TimeInForce
from kazree.venue.positions import Position
from kazree.venue.prices import exponent, per_kg
from kazree.venue.projection import OrderRow, TradeRow
from kazree.venue.readmodel import HistoryBehind
from kazree.venue.service import Service

_TICK_PLACES = Decimal("0.0001")


async def caught_up(service: Service) -> None:
    """Wait until the history holds every acknowledged command (503 if it cannot)."""
    try:
        await service.history.reach(service.sequencer.journal_seq)
    except HistoryBehind as exc:
        msg = "the order history is catching up with the journal; retry shortly"
        raise ApiProblem(503, "service.history_behind", msg) from exc


async def specs(service: Service) -> dict[str, InstrumentSpec]:
    """instrument -> specification, for every listed instrument."""
    async with service.sequencer.reading() as engine:
        return {name: market.spec for name, market in engine.markets.items()}


def average_per_kg(ticks_lots: int, lots: int, spec: InstrumentSpec) -> tuple[Decimal, Decimal]:
    """An average of ``ticks_lots / lots`` in ticks (4 places) and per kg (minor unit / 100)."""
    ticks = Decimal(ticks_lots) / Decimal(lots)
    places = Decimal(1).scaleb(-exponent(spec.currency) - 2)
    money = (ticks * spec.tick_minor_per_kg).scaleb(-exponent(spec.currency))
    return (
        ticks.quantize(_TICK_PLACES, ROUND_HALF_EVEN),
        money.quantize(places, ROUND_HALF_EVEN),
    )


def order_out(row: OrderRow, spec: InstrumentSpec) -> OrderRecordOut:
    """The response body of an order row."""
    average = (
        average_per_kg(row.filled_ticks_lots, row.filled_lots, spec) if row.filled_lots else None
    )
    return OrderRecordOut(
        order_id=row.order_id,
        participant=row.participant,
        client_order_id=row.client_order_id,
        instrument=row.instrument,
        side=Side(row.side),
        kind=OrderKind(row.kind),
        tif=TimeInForce(row.tif),
        stp=Stp(row.stp),
        post_only=row.post_only,
        price_ticks=row.limit_ticks,
        price_per_kg=per_kg(row.limit_ticks, spec) if row.limit_ticks is not None else None,
        currency=spec.currency,
        quantity_lots=row.quantity_lots,
        remaining_lots=row.open_lots,
        filled_lots=row.filled_lots,
        average_fill_price_ticks=average[0] if average else None,
        average_fill_price_per_kg=average[1] if average else None,
        status=row.status(),
        closed_reason=row.closed,
        ts=row.placed_ts,
        updated_ts=row.updated_ts,
    )


def fill_out(row: TradeRow, participant: str, spec: InstrumentSpec) -> FillOut:
    """``participant``'s side of a trade row."""
    side = Side.BUY if row.buyer == participant else Side.SELL
    if row.aggressor is None:
        liquidity = "auction"
    else:
        liquidity = "taker" if row.aggressor == side.value else "maker"
    return FillOut(
        trade_id=row.trade_id,
        ts=row.ts,
        instrument=row.instrument,
        order_id=row.buy_order_id if side is Side.BUY else row.sell_order_id,
        side=side,
        liquidity=liquidity,
        price_ticks=row.price_ticks,
        price_per_kg=per_kg(row.price_ticks, spec),
        quantity_lots=row.quantity_lots,
        quantity_kg=row.quantity_lots * spec.lot_kg,
        currency=spec.currency,
        notional_minor=row.price_ticks * row.quantity_lots * spec.tick_value,
        fee_minor=row.buyer_fee if side is Side.BUY else row.seller_fee,
        receipts=row.receipts,
    )


def trade_out(row: TradeRow, spec: InstrumentSpec) -> TradeRecordOut:
    """A trade row with both owners."""
    return TradeRecordOut(
        trade_id=row.trade_id,
        ts=row.ts,
        instrument=row.instrument,
        price_ticks=row.price_ticks,
        price_per_kg=per_kg(row.price_ticks, spec),
        quantity_lots=row.quantity_lots,
        buyer=row.buyer,
        seller=row.seller,
        buy_order_id=row.buy_order_id,
        sell_order_id=row.sell_order_id,
        aggressor=Side(row.aggressor) if row.aggressor is not None else None,
        buyer_fee_minor=row.buyer_fee,
        seller_fee_minor=row.seller_fee,
        receipts=row.receipts,
    )


def position_out(
    instrument: str, position: Position, spec: InstrumentSpec, mark_ticks: int
) -> PositionOut:
    """A position with its average price and P&L in money."""
    lots = abs(position.net_lots)
    cost = position.open_cost_ticks_lots
    average = average_per_kg(cost, lots, spec) if lots else None
    return PositionOut(
        instrument=instrument,
        product=spec.product,
        currency=spec.currency,
        net_lots=position.net_lots,
        net_kg=position.net_lots * spec.lot_kg,
        bought_lots=position.bought_lots,
        sold_lots=position.sold_lots,
        average_price_ticks=average[0] if average else None,
        average_price_per_kg=average[1] if average else None,
        open_cost_minor=cost * spec.tick_value,
        realised_pnl_minor=position.realised_ticks_lots * spec.tick_value,
        fees_minor=position.fees_minor,
        mark_price_ticks=mark_ticks,
        mark_price_per_kg=per_kg(mark_ticks, spec),
        unrealised_pnl_minor=position.unrealised_ticks_lots(mark_ticks) * spec.tick_value,
    )
