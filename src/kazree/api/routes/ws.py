"""WebSocket market data at /v1/ws (protocol in docs/api.md).

Each socket runs three tasks: one sends the subscriber's queue, one reads the client's
requests, and a guard that closes the socket when the client falls behind (at once, even
while a send to it is stuck) or when its key stops being valid (checked every second).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from enum import Enum
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from kazree.api.auth import KeyVerifier
from kazree.api.deps import client_address
from kazree.api.problems import ApiProblem
from kazree.venue.marketdata import MarketData, Subscriber
from kazree.venue.service import Service
from kazree.venue.store import KEY_RECHECK_S, KeyStatus

router = APIRouter()
_log = logging.getLogger("kazree.api")

UNAUTHENTICATED = 4401
SLOW_CONSUMER = 4408
TOO_MANY_FAILURES = 4429
TRY_LATER = 1013
MAX_MESSAGE_CHARS = 1024
"""Longest client message (a subscribe is about 70 characters)."""
CLOSE_TIMEOUT_S = 2.0
"""How long a parting error and close frame may take before the connection is dropped."""

_CLOSE_CODES = {401: UNAUTHENTICATED, 429: TOO_MANY_FAILURES, 503: TRY_LATER}


class _End(Enum):
    CLIENT = "client"
    SLOW = "slow"
    REVOKED = "revoked"


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
        return f"op {message.get('op')!r}: allowed subscribe, unsubscribe"[:200]
    if message.get("channel") not in MarketData.CHANNELS:
        allowed = ", ".join(MarketData.CHANNELS)
        return f"channel {message.get('channel')!r}: allowed {allowed}"[:200]
    if message.get("instrument") not in instruments:
        listed = ", ".join(sorted(instruments)) or "none"
        return f"instrument {message.get('instrument')!r}"[:100] + f": unknown (listed: {listed})"
    return None


def _error(code: str, detail: str) -> dict[str, str]:
    return {"type": "error", "code": code, "detail": detail}


async def _part(ws: WebSocket, code: int, message: dict[str, str]) -> None:
    """Send a last error and close, unless the client does not take them in time."""
    with contextlib.suppress(Exception):
        async with asyncio.timeout(CLOSE_TIMEOUT_S):
            await ws.send_json(message)
            await ws.close(code=code)


async def _send_all(ws: WebSocket, sub: Subscriber) -> _End:
    while True:
        await ws.send_text(await sub.next())


async def _receive_all(ws: WebSocket, sub: Subscriber, service: Service, key_id: str) -> _End:
    market = service.sequencer.market
    while True:
        frame = await ws.receive()
        if frame["type"] == "websocket.disconnect":
            return _End.CLIENT
        text = frame.get("text")
        if text is None:
            sub.send(_error("marketdata.bad_request", "send JSON in text frames, not binary"))
            continue
        if len(text) > MAX_MESSAGE_CHARS:
            detail = f"message of {len(text)} characters: at most {MAX_MESSAGE_CHARS}"
            sub.send(_error("marketdata.bad_request", detail))
            continue
        wait = service.buckets.take(key_id)
        if wait:
            detail = f"rate limit of {service.settings.rate_per_s:g} messages/s exceeded"
            sub.send(_error("auth.rate_limited", f"{detail}; retry in {wait} s"))
            continue
        try:
            message = json.loads(text)
        except ValueError:
            message = None
        async with service.sequencer.reading() as engine:
            instruments = {s.instrument for s in engine.instruments()}
        problem = _request_error(message, instruments)
        if problem is not None:
            sub.send(_error("marketdata.bad_request", problem))
            continue
        assert isinstance(message, dict)
        if message["op"] == "subscribe":
            market.subscribe(message["channel"], message["instrument"], sub)
        else:
            market.unsubscribe(sub, message["channel"], message["instrument"])
            sub.send({"type": "unsubscribed", **{k: message[k] for k in ("channel", "instrument")}})


async def _guard(sub: Subscriber, verifier: KeyVerifier, key: str, client: str) -> _End:
    """SLOW as soon as the subscriber overflows; REVOKED once its key is no longer valid."""
    while True:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(sub.overflowed.wait(), KEY_RECHECK_S)
            return _End.SLOW
        try:
            check = await verifier.check(key, client)
        except ApiProblem:
            continue  # busy or limited: look again next time
        if check.status is not KeyStatus.VALID:
            return _End.REVOKED


@router.websocket("/v1/ws")
async def market_data(ws: WebSocket) -> None:
    """Subscribe to book and trade streams; snapshot, then sequenced deltas."""
    service: Service = ws.app.state.service
    verifier: KeyVerifier = ws.app.state.verifier
    key, client = _key(ws), client_address(ws)
    await ws.accept()
    try:
        if not key:
            raise ApiProblem(401, "auth.unauthenticated", "API key missing")
        check = await verifier.check(key, client)
        if check.status is not KeyStatus.VALID or check.key_id is None:
            raise ApiProblem(401, "auth.unauthenticated", f"API key {check.status.value}")
    except ApiProblem as exc:
        await _part(ws, _CLOSE_CODES.get(exc.status, UNAUTHENTICATED), _error(exc.code, exc.detail))
        return
    sub = Subscriber(service.settings.ws_queue, service.settings.ws_queue_bytes)
    tasks = [
        asyncio.create_task(_send_all(ws, sub)),
        asyncio.create_task(_receive_all(ws, sub, service, check.key_id)),
        asyncio.create_task(_guard(sub, verifier, key, client)),
    ]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        service.sequencer.market.unsubscribe(sub)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    ended = next(iter(done))
    end = None if ended.cancelled() or ended.exception() else ended.result()
    if end is _End.SLOW:
        detail = "you fell too far behind; reconnect and resubscribe"
        await _part(ws, SLOW_CONSUMER, _error("marketdata.slow_consumer", detail))
    elif end is _End.REVOKED:
        detail = "API key revoked or no longer valid"
        await _part(ws, UNAUTHENTICATED, _error("auth.unauthenticated", detail))
    elif end is None and not isinstance(ended.exception(), WebSocketDisconnect):
        _log.error("market data socket failed", exc_info=ended.exception())
        await _part(ws, 1011, _error("service.internal", "internal error; it was logged"))
