"""The report's roadmap sections, one per instrument, read from the roadmap run.

Priority zones, project finance, footprint and safeguards, partnership terms: each a section
with its table and the sources behind it. A report without the roadmap run has none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from kazree.data import Dataset
from kazree.i18n import _, format_number, ngettext
from kazree.metrics.flagship import ROADMAP_SCENARIO
from kazree.report.document import FigureBlock, Section, TableBlock, TextBlock
from kazree.report.runs import ScenarioRun
from kazree.report.zone_map import located, zone_map, zone_map_caption
from kazree.roadmap.overview import RoadmapOverview, best_zones, roadmap_overview

ZONE_SOURCES = "zone_criteria"
FINANCE_TABLES = ("fiscal_terms", "instrument_terms", "capex_benchmarks", "opex_benchmarks")


def _pct(value: object) -> str:
    if not isinstance(value, float) or value != value:
        return "-"
    return format_number(100 * value, digits=1)


def _number(value: object, digits: int = 0) -> str:
    if not isinstance(value, float | int) or value != value:
        return "-"
    return format_number(float(value), digits=digits)


Column = tuple[str, str, Callable[[object], str]]
"""A table column: the frame's column, its header, how to write a cell."""


def _table(block: str, caption: str, frame: pd.DataFrame, columns: Sequence[Column]) -> TableBlock:
    """A table of ``frame``'s ``columns``."""
    rows = tuple(
        tuple(write(record[key]) for key, _header, write in columns)
        for record in frame.to_dict("records")
    )
    return TableBlock(block, caption, tuple(header for _key, header, _write in columns), rows)


def _sources(ids: Sequence[str], dataset: Dataset, block: str) -> TextBlock:
    """The sources cited, one line each: id, title, url."""
    known = dataset.table("sources").set_index("id")
    lines = []
    for source in sorted(set(ids)):
        if source in known.index:
            row = known.loc[source]
            lines.append(
                f"{source}: {row['title']} {row['url'] if isinstance(row['url'], str) else ''}"
            )
    return TextBlock(block, _("Sources"), "\n".join(lines), collapsed=True)


def _cited(dataset: Dataset, table: str) -> list[str]:
    return [s for cell in dataset.table(table)["source"].dropna() for s in str(cell).split(";")]


def zone_map_block(zones: pd.DataFrame, source: str) -> FigureBlock:
    """The ranked sites on a map (:func:`zone_map`)."""
    shown = len(located(zones))
    title = ngettext(
        "{shown} of {count} ranked sites has a published location",
        "{shown} of {count} ranked sites have a published location",
        shown,
    ).format(shown=shown, count=len(zones))
    return FigureBlock(
        "roadmap-zone-map",
        title,
        zone_map_caption(zones),
        _("Map of Kazakhstan's ranked deposits and processing sites, coloured by score."),
        zone_map(zones),
        source,
    )


def zones_section(o: RoadmapOverview, dataset: Dataset) -> Section:
    table = _table(
        "roadmap-zones",
        _(
            "The best sites of each kind by weighted sum; the shares of sampled weights that "
            "rank each first and in the top three measure how robust the ranking is."
        ),
        best_zones(o.zones),
        [
            ("kind", _("kind"), str),
            ("site", _("site"), str),
            ("score", _("score"), lambda v: _number(v, 2)),
            ("first_share", _("first %"), _pct),
            ("top3_share", _("top 3 %"), _pct),
        ],
    )
    intro = _("Kazakh deposits and processing sites ranked by sourced criteria (kazree zones).")
    cited = _cited(dataset, ZONE_SOURCES) + _located_by(o.zones, dataset)
    sources = _sources(cited, dataset, "roadmap-zones-sources")
    source = _(
        "Source: kazree zones over the dataset's zone criteria, deposits and facilities "
        "(see Sources)."
    )
    figure = zone_map_block(o.zones, source)
    return Section("roadmap-zones", _("Priority zones"), intro, (figure, table, sources))


def _located_by(zones: pd.DataFrame, dataset: Dataset) -> list[str]:
    """The sources of the rows that place the located sites."""
    sites = set(located(zones)["site"])
    cited: list[str] = []
    for name in ("deposits", "facilities"):
        rows = dataset.table(name)
        cells = rows.loc[rows["id"].isin(sites), "source"]
        cited += [s for cell in cells for s in str(cell).split(";")]
    return cited


def finance_section(o: RoadmapOverview, dataset: Dataset) -> Section:
    table = _table(
        "roadmap-finance",
        _(
            "Each roadmap project under its capital stack and the NdPr floor offtake: shares of "
            "capex, NPV at a 10 per cent real discount rate (million US$), after-tax IRRs and "
            "the minimum DSCR."
        ),
        o.finance,
        [
            ("project", _("project"), str),
            ("stack", _("stack"), str),
            ("debt_share", _("debt %"), _pct),
            ("grant_share", _("grant %"), _pct),
            ("equity_share", _("equity %"), _pct),
            ("npv_musd", _("NPV M US$"), _number),
            ("project_irr", _("project IRR %"), _pct),
            ("equity_irr", _("equity IRR %"), _pct),
            ("min_dscr", _("min DSCR"), lambda v: _number(v, 2)),
        ],
    )
    ids = list(o.sources) + [s for t in FINANCE_TABLES for s in _cited(dataset, t)]
    intro = _("Cash flows under Kazakhstan's fiscal terms (kazree finance).")
    sources = _sources(ids, dataset, "roadmap-finance-sources")
    return Section("roadmap-finance", _("Project finance"), intro, (table, sources))


def safeguards_section(o: RoadmapOverview, dataset: Dataset) -> Section:
    footprint = _table(
        "roadmap-footprint",
        _("Kazakhstan's footprint in {year} by stage, in each metric's unit.").format(year=o.year),
        o.footprint,
        [("metric", _("metric"), str), ("stage", _("stage"), str), ("value", _("value"), _number)],
    )
    binding = _table(
        "roadmap-safeguards",
        _(
            "Safeguards that bind, with their cost (the dual: US$ per unit of what they limit). "
            "No row: no safeguard binds."
        ),
        o.safeguards,
        [
            ("safeguard", _("safeguard"), str),
            ("unit", _("unit"), str),
            ("first_year", _("from"), str),
            ("last_year", _("to"), str),
            ("max_cost", _("highest cost"), lambda v: _number(v, 2)),
            ("mean_cost", _("mean cost"), lambda v: _number(v, 2)),
        ],
    )
    intro = _("Footprints per stage and ore type, and the scenario's safeguards as model rules.")
    sources = _sources(_cited(dataset, "footprints"), dataset, "roadmap-footprint-sources")
    return Section(
        "roadmap-safeguards", _("Environment and safeguards"), intro, (footprint, binding, sources)
    )


def partners_section(o: RoadmapOverview, dataset: Dataset) -> Section:
    partners = _table(
        "roadmap-partners",
        _(
            "{consortium} in {year}: equity share of the covered plants' separated oxide and "
            "of their value added, and contracted offtake."
        ).format(consortium=o.consortium, year=o.year),
        o.partners,
        [
            ("partner", _("partner"), str),
            ("country", _("country"), str),
            ("equity_pct", _("equity %"), _number),
            ("oxide_t", _("oxide t"), _number),
            ("value_added_musd", _("value added M US$"), lambda v: _number(v, 1)),
            ("offtake_t", _("offtake t"), _number),
        ],
    )
    hhi = _table(
        "roadmap-concentration",
        _("Kazakhstan's export-partner HHI (0-10,000) by physical flow and by contracted offtake."),
        o.concentration,
        [
            ("year", _("year"), str),
            ("flow_hhi", _("by flow"), _number),
            ("offtake_hhi", _("by offtake"), _number),
        ],
    )
    intro = _("Who gets what under the partnership terms (kazree partners); illustrative terms.")
    return Section("roadmap-partners", _("Partnership terms"), intro, (partners, hhi))


def roadmap_sections(dataset: Dataset, runs: Sequence[ScenarioRun]) -> tuple[Section, ...]:
    """The four roadmap sections, read from the roadmap run in its last year (none without it)."""
    run = next((r for r in runs if r.name == ROADMAP_SCENARIO), None)
    if run is None or "footprint" not in run.results:
        return ()
    o = roadmap_overview(dataset, run.results, run.years()[-1])
    return (
        zones_section(o, dataset),
        finance_section(o, dataset),
        safeguards_section(o, dataset),
        partners_section(o, dataset),
    )
