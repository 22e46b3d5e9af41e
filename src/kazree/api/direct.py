"""Routes answered without FastAPI's per-request dependency solving: the order-entry path.

FastAPI walks a route's dependency tree on every request (sub-dependants, caches, scopes,
the body's content type parsed as a MIME header) at a cost several times that of the route's
own work. :class:`DirectRoute` is declared, validated and documented like any route, but plans
its parameters once, when the route is built: dependencies that take only the request are
awaited in order, path and query parameters and the JSON body are validated by the same
pydantic fields FastAPI would use, and the answer is serialized by the route's response field.

Whatever the plan does not cover is answered by FastAPI's own handler, so every refusal is the
one FastAPI gives, word for word: a body that is not ``application/json`` or not JSON that
``orjson`` reads, a parameter or body that fails validation (FastAPI validates it again and
answers the 422), or dependency overrides in force. Those are all decided before the first
dependency runs, so nothing (a rate-limit token, a command) is done twice.

:class:`DirectLane` goes further for the routers given to it: it answers their requests ahead
of FastAPI's routing and route wrapper (an included router's routes are matched twice per
request, and each request opens two exit stacks), under the app's own exception handlers.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, get_args, get_origin

import orjson
from fastapi import FastAPI, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import ResponseValidationError
from fastapi.routing import APIRoute, APIRouter
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
Answer = Callable[[Request], Coroutine[Any, Any, Response | None]]
"""A direct route's answer to a request, or ``None`` when the request is FastAPI's to answer."""
_JSON = ("application/json", "application/json; charset=utf-8")
"""Content types read directly (lower case); any other is left to FastAPI."""


class _Standard(Exception):
    """The request is FastAPI's to answer."""


@dataclass(frozen=True, slots=True)
class _Dependency:
    name: str
    call: Callable[..., Awaitable[Any]]
    request_param: str


def _dependencies(dependant: Dependant, path: str) -> tuple[_Dependency, ...]:
    """The route's dependencies, each a coroutine function of the request alone."""
    planned = []
    for dep in dependant.dependencies:
        name, call, request_param = dep.name, dep.call, dep.request_param_name
        if (
            name is None
            or call is None
            or request_param is None
            or not inspect.iscoroutinefunction(call)
            or dep.dependencies
            or dep.path_params
            or dep.query_params
            or dep.body_params
            or dep.header_params
            or dep.cookie_params
            or dep.security_scopes_param_name
            or dep.response_param_name
            or dep.background_tasks_param_name
        ):
            msg = f"{path}: dependency {name!r} must be an async function of the request alone"
            raise TypeError(msg)
        planned.append(_Dependency(name, call, request_param))
    return tuple(planned)


class DirectRoute(APIRoute):
    """An API route whose requests skip FastAPI's dependency solving (see the module)."""

    answer: Answer
    """The direct answer (planned with the handler)."""

    def get_route_handler(self) -> Handler:
        standard = super().get_route_handler()
        dependant = self.dependant
        plain = not (
            dependant.header_params
            or dependant.cookie_params
            or dependant.response_param_name
            or dependant.background_tasks_param_name
            or dependant.websocket_param_name
            or dependant.http_connection_param_name
            or dependant.security_scopes_param_name
            or len(dependant.body_params) > 1
            or any(getattr(f.field_info, "embed", False) for f in dependant.body_params)
            or any(_is_sequence(f.field_info.annotation) for f in dependant.query_params)
            or self.response_model_include
            or self.response_model_exclude
            or not self.response_model_by_alias
            or self.response_model_exclude_unset
            or self.response_model_exclude_defaults
            or self.response_model_exclude_none
        )
        response_field = self.response_field
        if not plain or response_field is None or not inspect.iscoroutinefunction(dependant.call):
            msg = (
                f"{self.path}: a direct route is an async function of dependencies, scalar path "
                "and query parameters and one JSON body, answered with its response model"
            )
            raise TypeError(msg)
        assert dependant.call is not None
        call = dependant.call
        dependencies = _dependencies(dependant, self.path)
        path_params = tuple(dependant.path_params)
        query_params = tuple(dependant.query_params)
        body = self.body_field
        request_param = dependant.request_param_name
        status_code = self.status_code or 200
        path = self.path

        async def answer(request: Request) -> Response | None:
            try:
                values = await _values(request)
            except _Standard:
                return None
            result = await call(**values)
            if isinstance(result, Response):
                return result
            value, errors = response_field.validate(result, {}, loc=("response",))
            if errors:  # a bug: answered 500, as FastAPI does (never run the command again)
                raise ResponseValidationError(errors, body=result, endpoint_ctx={"path": path})
            content = response_field.serialize_json(value)
            return Response(content, status_code, media_type="application/json")

        async def handler(request: Request) -> Response:
            if not request.app.dependency_overrides:
                response = await answer(request)
                if response is not None:
                    return response
            return await standard(request)

        async def _values(request: Request) -> dict[str, Any]:
            values: dict[str, Any] = {}
            if body is not None:
                values[body.name] = await _body(request)
            for field in path_params:
                values[field.name] = _valid(field, request.path_params.get(field.alias))
            for field in query_params:
                raw = request.query_params.get(field.alias)
                if raw is None:
                    if field.field_info.is_required():
                        raise _Standard
                    values[field.name] = field.field_info.get_default(call_default_factory=True)
                else:
                    values[field.name] = _valid(field, raw)
            if request_param is not None:
                values[request_param] = request
            for dep in dependencies:  # after the parameters: a refusal is FastAPI's 422
                values[dep.name] = await dep.call(**{dep.request_param: request})
            return values

        async def _body(request: Request) -> Any:
            assert body is not None
            content_type = request.headers.get("content-type", "").lower()
            if content_type not in _JSON:
                raise _Standard
            raw = await request.body()
            try:
                parsed = orjson.loads(raw)
            except orjson.JSONDecodeError:
                raise _Standard from None
            return _valid(body, parsed)

        self.answer = answer
        return handler


class DirectLane:
    """ASGI middleware answering the requests of the direct routes of ``routers`` ahead of
    FastAPI's routing, under the app's exception handlers (as FastAPI's would answer them).

    The routers must be the first the app includes, without a prefix, so that the app's router
    picks the same route for every request the lane takes. A request the route cannot answer
    directly (see the module), and every request while dependency overrides are in force,
    goes on down the middleware stack, its body (if read) given again.
    """

    def __init__(self, app: ASGIApp, routers: Sequence[APIRouter]) -> None:
        self.app = app
        self._routes = tuple(
            route for router in routers for route in router.routes if isinstance(route, DirectRoute)
        )
        self._handled: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for route in self._routes:
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    app: FastAPI = scope["app"]
                    if app.dependency_overrides:
                        break
                    scope.update(child_scope)  # as the app's router would
                    scope.setdefault("router", app.router)
                    handled = self._handled or self._handlers(app)
                    await handled(scope, receive, send)
                    return
        await self.app(scope, receive, send)

    def _handlers(self, app: FastAPI) -> ASGIApp:
        """:meth:`_answer` under the app's exception handlers, as FastAPI installs them."""
        handlers = {k: v for k, v in app.exception_handlers.items() if k not in (500, Exception)}
        self._handled = ExceptionMiddleware(self._answer, handlers=handlers, debug=app.debug)
        return self._handled

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        route: DirectRoute = scope["route"]
        request = Request(scope, receive, send)
        response = await route.answer(request)
        if response is None:
            await self.app(scope, _replayed(await request.body(), receive), send)
            return
        await response(scope, receive, send)


def _replayed(body: bytes, receive: Receive) -> Receive:
    """``receive`` with ``body`` (read from it already) given first, whole."""
    given = False

    async def replayed() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


def _is_sequence(annotation: Any) -> bool:
    """Whether a parameter takes several values (``list[str]``, ``tuple[int, ...] | None``)."""
    sequences = (list, set, frozenset, tuple)
    return any(
        a in sequences or get_origin(a) in sequences for a in (annotation, *get_args(annotation))
    )


def _valid(field: Any, raw: Any) -> Any:
    """``raw`` validated by ``field`` (a FastAPI model field); :class:`_Standard` if invalid."""
    value, errors = field.validate(raw, {}, loc=())
    if errors:
        raise _Standard
    return value
