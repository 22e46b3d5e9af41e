"""Limits at the HTTP edge: the size of a request body, read no further than the limit, and
how long its parts may take to arrive.

A pure ASGI middleware (no per-request task or buffering): a ``Content-Length`` over the limit
is answered 413 before the body is read; a body without one is counted as it arrives and cut
off at the limit (raising the 413 that the app's error handlers answer). A part of the body
already received (a small body arrives with its head) is taken without arming a timer: only a
receive that has to wait runs under the deadline.
"""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from typing import Any, cast

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kazree.api.problems import problem_response

MAX_BODY_BYTES = 64 * 1024
"""Largest request body accepted, in bytes (the largest valid body, a receipt with 50 custody
steps, is about 40 KiB)."""


BODY_TIMEOUT_S = 10.0
"""Longest wait for the next part of a request body, in seconds."""


class _Resumed:
    """The rest of an awaitable already run up to its first wait (the ``signal`` it yielded to
    the event loop): awaiting this carries on as awaiting the original would have."""

    __slots__ = ("_signal", "_steps")

    def __init__(self, steps: Generator[Any, Any, Message], signal: object) -> None:
        self._steps = steps
        self._signal = signal

    def __await__(self) -> Generator[Any, Any, Message]:
        steps, signal = self._steps, self._signal
        while True:
            try:
                sent = yield signal
            except GeneratorExit:
                steps.close()
                raise
            except BaseException as exc:  # a cancellation thrown into the waiting task
                try:
                    signal = steps.throw(exc)
                except StopIteration as done:
                    return cast(Message, done.value)
            else:
                try:
                    signal = steps.send(sent)
                except StopIteration as done:
                    return cast(Message, done.value)


async def _receive_within(receive: Receive, seconds: float) -> Message:
    """``receive()``; :class:`TimeoutError` if it waits for longer than ``seconds``.

    The receive is run up to its first wait; one that completes without waiting needs no timer
    (:func:`asyncio.timeout` costs more than the rest of a small request's body handling).
    """
    steps = receive().__await__()
    try:
        signal = steps.send(None)
    except StopIteration as done:
        return cast(Message, done.value)
    async with asyncio.timeout(seconds):
        return await _Resumed(steps, signal)


def _content_length(headers: list[tuple[bytes, bytes]]) -> bytes | None:
    """The ``Content-Length`` header's value, if sent (without building a dict per request)."""
    for name, value in headers:
        if name == b"content-length":
            return value
    return None


class BodyLimit:
    """Answer 413 ``request.too_large`` to a request whose body exceeds ``max_bytes``, and
    408 ``request.timeout`` to one whose body stalls for ``timeout_s``."""

    def __init__(
        self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES, timeout_s: float = BODY_TIMEOUT_S
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope["headers"])
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        seen = 0
        complete = False

        async def counted() -> Message:
            nonlocal seen, complete
            if complete:  # the body is in: the app now only listens for a disconnect
                return await receive()
            try:
                message = await _receive_within(receive, self.timeout_s)
            except TimeoutError:
                detail = f"body: no data for {self.timeout_s:g} s; send the whole body promptly"
                raise HTTPException(408, detail, headers={"Connection": "close"}) from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:  # the app's handlers answer 413
                    raise HTTPException(413, self._detail())
                complete = not message.get("more_body", False)
            return message

        await self.app(scope, counted, send)

    def _detail(self) -> str:
        return f"body: larger than {self.max_bytes} bytes (the limit of every request)"

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(Request(scope), 413, "request.too_large", self._detail())
        response.headers["Connection"] = "close"
        await response(scope, receive, send)
