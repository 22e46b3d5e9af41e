"""The instrument and auction-schedule lists are bounded like every list: a ``limit`` of at
most :data:`MAX_LIMIT` and an ``after`` cursor naming the previous page's last instrument."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import Market

from kazree.api.params import MAX_LIMIT


def _get(m: Market, path: str, **params: Any) -> Any:
    r = m.client.get(path, headers=m.headers("observer"), params=params)
    assert r.status_code == 200, r.text
    return r.json()


def _names(m: Market, path: str, **params: Any) -> list[str]:
    return [item["instrument"] for item in _get(m, path, **params)]


def test_instruments_page_in_listing_order(sqlite_market: Market) -> None:
    every = _names(sqlite_market, "/v1/instruments")
    assert every == ["NDPR-OX", "DY-OX", "TB-OX", "NDFEB-N52"]
    assert _names(sqlite_market, "/v1/instruments", limit=2) == ["NDPR-OX", "DY-OX"]
    assert _names(sqlite_market, "/v1/instruments", limit=2, after="DY-OX") == every[2:]
    assert _names(sqlite_market, "/v1/instruments", after="NDPR-OX", limit=1) == ["DY-OX"]
    assert _names(sqlite_market, "/v1/instruments", after="NDFEB-N52") == []
    r = sqlite_market.client.get(
        "/v1/instruments", headers=sqlite_market.headers("trader"), params={"after": "GOLD"}
    )
    assert r.status_code == 404, r.text
    assert r.json()["code"] == "validation.unknown_instrument"


def test_auction_schedules_page_by_instrument(sqlite_market: Market) -> None:
    admin = sqlite_market.headers("admin")
    for instrument in ("NDPR-OX", "DY-OX", "TB-OX"):
        r = sqlite_market.client.put(
            f"/v1/admin/auctions/{instrument}/schedule",
            headers=admin,
            json={"opens": "09:45", "uncross": "10:00"},
        )
        assert r.status_code == 200, r.text
    assert _names(sqlite_market, "/v1/auctions") == ["DY-OX", "NDPR-OX", "TB-OX"]
    assert _names(sqlite_market, "/v1/auctions", limit=2) == ["DY-OX", "NDPR-OX"]
    assert _names(sqlite_market, "/v1/auctions", limit=2, after="NDPR-OX") == ["TB-OX"]
    # a cursor need not name a scheduled instrument: the page starts after it in name order
    assert _names(sqlite_market, "/v1/auctions", after="E") == ["NDPR-OX", "TB-OX"]
    assert _names(sqlite_market, "/v1/auctions", after="TB-OX") == []


@pytest.mark.parametrize("path", ["/v1/instruments", "/v1/auctions"])
@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"limit": 10**12}, f"query.limit = '{10**12}': Input should be less than or equal to"),
        ({"limit": MAX_LIMIT + 1}, f"query.limit = '{MAX_LIMIT + 1}': Input should be less"),
        ({"limit": 0}, "query.limit = '0': Input should be greater than or equal to 1"),
        ({"limit": "all"}, "query.limit = 'all': Input should be a valid integer"),
        ({"after": "x" * 10_000}, "query.after = 'xxxxxxxx"),
        ({"after": "DY-OX' OR 1=1"}, 'query.after = "DY-OX\' OR 1=1": String should match'),
    ],
)
def test_huge_or_malformed_bounds_are_refused_before_any_work(
    sqlite_market: Market, path: str, params: dict[str, Any], detail: str
) -> None:
    r = sqlite_market.client.get(path, headers=sqlite_market.headers("trader"), params=params)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["code"] == "request.invalid"
    assert problem["detail"].startswith(detail), problem["detail"]
    assert len(problem["detail"]) <= 300


def test_the_bounds_are_in_the_openapi_document(sqlite_market: Market) -> None:
    paths = sqlite_market.client.get("/openapi.json").json()["paths"]
    for path in ("/v1/instruments", "/v1/auctions"):
        params = {p["name"]: p for p in paths[path]["get"]["parameters"]}
        assert params["limit"]["schema"]["maximum"] == MAX_LIMIT
        assert params["limit"]["schema"]["minimum"] == 1
        after = params["after"]["schema"]["anyOf"][0]
        assert (after["maxLength"], after["pattern"][:1]) == (64, "^")
