"""How ``kazree serve`` runs uvicorn: timeouts for idle, slow and half-open connections, and
bounds on connections and frames.

uvicorn times out a keep-alive connection between requests, but not a connection that never
completes a request head (opened and left idle, or sending headers a byte at a time): the
HTTP protocol here adds that deadline. A body that stalls is cut off by
:class:`~kazree.api.limits.BodyLimit`; a WebSocket whose peer stops answering pings is closed
by uvicorn.
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


def head_timed(head_timeout_s: float) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol, closing a connection that does not complete a request
    head within ``head_timeout_s`` of opening or of its previous response."""

    class HeadTimedProtocol(HttpToolsProtocol):
        _head_timer: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            self._disarm()
            self._head_timer = self.loop.call_later(head_timeout_s, self._head_timed_out)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_timed_out(self) -> None:
            self._head_timer = None
            if not self.transport.is_closing():
                self.transport.close()

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()

    return HeadTimedProtocol


def uvicorn_options(limits: ServerLimits | None = None) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` / ``uvicorn.Config`` enforcing ``limits``."""
    limits = limits or ServerLimits()
    return {
        "http": head_timed(limits.head_timeout_s),
        "timeout_keep_alive": limits.keep_alive_s,
        "limit_concurrency": limits.max_connections,
        "ws_ping_interval": limits.ws_ping_interval_s,
        "ws_ping_timeout": limits.ws_ping_timeout_s,
        "ws_max_size": limits.ws_max_frame_bytes,
    }
