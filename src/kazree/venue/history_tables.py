"""The tables of the history read model (in the journal's database; see :mod:`.history`)."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

cursor_table = sa.Table(
    "history_cursor",
    metadata,
    sa.Column("name", sa.String(16), primary_key=True),
    sa.Column("seq", sa.BigInteger, nullable=False),
)

orders_table = sa.Table(
    "history_orders",
    metadata,
    sa.Column("order_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("participant", sa.String(64), nullable=False),
    sa.Column("client_order_id", sa.String(64), nullable=False),
    sa.Column("instrument", sa.String(64), nullable=False),
    sa.Column("side", sa.String(4), nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("tif", sa.String(4), nullable=False),
    sa.Column("post_only", sa.Boolean, nullable=False),
    sa.Column("stp", sa.String(16), nullable=False),
    sa.Column("limit_ticks", sa.BigInteger, nullable=True),
    sa.Column("quantity_lots", sa.BigInteger, nullable=False),
    sa.Column("open_lots", sa.BigInteger, nullable=False),
    sa.Column("filled_lots", sa.BigInteger, nullable=False),
    sa.Column("filled_ticks_lots", sa.BigInteger, nullable=False),
    sa.Column("closed", sa.String(16), nullable=True),
    sa.Column("placed_ts", sa.BigInteger, nullable=False),
    sa.Column("updated_ts", sa.BigInteger, nullable=False),
    sa.Column("placed_seq", sa.BigInteger, nullable=False),
    sa.Index("history_orders_by_participant", "participant", "order_id"),
)

trades_table = sa.Table(
    "history_trades",
    metadata,
    sa.Column("trade_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("ts", sa.BigInteger, nullable=False),
    sa.Column("instrument", sa.String(64), nullable=False),
    sa.Column("price_ticks", sa.BigInteger, nullable=False),
    sa.Column("quantity_lots", sa.BigInteger, nullable=False),
    sa.Column("buy_order_id", sa.BigInteger, nullable=False),
    sa.Column("sell_order_id", sa.BigInteger, nullable=False),
    sa.Column("buyer", sa.String(64), nullable=False),
    sa.Column("seller", sa.String(64), nullable=False),
    sa.Column("aggressor", sa.String(4), nullable=True),
    sa.Column("buyer_fee", sa.BigInteger, nullable=False),
    sa.Column("seller_fee", sa.BigInteger, nullable=False),
    sa.Column("receipts", sa.Text, nullable=False),
    sa.Index("history_trades_by_buyer", "buyer", "trade_id"),
    sa.Index("history_trades_by_seller", "seller", "trade_id"),
)

positions_table = sa.Table(
    "history_positions",
    metadata,
    sa.Column("participant", sa.String(64), primary_key=True),
    sa.Column("instrument", sa.String(64), primary_key=True),
    sa.Column("net_lots", sa.BigInteger, nullable=False),
    sa.Column("open_lots", sa.Text, nullable=False),
    sa.Column("realised_ticks_lots", sa.BigInteger, nullable=False),
    sa.Column("bought_lots", sa.BigInteger, nullable=False),
    sa.Column("sold_lots", sa.BigInteger, nullable=False),
    sa.Column("fees_minor", sa.BigInteger, nullable=False),
)

refusals_table = sa.Table(
    "history_refusals",
    metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("ts", sa.BigInteger, nullable=False),
    sa.Column("command", sa.String(32), nullable=False),
    sa.Column("participant", sa.String(64), nullable=True),
    sa.Column("instrument", sa.String(64), nullable=True),
    sa.Column("code", sa.String(64), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Index("history_refusals_by_participant", "participant", "seq"),
)
