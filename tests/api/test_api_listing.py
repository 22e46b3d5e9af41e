"""Listing a new instrument on a running service and from the command line.

Product names must read in the chain's vocabulary, so the export controls apply to the new
product: a Tb metal market is caught by the MOFCOM No. 18 rule on Chinese-origin terbium.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from api_support import Market
from typer.testing import CliRunner

from kazree.cli.exchange_admin import app
from kazree.errors import KazreeError
from kazree.exchange.durability.durable import read_exchange
from kazree.venue.demo import install_demo
from kazree.venue.store import ServiceStore

TB_METAL = {
    "instrument": "TB-METAL",
    "product": "Tb-metal",
    "min_purity_bp": 9990,
    "lot_kg": 10,
    "tick_minor_per_kg": 1,
    "currency": "USD",
    "warehouse": "KZ-UST",
    "reference_per_kg": "1250.00",
}


def listed(m: Market, body: dict[str, Any], who: str = "admin") -> Any:
    return m.client.post("/v1/admin/instruments", headers=m.headers(who), json=body)


def test_admin_lists_an_instrument_that_trades_at_once(market: Market) -> None:
    r = listed(market, TB_METAL)
    assert r.status_code == 201, r.text
    out = r.json()
    assert (out["instrument"], out["product"], out["reference_ticks"]) == (
        "TB-METAL",
        "Tb-metal",
        125_000,
    )
    assert (out["reference_per_kg"], out["tick_per_kg"], out["minor_unit_exponent"]) == (
        "1250.00",
        "0.01",
        2,
    )
    assert (out["band_low_ticks"], out["band_high_ticks"]) == (112_500, 137_500)
    names = [
        i["instrument"]
        for i in market.client.get("/v1/instruments", headers=market.headers("trader")).json()
    ]
    assert "TB-METAL" in names
    bid = market.client.post(
        "/v1/orders",
        headers=market.headers("trader"),
        json={
            "client_order_id": "tb-metal-1",
            "instrument": "TB-METAL",
            "side": "buy",
            "quantity_lots": 1,
            "price_per_kg": "1240.00",
        },
    )
    assert bid.status_code == 201, bid.text
    book = market.client.get("/v1/instruments/TB-METAL/book", headers=market.headers("trader"))
    assert book.json()["bids"] == [{"price_ticks": 124_000, "lots": 1}]
    audit = market.client.get("/v1/oversight/audit?limit=1", headers=market.headers("observer"))
    (entry,) = audit.json()["items"]
    assert (entry["action"], entry["args"]["product"]) == ("add_instrument", "Tb-metal")
    assert "refused" not in entry["args"]


def test_listing_refusals_name_the_field(market: Market) -> None:
    r = listed(market, {**TB_METAL, "product": "Terbium bars"})
    assert (r.status_code, r.json()["code"]) == (422, "validation.bad_instrument_spec")
    assert r.json()["detail"].startswith(
        "product 'Terbium bars': write <elements>-<form> with rare-earth symbols"
    )
    r = listed(market, {**TB_METAL, "currency": "XAU"})
    assert r.json()["detail"].startswith("currency 'XAU': not one of AUD, CAD, CHF, CNY")
    r = listed(market, {**TB_METAL, "reference_per_kg": "1250.005"})
    assert r.json()["detail"] == (
        "reference_per_kg 1250.005: not a whole number of ticks of 0.01 USD/kg on TB-METAL "
        "(nearest: 1250.00 or 1250.01)"
    )
    r = listed(market, {**TB_METAL, "reference_ticks": 125_000})
    assert r.json()["detail"] == (
        "reference: give reference_ticks or reference_per_kg (one of them)"
    )
    r = listed(market, {**TB_METAL, "instrument": "DY-OX", "product": "Dy-oxide"})
    assert (r.status_code, r.json()["code"]) == (409, "validation.duplicate_instrument")
    for who in ("trader", "observer", "operator"):
        assert listed(market, TB_METAL, who).status_code == 403
    audit = market.client.get("/v1/oversight/audit?limit=5", headers=market.headers("admin"))
    refused = [e for e in audit.json()["items"] if e["action"] == "add_instrument"]
    assert len(refused) == 5
    assert all("refused" in e["args"] for e in refused)


def test_cli_lists_an_instrument(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    install_demo(db)
    runner = CliRunner()
    args = ["list-instrument", "TB-METAL", "--product", "Tb-metal", "--lot-kg", "10"]
    args += ["--reference", "1250.00", "--warehouse", "KZ-UST", "--min-purity-bp", "9990"]
    r = runner.invoke(app, [*args, "--db", db, "--actor", "ops"])
    assert r.exit_code == 0, r.output
    assert "instrument TB-METAL listed: Tb-metal, lots of 10 kg, reference 1250.00 USD/kg" in (
        r.output
    )
    spec = {s.instrument: s for s in read_exchange(db).instruments()}["TB-METAL"]
    assert (spec.product, spec.reference_ticks, spec.min_purity_bp) == ("Tb-metal", 125_000, 9990)
    bad = runner.invoke(
        app,
        [
            "list-instrument",
            "X-1",
            "--product",
            "Tb-bars",
            "--lot-kg",
            "1",
            "--reference",
            "1",
            "--warehouse",
            "W",
            "--db",
            db,
        ],
    )
    assert isinstance(bad.exception, KazreeError)
    assert str(bad.exception).startswith("product 'Tb-bars': write <elements>-<form>")
    store = ServiceStore.open(db)
    try:
        actions = [(e["actor"], e["action"]) for e in store.audit_entries()]
    finally:
        store.close()
    assert ("ops", "AddInstrument") in actions


def test_a_listed_product_is_export_checked(market: Market) -> None:
    assert listed(market, TB_METAL).status_code == 201
    receipt = {
        "receipt_id": "R-TBM-CN-1",
        "owner": "trader-jp",
        "warehouse": "KZ-UST",
        "product": "Tb-metal",
        "quantity_kg": 50,
        "assay": {"certificate_id": "AS-TBM-1", "laboratory": "lab", "purity_bp": 9995},
        "provenance": [
            {
                "stage": stage,
                "country": "CN",
                "facility": f"CN {stage}",
                "date": "2026-01-15",
                "certifier": "c",
            }
            for stage in ("mine", "separator", "metal_maker")
        ],
    }
    issued = market.client.post("/v1/receipts", headers=market.headers("operator"), json=receipt)
    assert issued.status_code == 201, issued.text
    jp = ServiceStore.open(market.url)
    try:
        key = jp.issue_key("trader-jp")
    finally:
        jp.close()
    sell = market.client.post(
        "/v1/orders",
        headers={"Authorization": f"Bearer {key}"},
        json={
            "client_order_id": "tbm-sell",
            "instrument": "TB-METAL",
            "side": "sell",
            "quantity_lots": 1,
            "price_per_kg": "1260.00",
            "receipt_ids": ["R-TBM-CN-1"],
        },
    )
    assert sell.status_code == 422, sell.text
    assert sell.json()["code"] == "policy.export_control"
    assert "MOFCOM" in sell.json()["detail"]
