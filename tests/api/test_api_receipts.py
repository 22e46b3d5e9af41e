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


def test_a_receipt_split_off_in_a_partial_fill_is_reachable(market: Market) -> None:
    """A buyer of part of a receipt can see, verify and withdraw the part (``R-...-1/1``)."""
    r = market.client.post(
        "/v1/orders",
        headers=market.headers("trader"),
        json={
            "client_order_id": "part-1",
            "instrument": "NDPR-OX",
            "side": "buy",
            "quantity_lots": 2,
            "price_ticks": 6_050,
        },
    )
    assert r.status_code == 201, r.text
    [split] = [e for e in r.json()["events"] if e["type"] == "receipt_split"]
    part = split["new_receipt_id"]
    assert part == "R-NDPR-KZ-1/1"
    for path in (f"/v1/receipts/{part}", "/v1/receipts/R-NDPR-KZ-1%2F1"):
        got = market.client.get(path, headers=market.headers("trader"))
        assert got.status_code == 200, (path, got.text)
        assert (got.json()["receipt_id"], got.json()["quantity_kg"]) == (part, 200)
        assert got.json()["owner"] == "trader-de"
        proof = market.client.get(f"{path}/provenance", headers=market.headers("other_trader"))
        assert proof.status_code == 200, (path, proof.text)
        assert (proof.json()["receipt_id"], proof.json()["valid"]) == (part, True)
        assert proof.json()["origins"] == ["KZ"]
    parent = market.client.get("/v1/receipts/R-NDPR-KZ-1", headers=market.headers("operator"))
    assert parent.json()["quantity_kg"] == 4_800
    r = market.client.delete("/v1/receipts/R-NDPR-KZ-1%2F1", headers=market.headers("operator"))
    assert r.status_code == 200, r.text
    assert r.json()["events"][1] == {
        "type": "receipt_withdrawn",
        "receipt_id": part,
        "owner": "trader-de",
        "quantity_kg": 200,
    }
    gone = market.client.get(f"/v1/receipts/{part}", headers=market.headers("trader"))
    assert (gone.status_code, gone.json()["code"]) == (404, "validation.unknown_receipt")
    still = market.client.get("/v1/receipts/R-NDPR-KZ-1", headers=market.headers("operator"))
    assert still.json()["quantity_kg"] == 4_800


def test_receipt_and_reference_lists_are_bounded(market: Market) -> None:
    for n in (1, 2):
        r = market.client.post(
            "/v1/receipts", headers=market.headers("operator"), json=_body(f"R-LIM-{n}", STEPS)
        )
        assert r.status_code == 201, r.text
    h = market.headers("trader")
    every = market.client.get("/v1/receipts", headers=h).json()
    assert len(every) >= 3  # the demo's receipts and the two new ones
    first = market.client.get("/v1/receipts", headers=h, params={"limit": 2}).json()
    assert first == every[:2]
    for path in ("/v1/receipts", "/v1/instruments/DY-OX/reference-prices"):
        for bad in (0, 10_001):
            r = market.client.get(path, headers=h, params={"limit": bad})
            assert r.status_code == 422, (path, bad, r.text)
