"""Policy-aware trading through the API: jurisdictions, denied parties, export controls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from api_support import Market, demo_market, install_keys


def _key(m: Market, participant: str) -> None:
    m.keys[participant] = m.service.store.issue_key(participant)


def _order(m: Market, who: str, **fields: object):
    body = {"client_order_id": f"p-{who}-{len(fields)}-{fields.get('price_ticks')}", **fields}
    return m.client.post("/v1/orders", headers=m.headers(who), json=body)


def _admin(m: Market, method: str, path: str, **body: Any):
    return m.client.request(method, f"/v1/admin{path}", headers=m.headers("admin"), json=body)


def _receipts(m: Market, who: str) -> dict[str, dict[str, Any]]:
    account = m.client.get("/v1/accounts/me", headers=m.headers(who)).json()
    return {r["receipt_id"]: r for r in account["receipts"]}


def test_chinese_origin_dy_oxide_needs_a_licence_on_an_open_instrument(market: Market) -> None:
    _key(market, "trader-cn")
    r = _order(
        market, "trader-cn", instrument="DY-OX", side="sell", quantity_lots=5, price_ticks=25_000
    )
    assert r.status_code == 422
    problem = r.json()
    assert problem["code"] == "policy.export_control"
    assert "MOFCOM/GAC Announcement No. 18 (2025)" in problem["detail"]
    assert "R-DY-CN-1" in problem["detail"]
    # the refusal is journaled with its reason, nothing was locked
    assert all(r["locked_kg"] == 0 for r in _receipts(market, "trader-cn").values())


def test_licensed_receipt_may_be_offered(market: Market) -> None:
    _key(market, "trader-jp")
    r = _order(
        market,
        "trader-jp",
        instrument="TB-OX",
        side="sell",
        quantity_lots=2,
        price_ticks=100_000,
        receipt_ids=["R-TB-JP-1"],
    )
    assert r.status_code == 201, r.text
    [receipt] = _receipts(market, "trader-jp").values()
    assert receipt["export_licence"].startswith("MOFCOM dual-use")
    assert receipt["locked_kg"] == 20


def test_kazakh_origin_receipt_trades_freely(market: Market) -> None:
    r = _order(
        market, "other_trader", instrument="DY-OX", side="sell", quantity_lots=5, price_ticks=24_800
    )
    assert r.status_code == 201, r.text
    assert any(e["type"] == "trade" for e in r.json()["events"])


def test_a_replace_cannot_lock_an_unlicensed_controlled_receipt(market: Market) -> None:
    """Finding 1: a PATCH increasing a sell locked Chinese-origin Dy oxide for a buyer abroad."""
    _key(market, "trader-cn")
    sells = _order(
        market, "other_trader", instrument="DY-OX", side="sell", quantity_lots=1, price_ticks=24_900
    )
    assert sells.status_code == 201, sells.text
    bought = _order(
        market, "trader-cn", instrument="DY-OX", side="buy", quantity_lots=1, price_ticks=24_900
    )
    assert bought.status_code == 201, bought.text
    clean = next(
        e["new_receipt_id"] for e in bought.json()["events"] if e["type"] == "receipt_split"
    )
    sell = _order(
        market,
        "trader-cn",
        instrument="DY-OX",
        side="sell",
        quantity_lots=1,
        price_ticks=25_200,
        receipt_ids=[clean],
    )
    assert sell.status_code == 201, sell.text
    order_id = sell.json()["order_id"]
    r = market.client.patch(
        f"/v1/orders/{order_id}", headers=market.headers("trader-cn"), json={"quantity_lots": 51}
    )
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "policy.export_control"
    assert "R-DY-CN-1" in r.json()["detail"]
    r = _order(
        market,
        "trader",
        instrument="DY-OX",
        side="buy",
        quantity_lots=51,
        price_ticks=25_200,
        tif="ioc",
    )
    delivered = [e for e in r.json()["events"] if e["type"] in ("receipt_moved", "receipt_split")]
    assert "R-DY-CN-1" not in {e["receipt_id"] for e in delivered}
    assert _receipts(market, "trader-cn")["R-DY-CN-1"]["quantity_kg"] == 500


def test_instrument_jurisdiction_is_enforced(market: Market) -> None:
    _key(market, "trader-cn")
    r = _order(
        market, "trader-cn", instrument="NDFEB-N52", side="buy", quantity_lots=1, price_ticks=8_000
    )
    assert r.status_code == 403
    assert r.json()["code"] == "policy.jurisdiction"
    assert "DE, JP, KZ, US" in r.json()["detail"]
    r = _order(
        market, "trader", instrument="NDFEB-N52", side="buy", quantity_lots=1, price_ticks=8_000
    )
    assert r.status_code == 201


def test_restricting_an_instrument_cancels_orders_it_no_longer_admits(market: Market) -> None:
    """Finding 1, jurisdictions: a resting order could be increased by PATCH after a restriction."""
    bid = _order(
        market, "trader", instrument="DY-OX", side="buy", quantity_lots=1, price_ticks=24_000
    )
    order_id = bid.json()["order_id"]
    r = _admin(market, "PUT", "/instruments/DY-OX/jurisdiction", countries=["KZ"])
    assert r.status_code == 200, r.text
    assert {"type": "cancelled", "order_id": order_id, "participant": "trader-de",
            "remaining_lots": 1, "reason": "policy"} in r.json()["events"]  # fmt: skip
    r = market.client.patch(
        f"/v1/orders/{order_id}", headers=market.headers("trader"), json={"quantity_lots": 5}
    )
    assert r.status_code == 404
    r = _order(
        market, "trader", instrument="DY-OX", side="buy", quantity_lots=1, price_ticks=24_000
    )
    assert r.status_code == 403
    assert "open to participants in KZ only; 'trader-de' is in DE" in r.json()["detail"]
    info = market.client.get("/v1/instruments/DY-OX", headers=market.headers("trader")).json()
    assert info["eligible_countries"] == ["KZ"]
    r = _admin(market, "PUT", "/instruments/DY-OX/jurisdiction", countries=["Kazakhstan"])
    assert r.status_code == 422
    assert _admin(market, "PUT", "/instruments/DY-OX/jurisdiction", countries=[]).status_code == 200
    info = market.client.get("/v1/instruments/DY-OX", headers=market.headers("trader")).json()
    assert info["eligible_countries"] is None


def test_a_denied_partys_resting_orders_stop_trading(market: Market) -> None:
    """Finding 2: after a denial the party's resting orders kept trading."""
    r = _order(
        market, "trader", instrument="NDPR-OX", side="buy", quantity_lots=1, price_ticks=5_500
    )
    order_id = r.json()["order_id"]
    r = _admin(market, "POST", "/participants/trader-de/deny", reason="test sanctions entry")
    assert r.status_code == 200, r.text
    cancelled = {e["order_id"] for e in r.json()["events"] if e["type"] == "cancelled"}
    assert order_id in cancelled
    assert market.client.get("/v1/orders", headers=market.headers("trader")).json() == []
    sold = _order(
        market, "other_trader", instrument="NDPR-OX", side="sell", quantity_lots=1,
        price_ticks=5_400, tif="ioc",
    )  # fmt: skip
    buyers = [e["buyer"] for e in sold.json()["events"] if e["type"] == "trade"]
    assert buyers == ["trader-jp"]  # the demo's other bid, never the denied party's
    r = _order(
        market, "trader", instrument="NDPR-OX", side="buy", quantity_lots=1, price_ticks=5_600
    )
    assert r.status_code == 403
    assert r.json()["code"] == "policy.denied_party"
    assert "test sanctions entry" in r.json()["detail"]
    policy = market.client.get("/v1/admin/policy", headers=market.headers("observer")).json()
    assert policy["denied"] == [{"participant": "trader-de", "reason": "test sanctions entry"}]
    again = _admin(market, "POST", "/participants/trader-de/deny", reason="again")
    assert again.status_code == 409
    assert _admin(market, "POST", "/participants/trader-de/undeny").status_code == 200
    assert _admin(market, "POST", "/participants/trader-de/undeny").status_code == 404


def test_reissuing_a_withdrawn_receipt_with_a_new_licence(market: Market) -> None:
    """Finding 4: a licence outlived its receipt; re-issuing with a new one answered 500."""
    op = market.headers("operator")
    assert market.client.delete("/v1/receipts/R-TB-JP-1", headers=op).status_code == 200
    body = {
        "receipt_id": "R-TB-JP-1",
        "owner": "trader-jp",
        "warehouse": "KZ-UST",
        "product": "Tb-oxide",
        "quantity_kg": 100,
        "assay": {"certificate_id": "AS-2", "laboratory": "SGS", "purity_bp": 9995},
        "provenance": [
            {"stage": "mine", "country": "CN", "facility": "Bayan Obo", "date": "2026-02-01",
             "certifier": "CCIC"},
        ],
    }  # fmt: skip
    r = market.client.post("/v1/receipts", headers=op, json=body)
    assert r.status_code == 201, r.text
    got = market.client.get("/v1/receipts/R-TB-JP-1", headers=op).json()
    assert got["export_licence"] is None
    market.client.delete("/v1/receipts/R-TB-JP-1", headers=op)
    r = market.client.post("/v1/receipts", headers=op, json={**body, "export_licence": "L-NEW"})
    assert r.status_code == 201, r.text
    assert market.client.get("/v1/receipts/R-TB-JP-1", headers=op).json()["export_licence"] == (
        "L-NEW"
    )


def test_split_parts_of_a_licensed_receipt_show_the_licence(market: Market) -> None:
    """Finding 5: the parts split off a licensed receipt showed no licence."""
    _key(market, "trader-jp")
    _key(market, "trader-us")
    r = _order(
        market, "trader-jp", instrument="TB-OX", side="sell", quantity_lots=1, price_ticks=99_000,
        receipt_ids=["R-TB-JP-1"],
    )  # fmt: skip
    assert any(e["type"] == "trade" for e in r.json()["events"]), r.text  # the demo's bid
    parts = [k for k in _receipts(market, "trader-us") if k.startswith("R-TB-JP-1/")]
    assert len(parts) == 1
    assert _receipts(market, "trader-us")[parts[0]]["export_licence"].startswith("MOFCOM")


def test_licences_are_granted_and_revoked_by_admins(market: Market) -> None:
    _key(market, "trader-cn")
    r = _admin(market, "PUT", "/receipts/R-DY-CN-1/licence", licence="L-9")
    assert r.status_code == 200, r.text
    sell = _order(
        market, "trader-cn", instrument="DY-OX", side="sell", quantity_lots=1, price_ticks=25_100
    )
    assert sell.status_code == 201, sell.text
    r = _admin(market, "DELETE", "/receipts/R-DY-CN-1/licence")
    assert r.status_code == 200
    assert {"type": "cancelled", "order_id": sell.json()["order_id"], "participant": "trader-cn",
            "remaining_lots": 1, "reason": "policy"} in r.json()["events"]  # fmt: skip
    assert _admin(market, "PUT", "/receipts/R-NONE/licence", licence="x").status_code == 422
    trader = market.client.put(
        "/v1/admin/receipts/R-DY-CN-1/licence",
        headers=market.headers("trader"),
        json={"licence": "x"},
    )
    assert trader.status_code == 403


def test_old_policy_tables_are_adopted_once_as_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    keys = install_keys(url)
    db = sa.create_engine(url)
    with db.begin() as conn:  # the tables of a database written before the move
        conn.execute(sa.text("CREATE TABLE denied_parties (participant TEXT, reason TEXT)"))
        conn.execute(sa.text("CREATE TABLE export_licences (receipt_id TEXT, licence TEXT)"))
        conn.execute(
            sa.text("CREATE TABLE instrument_jurisdictions (instrument TEXT, countries TEXT)")
        )
        conn.execute(sa.text("INSERT INTO denied_parties VALUES ('trader-us', 'list 9'), "
                             "('ghost', 'gone')"))  # fmt: skip
        conn.execute(sa.text("INSERT INTO export_licences VALUES ('R-DY-CN-1', 'L-OLD')"))
        conn.execute(sa.text("INSERT INTO instrument_jurisdictions VALUES ('DY-OX', 'KZ,DE')"))
    with demo_market(url, keys) as m:
        policy = m.client.get("/v1/admin/policy", headers=m.headers("admin")).json()
        receipt = m.client.get("/v1/receipts/R-DY-CN-1", headers=m.headers("admin")).json()
        audit = m.service.store.audit_entries()
    assert policy["denied"] == [{"participant": "trader-us", "reason": "list 9"}]
    assert policy["jurisdictions"] == {"DY-OX": ["DE", "KZ"], "NDFEB-N52": ["DE", "JP", "KZ", "US"]}
    assert receipt["export_licence"] == "L-OLD"
    adopted = [a["action"] for a in audit if a["args"].get("adopted_from")]
    assert adopted == ["deny_party", "set_jurisdiction", "grant_licence"]
    assert not set(sa.inspect(db).get_table_names()) & {"denied_parties", "export_licences"}
    with demo_market(url, keys) as m:  # a second start adopts nothing more
        again = [a for a in m.service.store.audit_entries() if a["args"].get("adopted_from")]
    assert len(again) == 3
    db.dispose()
