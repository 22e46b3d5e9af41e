"""``kazree partners``: a consortium's partners, offtake concentration and commitments."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table


def partners(
    consortium: Annotated[
        str, typer.Argument(help="A shipped consortium (technopolis, turkic-ree) or a YAML file.")
    ],
) -> None:
    """Partners, equity and offtake shares, export-partner HHI of the offtake, commitments."""
    from kazree.roadmap.partnerships import load_consortium, offtake_concentration

    terms = load_consortium(consortium)
    console = Console()
    products = sorted({k for p in terms.partners for k in p.offtake_pct})
    table = Table(title=f"{terms.name}: partners (projects: {', '.join(terms.projects)})")
    for header in ("partner", "country", "equity %", *(f"{p} offtake %" for p in products)):
        table.add_column(header, justify="left" if header == "partner" else "right")
    for p in terms.partners:
        shares = [f"{p.offtake_pct.get(product, 0.0):g}" for product in products]
        table.add_row(p.name, p.country, f"{p.equity_pct:g}", *shares)
    console.print(table)
    conc = Table(title=f"Offtake exported from {terms.home}: concentration by partner country")
    for header in ("product", "contracted %", "domestic %", "HHI", "largest", "largest %"):
        conc.add_column(header, justify="right")
    for row in offtake_concentration(terms).itertuples(index=False):
        conc.add_row(
            str(row.product),
            f"{row.contracted_pct:g}",
            f"{row.domestic_pct:g}",
            f"{row.offtake_hhi:,.0f}",
            str(row.largest_country),
            f"{row.largest_share_pct:.1f}",
        )
    console.print(conc)
    for p in terms.partners:
        for c in p.commitments:
            share = "" if c.share_pct is None else f" {c.share_pct:g} %"
            when = "" if c.by_year is None else f" by {c.by_year}"
            console.print(f"{p.name}: {c.kind.value.replace('_', ' ')}: {c.what}{share}{when}")
    console.print(terms.description, highlight=False)
