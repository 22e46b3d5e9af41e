"""The report's roadmap sections, one per instrument, read from the roadmap run.

Priority zones, project finance, footprint and safeguards, partnership terms: each a section
with its table and the sources behind it. A report without the roadmap run has none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import xarray as xr

from kazree.data import Dataset
from kazree.i18n import _, format_figure, format_share, ngettext
from kazree.metrics.flagship import ROADMAP_SCENARIO
from kazree.report.document import FigureBlock, Section, TableBlock, TextBlock
from kazree.report.runs import ScenarioRun
from kazree.report.terms import stage_names
from kazree.report.zone_map import located, zone_map, zone_map_caption
from kazree.roadmap.finance.plan import builds_finance, plan_assumptions
from kazree.roadmap.overview import RoadmapOverview, best_zones, roadmap_overview

ZONE_SOURCES = "zone_criteria"
FINANCE_TABLES = ("fiscal_terms", "instrument_terms", "capex_benchmarks", "opex_benchmarks")


Column = tuple[str, str, Callable[[object], str]]
"""A table column: the frame's column, its header, how to write a cell."""


def frame_table(
    block: str, caption: str, frame: pd.DataFrame, columns: Sequence[Column]
) -> TableBlock:
    """A table of ``frame``'s ``columns``."""
    rows = tuple(
        tuple(write(record[key]) for key, _header, write in columns)
        for record in frame.to_dict("records")
    )
    return TableBlock(block, caption, tuple(header for _key, header, _write in columns), rows)


def sources_block(ids: Sequence[str], dataset: Dataset, block: str) -> TextBlock:
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


def cited(dataset: Dataset, table: str) -> list[str]:
    """The source ids ``table``'s rows cite."""
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


def zones_section(o: RoadmapOverview, dataset: Dataset, source: str) -> Section:
    table = frame_table(
        "roadmap-zones",
        _(
            "The best sites of each kind by weighted sum; the shares of sampled weights that "
            "rank each first and in the top three measure how robust the ranking is."
        ),
        best_zones(o.zones),
        [
            ("kind", _("kind"), str),
            ("site", _("site"), str),
            ("score", _("score"), lambda v: format_figure(v, digits=2)),
            ("first_share", _("first %"), format_share),
            ("top3_share", _("top 3 %"), format_share),
        ],
    )
    intro = _("Kazakh deposits and processing sites ranked by sourced criteria (kazree zones).")
    ids = cited(dataset, ZONE_SOURCES) + _located_by(o.zones, dataset)
    sources = sources_block(ids, dataset, "roadmap-zones-sources")
    figure = zone_map_block(o.zones, source)
    return Section("roadmap-zones", _("Priority zones"), intro, (figure, table, sources))


def _located_by(zones: pd.DataFrame, dataset: Dataset) -> list[str]:
    """The sources of the rows that place the located sites."""
    sites = set(located(zones)["site"])
    ids: list[str] = []
    for name in ("deposits", "facilities"):
        rows = dataset.table(name)
        cells = rows.loc[rows["id"].isin(sites), "source"]
        ids += [s for cell in cells for s in str(cell).split(";")]
    return ids


def finance_section(o: RoadmapOverview, dataset: Dataset) -> Section:
    table = frame_table(
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
    ids = list(o.sources) + [s for t in FINANCE_TABLES for s in cited(dataset, t)]
    intro = _("Cash flows under Kazakhstan's fiscal terms (kazree finance).")
    sources = sources_block(ids, dataset, "roadmap-finance-sources")
    return Section("roadmap-finance", _("Project finance"), intro, (table, sources))


PLAN_FINANCE_TABLES = ("fiscal_terms", "instrument_terms", "capex_benchmarks", "lead_times")
"""The dataset tables behind a plan's finance: taxes, financing terms, capex and lead times."""


def plan_finance_blocks(
    builds: pd.DataFrame, results: xr.Dataset, dataset: Dataset, key: str
) -> tuple[TableBlock, TextBlock]:
    """The finance of each build of a plan at the plan's own model margins
    (:func:`builds_finance`), with what it assumes and its sources."""
    frame = builds_finance(dataset, builds, results, f"plan {key}")
    stages = stage_names()
    caption = _(
        "Each build of the plan: capex (million US$), NPV at a 10 per cent real discount rate "
        "(million US$), after-tax IRRs, the minimum DSCR and the payback in years from first "
        "output."
    )
    table = frame_table(
        f"plan-finance-{key}",
        caption + " " + plan_assumptions(frame),
        frame,
        [
            ("candidate", _("build"), str),
            ("stage", _("stage"), lambda v: stages.get(str(v), str(v))),
            ("country", _("country"), str),
            ("online_year", _("online"), str),
            ("capex_musd", _("capex M US$"), lambda v: format_figure(v, digits=1)),
            ("stack", _("stack"), str),
            ("npv_musd", _("NPV M US$"), format_figure),
            ("project_irr", _("project IRR %"), format_share),
            ("equity_irr", _("equity IRR %"), format_share),
            ("min_dscr", _("min DSCR"), lambda v: format_figure(v, digits=2)),
            ("payback_years", _("payback, years"), lambda v: format_figure(v, digits=1)),
        ],
    )
    ids = [s for t in PLAN_FINANCE_TABLES for s in cited(dataset, t)]
    return table, sources_block(ids, dataset, f"plan-finance-sources-{key}")


def safeguards_section(o: RoadmapOverview, dataset: Dataset) -> Section:
    footprint = frame_table(
        "roadmap-footprint",
        _("Kazakhstan's footprint in {year} by stage, in each metric's unit.").format(year=o.year),
        o.footprint,
        [
            ("metric", _("metric"), str),
            ("stage", _("stage"), str),
            ("value", _("value"), format_figure),
            ("unit", _("unit"), str),
        ],
    )
    binding = frame_table(
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
    sources = sources_block(cited(dataset, "footprints"), dataset, "roadmap-footprint-sources")
    return Section(
        "roadmap-safeguards", _("Environment and safeguards"), intro, (footprint, binding, sources)
    )


def partners_section(o: RoadmapOverview, dataset: Dataset) -> Section:
    partners = frame_table(
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
    hhi = frame_table(
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


ZONE_MAP_TABLES = (ZONE_SOURCES, "deposits", "facilities")
"""The dataset tables behind the zone map: the criteria and the sites' locations."""


def roadmap_sections(
    dataset: Dataset, runs: Sequence[ScenarioRun], source: Callable[[Sequence[str]], str]
) -> tuple[Section, ...]:
    """The four roadmap sections, read from the roadmap run in its last year (none without it);
    ``source`` writes a chart's source line from the dataset tables behind it."""
    run = next((r for r in runs if r.name == ROADMAP_SCENARIO), None)
    if run is None or "footprint" not in run.results:
        return ()
    o = roadmap_overview(dataset, run.results, run.years()[-1])
    return (
        zones_section(o, dataset, source(ZONE_MAP_TABLES)),
        finance_section(o, dataset),
        safeguards_section(o, dataset),
        partners_section(o, dataset),
    )
