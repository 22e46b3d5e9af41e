"""The roadmap lines of ``kazree demo``: zones, finance, safeguards and partners, concise."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from rich.table import Table

from kazree.i18n import _, format_number, format_share

if TYPE_CHECKING:
    import pandas as pd

    from kazree.roadmap.overview import RoadmapOverview


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]


def zones_table(o: RoadmapOverview) -> Table:
    """The best sites of each kind with the share of weight samples ranking them first / top 3."""
    from kazree.roadmap.overview import best_zones

    table = Table(title=_("Priority zones (weighted sum; robustness over sampled weights)"))
    for header in (_("kind"), _("site"), _("score"), _("first %"), _("top 3 %")):
        table.add_column(header, justify="left" if header in (_("kind"), _("site")) else "right")
    for row in _records(best_zones(o.zones)):
        table.add_row(
            str(row["kind"]),
            str(row["site"]),
            format_number(float(row["score"]), digits=2),
            format_share(row["first_share"]),
            format_share(row["top3_share"]),
        )
    return table


def finance_table(o: RoadmapOverview) -> Table:
    """NPV, IRRs and minimum DSCR of each roadmap project under its stack."""
    table = Table(title=_("Finance of the roadmap's Kazakh projects"))
    headers = (_("project"), _("stack"), _("NPV M US$"), _("project IRR %"), _("equity IRR %"))
    for header in (*headers, _("min DSCR")):
        table.add_column(header, justify="left" if header in headers[:2] else "right")
    for row in _records(o.finance):
        table.add_row(
            str(row["project"]),
            str(row["stack"]),
            format_number(float(row["npv_musd"])),
            format_share(row["project_irr"]),
            format_share(row["equity_irr"]),
            format_number(float(row["min_dscr"]), digits=2),
        )
    return table


def binding_lines(bound: pd.DataFrame) -> list[str]:
    """One line per binding safeguard (``binding_safeguards``), or that none binds."""
    if bound.empty:
        return [_("Safeguards: none binds.")]
    return [
        _("Safeguard {name} binds {first}-{last}, up to {cost} {unit}").format(
            name=row["safeguard"],
            first=row["first_year"],
            last=row["last_year"],
            cost=format_number(float(row["max_cost"]), digits=2),
            unit=row["unit"],
        )
        for row in _records(bound)
    ]


def safeguards_lines(o: RoadmapOverview) -> str:
    """The binding safeguards, or that none binds, and Kazakhstan's footprint."""
    lines = binding_lines(o.safeguards)
    parts = [
        f"{row['metric']} ({row['stage']}) {format_number(float(row['value']))} {row['unit']}"
        for row in _records(o.footprint)
    ]
    footprint = ", ".join(parts) or _("none")
    lines.append(
        _("Kazakhstan's footprint in {year}: {parts}").format(year=o.year, parts=footprint)
    )
    return "\n".join(lines)


def partners_table(o: RoadmapOverview) -> Table:
    """Who gets what under the consortium's terms, and the export-partner HHI two ways."""
    row = o.concentration[o.concentration["year"] == o.year]
    flow, offtake = (
        float(row[c].iloc[0]) if len(row) else float("nan") for c in ("flow_hhi", "offtake_hhi")
    )
    title = _(
        "{consortium}, {year}: export-partner HHI {flow} by flow, {offtake} by offtake"
    ).format(
        consortium=o.consortium,
        year=o.year,
        flow=format_number(flow),
        offtake=format_number(offtake),
    )
    table = Table(title=title)
    headers = (_("partner"), _("country"), _("equity %"), _("oxide t"), _("value added M US$"))
    for header in (*headers, _("offtake t")):
        table.add_column(header, justify="left" if header == headers[0] else "right")
    for p in _records(o.partners):
        table.add_row(
            str(p["partner"]),
            str(p["country"]),
            format_number(float(p["equity_pct"])),
            format_number(float(p["oxide_t"])),
            format_number(float(p["value_added_musd"]), digits=1),
            format_number(float(p["offtake_t"])),
        )
    return table


def roadmap_sections(o: RoadmapOverview) -> list[RenderableType]:
    """The roadmap lines in print order."""
    return [zones_table(o), finance_table(o), safeguards_lines(o), partners_table(o)]
