"""How ``kazree serve`` runs uvicorn: timeouts for idle, slow and half-open connections, and
bounds on connections and frames.

uvicorn times out a keep-alive connection between requests, but not a connection that never
completes a request head (opened and left idle, or sending headers a byte at a time): the
HTTP protocol here adds that deadline. A body that stalls is cut off by
:class:`~kazree.api.limits.BodyLimit`; a WebSocket whose peer stops answering pings is closed
by uvicorn.

What the response cycles of a connection write during one event-loop step leaves at the end
of the step in one write (:class:`_StepWriter`): uvicorn writes a response's head and body
separately, and the acknowledgements of one journal batch are answered in the same step.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


@dataclass(frozen=True)
class ServerLimits:
    """Connection limits and timeouts, in seconds and bytes (documented in docs/api.md)."""

    head_timeout_s: float = 10.0
    """A new connection, or one between requests, must send a whole request head in this time."""
    keep_alive_s: int = 5
    """An idle keep-alive connection is closed after this long."""
    max_connections: int = 1000
    """Open connections and requests under way at once; more are answered 503."""
    ws_ping_interval_s: float = 20.0
    """A WebSocket is pinged after this long without traffic ..."""
    ws_ping_timeout_s: float = 20.0
    """... and closed if the pong does not come within this."""
    ws_max_frame_bytes: int = 64 * 1024
    """Largest WebSocket frame accepted from a client."""
    max_head_bytes: int = 16 * 1024
    """Largest request head (request line and headers) accepted; larger is answered 431."""


_TOO_LARGE_HEAD = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain\r\n"
    b"content-length: 36\r\nconnection: close\r\n\r\nrequest head larger than the limit\r\n"
)


class _StepWriter(asyncio.Transport):
    """A connection's transport as its response cycles see it: what they write during one
    event-loop step leaves at the end of the step, in one system call.

    A response's head and body leave together, and the responses finished in one step (the
    acknowledgements of a journal batch, on their connections) leave back to back, so that a
    client reads several in one wake-up. The protocol flushes before it writes or closes on
    its own, so the bytes leave in the order they were written.
    """

    __slots__ = ("_held", "_loop", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._held:
            self._loop.call_soon(self.flush)
        self._held.append(bytes(data))

    def flush(self) -> None:
        """Write what is held now."""
        held = self._held
        if held:
            self._held = []
            if not self._transport.is_closing():
                self._transport.writelines(held)

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def close(self) -> None:
        self.flush()
        self._transport.close()


def head_timed(head_timeout_s: float, max_head_bytes: int) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol, closing a connection that does not complete a request
    head within ``head_timeout_s`` of opening or of its previous response, or whose head
    grows past ``max_head_bytes`` (answered 431); responses are written through a
    :class:`_StepWriter`.

    The deadline is a time, not a timer per request: a connection has one timer, and when it
    fires before the current deadline (moved on by the requests since) it is set again for it.
    """

    class HeadTimedProtocol(HttpToolsProtocol):
        _head_deadline: float | None = None
        """When the head being read must be whole (loop time); ``None`` between heads."""
        _head_timer: asyncio.TimerHandle | None = None
        _head_bytes = 0
        _writer: _StepWriter

        def data_received(self, data: bytes) -> None:
            self._writer.flush()  # before anything uvicorn may write itself (a 400, a 101)
            reading_head = self._head_deadline is not None
            super().data_received(data)
            if reading_head and self._head_deadline is not None:  # the head is still not whole
                self._head_bytes += len(data)
                if self._head_bytes > max_head_bytes and not self.transport.is_closing():
                    self._stop_timer()
                    self._writer.write(_TOO_LARGE_HEAD)
                    self._writer.close()

        def _arm(self) -> None:
            self._head_bytes = 0
            self._head_deadline = deadline = self.loop.time() + head_timeout_s
            if self._head_timer is None:
                self._head_timer = self.loop.call_at(deadline, self._head_due)

        def _stop_timer(self) -> None:
            self._head_deadline = None
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_due(self) -> None:
            deadline = self._head_deadline
            if deadline is not None and deadline > self.loop.time():  # a later head: wait on
                self._head_timer = self.loop.call_at(deadline, self._head_due)
                return
            self._head_timer = None
            if deadline is not None and not self.transport.is_closing():
                self._writer.close()

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._writer = _StepWriter(transport, self.loop)
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_timer()
            super().connection_lost(exc)

        def on_headers_complete(self) -> None:
            self._head_deadline = None
            super().on_headers_complete()
            if self.cycle is not None:
                self.cycle.transport = self._writer

        def shutdown(self) -> None:
            self._writer.flush()
            super().shutdown()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()

    return HeadTimedProtocol


def uvicorn_options(limits: ServerLimits | None = None) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` / ``uvicorn.Config`` enforcing ``limits``."""
    limits = limits or ServerLimits()
    return {
        "http": head_timed(limits.head_timeout_s, limits.max_head_bytes),
        "timeout_keep_alive": limits.keep_alive_s,
        "limit_concurrency": limits.max_connections,
        "ws_ping_interval": limits.ws_ping_interval_s,
        "ws_ping_timeout": limits.ws_ping_timeout_s,
        "ws_max_size": limits.ws_max_frame_bytes,
    }
