"""RFC 9457 problem details: one exception type, one handler, every error as problem+json."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from kazree.errors import KazreeError

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://kazree.org/problems/"

_log = logging.getLogger("kazree.api")


class Problem(BaseModel):
    """An error answer: what went wrong, in words a person can act on."""

    type: str = Field(examples=[TYPE_BASE + "forbidden"])
    title: str = Field(examples=["Forbidden"])
    status: int = Field(examples=[403])
    detail: str = Field(examples=["role observer may not place orders (allowed: trader)"])
    instance: str = Field(examples=["/v1/orders"])
    code: str = Field(examples=["auth.role_not_permitted"])


class ApiProblem(Exception):
    """Raised anywhere in a request to answer with a problem document."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers


TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    409: "Conflict",
    413: "Content Too Large",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def problem_response(
    request: Request,
    status: int,
    code: str,
    detail: str,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A problem+json response for ``request``."""
    slug = code.replace(".", "/").replace("_", "-")
    body = Problem(
        type=TYPE_BASE + slug,
        title=TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        instance=request.url.path,
        code=code,
    )
    return JSONResponse(
        body.model_dump(), status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE
    )


def _describe_validation(exc: RequestValidationError) -> str:
    """One line per problem: where (``body.price_ticks``), what was given, what is allowed."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()))
        msg = str(err.get("msg", "invalid"))
        given: Any = err.get("input")
        if err.get("type") == "missing":
            parts.append(f"{where}: required")
        else:
            parts.append(f"{where} = {given!r}: {msg}"[:300])
    return "; ".join(parts) or "invalid request"


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """The methods some route of the app answers on ``request``'s path."""
    routes = request.app.router.routes
    return [
        method
        for method in METHODS
        if any(r.matches({**request.scope, "method": method})[0] is Match.FULL for r in routes)
    ]


def install(app: FastAPI) -> None:
    """Map every error the app can meet to problem+json."""

    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiProblem)
        return problem_response(request, exc.status, exc.code, exc.detail, exc.headers)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return problem_response(request, 422, "request.invalid", _describe_validation(exc))

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400:  # an unreadable body: a request mistake like any other
            detail = f"body: {exc.detail} (send a UTF-8 JSON object)"
            return problem_response(request, 422, "request.invalid", detail)
        code = {
            404: "request.not_found",
            405: "request.method_not_allowed",
            408: "request.timeout",
            413: "request.too_large",
        }.get(exc.status_code, "request.error")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # every method of the path, not only the first route's
            headers["Allow"] = ", ".join(allowed_methods(request))
        return problem_response(request, exc.status_code, code, str(exc.detail), headers)

    async def on_user_error(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(request, 422, "request.invalid", str(exc))

    async def on_bug(request: Request, exc: Exception) -> JSONResponse:
        _log.error("unhandled error on %s", request.url.path, exc_info=exc)
        return problem_response(request, 500, "service.internal", "internal error; it was logged")

    app.add_exception_handler(ApiProblem, on_problem)
    app.add_exception_handler(Exception, on_bug)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(KazreeError, on_user_error)


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "model": Problem,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        "description": title,
    }
    for status, title in TITLES.items()
    if status in (401, 403, 404, 409, 413, 422, 429, 503)
}
"""The error answers every /v1 route documents in OpenAPI."""
