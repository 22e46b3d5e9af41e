"""Policy-aware trading: jurisdictions, denied parties, export controls on delivery."""

from __future__ import annotations

from datetime import date

from api_support import Market

from kazree.venue.policy import TradingPolicy, day_of


def _order(m: Market, who: str, **fields: object):
    body = {"client_order_id": f"p-{who}-{len(fields)}-{fields.get('price_ticks')}", **fields}
    return m.client.post("/v1/orders", headers=m.headers(who), json=body)


def test_chinese_origin_dy_oxide_needs_a_licence_on_an_open_instrument(market: Market) -> None:
    cn = {"trader-cn": market.service.store.issue_key("trader-cn")}
    market.keys.update(cn)
    r = _order(
        market, "trader-cn", instrument="DY-OX", side="sell", quantity_lots=5, price_ticks=25_000
    )
    assert r.status_code == 422
    problem = r.json()
    assert problem["code"] == "policy.export_control"
    assert "MOFCOM/GAC Announcement No. 18 (2025)" in problem["detail"]
    assert "R-DY-CN-1" in problem["detail"]
    # nothing was journaled or locked
    account = market.client.get("/v1/accounts/me", headers=market.headers("trader-cn")).json()
    assert all(r["locked_kg"] == 0 for r in account["receipts"])


def test_licensed_receipt_may_be_offered(market: Market) -> None:
    jp = market.service.store.issue_key("trader-jp")
    market.keys["trader-jp"] = jp
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
    account = market.client.get("/v1/accounts/me", headers=market.headers("trader-jp")).json()
    assert account["receipts"][0]["export_licence"].startswith("MOFCOM dual-use")
    assert account["receipts"][0]["locked_kg"] == 20


def test_kazakh_origin_receipt_trades_freely(market: Market) -> None:
    r = _order(
        market, "other_trader", instrument="DY-OX", side="sell", quantity_lots=5, price_ticks=24_800
    )
    assert r.status_code == 201, r.text
    assert any(e["type"] == "trade" for e in r.json()["events"])


def test_instrument_jurisdiction_is_enforced(market: Market) -> None:
    cn = market.service.store.issue_key("trader-cn")
    market.keys["trader-cn"] = cn
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


def test_denied_party_may_only_cancel(market: Market) -> None:
    r = _order(
        market, "trader", instrument="NDPR-OX", side="buy", quantity_lots=1, price_ticks=5_500
    )
    order_id = r.json()["order_id"]
    market.service.store.deny("trader-de", "test sanctions entry")
    market.service.policy.denied.refresh()
    r = _order(
        market, "trader", instrument="NDPR-OX", side="buy", quantity_lots=1, price_ticks=5_600
    )
    assert r.status_code == 403
    assert r.json()["code"] == "policy.denied_party"
    assert "test sanctions entry" in r.json()["detail"]
    r = market.client.patch(
        f"/v1/orders/{order_id}",
        headers=market.headers("trader"),
        json={"quantity_lots": 1, "price_ticks": 5_450},
    )
    assert r.status_code == 403
    r = market.client.delete(f"/v1/orders/{order_id}", headers=market.headers("trader"))
    assert r.status_code == 200


def test_rule_lookup_follows_the_dates() -> None:
    from kazree.policy.rules import dataset_rules
    from kazree.venue.policy import Cached

    policy = TradingPolicy(dataset_rules(), Cached(dict), Cached(dict), Cached(dict))
    before = policy.controlling_rule("Dy-oxide", {"CN"}, date(2025, 4, 3))
    after = policy.controlling_rule("Dy-oxide", {"CN"}, date(2025, 4, 4))
    assert before is None
    assert after is not None
    assert after.id == "cn_mofcom_18_2025"
    assert policy.controlling_rule("Dy-oxide", {"KZ"}, date(2026, 1, 1)) is None
    # NdPr is not on No. 18's list; Ho oxide's No. 57 is suspended by No. 70 in 2026
    assert policy.controlling_rule("NdPr-oxide", {"CN"}, date(2026, 1, 1)) is None
    assert day_of(1_767_225_600_000_000) == date(2026, 1, 1)


def test_restricting_an_instrument_applies_to_new_orders(market: Market) -> None:
    market.service.store.restrict("DY-OX", ["KZ"])
    market.service.policy.jurisdictions.refresh()
    r = _order(
        market, "trader", instrument="DY-OX", side="buy", quantity_lots=1, price_ticks=24_000
    )
    assert r.status_code == 403
    assert "open to participants in KZ only; 'trader-de' is in DE" in r.json()["detail"]
    info = market.client.get("/v1/instruments/DY-OX", headers=market.headers("trader")).json()
    assert info["eligible_countries"] == ["KZ"]
