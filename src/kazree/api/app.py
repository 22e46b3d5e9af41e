"""The app factory: routers, problem+json handlers, and the writer's start-up and shutdown."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig
from starlette.concurrency import run_in_threadpool

from kazree.api import outcomes, problems
from kazree.api.auth import KeyVerifier
from kazree.api.deps import document_security
from kazree.api.direct import DirectLane
from kazree.api.limits import BodyLimit
from kazree.api.routes import (
    accounts,
    admin,
    auctions,
    health,
    history,
    market,
    orders,
    oversight,
    receipts,
    ws,
)
from kazree.exchange.durability.durable import DurableExchange
from kazree.exchange.durability.replay import event_refs, event_schemas
from kazree.venue.history import HistoryStore
from kazree.venue.marketdata import MarketData
from kazree.venue.policy import sync_service_policy
from kazree.venue.ratelimit import TokenBuckets
from kazree.venue.readmodel import Projector
from kazree.venue.scheduler import AuctionScheduler
from kazree.venue.sequencer import Sequencer
from kazree.venue.service import Service
from kazree.venue.settings import Settings
from kazree.venue.store import ServiceStore
from kazree.venue.tuning import tune_gc
from kazree.web import install_api_docs, install_dashboard

_log = logging.getLogger("kazree.api")

DESCRIPTION = """\
The kazree physical rare-earth exchange. Prices in ticks, quantities in lots (receipts in kg),
cash in the currency's minor unit, timestamps in UTC microseconds. Authenticate with
`Authorization: Bearer <key>` (or `X-API-Key`). Errors are RFC 9457 `application/problem+json`.
Market data: WebSocket at `/v1/ws` (see docs/api.md).
"""

ROUTERS = (
    orders.router,
    health.router,
    market.router,
    auctions.router,
    accounts.router,
    history.router,
    oversight.router,
    receipts.router,
    admin.router,
    ws.router,
)
"""Every router of the service, in the order they are mounted (and matched: orders first)."""

DIRECT_ROUTERS = (orders.router,)
"""The routers answered ahead of FastAPI's routing (:class:`DirectLane`): mounted first."""


NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}
"""FastAPI's OpenTelemetry off: the service exports none (its logs and the audit log say what
it did), and asking whether a global provider is configured reads the environment on every
request (about 11 µs, more than the order's validation)."""


def with_event_schemas(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the engine's event schemas (those of the replay schema) as ``Event`` and its parts."""
    ref = "#/components/schemas/{model}"
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in event_schemas(ref).items():
        components.setdefault(name, definition)
    components["Event"] = {"oneOf": event_refs(ref)}
    return schema


def create_app(settings: Settings) -> FastAPI:
    """The exchange service on ``settings.db_url``; the journal is opened at start-up."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = await run_in_threadpool(ServiceStore.open, settings.db_url)
        try:
            exchange = await run_in_threadpool(
                DurableExchange.open, settings.db_url, snapshot_every=settings.snapshot_every
            )
        except BaseException:
            store.close()
            raise
        if settings.tune_gc:
            tune_gc()
        sequencer = Sequencer(
            exchange, MarketData(), max_batch=settings.max_batch, clock=settings.clock
        )
        history = Projector(
            await run_in_threadpool(HistoryStore.open, settings.db_url),
            lambda: sequencer.journal_seq,
        )
        await run_in_threadpool(history.catch_up_now)
        sequencer.follow(history.feed)
        history.start()
        sequencer.start()
        service = Service(
            settings, store, sequencer, TokenBuckets(settings.rate_per_s, settings.burst), history
        )
        app.state.service = service
        app.state.verifier = KeyVerifier(
            store,
            TokenBuckets(settings.auth_failures_per_s, settings.auth_failure_burst),
            settings.max_pending_key_checks,
        )
        await sync_service_policy(service)
        scheduler = AuctionScheduler(service, settings.clock, settings.auction_poll_s)
        scheduler.start()
        _log.info("exchange ready at journal seq %d", sequencer.journal_seq)
        try:
            yield
        finally:
            await scheduler.stop()
            await sequencer.stop()
            await history.stop()
            history.store.close()
            app.state.verifier.close()
            store.close()
            _log.info("exchange stopped; journal flushed")

    app = FastAPI(
        title="kazree exchange",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        telemetry=NO_TELEMETRY,
    )
    problems.install(app)
    app.add_middleware(DirectLane, routers=DIRECT_ROUTERS)  # inside the body limit
    app.add_middleware(BodyLimit, timeout_s=settings.body_timeout_s)
    outcomes.install(app)
    for router in ROUTERS:
        app.include_router(router)
    install_dashboard(app)
    install_api_docs(app, app.title)
    generate = app.openapi
    app.openapi = lambda: with_event_schemas(document_security(generate()))  # type: ignore[method-assign]
    return app
