"""Requests at the edge: bounded sizes and ids, strict integers, schema and behaviour agreeing,
405 with ``Allow``, 404 for unknown path ids, and the published example order accepted."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from api_support import Market

from kazree.api.app import create_app
from kazree.exchange.durability.store import database_url
from kazree.venue.settings import Settings


def _order(**changes: Any) -> dict[str, Any]:
    return {
        "client_order_id": "edge-1",
        "instrument": "NDPR-OX",
        "side": "buy",
        "quantity_lots": 1,
        "price_ticks": 5_960,
        **changes,
    }


def _journal_bytes(url: str) -> int:
    engine = sa.create_engine(database_url(url))
    try:
        with engine.connect() as conn:
            query = (
                "SELECT COALESCE(SUM(LENGTH(command) + LENGTH(events)), 0) FROM exchange_journal"
            )
            return int(conn.execute(sa.text(query)).scalar_one())
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("quantity_lots", "1"),
        ("quantity_lots", 1.0),
        ("price_ticks", "5960"),
        ("price_ticks", 5960.0),
        ("post_only", "false"),
        ("post_only", 0),
    ],
)
def test_numbers_and_flags_are_strict_json_types(
    sqlite_market: Market, field: str, value: Any
) -> None:
    r = sqlite_market.client.post(
        "/v1/orders", headers=sqlite_market.headers("trader"), json=_order(**{field: value})
    )
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "request.invalid"
    assert r.json()["detail"].startswith(f"body.{field} = {value!r}")


def test_a_replace_must_change_something_as_the_schema_says(sqlite_market: Market) -> None:
    h = sqlite_market.headers("trader")
    order_id = sqlite_market.client.post("/v1/orders", headers=h, json=_order()).json()["order_id"]
    schema = sqlite_market.client.get("/openapi.json").json()["components"]["schemas"]["ReplaceIn"]
    assert schema["minProperties"] == 1
    assert schema["properties"]["price_ticks"]["type"] == "integer"  # null is not a value
    for body in ({}, {"price_ticks": None}, {"quantity_lots": None, "price_ticks": None}):
        r = sqlite_market.client.patch(f"/v1/orders/{order_id}", headers=h, json=body)
        assert r.status_code == 422, (body, r.text)
        assert "give price_ticks, quantity_lots or both" in r.json()["detail"]
    r = sqlite_market.client.patch(f"/v1/orders/{order_id}", headers=h, json={"quantity_lots": "2"})
    assert r.status_code == 422
    r = sqlite_market.client.patch(f"/v1/orders/{order_id}", headers=h, json={"quantity_lots": 2})
    assert r.status_code == 200, r.text


def test_the_published_example_order_is_accepted_on_the_demo_market(sqlite_market: Market) -> None:
    spec = sqlite_market.client.get("/openapi.json").json()
    [example] = spec["components"]["schemas"]["OrderIn"]["examples"]
    r = sqlite_market.client.post(
        "/v1/orders", headers=sqlite_market.headers("trader"), json=example
    )
    assert r.status_code == 201, r.text
    assert r.json()["events"][0]["type"] == "accepted"


def test_method_not_allowed_names_the_allowed_methods(sqlite_market: Market) -> None:
    h = sqlite_market.headers("trader")
    cases = [
        ("PUT", "/v1/orders", {"GET", "POST"}),
        ("HEAD", "/v1/instruments", {"GET"}),
        ("PUT", "/v1/orders/1", {"GET", "PATCH", "DELETE"}),
        ("POST", "/v1/receipts/R-NDPR-KZ-1/1", {"GET", "DELETE"}),
    ]
    for method, path, allowed in cases:
        r = sqlite_market.client.request(method, path, headers=h)
        assert r.status_code == 405, path
        if method != "HEAD":
            assert r.json()["code"] == "request.method_not_allowed"
        assert set(r.headers["allow"].replace(" ", "").split(",")) == allowed, path


@pytest.mark.parametrize(
    "path",
    [
        "/v1/admin/participants/nobody/suspend",
        "/v1/admin/participants/nobody/reinstate",
        "/v1/admin/auctions/GOLD/open",
        "/v1/admin/auctions/GOLD/run",
    ],
)
def test_unknown_ids_on_admin_routes_are_404(sqlite_market: Market, path: str) -> None:
    r = sqlite_market.client.post(path, headers=sqlite_market.headers("admin"))
    assert r.status_code == 404, r.text
    assert r.json()["code"] in {"validation.unknown_participant", "validation.unknown_instrument"}
    assert r.json()["detail"].startswith("unknown ")


def test_ids_are_bounded_everywhere(sqlite_market: Market) -> None:
    h = sqlite_market.headers("admin")
    long_id = "R" * 257
    for path in (
        f"/v1/receipts/{long_id}",
        f"/v1/receipts/{long_id}/provenance",
        f"/v1/instruments/{'X' * 65}",
        f"/v1/accounts/{'p' * 65}",
        f"/v1/orders?participant={'p' * 65}",
        f"/v1/receipts?owner={'p' * 65}",
        "/v1/orders/99999999999999999999999",
    ):
        r = sqlite_market.client.get(path, headers=h)
        assert (r.status_code, r.json()["code"]) == (422, "request.invalid"), path
    r = sqlite_market.client.post(
        "/v1/orders",
        headers=sqlite_market.headers("trader"),
        json=_order(side="sell", receipt_ids=["R" + "x" * 10_000]),
    )
    assert r.status_code == 422
    assert r.json()["detail"].startswith("body.receipt_ids.0 = ")
    assert len(r.text) < 1_000  # the answer does not echo the whole input


def test_a_large_body_is_refused_before_it_is_read_and_journals_nothing(market: Market) -> None:
    before = _journal_bytes(market.url)
    h = {**market.headers("trader"), "content-type": "application/json"}
    huge = b'{"receipt_ids": ["' + b"x" * 10_000_000 + b'"]}'
    r = market.client.post("/v1/orders", headers=h, content=huge)
    assert (r.status_code, r.json()["code"]) == (413, "request.too_large")
    assert "65536 bytes" in r.json()["detail"]
    chunks = (b"x" * 65_536 for _ in range(200))  # no content-length: counted as it comes
    r = market.client.post("/v1/orders", headers=h, content=chunks)
    assert (r.status_code, r.json()["code"]) == (413, "request.too_large")
    assert _journal_bytes(market.url) == before


def test_what_a_rejected_command_journals_is_bounded(market: Market) -> None:
    """The largest sell the schema admits, refused by the engine, writes under 32 KiB."""
    before = _journal_bytes(market.url)
    ids = [f"R-{n:02d}-" + "x" * 59 + "/1" * 96 for n in range(100)]
    assert all(len(i) == 256 for i in ids)
    r = market.client.post(
        "/v1/orders",
        headers=market.headers("trader"),
        json=_order(side="sell", price_ticks=6_500, receipt_ids=ids),
    )
    assert r.status_code in (409, 422), r.text
    assert 0 < _journal_bytes(market.url) - before < 32 * 1024


def test_the_body_limit_is_documented_for_every_route_with_a_body() -> None:
    spec = create_app(Settings()).openapi()
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            if "requestBody" in op:
                assert "413" in op["responses"], (method, path)


def test_every_undeclared_method_of_every_path_is_405_with_its_allow(sqlite_market: Market) -> None:
    spec = sqlite_market.client.get("/openapi.json").json()
    methods = {"get", "post", "put", "patch", "delete"}
    example = {
        "order_id": "1",
        "receipt_id": "R-NDPR-KZ-1",
        "instrument": "NDPR-OX",
        "participant": "trader-de",
    }
    checked = 0
    for template, operations in spec["paths"].items():
        path = template.format(**example)
        declared = methods & set(operations)
        for method in sorted(methods - declared):
            r = sqlite_market.client.request(method, path, headers=sqlite_market.headers("admin"))
            assert r.status_code == 405, (method, path, r.text)
            allowed = {m.strip().lower() for m in r.headers["allow"].split(",")}
            assert allowed == declared, (method, path)
            checked += 1
    assert checked > 50
