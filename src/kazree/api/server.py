"""How ``kazree serve`` runs uvicorn: timeouts for idle, slow and half-open connections, and
bounds on connections and frames.

uvicorn times out a keep-alive connection between requests, but not a connection that never
completes a request head (opened and left idle, or sending headers a byte at a time): the
HTTP protocol here adds that deadline. A body that stalls is cut off by
:class:`~kazree.api.limits.BodyLimit`; a WebSocket whose peer stops answering pings is closed
by uvicorn.

The protocol also sends each response's head and body in one write (uvicorn writes them
separately: two system calls and two TCP segments for every response).
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


class _OneWrite(asyncio.Transport):
    """A connection's transport as its response cycles see it: a write is held until the next
    one or the end of the event-loop step, whichever comes first, so that a response's head and
    body (written one after the other in the same step) leave in one system call."""

    __slots__ = ("_held", "_loop", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        held = self._held
        if held is None:
            self._held = bytes(data)
            self._loop.call_soon(self._flush)
        else:
            self._held = None
            self._transport.writelines((held, data))

    def _flush(self) -> None:
        held = self._held
        if held is not None:
            self._held = None
            if not self._transport.is_closing():
                self._transport.write(held)

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def close(self) -> None:
        self._flush()
        self._transport.close()


def head_timed(head_timeout_s: float, max_head_bytes: int) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol, closing a connection that does not complete a request
    head within ``head_timeout_s`` of opening or of its previous response, or whose head
    grows past ``max_head_bytes`` (answered 431); each response leaves in one write.

    The deadline is a time, not a timer per request: a connection has one timer, and when it
    fires before the current deadline (moved on by the requests since) it is set again for it.
    """

    class HeadTimedProtocol(HttpToolsProtocol):
        _head_deadline: float | None = None
        """When the head being read must be whole (loop time); ``None`` between heads."""
        _head_timer: asyncio.TimerHandle | None = None
        _head_bytes = 0
        _writer: _OneWrite

        def data_received(self, data: bytes) -> None:
            reading_head = self._head_deadline is not None
            super().data_received(data)
            if reading_head and self._head_deadline is not None:  # the head is still not whole
                self._head_bytes += len(data)
                if self._head_bytes > max_head_bytes and not self.transport.is_closing():
                    self._stop_timer()
                    self.transport.write(_TOO_LARGE_HEAD)
                    self.transport.close()

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
                self.transport.close()

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._writer = _OneWrite(transport, self.loop)
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_timer()
            super().connection_lost(exc)

        def on_headers_complete(self) -> None:
            self._head_deadline = None
            super().on_headers_complete()
            if self.cycle is not None:
                self.cycle.transport = self._writer

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
