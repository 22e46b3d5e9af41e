"""Permission matrix: every route x every role, no key, a wrong key and a revoked key.

Each route has one entry: how to build a request (fresh resources where the call changes
state) and the status each principal must get. A route of the app without an entry fails
``test_every_route_is_in_the_matrix``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_support import Market, database, demo_market
from fastapi.routing import APIRoute, APIWebSocketRoute
from starlette.websockets import WebSocketDisconnect

from databases import BACKENDS
from kazree.api.app import ROUTERS

_counter = itertools.count(1)

Request = tuple[str, dict[str, Any] | None]
"""(path, JSON body)."""


def _order(m: Market, who: str = "trader") -> int:
    r = m.client.post(
        "/v1/orders",
        headers=m.headers(who),
        json={
            "client_order_id": f"perm-{next(_counter)}",
            "instrument": "NDPR-OX",
            "side": "buy",
            "quantity_lots": 1,
            "price_ticks": 5_500,
        },
    )
    assert r.status_code == 201, r.text
    order_id: int = r.json()["order_id"]
    return order_id


def _receipt_body() -> dict[str, Any]:
    return {
        "receipt_id": f"R-PERM-{next(_counter)}",
        "owner": "trader-kz",
        "warehouse": "KZ-UST",
        "product": "NdPr-oxide",
        "quantity_kg": 100,
        "assay": {"certificate_id": "AS-1", "laboratory": "lab", "purity_bp": 9960},
        "provenance": [
            {
                "stage": "mine",
                "country": "KZ",
                "facility": "mine",
                "date": "2026-01-01",
                "certifier": "c",
            }
        ],
    }


def _fresh_receipt(m: Market) -> str:
    body = _receipt_body()
    r = m.client.post("/v1/receipts", headers=m.headers("operator"), json=body)
    assert r.status_code == 201, r.text
    receipt_id: str = body["receipt_id"]
    return receipt_id


def _fresh_participant(m: Market) -> str:
    name = f"p-{next(_counter)}"
    r = m.client.post(
        "/v1/admin/participants",
        headers=m.headers("admin"),
        json={"participant": name, "country": "KZ", "roles": ["trader"]},
    )
    assert r.status_code == 201, r.text
    return name


def _in_call_phase(m: Market) -> None:
    r = m.client.get("/v1/instruments/TB-OX/auction", headers=m.headers("admin"))
    if not r.json()["in_call_phase"]:
        opened = m.client.post("/v1/admin/auctions/TB-OX/open", headers=m.headers("admin"))
        assert opened.status_code == 200, opened.text


ALL_ROLES = ("admin", "operator", "trader", "other_trader", "observer")


def _only(ok: int, *roles: str, others: int = 403) -> dict[str, int]:
    return {r: (ok if r in roles else others) for r in ALL_ROLES}


def _everyone(ok: int = 200) -> dict[str, int]:
    return dict.fromkeys(ALL_ROLES, ok)


@dataclass(frozen=True)
class Route:
    """One route: its method and path template, a request builder and the expected statuses."""

    method: str
    path: str
    build: Callable[[Market], Request]
    expect: dict[str, int]
    public: bool = False
    extra: dict[str, int] = field(default_factory=dict)

    def status_for(self, who: str) -> int:
        if who in ALL_ROLES:
            return self.expect[who]
        return self.expect["admin"] if self.public else 401


def _static(path: str, body: dict[str, Any] | None = None) -> Callable[[Market], Request]:
    return lambda _m: (path, body)


def _new_order_body(_m: Market) -> Request:
    return (
        "/v1/orders",
        {
            "client_order_id": f"perm-{next(_counter)}",
            "instrument": "NDPR-OX",
            "side": "buy",
            "quantity_lots": 1,
            "price_ticks": 5_500,
        },
    )


def _cash(path: str) -> Callable[[Market], Request]:
    return _static(path, {"participant": "trader-us", "currency": "USD", "amount": 100})


def _suspend(m: Market) -> Request:
    return (f"/v1/admin/participants/{_fresh_participant(m)}/suspend", None)


def _reinstate(m: Market) -> Request:
    name = _fresh_participant(m)
    r = m.client.post(f"/v1/admin/participants/{name}/suspend", headers=m.headers("admin"))
    assert r.status_code == 200, r.text
    return (f"/v1/admin/participants/{name}/reinstate", None)


def _run_auction(m: Market) -> Request:
    _in_call_phase(m)
    return ("/v1/admin/auctions/TB-OX/run", None)


def _open_auction(m: Market) -> Request:
    r = m.client.get("/v1/instruments/TB-OX/auction", headers=m.headers("admin"))
    if r.json()["in_call_phase"]:
        ran = m.client.post("/v1/admin/auctions/TB-OX/run", headers=m.headers("admin"))
        assert ran.status_code == 200, ran.text
    return ("/v1/admin/auctions/TB-OX/open", None)


def _quiet_schedule() -> dict[str, Any]:
    """A daily window a few hours from now, so the scheduler does nothing during the test."""
    start = datetime.now(UTC) + timedelta(hours=3)
    return {"opens": f"{start:%H}:00", "uncross": f"{start:%H}:30"}


def _scheduled(m: Market) -> Request:
    r = m.client.put(
        "/v1/admin/auctions/NDFEB-N52/schedule", headers=m.headers("admin"), json=_quiet_schedule()
    )
    assert r.status_code == 200, r.text
    return ("/v1/admin/auctions/NDFEB-N52/schedule", None)


OWNER_VIEW = {
    "trader": 200,
    "other_trader": 403,
    "admin": 200,
    "observer": 200,
    "operator": 403,
}

ROUTES = [
    Route("GET", "/healthz", _static("/healthz"), _everyone(), public=True),
    Route("GET", "/readyz", _static("/readyz"), _everyone(), public=True),
    Route("GET", "/v1/instruments", _static("/v1/instruments"), _everyone()),
    Route("GET", "/v1/instruments/{instrument}", _static("/v1/instruments/DY-OX"), _everyone()),
    Route("GET", "/v1/auctions", _static("/v1/auctions"), _everyone()),
    Route(
        "GET",
        "/v1/instruments/{instrument}/book",
        _static("/v1/instruments/DY-OX/book"),
        _everyone(),
    ),
    Route(
        "GET",
        "/v1/instruments/{instrument}/trades",
        _static("/v1/instruments/DY-OX/trades"),
        _everyone(),
    ),
    Route(
        "GET",
        "/v1/instruments/{instrument}/reference-prices",
        _static("/v1/instruments/DY-OX/reference-prices"),
        _everyone(),
    ),
    Route(
        "GET",
        "/v1/instruments/{instrument}/auction",
        _static("/v1/instruments/DY-OX/auction"),
        _everyone(),
    ),
    Route("POST", "/v1/orders", _new_order_body, _only(201, "trader", "other_trader")),
    Route("GET", "/v1/orders", _static("/v1/orders"), _everyone()),
    Route(
        "GET",
        "/v1/orders/{order_id}",
        lambda m: (f"/v1/orders/{_order(m)}", None),
        OWNER_VIEW,
    ),
    Route(
        "PATCH",
        "/v1/orders/{order_id}",
        lambda m: (f"/v1/orders/{_order(m)}", {"quantity_lots": 1, "price_ticks": 5_400}),
        _only(200, "trader"),
    ),
    Route(
        "DELETE",
        "/v1/orders/{order_id}",
        lambda m: (f"/v1/orders/{_order(m)}", None),
        _only(200, "trader"),
    ),
    Route("GET", "/v1/order-history", _static("/v1/order-history"), _everyone()),
    Route("GET", "/v1/fills", _static("/v1/fills?participant=trader-de"), OWNER_VIEW),
    Route("GET", "/v1/positions", _static("/v1/positions?participant=trader-de"), OWNER_VIEW),
    Route(
        "GET",
        "/v1/oversight/trades",
        _static("/v1/oversight/trades"),
        _only(200, "admin", "observer"),
    ),
    Route(
        "GET",
        "/v1/oversight/refusals",
        _static("/v1/oversight/refusals"),
        _only(200, "admin", "observer"),
    ),
    Route(
        "GET",
        "/v1/oversight/audit",
        _static("/v1/oversight/audit"),
        _only(200, "admin", "observer"),
    ),
    Route("GET", "/v1/accounts/me", _static("/v1/accounts/me"), _everyone()),
    Route("GET", "/v1/accounts/{participant}", _static("/v1/accounts/trader-de"), OWNER_VIEW),
    Route("GET", "/v1/receipts", _static("/v1/receipts"), _everyone()),
    Route(
        "POST", "/v1/receipts", lambda _m: ("/v1/receipts", _receipt_body()), _only(201, "operator")
    ),
    Route(
        "GET",
        "/v1/receipts/{receipt_id}",
        _static("/v1/receipts/R-NDFEB-DE-1"),
        {**OWNER_VIEW, "operator": 200},
    ),
    Route(
        "GET",
        "/v1/receipts/{receipt_id}/provenance",
        _static("/v1/receipts/R-NDFEB-DE-1/provenance"),
        _everyone(),
    ),
    Route(
        "DELETE",
        "/v1/receipts/{receipt_id}",
        lambda m: (f"/v1/receipts/{_fresh_receipt(m)}", None),
        _only(200, "operator"),
    ),
    Route(
        "POST",
        "/v1/admin/participants",
        lambda _m: (
            "/v1/admin/participants",
            {"participant": f"p-{next(_counter)}", "country": "DE", "roles": ["trader"]},
        ),
        _only(201, "admin"),
    ),
    Route(
        "POST",
        "/v1/admin/instruments",
        lambda _m: (
            "/v1/admin/instruments",
            {
                "instrument": f"TB-METAL-{next(_counter)}",
                "product": "Tb-metal",
                "min_purity_bp": 9990,
                "lot_kg": 10,
                "tick_minor_per_kg": 1,
                "currency": "USD",
                "warehouse": "KZ-UST",
                "reference_ticks": 125_000,
            },
        ),
        _only(201, "admin"),
    ),
    Route("POST", "/v1/admin/deposits", _cash("/v1/admin/deposits"), _only(200, "admin")),
    Route("POST", "/v1/admin/withdrawals", _cash("/v1/admin/withdrawals"), _only(200, "admin")),
    Route("POST", "/v1/admin/participants/{participant}/suspend", _suspend, _only(200, "admin")),
    Route(
        "POST",
        "/v1/admin/participants/{participant}/reinstate",
        _reinstate,
        _only(200, "admin"),
    ),
    Route("POST", "/v1/admin/auctions/{instrument}/open", _open_auction, _only(200, "admin")),
    Route("POST", "/v1/admin/auctions/{instrument}/run", _run_auction, _only(200, "admin")),
    Route(
        "PUT",
        "/v1/admin/auctions/{instrument}/schedule",
        lambda _m: ("/v1/admin/auctions/NDFEB-N52/schedule", _quiet_schedule()),
        _only(200, "admin"),
    ),
    Route("DELETE", "/v1/admin/auctions/{instrument}/schedule", _scheduled, _only(204, "admin")),
]

WEBSOCKETS = {"/v1/ws"}
WHO = (*ALL_ROLES, "none", "wrong", "revoked")


@pytest.fixture(scope="module", params=BACKENDS)
def shared_market(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Market]:
    """One demo market per backend for the whole matrix (whose many wrong and revoked keys
    from one address would otherwise meet the limit on failed authentications)."""
    tmp = tmp_path_factory.mktemp("perm")
    with database(request.param, tmp) as url, demo_market(url, auth_failure_burst=10_000) as m:
        yield m


def test_every_route_is_in_the_matrix(shared_market: Market) -> None:
    routes = [r for router in ROUTERS for r in router.routes]
    app_routes = {
        (method, r.path_format) for r in routes if isinstance(r, APIRoute) for method in r.methods
    }
    assert app_routes == {(r.method, r.path) for r in ROUTES}
    assert {r.path for r in routes if isinstance(r, APIWebSocketRoute)} == WEBSOCKETS
    schema = shared_market.client.get("/openapi.json").json()
    documented = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}
    assert documented == app_routes


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_route_answers_each_principal(shared_market: Market, route: Route, who: str) -> None:
    path, body = route.build(shared_market)
    r = shared_market.client.request(
        route.method, path, headers=shared_market.headers(who), json=body
    )
    assert r.status_code == route.status_for(who), r.text
    if r.status_code >= 400:
        assert r.headers["content-type"] == "application/problem+json"
        problem = r.json()
        assert problem["status"] == r.status_code
        assert problem["instance"] == path.partition("?")[0]  # the path, without the query
        assert problem["code"].startswith("auth.")
    if r.status_code == 401:
        assert r.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("who", WHO)
def test_websocket_answers_each_principal(shared_market: Market, who: str) -> None:
    with shared_market.client.websocket_connect("/v1/ws", headers=shared_market.headers(who)) as ws:
        if who in ALL_ROLES:
            ws.send_json({"op": "subscribe", "channel": "book", "instrument": "DY-OX"})
            snapshot = ws.receive_json()
            assert snapshot["type"] == "snapshot"
            assert snapshot["instrument"] == "DY-OX"
        else:
            error = ws.receive_json()
            assert error["code"] == "auth.unauthenticated"
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
            assert closed.value.code == 4401
