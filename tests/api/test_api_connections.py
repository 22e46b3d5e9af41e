"""Connections as ``kazree serve`` runs them: idle, slow and half-open ones are closed, and
the number of connections is bounded."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from api_support import install_keys, served
from uvicorn.server import ServerState

from kazree.api.app import create_app
from kazree.api.limits import _receive_within
from kazree.api.server import ServerLimits, _StepWriter, uvicorn_options
from kazree.venue.settings import Settings

LIMITS = ServerLimits(
    head_timeout_s=0.5,
    keep_alive_s=1,
    max_connections=8,
    ws_ping_interval_s=0.5,
    ws_ping_timeout_s=0.5,
)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, dict[str, str]]]:
    """The demo market served on loopback with short timeouts; (base URL, port, keys)."""
    path = tmp_path_factory.mktemp("conn") / "exchange.db"
    keys = install_keys(f"sqlite:///{path}")
    app = create_app(Settings(db_url=f"sqlite:///{path}", body_timeout_s=0.5))
    with served(app, LIMITS) as base:
        yield base, int(base.rsplit(":", 1)[1]), keys


def _closed_within(sock: socket.socket, seconds: float) -> tuple[bool, bytes]:
    """Whether the server closed ``sock`` within ``seconds``; what it sent before."""
    sock.settimeout(seconds)
    got = b""
    try:
        while chunk := sock.recv(65536):
            got += chunk
    except TimeoutError:
        return False, got
    return True, got


@pytest.mark.parametrize(
    "sent",
    [b"", b"GET /healthz HTTP/1.1\r\nHost: x\r\n"],
    ids=["idle", "headers-never-finished"],
)
def test_a_connection_without_a_whole_request_head_is_closed(
    live: tuple[str, int, dict[str, str]], sent: bytes
) -> None:
    _, port, _ = live
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(sent)
        closed, got = _closed_within(sock, 5)
    assert closed
    assert got == b""


def test_a_request_head_over_the_limit_is_answered_431(
    live: tuple[str, int, dict[str, str]],
) -> None:
    _, port, keys = live
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"p" * 20_000)
        closed, got = _closed_within(sock, 5)
    assert closed
    assert got.startswith(b"HTTP/1.1 431")
    big = {"content-type": "application/json", "authorization": f"Bearer {keys['trader']}"}
    body = json.dumps({"receipt_ids": ["x" * 60_000]}).encode()
    with socket.create_connection(("127.0.0.1", port)) as sock:  # a big body is no big head
        head = "".join(f"{k}: {v}\r\n" for k, v in big.items())
        head += f"Content-Length: {len(body)}\r\n\r\n"
        sock.sendall(f"POST /v1/orders HTTP/1.1\r\nHost: x\r\n{head}".encode() + body)
        _, got = _closed_within(sock, 2)
    assert got.startswith(b"HTTP/1.1 422")


def test_an_idle_keep_alive_connection_is_closed(live: tuple[str, int, dict[str, str]]) -> None:
    _, port, _ = live
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        closed, got = _closed_within(sock, 5)
    assert closed
    assert got.startswith(b"HTTP/1.1 200")


def test_a_stalled_body_is_answered_408_and_closed(live: tuple[str, int, dict[str, str]]) -> None:
    _, port, keys = live
    head = (
        "POST /v1/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {keys['trader']}\r\nContent-Length: 100\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(head.encode() + b'{"client_order_id": ')
        closed, got = _closed_within(sock, 5)
    assert closed
    assert got.startswith(b"HTTP/1.1 408")
    assert b'"code":"request.timeout"' in got


def test_connections_are_bounded(live: tuple[str, int, dict[str, str]]) -> None:
    _, port, _ = live
    held = [socket.create_connection(("127.0.0.1", port)) for _ in range(LIMITS.max_connections)]
    try:
        time.sleep(0.1)
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            _, got = _closed_within(sock, 5)
        assert got.startswith(b"HTTP/1.1 503")
    finally:
        for sock in held:
            sock.close()


def _masked_text(payload: bytes) -> bytes:
    """A client's WebSocket text frame (masked, under 126 bytes)."""
    mask = os.urandom(4)
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x81, 0x80 | len(payload)]) + mask + body


def test_a_half_open_websocket_is_closed_after_an_unanswered_ping(
    tmp_path: Path,
) -> None:
    """A peer that stops answering (cable pulled) is found by a ping and forgotten."""
    path = tmp_path / "exchange.db"
    keys = install_keys(f"sqlite:///{path}")
    app = create_app(Settings(db_url=f"sqlite:///{path}"))
    with served(app, LIMITS) as base:
        market = app.state.service.sequencer.market
        port = int(base.rsplit(":", 1)[1])
        nonce = base64.b64encode(os.urandom(16)).decode()
        handshake = (
            f"GET /v1/ws?key={keys['observer']} HTTP/1.1\r\nHost: x\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {nonce}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(handshake.encode())
            assert sock.recv(4096).startswith(b"HTTP/1.1 101")
            subscribe = {"op": "subscribe", "channel": "book", "instrument": "NDPR-OX"}
            sock.sendall(_masked_text(json.dumps(subscribe).encode()))
            deadline = time.monotonic() + 5
            while not market.subscribers() and time.monotonic() < deadline:
                time.sleep(0.02)
            assert market.subscribers() == 1
            # from now on, no pong: the socket is read by nobody
            closed, _ = _closed_within(sock, 5)
        assert closed
        deadline = time.monotonic() + 5
        while market.subscribers() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert market.subscribers() == 0


def _response(sock: socket.socket) -> bytes:
    """One whole response (head and ``Content-Length`` body) read from ``sock``."""
    got = b""
    while b"\r\n\r\n" not in got:
        got += sock.recv(65536)
    head, _, body = got.partition(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


def test_a_busy_keep_alive_connection_outlives_its_first_head_deadline(
    live: tuple[str, int, dict[str, str]],
) -> None:
    _, port, _ = live
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.settimeout(5)
        for _ in range(4):  # 1.2 s in all: past the 0.5 s head deadline of the first request
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert _response(sock).startswith(b"HTTP/1.1 200")
            time.sleep(0.3)
        closed, got = _closed_within(sock, 5)  # idle now: closed at the head deadline
    assert closed
    assert got == b""


def test_a_body_sent_in_parts_is_read_across_the_waits(
    live: tuple[str, int, dict[str, str]],
) -> None:
    _, port, keys = live
    body = json.dumps(
        {
            "client_order_id": f"parts-{time.time_ns()}",
            "instrument": "NDPR-OX",
            "side": "buy",
            "quantity_lots": 1,
            "price_ticks": 5_500,
        }
    ).encode()
    head = (
        "POST /v1/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {keys['trader']}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.settimeout(5)
        sock.sendall(head.encode())
        for part in (body[:10], body[10:20], body[20:]):
            time.sleep(0.2)  # each wait shorter than the 0.5 s body timeout
            sock.sendall(part)
        got = _response(sock)
    assert got.startswith(b"HTTP/1.1 201"), got
    assert json.loads(got.partition(b"\r\n\r\n")[2])["events"][0]["type"] == "accepted"


class _Recorded(asyncio.Transport):
    """A transport that records what is written to it, one entry per system call."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[bytes] = []
        self.closed = False

    def write(self, data: Any) -> None:
        self.calls.append(bytes(data))

    def writelines(self, list_of_data: Any) -> None:
        self.calls.append(b"".join(list_of_data))

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.calls.append(b"<close>")
        self.closed = True


def test_what_is_written_in_one_step_leaves_in_one_write_at_its_end() -> None:
    async def main() -> list[bytes]:
        real = _Recorded()
        out = _StepWriter(real, asyncio.get_running_loop())
        out.write(b"head-1 ")
        out.write(b"body-1 ")
        out.write(b"head-2 ")
        assert real.calls == []  # held until the step ends
        await asyncio.sleep(0)
        assert real.calls == [b"head-1 body-1 head-2 "]
        out.write(b"body-2")  # a later step: a write of its own
        out.close()  # what is held goes before the close
        await asyncio.sleep(0)
        return real.calls

    assert asyncio.run(main()) == [b"head-1 body-1 head-2 ", b"body-2", b"<close>"]


async def _ok(scope: Any, receive: Any, send: Any) -> None:
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]}
    )
    await send({"type": "http.response.body", "body": b"ok"})


def test_a_held_response_leaves_before_what_the_protocol_writes_itself() -> None:
    async def main() -> list[bytes]:
        config = uvicorn.Config(_ok, log_level="critical", **uvicorn_options())
        protocol = config.http(config=config, server_state=ServerState(), app_state={})  # type: ignore[operator]
        real = _Recorded()
        protocol.connection_made(real)
        protocol.data_received(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        await asyncio.sleep(0)  # the app has answered; its answer is held to the step's end
        assert real.calls == []
        protocol.data_received(b"NOT HTTP\r\n\r\n")  # uvicorn answers 400 and closes
        protocol.connection_lost(None)
        return real.calls

    calls = asyncio.run(main())
    assert [c[:12] for c in calls if c != b"<close>"] == [b"HTTP/1.1 200", b"HTTP/1.1 400"]
    assert calls.index(b"<close>") == 2  # closed after both


def test_a_receive_waits_under_the_deadline_only_when_it_has_to() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        ready = {"type": "http.request", "body": b"x", "more_body": False}

        async def at_once() -> dict[str, Any]:
            return ready

        assert await _receive_within(at_once, 0.0) == ready  # no wait: no deadline at all

        later: asyncio.Future[dict[str, Any]] = loop.create_future()
        loop.call_later(0.05, later.set_result, ready)

        async def soon() -> dict[str, Any]:
            return await later

        assert await _receive_within(soon, 5.0) == ready

        async def never() -> dict[str, Any]:
            await asyncio.Event().wait()
            raise AssertionError

        with pytest.raises(TimeoutError):
            await _receive_within(never, 0.05)
        waiting = asyncio.ensure_future(_receive_within(never, 5.0))
        await asyncio.sleep(0.01)
        waiting.cancel()  # cancelled from outside: a cancellation, not a timeout
        with pytest.raises(asyncio.CancelledError):
            await waiting

    asyncio.run(main())
