"""Instruments, order books, trades, reference prices and auctions (any authenticated role)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from kazree.api.auction_schemas import AuctionOut, AuctionResultOut, schedule_out
from kazree.api.deps import PrincipalDep, ServiceDep
from kazree.api.params import InstrumentAfter, InstrumentId, Limit
from kazree.api.problems import PROBLEM_RESPONSES, ApiProblem
from kazree.api.schemas import (
    BookOut,
    InstrumentOut,
    Level,
    ReferenceOut,
    TradeOut,
)
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.errors import unknown_instrument
from kazree.exchange.core.views import InstrumentView
from kazree.venue.prices import exponent, per_kg, tick_per_kg

router = APIRouter(prefix="/v1/instruments", tags=["market"], responses=PROBLEM_RESPONSES)


def require_listed(engine: Exchange, instrument: str, auctions: int = 0) -> InstrumentView:
    """The listed ``instrument`` (with its latest ``auctions``); a 404 problem otherwise."""
    view = engine.instrument(instrument, auctions)
    if view is None:
        detail = unknown_instrument(instrument, (s.instrument for s in engine.instruments()))
        raise ApiProblem(404, "validation.unknown_instrument", detail)
    return view


def instrument_out(market: InstrumentView) -> InstrumentOut:
    """An instrument's specification, band and phase, prices also per kg."""
    spec = market.spec
    eligible = market.admitted
    return InstrumentOut(
        instrument=spec.instrument,
        product=spec.product,
        min_purity_bp=spec.min_purity_bp,
        lot_kg=spec.lot_kg,
        tick_minor_per_kg=spec.tick_minor_per_kg,
        currency=spec.currency,
        minor_unit_exponent=exponent(spec.currency),
        tick_per_kg=tick_per_kg(spec),
        warehouse=spec.warehouse,
        excluded_origins=list(spec.excluded_origins),
        maker_fee_bp=spec.maker_fee_bp,
        taker_fee_bp=spec.taker_fee_bp,
        reference_ticks=market.reference_ticks,
        reference_per_kg=per_kg(market.reference_ticks, spec),
        band_low_ticks=market.band_low_ticks,
        band_high_ticks=market.band_high_ticks,
        in_auction=market.in_auction,
        eligible_countries=list(eligible) if eligible is not None else None,
    )


@router.get("", operation_id="list_instruments")
async def list_instruments(
    service: ServiceDep, _: PrincipalDep, after: InstrumentAfter = None, limit: Limit = 1_000
) -> list[InstrumentOut]:
    """The listed instruments, in the order listed, with their specification and current
    price band: the first ``limit`` after the instrument ``after``."""
    async with service.sequencer.reading() as engine:
        names = [s.instrument for s in engine.instruments()]
        start = names.index(require_listed(engine, after).spec.instrument) + 1 if after else 0
        views = [require_listed(engine, name) for name in names[start : start + limit]]
    return [instrument_out(v) for v in views]


@router.get("/{instrument}", operation_id="get_instrument")
async def get_instrument(
    service: ServiceDep, _: PrincipalDep, instrument: InstrumentId
) -> InstrumentOut:
    """One instrument's specification."""
    async with service.sequencer.reading() as engine:
        return instrument_out(require_listed(engine, instrument))


@router.get("/{instrument}/book", operation_id="get_book")
async def get_book(
    service: ServiceDep,
    _: PrincipalDep,
    instrument: InstrumentId,
    levels: Annotated[int, Query(ge=1, le=1000)] = 10,
) -> BookOut:
    """Aggregated depth, best levels first, with the book's sequence number."""
    async with service.sequencer.reading() as engine:
        require_listed(engine, instrument)
        depth = engine.depth(instrument, levels)
    return BookOut(
        instrument=instrument,
        seq=depth.seq,
        bids=[Level(price_ticks=p, lots=q) for p, q in depth.bids],
        asks=[Level(price_ticks=p, lots=q) for p, q in depth.asks],
    )


@router.get("/{instrument}/trades", operation_id="list_trades")
async def list_trades(
    service: ServiceDep,
    _: PrincipalDep,
    instrument: InstrumentId,
    limit: Limit = 100,
) -> list[TradeOut]:
    """The latest trades, oldest first (anonymous tape)."""
    async with service.sequencer.reading() as engine:
        require_listed(engine, instrument)
        trades = engine.trades(instrument, limit)
    return [
        TradeOut(
            trade_id=t.trade_id,
            ts=t.ts,
            price_ticks=t.price_ticks,
            quantity_lots=t.quantity_lots,
            aggressor=t.aggressor,
        )
        for t in trades
    ]


@router.get("/{instrument}/reference-prices", operation_id="list_reference_prices")
async def list_reference_prices(
    service: ServiceDep, _: PrincipalDep, instrument: InstrumentId, limit: Limit = 1_000
) -> list[ReferenceOut]:
    """The daily reference price series (the index), flagged where carried forward: the
    latest ``limit`` days, oldest first."""
    async with service.sequencer.reading() as engine:
        require_listed(engine, instrument)
        series = engine.references(instrument)[-limit:]
    return [ReferenceOut.model_validate(r) for r in series]


@router.get("/{instrument}/auction", operation_id="get_auction")
async def get_auction(
    service: ServiceDep,
    _: PrincipalDep,
    instrument: InstrumentId,
    limit: Limit = 100,
) -> AuctionOut:
    """The auction schedule with its next times (UTC), the call phase and the latest results."""
    schedule = await run_in_threadpool(service.store.auction_schedule, instrument)
    async with service.sequencer.reading() as engine:
        market = require_listed(engine, instrument, limit)
    opened, results = market.call_opened_ts, market.auctions
    return AuctionOut(
        instrument=instrument,
        schedule=schedule_out(schedule, service.settings.clock()) if schedule else None,
        in_call_phase=opened is not None,
        call_opened_ts=opened,
        results=[
            AuctionResultOut(
                ts=r.ts,
                call_opened_ts=r.call_opened_ts,
                price_ticks=r.price_ticks,
                volume_lots=r.volume_lots,
                imbalance_lots=r.imbalance_lots,
            )
            for r in results
        ],
    )
