"""``kazree partners``: a consortium's partners, offtake concentration and commitments."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kazree.i18n import _, format_number


def _share(value: float, digits: int = 1) -> str:
    """A percentage as written in the terms: no decimals when whole."""
    return format_number(value, digits=0 if float(value).is_integer() else digits)


def partners(
    consortium: Annotated[
        str, typer.Argument(help="A shipped consortium (technopolis, turkic-ree) or a YAML file.")
    ],
) -> None:
    """Partners, equity and offtake shares, export-partner HHI of the offtake, commitments."""
    from kazree.roadmap.partnerships import load_consortium, offtake_concentration
    from kazree.roadmap.partnerships.schema import CommitmentKind

    terms = load_consortium(consortium)
    console = Console()
    products = sorted({k for p in terms.partners for k in p.offtake_pct})
    title = _("{consortium}: partners (projects: {projects})").format(
        consortium=terms.name, projects=", ".join(terms.projects)
    )
    table = Table(title=title)
    table.add_column(_("partner"), justify="left")
    for header in (
        _("country"),
        _("equity %"),
        *(_("{product} offtake %").format(product=p) for p in products),
    ):
        table.add_column(header, justify="right")
    for p in terms.partners:
        shares = [
            _share(
                p.offtake_pct.get(product, 0.0),
            )
            for product in products
        ]
        table.add_row(
            p.name,
            p.country,
            _share(
                p.equity_pct,
            ),
            *shares,
        )
    console.print(table)
    conc = Table(
        title=_("Offtake exported from {home}: concentration by partner country").format(
            home=terms.home
        )
    )
    for header in (
        _("product"),
        _("contracted %"),
        _("domestic %"),
        _("HHI"),
        _("largest"),
        _("largest %"),
    ):
        conc.add_column(header, justify="right")
    for row in offtake_concentration(terms).to_dict("records"):
        conc.add_row(
            str(row["product"]),
            _share(float(row["contracted_pct"])),
            _share(float(row["domestic_pct"])),
            format_number(float(row["offtake_hhi"])),
            str(row["largest_country"]),
            _share(float(row["largest_share_pct"])),
        )
    console.print(conc)
    kinds = {
        CommitmentKind.TECHNOLOGY_TRANSFER: _("technology transfer"),
        CommitmentKind.LOCAL_CONTENT: _("local content"),
    }
    for p in terms.partners:
        for c in p.commitments:
            line = _("{partner}: {kind}: {what}").format(
                partner=p.name, kind=kinds[c.kind], what=c.what
            )
            if c.share_pct is not None:
                line += (
                    " "
                    + _share(
                        c.share_pct,
                    )
                    + " %"
                )
            if c.by_year is not None:
                line += " " + _("by {year}").format(year=c.by_year)
            console.print(line, highlight=False)
    console.print(terms.description, highlight=False)
