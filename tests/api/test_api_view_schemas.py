"""Response bodies that are engine views take their fields from the view dataclasses: the same
names, order and types, in the bodies and in the OpenAPI document, and no body can drift."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from api_support import Market
from pydantic import BaseModel

from kazree.api.schemas import (
    AssayOut,
    BalanceOut,
    OrderOut,
    ReceiptOut,
    ReferenceOut,
    StepOut,
    view_fields,
)
from kazree.exchange.core.domain import Assay, ProvenanceStep
from kazree.exchange.core.events import ReferencePrice
from kazree.exchange.core.views import Balance, OrderView, ReceiptView
from kazree.exchange.durability.durable import read_exchange

BODIES: list[tuple[type[BaseModel], type]] = [
    (OrderOut, OrderView),
    (ReferenceOut, ReferencePrice),
    (BalanceOut, Balance),
    (StepOut, ProvenanceStep),
    (AssayOut, Assay),
    (ReceiptOut, ReceiptView),
]


def _names(view: type) -> list[str]:
    return [f.name for f in dataclasses.fields(view)]


@pytest.mark.parametrize(("body", "view"), BODIES, ids=[b.__name__ for b, _ in BODIES])
def test_a_body_has_its_views_fields_in_order(body: type[BaseModel], view: type) -> None:
    assert list(body.model_fields) == _names(view)
    assert all(f.is_required() for f in body.model_fields.values())


def test_a_field_added_to_a_view_is_in_its_body() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Grown:
        order_id: int
        venue: str

    class GrownOut(BaseModel):
        __annotations__ = view_fields(Grown)

    assert GrownOut.model_validate({"order_id": 1, "venue": "KASE"}).venue == "KASE"
    assert GrownOut.model_json_schema()["required"] == ["order_id", "venue"]
    with pytest.raises(TypeError, match="Grown has no field price"):
        view_fields(Grown, price=int)


def test_the_bodies_carry_the_engines_views_unchanged(sqlite_market: Market) -> None:
    """The account, orders and receipts the API answers equal the engine's views."""
    m = sqlite_market
    h = m.headers("trader")
    placed = {"client_order_id": "v-1", "instrument": "NDPR-OX", "side": "buy"}
    r = m.client.post(
        "/v1/orders", headers=h, json={**placed, "quantity_lots": 2, "price_ticks": 5_910}
    )
    assert r.status_code == 201, r.text
    orders = m.client.get("/v1/orders", headers=h).json()
    account = m.client.get("/v1/accounts/me", headers=h).json()
    kz = m.client.get("/v1/accounts/trader-kz", headers=m.headers("admin")).json()
    references = m.client.get("/v1/instruments/NDPR-OX/reference-prices", headers=h).json()
    engine = read_exchange(m.url)  # as of the last durable command: what the API answered
    me = account["participant"]

    assert orders == [_json(v) for v in engine.open_orders(me)]
    assert account["balances"] == [_json(b) for b in engine.balances(me)]
    assert kz["receipts"] == [_json(r) for r in engine.receipts("trader-kz")]
    assert kz["receipts"], "the demo gives trader-kz receipts"
    assert references == [_json(p) for p in engine.references("NDPR-OX")]


def _json(view: Any) -> Any:
    """A view as JSON: enums by value, tuples as lists."""

    def convert(value: Any) -> Any:
        if dataclasses.is_dataclass(value):
            return {f.name: convert(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, tuple | list):
            return [convert(v) for v in value]
        return getattr(value, "value", value)

    return convert(view)


def test_the_openapi_bodies_list_the_views_fields(sqlite_market: Market) -> None:
    schemas = sqlite_market.client.get("/openapi.json").json()["components"]["schemas"]
    for body, view in BODIES:
        schema = schemas[body.__name__]
        assert list(schema["properties"]) == _names(view), body.__name__
        assert schema["required"] == _names(view), body.__name__
        assert schema["description"] == body.__doc__
        extra = body.model_config.get("json_schema_extra")
        assert isinstance(extra, dict)
        for example in extra["examples"]:
            body.model_validate(example)  # every example is a valid body
    receipt = schemas["ReceiptOut"]["properties"]
    assert receipt["assay"] == {"$ref": "#/components/schemas/AssayOut"}
    assert receipt["provenance"]["items"] == {"$ref": "#/components/schemas/StepOut"}
    cash = schemas["PositionsOut"]["properties"]["cash"]["items"]
    assert cash == {"$ref": "#/components/schemas/BalanceOut"}
