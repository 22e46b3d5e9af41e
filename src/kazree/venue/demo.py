"""A demo market: four instruments, a warehouse, traders in five countries, receipts, orders,
and (for ``kazree serve --demo``) a daily call auction.

Everything is set up through ordinary commands on the durable exchange, before the writer
starts, so the demo is an ordinary journal that can be replayed.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from kazree.errors import KazreeError
from kazree.exchange.core.commands import (
    AddInstrument,
    AddParticipant,
    Command,
    DepositCash,
    IssueReceipt,
    PlaceOrder,
    SetExportControls,
    SetJurisdiction,
)
from kazree.exchange.core.domain import Assay, CustodyStage, InstrumentSpec, Role, Side
from kazree.exchange.core.events import Rejected
from kazree.exchange.core.provenance import build_chain
from kazree.exchange.durability.durable import DurableExchange
from kazree.policy.rules import dataset_rules
from kazree.venue.controls import export_controls
from kazree.venue.schedule import parse_schedule
from kazree.venue.store import ServiceStore

WAREHOUSE = "KZ-UST"
OPERATOR = "ulba-warehouse"

SPECS = (
    InstrumentSpec("NDPR-OX", "NdPr-oxide", 9950, 100, 1, "USD", WAREHOUSE, 6_000),
    InstrumentSpec("DY-OX", "Dy-oxide", 9950, 10, 1, "USD", WAREHOUSE, 25_000),
    InstrumentSpec("TB-OX", "Tb-oxide", 9990, 10, 1, "USD", WAREHOUSE, 100_000),
    InstrumentSpec("NDFEB-N52", "NdFeB-N52", 9900, 100, 1, "USD", WAREHOUSE, 8_000),
)
"""Prices in ticks of 1 cent per kg: NdPr oxide at USD 60/kg, Dy oxide at USD 250/kg, ..."""

JURISDICTIONS: dict[str, frozenset[str]] = {
    "NDFEB-N52": frozenset({"KZ", "DE", "JP", "US"}),
}
"""The magnet market is open to partnership jurisdictions only."""

PARTICIPANTS: tuple[tuple[str, str, tuple[Role, ...]], ...] = (
    ("exchange-admin", "KZ", (Role.ADMIN,)),
    (OPERATOR, "KZ", (Role.WAREHOUSE_OPERATOR,)),
    ("trader-kz", "KZ", (Role.TRADER,)),
    ("trader-de", "DE", (Role.TRADER,)),
    ("trader-jp", "JP", (Role.TRADER,)),
    ("trader-cn", "CN", (Role.TRADER,)),
    ("trader-us", "US", (Role.TRADER,)),
    ("regulator", "KZ", (Role.OBSERVER,)),
)

AUCTIONS = (parse_schedule("TB-OX", "09:45", "10:00"),)
"""The terbium market opens with a call auction, Monday to Friday (UTC)."""

LICENSED = {"R-TB-JP-1": "MOFCOM dual-use export licence 2026-0042 (demo)"}
"""Receipts issued with an export licence."""


def demo_commands(ts: int) -> list[Command]:
    """The demo set-up, every command stamped ``ts``."""
    cmds: list[Command] = [AddParticipant(ts, p, c, roles) for p, c, roles in PARTICIPANTS]
    cmds += [AddInstrument(ts, spec) for spec in SPECS]
    traders = [p for p, _, roles in PARTICIPANTS if Role.TRADER in roles]
    cmds += [DepositCash(ts, p, "USD", 1_000_000_000) for p in traders]
    cmds += [SetJurisdiction(ts, i, tuple(sorted(c))) for i, c in JURISDICTIONS.items()]
    receipts = (
        ("R-NDPR-KZ-1", "trader-kz", "NdPr-oxide", 5_000, 9960, ("KZ", "KZ")),
        ("R-DY-KZ-1", "trader-kz", "Dy-oxide", 500, 9970, ("KZ", "KZ")),
        ("R-DY-CN-1", "trader-cn", "Dy-oxide", 500, 9980, ("CN", "CN")),
        ("R-TB-JP-1", "trader-jp", "Tb-oxide", 200, 9995, ("CN", "CN")),
        ("R-NDFEB-DE-1", "trader-de", "NdFeB-N52", 2_000, 9950, ("KZ", "KZ", "DE")),
        ("R-NDPR-US-1", "trader-us", "NdPr-oxide", 3_000, 9955, ("US", "KZ")),
    )
    for rid, owner, product, kg, purity, countries in receipts:
        chain = build_chain(
            (stage, country, f"{country} {stage.value}", "2026-01-15", "demo certifier")
            for stage, country in zip(
                (CustodyStage.MINE, CustodyStage.SEPARATOR, CustodyStage.METAL_MAKER),
                countries,
                strict=False,
            )
        )
        cmds.append(
            IssueReceipt(
                ts,
                OPERATOR,
                rid,
                owner,
                WAREHOUSE,
                product,
                kg,
                Assay(f"AS-{rid}", "demo lab", purity),
                chain,
                LICENSED.get(rid),
            )
        )
    orders = (
        ("trader-de", "NDPR-OX", Side.BUY, 5_950, 10),
        ("trader-jp", "NDPR-OX", Side.BUY, 5_900, 5),
        ("trader-kz", "NDPR-OX", Side.SELL, 6_050, 10),
        ("trader-us", "NDPR-OX", Side.SELL, 6_100, 8),
        ("trader-de", "DY-OX", Side.BUY, 24_800, 5),
        ("trader-kz", "DY-OX", Side.SELL, 25_300, 10),
        ("trader-us", "TB-OX", Side.BUY, 99_000, 2),
        ("trader-de", "NDFEB-N52", Side.SELL, 8_200, 5),
    )
    for n, (who, instrument, side, price, lots) in enumerate(orders, start=1):
        cmds.append(PlaceOrder(ts, who, f"demo-{n}", instrument, side, lots, price_ticks=price))
    return cmds


def seed(exchange: DurableExchange, commands: Sequence[Command]) -> None:
    """Submit ``commands`` in one group commit; :class:`KazreeError` if any is refused."""
    for cmd, events in zip(commands, exchange.submit_many(commands), strict=True):
        first = events[0]
        if isinstance(first, Rejected):
            msg = f"demo set-up: {type(cmd).__name__} refused: {first.message}"
            raise KazreeError(msg)


def install_demo(db_url: str, *, auctions: bool = False) -> dict[str, str]:
    """Create the demo market in an empty database; participant -> new API key.

    ``auctions`` also schedules the demo's call auctions (left out where a test or benchmark
    must not depend on the time of day).
    """
    exchange = DurableExchange.open(db_url)
    try:
        if exchange.seq:
            msg = f"{db_url}: journal not empty (seq {exchange.seq}); --demo needs a fresh database"
            raise KazreeError(msg)
        ts = time.time_ns() // 1_000
        products = [spec.product for spec in SPECS]
        controls = export_controls(dataset_rules(), products)
        seed(exchange, [SetExportControls(ts, controls), *demo_commands(ts)])
    finally:
        exchange.close()
    store = ServiceStore.open(db_url)
    try:
        keys = {p: store.issue_key(p) for p, _, _ in PARTICIPANTS}
        for schedule in AUCTIONS if auctions else ():
            store.set_auction_schedule(schedule)
        store.audit("demo", "install_demo", {"participants": sorted(keys)})
    finally:
        store.close()
    return keys
