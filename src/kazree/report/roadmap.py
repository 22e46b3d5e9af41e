"""The report's roadmap sections, one per instrument, read from the roadmap run.

Priority zones, project finance, footprint and safeguards, partnership terms: each a section
with its table and the sources behind it. A report without the roadmap run has none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from kazree.data import Dataset
from kazree.i18n import _, format_figure, format_share
from kazree.metrics.flagship import ROADMAP_SCENARIO
from kazree.report.document import Section, TableBlock, TextBlock
from kazree.report.runs import ScenarioRun
from kazree.roadmap.overview import RoadmapOverview, roadmap_overview

ZONE_SOURCES = "zone_criteria"
FINANCE_TABLES = ("fiscal_terms", "instrument_terms", "capex_benchmarks", "opex_benchmarks")


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


def zones_section(o: RoadmapOverview, dataset: Dataset) -> Section:
    table = _table(
        "roadmap-zones",
        _(
            "The best sites of each kind by weighted sum; the shares of sampled weights that "
            "rank each first and in the top three measure how robust the ranking is."
        ),
        o.zones,
        [
            ("kind", _("kind"), str),
            ("site", _("site"), str),
            ("score", _("score"), lambda v: format_figure(v, digits=2)),
            ("first_share", _("first %"), format_share),
            ("top3_share", _("top 3 %"), format_share),
        ],
    )
    intro = _("Kazakh deposits and processing sites ranked by sourced criteria (kazree zones).")
    sources = _sources(_cited(dataset, ZONE_SOURCES), dataset, "roadmap-zones-sources")
    return Section("roadmap-zones", _("Priority zones"), intro, (table, sources))


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
            ("debt_share", _("debt %"), format_share),
            ("grant_share", _("grant %"), format_share),
            ("equity_share", _("equity %"), format_share),
            ("npv_musd", _("NPV M US$"), format_figure),
            ("project_irr", _("project IRR %"), format_share),
            ("equity_irr", _("equity IRR %"), format_share),
            ("min_dscr", _("min DSCR"), lambda v: format_figure(v, digits=2)),
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
        [
            ("metric", _("metric"), str),
            ("stage", _("stage"), str),
            ("value", _("value"), format_figure),
        ],
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
            ("max_cost", _("highest cost"), lambda v: format_figure(v, digits=2)),
            ("mean_cost", _("mean cost"), lambda v: format_figure(v, digits=2)),
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
            ("equity_pct", _("equity %"), format_figure),
            ("oxide_t", _("oxide t"), format_figure),
            ("value_added_musd", _("value added M US$"), lambda v: format_figure(v, digits=1)),
            ("offtake_t", _("offtake t"), format_figure),
        ],
    )
    hhi = _table(
        "roadmap-concentration",
        _("Kazakhstan's export-partner HHI (0-10,000) by physical flow and by contracted offtake."),
        o.concentration,
        [
            ("year", _("year"), str),
            ("flow_hhi", _("by flow"), format_figure),
            ("offtake_hhi", _("by offtake"), format_figure),
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
