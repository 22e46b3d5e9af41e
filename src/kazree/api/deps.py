"""Request dependencies: the service, the authenticated principal, role checks, rate limits."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from kazree.api.auth import KeyVerifier
from kazree.api.problems import ApiProblem
from kazree.exchange.core.domain import Role
from kazree.venue.service import Service
from kazree.venue.store import KeyStatus


async def get_service(request: Request) -> Service:
    """The service of the app handling ``request`` (async: no threadpool hop per request)."""
    service: Service = request.app.state.service
    return service


ServiceDep = Annotated[Service, Depends(get_service)]


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the participant behind the key, with its roles and country."""

    participant: str
    key_id: str
    roles: frozenset[Role]
    country: str

    def can(self, *roles: Role) -> bool:
        """Whether the participant holds any of ``roles``."""
        return not self.roles.isdisjoint(roles)


def client_address(connection: HTTPConnection) -> str:
    """The caller's address (as the server saw it), for limits per client."""
    return connection.client.host if connection.client else "unknown"


def _unauthorised(detail: str) -> ApiProblem:
    return ApiProblem(401, "auth.unauthenticated", detail, headers={"WWW-Authenticate": "Bearer"})


SECURITY_SCHEMES: dict[str, dict[str, str]] = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "`Authorization: Bearer kz_<id>_<secret>`",
    },
    "apiKey": {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "The same key",
    },
}
"""How a caller sends its key, as OpenAPI security schemes (either one will do)."""


def document_security(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare :data:`SECURITY_SCHEMES` on ``schema`` and require a key on every /v1 operation.

    The key is read from the headers by :func:`get_principal` rather than by FastAPI security
    dependencies, which cost more to solve on every request than the whole check.
    """
    schema.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
    either: list[dict[str, list[str]]] = [{name: []} for name in SECURITY_SCHEMES]
    for path, operations in schema.get("paths", {}).items():
        if path.startswith("/v1/"):
            for operation in operations.values():
                operation["security"] = either
    return schema


def _key(request: Request) -> str | None:
    """The API key sent as ``Authorization: Bearer <key>`` or else as ``X-API-Key``."""
    headers = request.headers
    scheme, _, credentials = (headers.get("authorization") or "").partition(" ")
    credentials = credentials.strip()
    if credentials and scheme.lower() == "bearer":
        return credentials
    return headers.get("x-api-key") or None


async def get_principal(request: Request) -> Principal:
    """Authenticate the key (401 when missing, wrong or revoked) and apply its rate limit."""
    service: Service = request.app.state.service  # read directly: one dependency less to solve
    key = _key(request)
    if not key:
        msg = "no API key: send 'Authorization: Bearer <key>' or 'X-API-Key'"
        raise _unauthorised(msg)
    verifier: KeyVerifier = request.app.state.verifier
    check = await verifier.check(key, client_address(request))
    if check.status is KeyStatus.REVOKED:
        msg = f"API key {check.key_id} was revoked; ask an admin for a new one"
        raise _unauthorised(msg)
    if check.status is not KeyStatus.VALID or check.participant is None or check.key_id is None:
        msg = "API key not recognised"
        raise _unauthorised(msg)
    wait = service.buckets.take(check.key_id)
    if wait:
        raise ApiProblem(
            429,
            "auth.rate_limited",
            f"rate limit of {service.settings.rate_per_s:g} requests/s exceeded; retry in {wait} s",
            headers={"Retry-After": str(wait)},
        )
    participant = service.sequencer.participant(check.participant)
    if participant is None:
        msg = f"participant {check.participant!r} of this key is not registered"
        raise _unauthorised(msg)
    return Principal(
        check.participant, check.key_id, frozenset(participant.roles), participant.country
    )


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting principals holding any of ``roles`` (403 otherwise).

    It authenticates itself rather than depending on :func:`get_principal`: one dependency
    less for FastAPI to solve on every request.
    """
    names = ", ".join(r.value for r in roles)

    async def check(request: Request) -> Principal:
        principal = await get_principal(request)
        if not principal.can(*roles):
            held = ", ".join(sorted(r.value for r in principal.roles)) or "none"
            raise ApiProblem(
                403,
                "auth.role_not_permitted",
                f"participant {principal.participant!r} (roles: {held}) may not do this "
                f"(allowed roles: {names})",
            )
        return principal

    return check


Trader = Annotated[Principal, Depends(require(Role.TRADER))]
Operator = Annotated[Principal, Depends(require(Role.WAREHOUSE_OPERATOR))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
Overseer = Annotated[Principal, Depends(require(Role.ADMIN, Role.OBSERVER))]
