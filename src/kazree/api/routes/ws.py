"""WebSocket market data at /v1/ws (protocol in docs/api.md)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from kazree.venue.marketdata import MarketData, Subscriber
from kazree.venue.service import Service
from kazree.venue.store import KeyStatus

router = APIRouter()

UNAUTHENTICATED = 4401
SLOW_CONSUMER = 4408


def _key(ws: WebSocket) -> str | None:
    auth = ws.headers.get("authorization")
    if auth and auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return ws.headers.get("x-api-key") or ws.query_params.get("key")


def _request_error(message: Any, instruments: set[str]) -> str | None:
    """What is wrong with a client message, or ``None``."""
    if not isinstance(message, dict):
        return 'send a JSON object such as {"op": "subscribe", "channel": "book", ...}'
    if message.get("op") not in ("subscribe", "unsubscribe"):
        return f"op {message.get('op')!r}: allowed subscribe, unsubscribe"
    if message.get("channel") not in MarketData.CHANNELS:
        return f"channel {message.get('channel')!r}: allowed {', '.join(MarketData.CHANNELS)}"
    if message.get("instrument") not in instruments:
        listed = ", ".join(sorted(instruments)) or "none"
        return f"instrument {message.get('instrument')!r}: unknown (listed: {listed})"
    return None


async def _send_all(ws: WebSocket, sub: Subscriber) -> None:
    while True:
        message = await sub.queue.get()
        await ws.send_json(message)
        if sub.overflowed and sub.queue.empty():
            await ws.send_json(
                {
                    "type": "error",
                    "code": "marketdata.slow_consumer",
                    "detail": "you fell too far behind; reconnect and resubscribe",
                }
            )
            await ws.close(code=SLOW_CONSUMER)
            return


@router.websocket("/v1/ws")
async def market_data(ws: WebSocket) -> None:
    """Subscribe to book and trade streams; snapshot, then sequenced deltas."""
    service: Service = ws.app.state.service
    key = _key(ws)
    await ws.accept()
    check = await run_in_threadpool(service.store.check_key, key) if key else None
    if check is None or check.status is not KeyStatus.VALID:
        detail = "API key missing" if check is None else f"API key {check.status.value}"
        await ws.send_json({"type": "error", "code": "auth.unauthenticated", "detail": detail})
        await ws.close(code=UNAUTHENTICATED)
        return
    sub = Subscriber(service.settings.ws_queue)
    market = service.sequencer.market
    sender = asyncio.create_task(_send_all(ws, sub))
    try:
        while not sender.done():
            text = await ws.receive_text()
            try:
                message = json.loads(text)
            except ValueError:
                message = None
            async with service.sequencer.reading() as engine:
                instruments = {s.instrument for s in engine.instruments()}
            problem = _request_error(message, instruments)
            if problem is not None:
                sub.send({"type": "error", "code": "marketdata.bad_request", "detail": problem})
                continue
            assert isinstance(message, dict)
            if message["op"] == "subscribe":
                market.subscribe(message["channel"], message["instrument"], sub)
            else:
                market.unsubscribe(sub, message["channel"], message["instrument"])
                sub.send(
                    {"type": "unsubscribed", **{k: message[k] for k in ("channel", "instrument")}}
                )
    except WebSocketDisconnect:
        pass
    finally:
        market.unsubscribe(sub)
        sender.cancel()
