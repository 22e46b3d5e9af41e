"""Order history, fills, positions and prices per kg over HTTP, on SQLite and PostgreSQL.

On the demo market DY-OX has lots of 10 kg and ticks of 1 US cent per kg; trader-kz rests a
sell of 10 lots at 25,300 ticks (USD 253.00/kg) and the reference price is 25,000.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from api_support import Market, database, demo_market

from databases import BACKENDS
from kazree.exchange.durability.store import database_url
from kazree.venue.history_tables import metadata as history_tables
from kazree.venue.store import ServiceStore

_ids = itertools.count(1)


def order(m: Market, who: str, instrument: str, side: str, lots: int, **price: Any) -> Any:
    body = {
        "client_order_id": f"h-{next(_ids)}",
        "instrument": instrument,
        "side": side,
        "quantity_lots": lots,
        **price,
    }
    return m.client.post("/v1/orders", headers=m.headers(who), json=body)


def events(r: Any, kind: str) -> list[dict[str, Any]]:
    return [e for e in r.json()["events"] if e["type"] == kind]


def get(m: Market, who: str, path: str) -> Any:
    r = m.client.get(path, headers=m.headers(who))
    assert r.status_code == 200, r.text
    return r.json()


def test_a_filled_order_stays_answerable_with_its_fill_and_position(market: Market) -> None:
    r = order(market, "trader", "DY-OX", "buy", 2, price_per_kg="253.00")
    assert r.status_code == 201, r.text
    order_id = r.json()["order_id"]
    (trade,) = events(r, "trade")
    (split,) = events(r, "receipt_split")

    placed = get(market, "trader", f"/v1/orders/{order_id}")  # gone from the book, still here
    assert placed["status"] == "filled"
    assert placed["price_ticks"] == 25_300
    assert placed["price_per_kg"] == "253.00"
    assert (placed["quantity_lots"], placed["filled_lots"], placed["remaining_lots"]) == (2, 2, 0)
    assert placed["average_fill_price_ticks"] == "25300.0000"
    assert placed["average_fill_price_per_kg"] == "253.0000"
    assert placed["closed_reason"] is None
    assert order_id not in {o["order_id"] for o in get(market, "trader", "/v1/orders")}

    (fill,) = get(market, "trader", "/v1/fills")["items"]
    assert fill == {
        "trade_id": trade["trade_id"],
        "ts": trade["ts"],
        "instrument": "DY-OX",
        "order_id": order_id,
        "side": "buy",
        "liquidity": "taker",
        "price_ticks": 25_300,
        "price_per_kg": "253.00",
        "quantity_lots": 2,
        "quantity_kg": 20,
        "currency": "USD",
        "notional_minor": 506_000,  # 20 kg x USD 253.00
        "fee_minor": 506,  # 10 bp taker fee
        "receipts": [[split["new_receipt_id"], 20]],
    }
    assert trade["buyer_fee"] == 506
    (maker,) = get(market, "other_trader", "/v1/fills")["items"]
    assert (maker["side"], maker["liquidity"], maker["fee_minor"]) == ("sell", "maker", 253)

    book = get(market, "trader", "/v1/positions")
    (position,) = book["positions"]
    assert position == {
        "instrument": "DY-OX",
        "product": "Dy-oxide",
        "currency": "USD",
        "net_lots": 2,
        "net_kg": 20,
        "bought_lots": 2,
        "sold_lots": 0,
        "average_price_ticks": "25300.0000",
        "average_price_per_kg": "253.0000",
        "open_cost_minor": 506_000,
        "realised_pnl_minor": 0,
        "fees_minor": 506,
        "mark_price_ticks": 25_000,
        "mark_price_per_kg": "250.00",
        "unrealised_pnl_minor": -6_000,  # 20 kg x (250.00 - 253.00)
    }
    usd = {c["currency"]: c for c in book["cash"]}["USD"]
    assert usd["available"] + usd["locked"] == 1_000_000_000 - 506_000 - 506


def test_selling_realises_pnl_first_in_first_out(market: Market) -> None:
    for _ in range(2):
        assert order(market, "trader", "DY-OX", "buy", 1, price_per_kg="253.00").status_code == 201
    r = order(market, "other_trader", "DY-OX", "sell", 5, price_ticks=25_100)  # rests
    assert r.status_code == 201, r.text
    assert order(market, "trader", "DY-OX", "buy", 2, price_ticks=25_100).status_code == 201
    # long 4 lots: 2 at 25,300 then 2 at 25,100; selling 3 at 25,050 closes 2 + 1 of them
    sell = order(market, "trader", "DY-OX", "sell", 3, price_ticks=25_050)
    assert sell.status_code == 201, sell.text
    assert order(market, "other_trader", "DY-OX", "buy", 3, price_ticks=25_050).status_code == 201

    (position,) = get(market, "trader", "/v1/positions")["positions"]
    assert (position["net_lots"], position["bought_lots"], position["sold_lots"]) == (1, 4, 3)
    assert position["realised_pnl_minor"] == (-250 * 2 - 50 * 1) * 10  # ticks x lots x 10 kg
    assert position["average_price_ticks"] == "25100.0000"
    assert position["open_cost_minor"] == 25_100 * 10
    fees = sum(f["fee_minor"] for f in get(market, "trader", "/v1/fills")["items"])
    assert position["fees_minor"] == fees > 0
    sold = get(market, "trader", f"/v1/orders/{sell.json()['order_id']}")
    assert (sold["status"], sold["average_fill_price_per_kg"]) == ("filled", "250.5000")


def test_cancelled_and_replaced_orders_and_pages(market: Market) -> None:
    placed = [
        order(market, "trader", "NDPR-OX", "buy", 3, price_per_kg="55.00").json()["order_id"]
        for _ in range(3)
    ]
    replaced = market.client.patch(
        f"/v1/orders/{placed[1]}", headers=market.headers("trader"), json={"price_per_kg": "55.50"}
    )
    assert replaced.status_code == 200, replaced.text
    gone = market.client.delete(f"/v1/orders/{placed[0]}", headers=market.headers("trader"))
    assert gone.status_code == 200, gone.text

    cancelled = get(market, "trader", f"/v1/orders/{placed[0]}")
    assert (cancelled["status"], cancelled["closed_reason"]) == ("cancelled", "requested")
    assert (cancelled["remaining_lots"], cancelled["filled_lots"]) == (0, 0)
    moved = get(market, "trader", f"/v1/orders/{placed[1]}")
    assert (moved["status"], moved["price_ticks"], moved["price_per_kg"]) == (
        "resting",
        5_550,
        "55.50",
    )

    first = get(market, "trader", "/v1/order-history?limit=2")
    assert [o["order_id"] for o in first["items"]] == [placed[2], placed[1]]
    assert first["next_before"] == placed[1]
    rest = get(market, "trader", f"/v1/order-history?limit=2&before={first['next_before']}")
    assert [o["order_id"] for o in rest["items"]][:1] == [placed[0]]
    closed = get(market, "trader", "/v1/order-history?state=closed")
    assert [o["order_id"] for o in closed["items"]] == [placed[0]]
    assert {o["participant"] for o in get(market, "trader", "/v1/order-history")["items"]} == {
        "trader-de"
    }
    every = get(market, "observer", "/v1/order-history?limit=1000")["items"]
    assert {"trader-de", "trader-kz", "trader-us"} <= {o["participant"] for o in every}


def test_prices_per_kg_must_be_whole_ticks(market: Market) -> None:
    r = order(market, "trader", "DY-OX", "buy", 1, price_per_kg="249.005")
    assert r.status_code == 422
    assert r.json()["code"] == "validation.bad_price"
    assert r.json()["detail"] == (
        "price_per_kg 249.005: not a whole number of ticks of 0.01 USD/kg on DY-OX "
        "(nearest: 249.00 or 249.01)"
    )
    both = order(market, "trader", "DY-OX", "buy", 1, price_ticks=24_900, price_per_kg="249.00")
    assert (both.status_code, both.json()["code"]) == (422, "request.invalid")
    unknown = order(market, "trader", "XX-OX", "buy", 1, price_per_kg="1.00")
    assert (unknown.status_code, unknown.json()["code"]) == (422, "validation.unknown_instrument")
    ok = order(market, "trader", "DY-OX", "buy", 1, price_per_kg=249)
    assert ok.status_code == 201, ok.text
    assert get(market, "trader", f"/v1/orders/{ok.json()['order_id']}")["price_ticks"] == 24_900


def test_unknown_and_foreign_ids(market: Market) -> None:
    own = order(market, "trader", "NDPR-OX", "buy", 1, price_ticks=5_500).json()["order_id"]
    r = market.client.get("/v1/orders/999999", headers=market.headers("trader"))
    assert (r.status_code, r.json()["code"]) == (404, "validation.unknown_order")
    r = market.client.get(f"/v1/orders/{own}", headers=market.headers("other_trader"))
    assert (r.status_code, r.json()["code"]) == (403, "auth.not_owner")
    assert get(market, "observer", f"/v1/orders/{own}")["participant"] == "trader-de"
    for path in ("/v1/fills?participant=trader-de", "/v1/positions?participant=trader-de"):
        r = market.client.get(path, headers=market.headers("other_trader"))
        assert (r.status_code, r.json()["code"]) == (403, "auth.not_owner")
    r = market.client.get("/v1/positions?participant=nobody", headers=market.headers("observer"))
    assert (r.status_code, r.json()["code"]) == (404, "validation.unknown_participant")
    r = market.client.get("/v1/oversight/trades", headers=market.headers("trader"))
    assert (r.status_code, r.json()["code"]) == (403, "auth.role_not_permitted")


def test_regulator_sees_owners_refusals_and_audit(market: Market) -> None:
    r = order(market, "trader", "DY-OX", "buy", 2, price_ticks=25_300)
    assert r.status_code == 201
    refused = order(market, "trader", "DY-OX", "buy", 1, price_ticks=40_000)  # outside the band
    assert refused.status_code == 422
    deposit = {"participant": "trader-us", "currency": "USD", "amount": 100}
    paid = market.client.post("/v1/admin/deposits", headers=market.headers("admin"), json=deposit)
    assert paid.status_code == 200, paid.text

    (trade,) = get(market, "observer", "/v1/oversight/trades")["items"]
    assert (trade["buyer"], trade["seller"], trade["price_per_kg"]) == (
        "trader-de",
        "trader-kz",
        "253.00",
    )
    assert trade["buy_order_id"] == r.json()["order_id"]
    latest = get(market, "observer", "/v1/oversight/refusals")["items"][0]
    assert (latest["participant"], latest["command"], latest["instrument"]) == (
        "trader-de",
        "place_order",
        "DY-OX",
    )
    assert (latest["code"], latest["message"]) == (
        refused.json()["code"],
        refused.json()["detail"],
    )
    audit = get(market, "observer", "/v1/oversight/audit?limit=1")
    (entry,) = audit["items"]
    assert (entry["actor"], entry["action"]) == ("exchange-admin", "deposit_cash")
    assert entry["args"]["participant"] == "trader-us"
    assert audit["next_before"] == entry["id"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_history_is_rebuilt_from_the_journal(backend: str, tmp_path: Path) -> None:
    with database(backend, tmp_path) as url:
        with demo_market(url) as m:
            r = order(m, "trader", "DY-OX", "buy", 2, price_ticks=25_300)
            paths = (f"/v1/orders/{r.json()['order_id']}", "/v1/fills", "/v1/positions")
            before = [get(m, "trader", p) for p in paths]
            keys = m.keys
        engine = sa.create_engine(database_url(url))
        try:
            with engine.begin() as conn:
                for table in history_tables.sorted_tables:
                    conn.execute(table.delete())  # the read model is lost
        finally:
            engine.dispose()
        with demo_market(url, keys) as again:
            assert [get(again, "trader", p) for p in paths] == before


def test_ids_beyond_any_stored_one(market: Market) -> None:
    r = market.client.get(f"/v1/orders/{10**15}", headers=market.headers("trader"))
    assert (r.status_code, r.json()["code"]) == (404, "validation.unknown_order")
    r = market.client.get(f"/v1/orders/{2**90}", headers=market.headers("trader"))
    assert (r.status_code, r.json()["code"]) == (422, "request.invalid")  # cannot be an id
    r = market.client.get(f"/v1/order-history?before={2**63}", headers=market.headers("trader"))
    assert (r.status_code, r.json()["code"]) == (422, "request.invalid")
    page = get(market, "trader", f"/v1/order-history?before={2**63 - 1}")
    assert page["items"]  # the demo's orders, all below it


def test_policy_refusals_reach_the_regulator(market: Market) -> None:
    store = ServiceStore.open(market.url)
    try:
        key = store.issue_key("trader-cn")
    finally:
        store.close()
    barred = market.client.post(
        "/v1/orders",
        headers={"Authorization": f"Bearer {key}"},
        json={
            "client_order_id": "cn-magnets",
            "instrument": "NDFEB-N52",
            "side": "buy",
            "quantity_lots": 1,
            "price_per_kg": "80.00",
        },
    )
    assert (barred.status_code, barred.json()["code"]) == (403, "policy.jurisdiction")
    latest = get(market, "observer", "/v1/oversight/refusals?limit=1")["items"][0]
    assert (latest["participant"], latest["instrument"], latest["code"]) == (
        "trader-cn",
        "NDFEB-N52",
        "policy.jurisdiction",
    )
    assert latest["message"] == barred.json()["detail"]
    mine = get(market, "trader", "/v1/order-history?limit=1000")["items"]
    assert all(o["participant"] == "trader-de" for o in mine)  # a refusal is no order
