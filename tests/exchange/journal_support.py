"""For the journal tests: journal databases (SQLite, PostgreSQL) and seeded command streams."""

from __future__ import annotations

import random
from contextlib import AbstractContextManager
from pathlib import Path

from databases import scratch_database
from kazree.exchange.core.commands import CancelOrder, Command, EndOfDay, PlaceOrder, ReplaceOrder
from kazree.exchange.core.domain import OrderKind, Side, TimeInForce
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.sample import setup_commands, trader_names

INSTRUMENT = "NDPR-OX-KZ"
TRADERS = trader_names(6)
T0 = 1_790_000_000_000_000  # 2026-09-21 in UTC microseconds


def journal_url(backend: str, tmp_path: Path) -> AbstractContextManager[str]:
    """A fresh journal URL: a SQLite file, or a private schema on the test PostgreSQL server."""
    return scratch_database(backend, tmp_path, "journal")


def order_stream(n: int, seed: int) -> list[Command]:
    """``n`` seeded trading commands: limit, market, IOC, FOK, DAY, post-only, cancel, replace.

    Cancels and replaces mostly target orders that are resting at that point (a scratch engine
    follows the stream), some target unknown ids and are rejected.
    """
    rng = random.Random(seed)
    scratch = Exchange()
    cmds: list[Command] = []
    for c in setup_commands(traders=len(TRADERS), ts=T0):
        scratch.apply(c)
    for i in range(n):
        ts = T0 + 1_000 * (i + 1)
        trader = rng.choice(TRADERS)
        resting = [o.order_id for o in scratch.open_orders(trader)] or [10**9]
        target = rng.choice(resting) if rng.random() < 0.9 else scratch.next_order_id + 7
        roll = rng.random()
        cmd: Command
        if roll < 0.62:
            kind = OrderKind.MARKET if rng.random() < 0.05 else OrderKind.LIMIT
            cmd = PlaceOrder(
                ts,
                trader,
                f"c{i}",
                INSTRUMENT,
                rng.choice((Side.BUY, Side.SELL)),
                rng.randint(1, 4),
                kind=kind,
                price_ticks=rng.randint(5_980, 6_020) if kind is OrderKind.LIMIT else None,
                tif=rng.choices(list(TimeInForce), weights=(70, 10, 15, 5))[0],
                post_only=kind is OrderKind.LIMIT and rng.random() < 0.05,
            )
        elif roll < 0.80:
            cmd = CancelOrder(ts, trader, target)
        elif roll < 0.995:
            cmd = ReplaceOrder(
                ts,
                trader,
                target,
                price_ticks=rng.choice((None, rng.randint(5_980, 6_020))),
                quantity_lots=rng.randint(1, 4) if rng.random() < 0.6 else None,
            )
        else:
            cmd = EndOfDay(ts)
        scratch.apply(cmd)
        cmds.append(cmd)
    return cmds


def stream(n: int, seed: int) -> list[Command]:
    """Set-up followed by ``n`` trading commands."""
    return setup_commands(traders=len(TRADERS), ts=T0) + order_stream(n, seed)
