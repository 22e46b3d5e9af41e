"""Response bodies of the history routes: orders as placed, fills, positions, oversight lists.

Prices come in ticks and, exactly, in the instrument's currency per kg (``*_per_kg``: decimal
strings such as ``"253.00"``); money in minor units; quantities in lots and kg.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from kazree.api.schemas import BalanceOut
from kazree.exchange.core.domain import OrderKind, Side, Stp, TimeInForce

_PER_KG = "exact, in the instrument's currency per kg"


class OrderRecordOut(BaseModel):
    """An order as placed and what became of it; answered for resting and closed orders."""

    order_id: int = Field(examples=[9])
    participant: str = Field(examples=["trader-de"])
    client_order_id: str = Field(examples=["c-0001"])
    instrument: str = Field(examples=["DY-OX"])
    side: Side
    kind: OrderKind
    tif: TimeInForce
    stp: Stp
    post_only: bool
    price_ticks: int | None = Field(description="Limit price; null for a market order")
    price_per_kg: Decimal | None = Field(description=f"Limit price, {_PER_KG}")
    currency: str = Field(examples=["USD"])
    quantity_lots: int = Field(description="Lots ordered: filled plus open (after replaces)")
    remaining_lots: int = Field(description="Lots still resting in the book")
    filled_lots: int
    average_fill_price_ticks: Decimal | None = Field(
        description="Volume-weighted fill price in ticks (4 decimals); null before a fill"
    )
    average_fill_price_per_kg: Decimal | None = Field(
        description="The same per kg, rounded half-even to 1/100 of the currency's minor unit"
    )
    status: str = Field(description="resting, filled, cancelled or expired", examples=["filled"])
    closed_reason: str | None = Field(
        description="Why the remainder left the book: requested, ioc, fok, market, stp, "
        "suspended or expired; null while resting or when filled"
    )
    ts: int = Field(description="When it was placed (UTC µs)")
    updated_ts: int = Field(description="Its last fill, replace, cancel or expiry (UTC µs)")


class FillOut(BaseModel):
    """My side of one trade."""

    trade_id: int
    ts: int
    instrument: str
    order_id: int
    side: Side
    liquidity: str = Field(description="maker, taker or auction", examples=["taker"])
    price_ticks: int
    price_per_kg: Decimal = Field(description=f"Trade price, {_PER_KG}")
    quantity_lots: int
    quantity_kg: int
    currency: str
    notional_minor: int = Field(description="price x quantity, in minor units")
    fee_minor: int
    receipts: list[tuple[str, int]] = Field(
        description="(receipt id, kg) the buyer received in settlement"
    )


class TradeRecordOut(BaseModel):
    """A trade with both owners and their orders (for admins and observers)."""

    trade_id: int
    ts: int
    instrument: str
    price_ticks: int
    price_per_kg: Decimal
    quantity_lots: int
    buyer: str
    seller: str
    buy_order_id: int
    sell_order_id: int
    aggressor: Side | None
    buyer_fee_minor: int
    seller_fee_minor: int
    receipts: list[tuple[str, int]]


class RefusalOut(BaseModel):
    """A command the engine refused (journaled with its reject code)."""

    seq: int = Field(description="Its journal seq")
    ts: int
    command: str = Field(examples=["place_order"])
    participant: str | None
    instrument: str | None
    code: str = Field(examples=["risk.insufficient_cash"])
    message: str


class AuditOut(BaseModel):
    """An administrative action, by a person or the scheduler, with its outcome."""

    id: int
    ts: int = Field(description="UTC µs")
    actor: str
    action: str
    args: dict[str, Any]


class PositionOut(BaseModel):
    """A position in one instrument from my fills (first in, first out)."""

    instrument: str
    product: str
    currency: str
    net_lots: int = Field(description="Bought minus sold, in lots (negative: short)")
    net_kg: int
    bought_lots: int
    sold_lots: int
    average_price_ticks: Decimal | None = Field(
        description="Average price of the open lots in ticks (4 decimals); null when flat"
    )
    average_price_per_kg: Decimal | None = Field(
        description="The same per kg, rounded half-even to 1/100 of the currency's minor unit"
    )
    open_cost_minor: int = Field(description="What the open lots cost (exact), minor units")
    realised_pnl_minor: int = Field(description="P&L of closed lots, before fees (exact)")
    fees_minor: int = Field(description="Fees paid on every fill")
    mark_price_ticks: int = Field(description="The instrument's reference price")
    mark_price_per_kg: Decimal
    unrealised_pnl_minor: int = Field(description="P&L of the open lots at the mark price")


class PositionsOut(BaseModel):
    """A participant's positions and cash."""

    participant: str
    positions: list[PositionOut]
    cash: list[BalanceOut]


class OrderPage(BaseModel):
    """Orders, newest first; ask again with ``before=next_before`` for older ones."""

    items: list[OrderRecordOut]
    next_before: int | None


class FillPage(BaseModel):
    """Fills, newest first; ask again with ``before=next_before`` for older ones."""

    items: list[FillOut]
    next_before: int | None


class TradePage(BaseModel):
    """Trades with owners, newest first; ``before=next_before`` for older ones."""

    items: list[TradeRecordOut]
    next_before: int | None


class RefusalPage(BaseModel):
    """Refusals, newest first; ``before=next_before`` for older ones."""

    items: list[RefusalOut]
    next_before: int | None


class AuditPage(BaseModel):
    """Audit entries, newest first; ``before=next_before`` for older ones."""

    items: list[AuditOut]
    next_before: int | None
