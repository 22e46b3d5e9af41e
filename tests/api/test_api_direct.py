"""The order routes skip FastAPI's dependency solving, yet answer every request exactly as
FastAPI would: the same status and body, refusals word for word."""

from __future__ import annotations

import json
import pathlib
import shutil
from typing import Annotated, Any

import fastapi.routing
import pytest
from api_support import Market, demo_market
from fastapi import APIRouter, Depends, FastAPI, Header, Path, Query, Request
from fastapi.testclient import TestClient
from starlette.routing import Match

from kazree.api.app import DIRECT_ROUTERS
from kazree.api.direct import DirectRoute


def _unrelated() -> None:
    """A dependency no route has: overriding it sends every request the standard way."""


ORDER = {"instrument": "NDPR-OX", "side": "buy", "quantity_lots": 1, "price_ticks": 5_960}

# (method, path, who, body or raw bytes, extra headers)
CASES: list[tuple[str, str, str, Any, dict[str, str]]] = [
    ("POST", "/v1/orders", "trader", {**ORDER, "client_order_id": "same-1"}, {}),
    ("POST", "/v1/orders", "trader", {**ORDER, "client_order_id": "same-1"}, {}),  # 409
    ("POST", "/v1/orders", "none", {**ORDER, "client_order_id": "d-2"}, {}),
    ("POST", "/v1/orders", "wrong", {**ORDER, "client_order_id": "d-3"}, {}),
    ("POST", "/v1/orders", "revoked", {**ORDER, "client_order_id": "d-4"}, {}),
    ("POST", "/v1/orders", "observer", {**ORDER, "client_order_id": "d-5"}, {}),
    ("POST", "/v1/orders", "trader", {**ORDER, "quantity_lots": 1.0, "client_order_id": "d"}, {}),
    ("POST", "/v1/orders", "trader", {**ORDER, "client_order_id": "d-6", "extra": 1}, {}),
    ("POST", "/v1/orders", "trader", {**ORDER}, {}),
    ("POST", "/v1/orders", "trader", b'{"client_order_id": ', {}),
    ("POST", "/v1/orders", "trader", b"", {}),
    ("POST", "/v1/orders", "trader", b"[1, 2]", {}),
    ("POST", "/v1/orders", "trader", b'{"price_ticks": NaN}', {}),
    ("POST", "/v1/orders", "trader", b'{"quantity_lots": 1e400}', {}),
    ("POST", "/v1/orders", "trader", b'{"quantity_lots": 123456789012345678901234567890}', {}),
    ("POST", "/v1/orders", "trader", b'{"a": "\\ud800"}', {}),
    (
        "POST",
        "/v1/orders",
        "trader",
        {**ORDER, "client_order_id": "d-7"},
        {"content-type": "text/plain"},
    ),
    (
        "POST",
        "/v1/orders",
        "trader",
        {**ORDER, "client_order_id": "d-8", "price_per_kg": "1e400"},
        {},
    ),
    ("POST", "/v1/orders", "trader", {**ORDER, "instrument": "GOLD", "client_order_id": "d-9"}, {}),
    ("PATCH", "/v1/orders/1", "trader", {"quantity_lots": 2}, {}),
    ("PATCH", "/v1/orders/abc", "trader", {"quantity_lots": 2}, {}),
    ("PATCH", "/v1/orders/0", "none", {"quantity_lots": 2}, {}),
    ("PATCH", "/v1/orders/999999", "trader", {}, {}),
    ("DELETE", "/v1/orders/999999", "trader", None, {}),
    ("DELETE", "/v1/orders/99999999999999999999", "trader", None, {}),
    ("GET", "/v1/orders", "trader", None, {}),
    ("GET", "/v1/orders?limit=0", "trader", None, {}),
    ("GET", "/v1/orders?limit=2&participant=trader-jp", "trader", None, {}),
    ("GET", "/v1/orders?participant=trader-jp", "admin", None, {}),
    ("GET", "/v1/orders?participant=bad%20id", "admin", None, {}),
    ("GET", "/v1/orders/1", "observer", None, {}),
    ("GET", "/v1/orders/123456", "trader", None, {}),
]


def _answers(m: Market) -> list[tuple[int, Any]]:
    out = []
    for method, path, who, body, headers in CASES:
        sent = {**m.headers(who), **headers}
        if isinstance(body, bytes):
            sent.setdefault("content-type", "application/json")
            r = m.client.request(method, path, headers=sent, content=body)
        elif body is not None and "content-type" in headers:
            r = m.client.request(method, path, headers=sent, content=json.dumps(body))
        else:
            r = m.client.request(method, path, headers=sent, json=body)
        out.append((r.status_code, _timeless(r.json())))
    return out


def _timeless(answer: Any) -> Any:
    """``answer`` without the clock's readings, which differ between two runs."""
    if isinstance(answer, dict):
        return {k: _timeless(v) for k, v in answer.items() if k not in {"ts", "updated_ts"}}
    if isinstance(answer, list):
        return [_timeless(v) for v in answer]
    return answer


def test_direct_and_standard_answers_are_the_same(
    tmp_path: pathlib.Path,
    sqlite_template: tuple[pathlib.Path, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    solved = []
    real = fastapi.routing.solve_dependencies

    async def counted(**kwargs: Any) -> Any:
        solved.append(kwargs["request"].url.path)
        return await real(**kwargs)

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", counted)
    template, keys = sqlite_template
    answers = []
    for way in ("direct", "standard"):
        shutil.copy(template, tmp_path / f"{way}.db")
        with demo_market(f"sqlite:///{tmp_path / f'{way}.db'}", keys) as m:
            if way == "standard":
                m.client.app.dependency_overrides[_unrelated] = _unrelated  # type: ignore[attr-defined]
            solved.clear()
            answers.append(_answers(m))
        if way == "direct":  # the valid requests skipped the solving
            assert solved.count("/v1/orders") < len(CASES) // 2
        else:  # all solved, but for the unreadable JSON, refused first
            assert len(solved) == len(CASES) - 1
    direct, answered = answers
    assert [a[0] for a in direct] == [a[0] for a in answered]
    assert direct == answered
    statuses = {status for status, _ in direct}
    assert {200, 201, 401, 403, 404, 409, 422} <= statuses


def test_a_valid_order_skips_dependency_solving(
    sqlite_market: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def refuse(**kwargs: Any) -> Any:
        raise AssertionError("solved the FastAPI way")

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", refuse)
    h = sqlite_market.headers("trader")
    r = sqlite_market.client.post("/v1/orders", headers=h, json={**ORDER, "client_order_id": "s"})
    assert r.status_code == 201, r.text
    order_id = r.json()["order_id"]
    r = sqlite_market.client.patch(f"/v1/orders/{order_id}", headers=h, json={"quantity_lots": 3})
    assert r.status_code == 200, r.text
    assert sqlite_market.client.delete(f"/v1/orders/{order_id}", headers=h).status_code == 200


def test_the_lane_answers_order_requests_without_the_router(
    sqlite_market: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = sqlite_market.client.app
    routed: list[tuple[str, str]] = []
    inner = app.router.middleware_stack  # type: ignore[attr-defined]

    async def counted(scope: Any, receive: Any, send: Any) -> None:
        routed.append((scope["method"], scope["path"]))
        await inner(scope, receive, send)

    monkeypatch.setattr(app.router, "middleware_stack", counted)  # type: ignore[attr-defined]
    h = sqlite_market.headers("trader")
    r = sqlite_market.client.post("/v1/orders", headers=h, json={**ORDER, "client_order_id": "l"})
    assert r.status_code == 201, r.text
    order_id = r.json()["order_id"]
    r = sqlite_market.client.patch(f"/v1/orders/{order_id}", headers=h, json={"quantity_lots": 2})
    assert r.status_code == 200, r.text
    listed = sqlite_market.client.get("/v1/orders", headers=h).json()
    assert [o["remaining_lots"] for o in listed if o["order_id"] == order_id] == [2]
    assert sqlite_market.client.delete(f"/v1/orders/{order_id}", headers=h).status_code == 200
    assert routed == []
    bad = {**ORDER, "client_order_id": "l2", "quantity_lots": 1.0}
    r = sqlite_market.client.post("/v1/orders", headers=h, json=bad)  # FastAPI's 422
    assert (r.status_code, r.json()["detail"]) == (
        422,
        "body.quantity_lots = 1.0: Input should be a valid integer",
    )
    assert sqlite_market.client.put("/v1/orders", headers=h).status_code == 405
    assert routed == [("POST", "/v1/orders"), ("PUT", "/v1/orders")]


def _sync_dependency(request: Request) -> int:
    return 1


async def _header_dependency(x_token: Annotated[str, Header()]) -> str:
    return x_token


async def _caller(request: Request) -> str:
    return request.headers.get("x-caller", "nobody")


async def _with_header(trace: Annotated[str, Header()]) -> int:
    return 1


async def _with_sync(value: Annotated[int, Depends(_sync_dependency)]) -> int:
    return value


async def _with_nested(value: Annotated[str, Depends(_header_dependency)]) -> str:
    return value


async def _with_list(ids: Annotated[list[int], Query()]) -> int:
    return len(ids)


async def _fine(
    caller: Annotated[str, Depends(_caller)], n: Annotated[int, Path(ge=1)], times: int = 2
) -> dict[str, Any]:
    return {"caller": caller, "n": n * times}


@pytest.mark.parametrize("endpoint", [_with_header, _with_sync, _with_nested, _with_list])
def test_routes_it_cannot_answer_directly_are_refused_when_built(endpoint: Any) -> None:
    router = APIRouter(route_class=DirectRoute)
    with pytest.raises(TypeError, match=r"^/x: (a direct route|dependency 'value')"):
        router.add_api_route("/x", endpoint, methods=["GET"])


def test_a_direct_route_answers_dependencies_path_and_query() -> None:
    app = FastAPI()
    router = APIRouter(route_class=DirectRoute)
    router.add_api_route("/fine/{n}", _fine, methods=["GET"])
    app.include_router(router)
    with TestClient(app) as client:
        r = client.get("/fine/4?times=3", headers={"x-caller": "me"})
        assert (r.status_code, r.json()) == (200, {"caller": "me", "n": 12})
        assert client.get("/fine/5").json() == {"caller": "nobody", "n": 10}
        r = client.get("/fine/0")
        assert r.status_code == 422
        assert r.json()["detail"][0]["loc"] == ["path", "n"]


RAN: list[int] = []


async def _off_model(n: Annotated[int, Path()]) -> Any:
    RAN.append(n)
    return {"n": n} if n % 2 == 0 else {"n": "not a number"}


def test_an_answer_off_its_model_is_an_error_and_the_endpoint_runs_once() -> None:
    app = FastAPI()
    router = APIRouter(route_class=DirectRoute)
    router.add_api_route("/n/{n}", _off_model, methods=["POST"], response_model=dict[str, int])
    app.include_router(router)
    RAN.clear()
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.post("/n/2").json() == {"n": 2}
        assert client.post("/n/3").status_code == 500
    assert RAN == [2, 3]


def test_the_app_routes_every_request_of_the_lane_to_the_same_route(sqlite_market: Market) -> None:
    # The lane picks its route before FastAPI's router does; the answer is the same only if the
    # app's router would pick that route too (its routers mounted first, without a prefix).
    app = sqlite_market.client.app
    lane = [r for router in DIRECT_ROUTERS for r in router.routes if isinstance(r, DirectRoute)]
    assert lane
    for route in lane:
        path = route.path.replace("{order_id}", "7")
        for method in route.methods:
            scope = {"type": "http", "method": method, "path": path, "root_path": ""}
            chosen = next(r for r in app.router.routes if r.matches(scope)[0] is Match.FULL)
            # FastAPI keeps an included router as one route of the app's router
            assert getattr(chosen, "original_router", chosen) in DIRECT_ROUTERS, (method, path)
