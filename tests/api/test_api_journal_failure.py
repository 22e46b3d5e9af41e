"""A journal write that fails is answered 503 and leaves no trace in the state."""

from __future__ import annotations

import pytest
from api_support import Market
from sqlalchemy.exc import OperationalError

from kazree.exchange.durability.store import JournalStore


def test_failed_write_is_refused_whole_and_recovered(
    market: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = market.headers("trader")
    before = market.client.get("/v1/accounts/me", headers=h).json()
    real_append = JournalStore.append

    def failing(self: JournalStore, entries: object) -> None:
        raise OperationalError("INSERT", {}, Exception("disk full"))

    monkeypatch.setattr(JournalStore, "append", failing)
    body = {
        "client_order_id": "jf-1",
        "instrument": "NDPR-OX",
        "side": "buy",
        "quantity_lots": 3,
        "price_ticks": 6_050,
    }
    r = market.client.post("/v1/orders", headers=h, json=body)
    assert r.status_code == 503
    assert r.json()["code"] == "service.journal_unavailable"
    assert market.client.get("/readyz").status_code == 503
    assert market.client.get("/v1/accounts/me", headers=h).json() == before
    book = market.client.get("/v1/instruments/NDPR-OX/book", headers=h).json()
    assert book["asks"][0] == {"price_ticks": 6_050, "lots": 10}

    monkeypatch.setattr(JournalStore, "append", real_append)
    r = market.client.post("/v1/orders", headers=h, json=body)
    assert r.status_code == 201  # the same client order id: the failed one left nothing
    assert market.client.get("/readyz").status_code == 200
