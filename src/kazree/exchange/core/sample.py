"""A small sample market: three instruments, a warehouse, funded traders holding receipts.

A realistic starting state for the benchmark, the tests and the documentation examples.
"""

from __future__ import annotations

from kazree.exchange.core.commands import (
    AddInstrument,
    AddParticipant,
    Command,
    DepositCash,
    IssueReceipt,
)
from kazree.exchange.core.domain import Assay, CustodyStage, InstrumentSpec, ProvenanceStep, Role
from kazree.exchange.core.provenance import build_chain

WAREHOUSE = "KZ-ALA-1"
OPERATOR = "kaz-warehouse"

SPECS = (
    InstrumentSpec("NDPR-OX-KZ", "ndpr_oxide", 9950, 1000, 1, "USD", WAREHOUSE, 6_000),
    InstrumentSpec("DY-OX-KZ", "dy_oxide", 9990, 100, 1, "USD", WAREHOUSE, 30_000),
    InstrumentSpec(
        "NDPR-OX-EXCN",
        "ndpr_oxide",
        9950,
        1000,
        1,
        "USD",
        WAREHOUSE,
        6_500,
        excluded_origins=("CN",),
    ),
)
"""NdPr oxide at $60/kg, Dy oxide at $300/kg and ex-China NdPr oxide (ticks of 1 cent/kg)."""

KZ_CHAIN = build_chain(
    [
        (CustodyStage.MINE, "KZ", "Kuirektykol", "2026-03-02", "SGS Kazakhstan"),
        (CustodyStage.SEPARATOR, "KZ", "Stepnogorsk separation", "2026-04-10", "SGS Kazakhstan"),
    ]
)
CN_CHAIN = build_chain(
    [
        (CustodyStage.MINE, "CN", "Bayan Obo", "2026-02-01", "CCIC"),
        (CustodyStage.SEPARATOR, "KZ", "Stepnogorsk separation", "2026-04-12", "SGS Kazakhstan"),
    ]
)


def trader_names(n: int) -> list[str]:
    """``t01``, ``t02``, ... for ``n`` traders."""
    return [f"t{i:02d}" for i in range(1, n + 1)]


def setup_commands(
    traders: int = 6, cash_minor: int = 10**12, receipt_kg: int = 2_000_000, ts: int = 0
) -> list[Command]:
    """List the instruments and fund ``traders`` traders with cash and one receipt per product.

    Each trader gets ``cash_minor`` USD cents and, per product, a ``receipt_kg`` receipt: NdPr
    of Kazakh origin for odd traders and of Chinese origin for even ones (so only odd traders
    can sell on the ex-China instrument), and Kazakh Dy oxide.
    """
    cmds: list[Command] = [AddInstrument(ts, s) for s in SPECS]
    cmds.append(AddParticipant(ts, OPERATOR, "KZ", (Role.WAREHOUSE_OPERATOR,)))
    for i, name in enumerate(trader_names(traders)):
        cmds.append(AddParticipant(ts, name, "KZ" if i % 2 == 0 else "DE", (Role.TRADER,)))
        cmds.append(DepositCash(ts, name, "USD", cash_minor))
        ndpr_chain = KZ_CHAIN if i % 2 == 0 else CN_CHAIN
        cmds.append(_receipt(ts, f"{name}-ndpr", name, "ndpr_oxide", receipt_kg, ndpr_chain))
        cmds.append(_receipt(ts, f"{name}-dy", name, "dy_oxide", receipt_kg, KZ_CHAIN))
    return cmds


def _receipt(
    ts: int, rid: str, owner: str, product: str, kg: int, chain: tuple[ProvenanceStep, ...]
) -> IssueReceipt:
    return IssueReceipt(
        ts, OPERATOR, rid, owner, WAREHOUSE, product, kg, Assay(f"{rid}-coa", "SGS", 9995), chain
    )
