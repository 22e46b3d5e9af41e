"""Receipts: operators issue and withdraw, owners see theirs, anyone verifies provenance."""

from __future__ import annotations

from api_support import Market

from kazree.exchange.core.domain import CustodyStage
from kazree.exchange.core.provenance import build_chain

STEPS = [
    {
        "stage": "mine",
        "country": "KZ",
        "facility": "Kundybai",
        "date": "2026-02-01",
        "certifier": "KazStandard",
    },
    {
        "stage": "separator",
        "country": "KZ",
        "facility": "Ulba",
        "date": "2026-03-01",
        "certifier": "KazStandard",
    },
]


def _body(receipt_id: str, steps: list[dict[str, object]], **extra: object) -> dict[str, object]:
    return {
        "receipt_id": receipt_id,
        "owner": "trader-de",
        "warehouse": "KZ-UST",
        "product": "Dy-oxide",
        "quantity_kg": 250,
        "assay": {"certificate_id": "AS-9", "laboratory": "SGS Almaty", "purity_bp": 9960},
        "provenance": steps,
        **extra,
    }


def test_issue_verify_and_withdraw(market: Market) -> None:
    r = market.client.post(
        "/v1/receipts",
        headers=market.headers("operator"),
        json=_body("R-NEW-1", STEPS, export_licence="KZ-EXP-7"),
    )
    assert r.status_code == 201, r.text
    assert r.json()["events"][1] == {
        "type": "receipt_issued",
        "receipt_id": "R-NEW-1",
        "owner": "trader-de",
        "quantity_kg": 250,
    }
    mine = market.client.get("/v1/receipts", headers=market.headers("trader")).json()
    new = next(x for x in mine if x["receipt_id"] == "R-NEW-1")
    expected = build_chain(
        (CustodyStage(s["stage"]), s["country"], s["facility"], s["date"], s["certifier"])
        for s in STEPS
    )
    assert [s["hash"] for s in new["provenance"]] == [s.hash for s in expected]
    assert new["export_licence"] == "KZ-EXP-7"
    proof = market.client.get(
        "/v1/receipts/R-NEW-1/provenance", headers=market.headers("other_trader")
    ).json()
    assert proof["valid"] is True
    assert proof["problem"] is None
    assert proof["origins"] == ["KZ"]
    r = market.client.delete("/v1/receipts/R-NEW-1", headers=market.headers("operator"))
    assert r.status_code == 200
    assert (
        market.client.get("/v1/receipts/R-NEW-1", headers=market.headers("admin")).status_code
        == 404
    )


def test_tampered_chain_is_refused(market: Market) -> None:
    chain = build_chain(
        (CustodyStage(s["stage"]), s["country"], s["facility"], s["date"], s["certifier"])
        for s in STEPS
    )
    steps = [
        {**s, "prev_hash": c.prev_hash, "hash": c.hash} for s, c in zip(STEPS, chain, strict=True)
    ]
    steps[0]["country"] = "CN"  # relabel the mine after hashing
    r = market.client.post(
        "/v1/receipts", headers=market.headers("operator"), json=_body("R-BAD-1", steps)
    )
    assert r.status_code == 422
    assert r.json()["code"] == "validation.provenance_tampered"
    assert "step 0" in r.json()["detail"]
    half = [dict(steps[0]), dict(STEPS[1])]
    r = market.client.post(
        "/v1/receipts", headers=market.headers("operator"), json=_body("R-BAD-2", half)
    )
    assert r.status_code == 422
    assert "provenance[1]" in r.json()["detail"]


def test_locked_receipt_cannot_be_withdrawn(market: Market) -> None:
    r = market.client.post(
        "/v1/orders",
        headers=market.headers("other_trader"),
        json={
            "client_order_id": "s-1",
            "instrument": "DY-OX",
            "side": "sell",
            "quantity_lots": 1,
            "price_ticks": 27_000,
            "receipt_ids": ["R-DY-KZ-1"],
        },
    )
    assert r.status_code == 201, r.text
    r = market.client.delete("/v1/receipts/R-DY-KZ-1", headers=market.headers("operator"))
    assert r.status_code == 409
    assert r.json()["code"] == "validation.receipt_locked"
