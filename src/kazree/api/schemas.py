"""Request and response bodies of the /v1 API. Units: ticks, lots, kg, minor units, UTC µs."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from typing import Annotated, Any, get_type_hints

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from kazree.exchange.core.domain import (
    Assay,
    CustodyStage,
    OrderKind,
    ProvenanceStep,
    Role,
    Side,
    Stp,
    TimeInForce,
)
from kazree.exchange.core.events import ReferencePrice
from kazree.exchange.core.views import Balance, OrderView, ReceiptView

ID_MAX = 64
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
"""Participant, instrument, client order, warehouse, product and issued receipt ids."""
RECEIPT_ID_MAX = 256
RECEIPT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}(/[0-9]{1,19})*$"
"""A receipt id: an issued one, or a part split off in settlement (``R-NDPR-KZ-1/1``)."""
TEXT_MAX = 200
"""Longest free text (laboratory, facility, certifier, export licence reference)."""
_COUNTRY = r"^[A-Z]{2}$"
_CURRENCY = r"^[A-Z]{3}$"
BIG = 10**15
"""Upper bound of every quantity and amount a request may carry."""
_PER_KG_IN = (
    "The limit price in the instrument's currency per kg, instead of price_ticks: "
    "it must be a whole number of ticks"
)


ReceiptIdStr = Annotated[
    str, Field(pattern=RECEIPT_ID_PATTERN, max_length=RECEIPT_ID_MAX, examples=["R-NDPR-KZ-1/1"])
]


Positive = Annotated[StrictInt, Field(ge=1, le=BIG)]
"""A count or amount in a request: a JSON integer from 1 to :data:`BIG`."""


def view_fields(view: type, **replaced: Any) -> dict[str, Any]:
    """The fields of the engine view dataclass ``view`` as a response body's annotations, in
    order: a body set to them cannot drift from the view (``replaced`` names the fields whose
    type the body spells otherwise, e.g. a nested view's own body). Such a body is configured
    ``from_attributes``, so ``Body.model_validate(view)`` builds it."""
    hints = get_type_hints(view)
    names = [f.name for f in dataclasses.fields(view)]
    unknown = sorted(set(replaced) - set(names))
    if unknown:
        msg = f"{view.__name__} has no field {', '.join(unknown)}"
        raise TypeError(msg)
    return {name: replaced.get(name, hints[name]) for name in names}


def example_config(example: dict[str, Any], *, from_attributes: bool = False) -> ConfigDict:
    """A body model's config: ``example`` shown in its OpenAPI schema; ``from_attributes`` to
    build it from an engine view (otherwise the setting is left to the parent model)."""
    config = ConfigDict(json_schema_extra={"examples": [example]})
    if from_attributes:
        config["from_attributes"] = True
    return config


STEP_EXAMPLE: dict[str, Any] = {
    "stage": "mine",
    "country": "KZ",
    "facility": "Kundybai",
    "date": "2026-01-15",
    "certifier": "KazStandard",
    "prev_hash": "0" * 64,
    "hash": "3f" * 32,
}
"""A custody step as the examples of steps, receipts and provenance show it."""


class Strict(BaseModel):
    """Request bodies refuse unknown fields; numbers are JSON integers (no ``"1"``, no ``1.0``)."""

    model_config = ConfigDict(extra="forbid")


class Level(BaseModel):
    """One aggregated price level."""

    model_config = example_config({"price_ticks": 6050, "lots": 10})

    price_ticks: int
    lots: int


class InstrumentOut(BaseModel):
    """An instrument's specification, price band and phase."""

    instrument: str = Field(examples=["DY-OX-KZ"])
    product: str = Field(examples=["Dy-oxide"])
    min_purity_bp: int = Field(examples=[9950])
    lot_kg: int = Field(examples=[100])
    tick_minor_per_kg: int = Field(examples=[1])
    currency: str = Field(examples=["USD"])
    minor_unit_exponent: int = Field(
        description="Digits of the currency's minor unit (2: cents)", examples=[2]
    )
    tick_per_kg: Decimal = Field(
        description="The price step in the currency per kg, exactly", examples=["0.01"]
    )
    warehouse: str = Field(examples=["KZ-UST"])
    excluded_origins: list[str] = Field(examples=[["CN"]])
    maker_fee_bp: int
    taker_fee_bp: int
    reference_ticks: int = Field(description="Latest reference price (the band's centre)")
    reference_per_kg: Decimal = Field(description="The same in the currency per kg, exactly")
    band_low_ticks: int
    band_high_ticks: int
    in_auction: bool
    eligible_countries: list[str] | None = Field(
        description="Countries participants must be in; null when open to all"
    )


class InstrumentIn(Strict):
    """A new instrument's specification (see docs/api.md for the product names)."""

    instrument: str = Field(pattern=ID_PATTERN, examples=["TB-METAL"])
    product: str = Field(
        max_length=64,
        description="<elements>-<form> (oxide, metal, carbonate, concentrate) or "
        "<magnet family>-<grade>, e.g. Tb-metal, NdFeB-N48H",
        examples=["Tb-metal"],
    )
    min_purity_bp: StrictInt = Field(ge=0, le=10_000, examples=[9990])
    lot_kg: StrictInt = Field(ge=1, le=BIG, examples=[10])
    tick_minor_per_kg: StrictInt = Field(ge=1, le=BIG, examples=[1])
    currency: str = Field(pattern=_CURRENCY, examples=["USD"])
    warehouse: str = Field(pattern=ID_PATTERN, examples=["KZ-UST"])
    reference_ticks: StrictInt | None = Field(default=None, ge=1, le=BIG)
    reference_per_kg: Decimal | None = Field(
        default=None, gt=0, max_digits=24, examples=["1250.00"]
    )
    band_bp: StrictInt = Field(default=1000, ge=0, le=9_999)
    excluded_origins: list[Annotated[str, Field(pattern=_COUNTRY)]] = Field(
        default_factory=list, max_length=50
    )
    maker_fee_bp: StrictInt = Field(default=5, ge=0, le=9_999)
    taker_fee_bp: StrictInt = Field(default=10, ge=0, le=9_999)
    min_counterparties: StrictInt = Field(default=3, ge=1, le=1_000)
    vwap_window_s: StrictInt = Field(default=86_400, ge=1, le=86_400)


class BookOut(BaseModel):
    """Aggregated depth with the engine's book sequence number."""

    model_config = example_config(
        {
            "instrument": "NDPR-OX",
            "seq": 4,
            "bids": [{"price_ticks": 5950, "lots": 10}],
            "asks": [{"price_ticks": 6050, "lots": 10}],
        }
    )

    instrument: str
    seq: int
    bids: list[Level]
    asks: list[Level]


class TradeOut(BaseModel):
    """A trade on the public tape (anonymous)."""

    model_config = example_config(
        {
            "trade_id": 1,
            "ts": 1795445659122836,
            "price_ticks": 6050,
            "quantity_lots": 3,
            "aggressor": "buy",
        }
    )

    trade_id: int
    ts: int
    price_ticks: int
    quantity_lots: int
    aggressor: Side | None


class ReferenceOut(BaseModel):
    """A day's reference price."""

    __annotations__ = view_fields(ReferencePrice)
    model_config = example_config(
        {
            "instrument": "DY-OX",
            "day": "2026-11-23",
            "price_ticks": 25100,
            "source": "vwap",
            "counterparties": 4,
            "flagged": False,
            "carried_forward": False,
        },
        from_attributes=True,
    )


class OrderIn(Strict):
    """A new order. Sells lock receipts (``receipt_ids`` in order, else any eligible)."""

    model_config = example_config(
        {
            "client_order_id": "c-0001",
            "instrument": "NDPR-OX",
            "side": "buy",
            "quantity_lots": 1,
            "price_ticks": 5_960,
        }
    )

    client_order_id: str = Field(pattern=ID_PATTERN, examples=["c-0001"])
    instrument: str = Field(pattern=ID_PATTERN, examples=["NDPR-OX"])
    side: Side
    quantity_lots: StrictInt = Field(ge=1, le=BIG, examples=[1])
    kind: OrderKind = OrderKind.LIMIT
    price_ticks: StrictInt | None = Field(default=None, ge=1, le=BIG, examples=[5_960])
    price_per_kg: Decimal | None = Field(
        default=None,
        gt=0,
        max_digits=24,
        description=_PER_KG_IN,
        examples=["253.00"],
    )
    tif: TimeInForce = TimeInForce.GTC
    post_only: StrictBool = False
    stp: Stp = Stp.CANCEL_RESTING
    receipt_ids: list[ReceiptIdStr] = Field(default_factory=list, max_length=100)


class ReplaceIn(Strict):
    """New price and/or open quantity of a resting order: at least one of the two."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1})

    price_ticks: Positive | SkipJsonSchema[None] = Field(default=None, examples=[5_940])
    price_per_kg: Annotated[Decimal, Field(gt=0, max_digits=24)] | SkipJsonSchema[None] = Field(
        default=None, description=_PER_KG_IN, examples=["252.50"]
    )
    quantity_lots: Positive | SkipJsonSchema[None] = Field(default=None, examples=[3])

    @model_validator(mode="after")
    def _something_to_change(self) -> ReplaceIn:
        given = {k for k in self.model_fields_set if getattr(self, k) is not None}
        if not given:
            msg = "give price_ticks, quantity_lots or both (price_per_kg may stand for price_ticks)"
            raise ValueError(msg)
        return self


EventJson = Annotated[dict[str, Any], WithJsonSchema({"$ref": "#/components/schemas/Event"})]
"""An engine event as JSON; its schema is the replay schema's (``kazree.api.app`` adds it)."""


class Ack(BaseModel):
    """The events of an accepted command, durable when this is sent."""

    order_id: int | None = Field(examples=[42])
    journal_seq: int = Field(description="Journal seq of the last durable command")
    events: list[EventJson] = Field(
        examples=[[{"type": "accepted", "command": "place_order", "order_id": 42}]],
        description="The command's events, as in the journal (docs/exchange-replay.md)",
    )


class OrderOut(BaseModel):
    """A resting order."""

    __annotations__ = view_fields(OrderView)
    model_config = example_config(
        {
            "order_id": 9,
            "participant": "trader-de",
            "client_order_id": "c-0001",
            "instrument": "NDPR-OX",
            "side": "buy",
            "price_ticks": 5950,
            "remaining_lots": 10,
            "tif": "gtc",
            "stp": "cancel_resting",
            "post_only": False,
            "ts": 1795445659122836,
        },
        from_attributes=True,
    )


class BalanceOut(BaseModel):
    """Cash in one currency (minor units)."""

    __annotations__ = view_fields(Balance)
    model_config = example_config(
        {"currency": "USD", "available": 990985995, "locked": 7197190}, from_attributes=True
    )


class AssayIn(Strict):
    """An assay certificate."""

    certificate_id: str = Field(pattern=ID_PATTERN, examples=["AS-2026-0101"])
    laboratory: str = Field(min_length=1, max_length=TEXT_MAX, examples=["SGS Almaty"])
    purity_bp: StrictInt = Field(ge=0, le=10_000, examples=[9960])


class StepIn(Strict):
    """A custody step; omit both hashes on every step to have the chain built."""

    stage: CustodyStage
    country: str = Field(pattern=_COUNTRY, examples=["KZ"])
    facility: str = Field(min_length=1, max_length=TEXT_MAX, examples=["Ust-Kamenogorsk separator"])
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", examples=["2026-03-01"])
    certifier: str = Field(min_length=1, max_length=TEXT_MAX, examples=["KazStandard"])
    prev_hash: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    hash: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class StepOut(BaseModel):
    """A custody step with its hash link."""

    __annotations__ = view_fields(ProvenanceStep)
    model_config = example_config(STEP_EXAMPLE, from_attributes=True)


class AssayOut(BaseModel):
    """An assay certificate."""

    __annotations__ = view_fields(Assay)
    model_config = example_config(
        {"certificate_id": "AS-2026-0101", "laboratory": "SGS Almaty", "purity_bp": 9960},
        from_attributes=True,
    )


class ReceiptIn(Strict):
    """A receipt a warehouse operator issues."""

    receipt_id: str = Field(pattern=ID_PATTERN, examples=["R-DY-0001"])
    owner: str = Field(pattern=ID_PATTERN, examples=["trader-kz"])
    warehouse: str = Field(pattern=ID_PATTERN, examples=["KZ-UST"])
    product: str = Field(pattern=ID_PATTERN, examples=["Dy-oxide"])
    quantity_kg: StrictInt = Field(ge=1, le=BIG, examples=[1000])
    assay: AssayIn
    provenance: list[StepIn] = Field(min_length=1, max_length=50)
    export_licence: str | None = Field(
        default=None, max_length=TEXT_MAX, description="Export licence the goods carry, if any"
    )


class ReceiptOut(BaseModel):
    """A warehouse receipt."""

    __annotations__ = view_fields(ReceiptView, assay=AssayOut, provenance=list[StepOut])
    model_config = example_config(
        {
            "receipt_id": "R-DY-KZ-1",
            "owner": "trader-kz",
            "warehouse": "KZ-UST",
            "product": "Dy-oxide",
            "quantity_kg": 500,
            "locked_kg": 100,
            "assay": {
                "certificate_id": "AS-2026-0101",
                "laboratory": "SGS Almaty",
                "purity_bp": 9970,
            },
            "provenance": [STEP_EXAMPLE],
            "export_licence": None,
        },
        from_attributes=True,
    )


class ProvenanceOut(BaseModel):
    """A receipt's chain of custody and whether every hash link holds."""

    model_config = example_config(
        {
            "receipt_id": "R-DY-KZ-1",
            "valid": True,
            "problem": None,
            "origins": ["KZ"],
            "steps": [STEP_EXAMPLE],
        }
    )

    receipt_id: str
    valid: bool
    problem: str | None
    origins: list[str]
    steps: list[StepOut]


class AccountOut(BaseModel):
    """A participant's cash and receipts."""

    model_config = example_config(
        {
            "participant": "trader-de",
            "country": "DE",
            "roles": ["trader"],
            "suspended": False,
            "balances": [{"currency": "USD", "available": 990985995, "locked": 7197190}],
            "receipts": [],
        }
    )

    participant: str
    country: str
    roles: list[Role]
    suspended: bool
    balances: list[BalanceOut]
    receipts: list[ReceiptOut]


class ParticipantIn(Strict):
    """A participant to register."""

    participant: str = Field(pattern=ID_PATTERN, examples=["trader-de"])
    country: str = Field(pattern=_COUNTRY, examples=["DE"])
    roles: list[Role] = Field(min_length=1, max_length=len(Role), examples=[["trader"]])


class CashIn(Strict):
    """A deposit or withdrawal in minor units."""

    participant: str = Field(pattern=ID_PATTERN, examples=["trader-de"])
    currency: str = Field(pattern=_CURRENCY, examples=["USD"])
    amount: StrictInt = Field(ge=1, le=BIG, examples=[1_000_000])


class DenialIn(Strict):
    """Why a participant goes on the denied-party list."""

    reason: str = Field(min_length=1, max_length=500, examples=["sanctions list entry 123"])


class JurisdictionIn(Strict):
    """The countries an instrument's participants must be in; none: every country."""

    countries: list[str] = Field(max_length=250, examples=[["KZ", "DE", "JP", "US"]])

    @field_validator("countries")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        for code in value:
            if not re.fullmatch(_COUNTRY, code):
                msg = f"{code!r} is not an ISO 3166 alpha-2 code such as KZ"
                raise ValueError(msg)
        return value


class LicenceIn(Strict):
    """The export licence a receipt's goods carry."""

    licence: str = Field(
        min_length=1, max_length=500, examples=["MOFCOM dual-use export licence 2026-0042"]
    )


class ControlOut(BaseModel):
    """An export control the engine enforces (see docs/exchange-replay.md)."""

    rule_id: str
    legal_instrument: str
    exporter: str
    products: list[str]
    first_day: str | None
    last_day: str | None


class DeniedOut(BaseModel):
    """A denied party."""

    participant: str
    reason: str


class PolicyOut(BaseModel):
    """The policy the engine enforces now."""

    denied: list[DeniedOut]
    jurisdictions: dict[str, list[str]] = Field(
        description="instrument -> admitted countries (restricted instruments only)"
    )
    controls: list[ControlOut]


class Health(BaseModel):
    """Liveness or readiness."""

    model_config = example_config({"status": "ok", "journal_seq": 31, "detail": None})

    status: str = Field(examples=["ok"])
    journal_seq: int | None = None
    detail: str | None = None
