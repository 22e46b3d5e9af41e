"""Orders through the service: acks with real fills, accounts, cancels, replaces, errors."""

from __future__ import annotations

from api_support import Market


def _buy(m: Market, who: str, cid: str, price: int, lots: int, instrument: str = "NDPR-OX"):
    return m.client.post(
        "/v1/orders",
        headers=m.headers(who),
        json={
            "client_order_id": cid,
            "instrument": instrument,
            "side": "buy",
            "quantity_lots": lots,
            "price_ticks": price,
        },
    )


def test_crossing_buy_trades_and_settles(market: Market) -> None:
    before = market.client.get("/v1/accounts/me", headers=market.headers("trader")).json()
    r = _buy(market, "trader", "t-1", 6_050, 3)
    assert r.status_code == 201
    ack = r.json()
    trade = next(e for e in ack["events"] if e["type"] == "trade")
    # the demo's resting sell of trader-kz at 6,050 ticks; lot 100 kg, tick 1 cent/kg
    assert (trade["price_ticks"], trade["quantity_lots"]) == (6_050, 3)
    assert (trade["buyer"], trade["seller"]) == ("trader-de", "trader-kz")
    notional = 6_050 * 3 * 100
    assert trade["buyer_fee"] == -(-notional * 10 // 10_000)  # taker 10 bp, rounded up
    assert ack["journal_seq"] > 0
    after = market.client.get("/v1/accounts/me", headers=market.headers("trader")).json()
    cash_before = before["balances"][0]["available"] + before["balances"][0]["locked"]
    cash_after = after["balances"][0]["available"] + after["balances"][0]["locked"]
    assert cash_before - cash_after == notional + trade["buyer_fee"]
    bought = [r for r in after["receipts"] if r["receipt_id"] == "R-NDPR-KZ-1/1"]
    assert bought
    assert bought[0]["quantity_kg"] == 300
    book = market.client.get(
        "/v1/instruments/NDPR-OX/book", headers=market.headers("observer")
    ).json()
    assert book["asks"][0] == {"price_ticks": 6_050, "lots": 7}
    tape = market.client.get(
        "/v1/instruments/NDPR-OX/trades", headers=market.headers("observer")
    ).json()
    assert [(t["price_ticks"], t["quantity_lots"], t["aggressor"]) for t in tape] == [
        (6_050, 3, "buy")
    ]
    engine = market.service.sequencer._exchange.engine
    assert engine.check_conservation() == []


def test_place_list_replace_cancel(market: Market) -> None:
    order_id = _buy(market, "trader", "t-2", 5_800, 4).json()["order_id"]
    mine = market.client.get("/v1/orders", headers=market.headers("trader")).json()
    assert any(o["order_id"] == order_id and o["remaining_lots"] == 4 for o in mine)
    theirs = market.client.get("/v1/orders", headers=market.headers("other_trader")).json()
    assert all(o["participant"] == "trader-kz" for o in theirs)
    r = market.client.patch(
        f"/v1/orders/{order_id}", headers=market.headers("trader"), json={"quantity_lots": 2}
    )
    assert r.status_code == 200
    replaced = next(e for e in r.json()["events"] if e["type"] == "replaced")
    assert replaced["quantity_lots"] == 2
    assert replaced["priority_kept"] is True
    r = market.client.delete(f"/v1/orders/{order_id}", headers=market.headers("trader"))
    assert r.status_code == 200
    cancelled = next(e for e in r.json()["events"] if e["type"] == "cancelled")
    assert cancelled["remaining_lots"] == 2
    r = market.client.delete(f"/v1/orders/{order_id}", headers=market.headers("trader"))
    assert r.status_code == 404
    assert r.json()["code"] == "validation.unknown_order"


def test_engine_rejects_become_problems(market: Market) -> None:
    r = _buy(market, "trader", "t-3", 9_000, 1)  # band is 5,400..6,600
    assert r.status_code == 422
    assert r.json()["code"] == "risk.outside_price_band"
    _buy(market, "trader", "t-4", 5_500, 1)
    r = _buy(market, "trader", "t-4", 5_500, 1)
    assert r.status_code == 409
    assert r.json()["code"] == "validation.duplicate_client_order_id"
    r = _buy(market, "trader", "t-5", 5_500, 1, instrument="NOPE")
    assert r.status_code == 422
    assert "NOPE" in r.json()["detail"]
    r = _buy(market, "trader", "t-6", 6_500, 10**6)
    assert r.status_code == 409
    assert r.json()["code"] == "risk.insufficient_cash"


def test_malformed_requests_are_problems_not_500(market: Market) -> None:
    h = market.headers("trader")
    cases = [
        ("POST", "/v1/orders", {"client_order_id": "x"}),
        (
            "POST",
            "/v1/orders",
            {
                "client_order_id": "x",
                "instrument": "DY-OX",
                "side": "up",
                "quantity_lots": 1,
                "price_ticks": 1,
            },
        ),
        (
            "POST",
            "/v1/orders",
            {
                "client_order_id": "x",
                "instrument": "DY-OX",
                "side": "buy",
                "quantity_lots": 0,
                "price_ticks": 1,
            },
        ),
        (
            "POST",
            "/v1/orders",
            {
                "client_order_id": "x",
                "instrument": "DY-OX",
                "side": "buy",
                "quantity_lots": 1,
                "price_ticks": 1,
                "colour": "red",
            },
        ),
        ("PATCH", "/v1/orders/abc", {"quantity_lots": 1}),
        ("GET", "/v1/instruments/DY-OX/book?levels=0", None),
    ]
    for method, path, body in cases:
        r = market.client.request(method, path, headers=h, json=body)
        assert r.status_code == 422, (path, body, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["code"] == "request.invalid"
    r = market.client.post(
        "/v1/orders", headers={**h, "content-type": "application/json"}, content=b"{not json"
    )
    assert r.status_code == 422
    r = market.client.get("/v1/nowhere", headers=h)
    assert (r.status_code, r.json()["code"]) == (404, "request.not_found")
    r = market.client.put("/v1/orders", headers=h)
    assert (r.status_code, r.json()["code"]) == (405, "request.method_not_allowed")
    r = market.client.get("/v1/instruments/NOPE", headers=h)
    assert r.status_code == 404
    assert "DY-OX" in r.json()["detail"]


def test_market_reads(market: Market) -> None:
    h = market.headers("observer")
    instruments = market.client.get("/v1/instruments", headers=h).json()
    assert [i["instrument"] for i in instruments] == ["NDPR-OX", "DY-OX", "TB-OX", "NDFEB-N52"]
    ndfeb = next(i for i in instruments if i["instrument"] == "NDFEB-N52")
    assert ndfeb["eligible_countries"] == ["DE", "JP", "KZ", "US"]
    dy = market.client.get("/v1/instruments/DY-OX", headers=h).json()
    assert (dy["band_low_ticks"], dy["band_high_ticks"]) == (22_500, 27_500)
    assert market.client.get("/v1/instruments/DY-OX/reference-prices", headers=h).json() == []
    auction = market.client.get("/v1/instruments/DY-OX/auction", headers=h).json()
    assert auction == {
        "instrument": "DY-OX",
        "schedule": None,
        "in_call_phase": False,
        "call_opened_ts": None,
        "results": [],
    }


def test_auction_through_admin_routes(market: Market) -> None:
    admin = market.headers("admin")
    opened = market.client.post("/v1/admin/auctions/TB-OX/open", headers=admin)
    assert opened.status_code == 200
    r = market.client.post(
        "/v1/orders",
        headers=market.headers("trader"),
        json={
            "client_order_id": "a-1",
            "instrument": "TB-OX",
            "side": "sell",
            "quantity_lots": 1,
            "price_ticks": 98_000,
        },
    )
    assert r.status_code == 409  # trader-de has no Tb oxide receipt
    r = market.client.post(
        "/v1/orders",
        headers=market.headers("trader"),
        json={
            "client_order_id": "a-2",
            "instrument": "TB-OX",
            "side": "buy",
            "quantity_lots": 1,
            "price_ticks": 101_000,
        },
    )
    assert r.status_code == 201
    r = market.client.post("/v1/admin/auctions/TB-OX/run", headers=admin)
    assert r.status_code == 200
    result = next(e for e in r.json()["events"] if e["type"] == "auction_result")
    assert result["volume_lots"] == 0
    auction = market.client.get("/v1/instruments/TB-OX/auction", headers=admin).json()
    assert auction["in_call_phase"] is False
    [recorded] = auction["results"]
    assert recorded["call_opened_ts"] < recorded["ts"]
    assert recorded == {
        "ts": recorded["ts"],
        "call_opened_ts": recorded["call_opened_ts"],
        "price_ticks": result["price_ticks"],
        "volume_lots": 0,
        "imbalance_lots": result["imbalance_lots"],
    }
    audit = market.service.store.audit_entries()
    assert [a["action"] for a in audit[-2:]] == ["open_auction", "run_auction"]
    assert audit[-1]["actor"] == "exchange-admin"


def test_rate_limit_answers_429_with_retry_after(tmp_path) -> None:
    from api_support import demo_market

    with demo_market(f"sqlite:///{tmp_path / 'rl.db'}", rate_per_s=0.5, burst=3) as m:
        h = m.headers("observer")
        codes = [m.client.get("/v1/instruments", headers=h).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        r = m.client.get("/v1/instruments", headers=h)
        assert r.json()["code"] == "auth.rate_limited"
        assert int(r.headers["retry-after"]) >= 1
        # another key has its own bucket
        assert m.client.get("/v1/instruments", headers=m.headers("trader")).status_code == 200


def test_readyz_reports_journal_seq(market: Market) -> None:
    r = market.client.get("/readyz")
    assert r.status_code == 200
    assert r.json()["journal_seq"] == market.service.sequencer.journal_seq > 0
