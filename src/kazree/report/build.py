"""Assemble a :class:`Report` from solved scenarios, the dataset and the export-control rules."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date

import pandas as pd

from kazree.chain import symbols
from kazree.data import Dataset
from kazree.data.controls_schema import ExportControlRow
from kazree.errors import KazreeError
from kazree.metrics.flagship import FLAGSHIP_YEARS, flagship_data, indicators
from kazree.metrics.groups import Blocs
from kazree.metrics.value_added import deck_output_value, gross_output_value, value_added
from kazree.report import charts
from kazree.report.controls_timeline import rule_windows, timeline_figure
from kazree.report.document import Block, FigureBlock, Report, Section, TableBlock, TextBlock
from kazree.report.facility_map import (
    FACILITY_COLUMNS,
    STATUS_SYMBOLS,
    facility_map,
    facility_points,
    scenario_facilities,
)
from kazree.report.flows import sankey_figure, sankey_links
from kazree.report.roadmap import roadmap_sections
from kazree.report.runs import ScenarioRun, counterfactuals
from kazree.report.sources import REPORT_TABLES, SOURCE_COLUMNS, as_text_rows, sources_table
from kazree.report.unmet import unmet_figure, unmet_table

FOCUS_REGIONS: tuple[str, ...] = ("US", "EU", "JP", "KR", "KZ", "CN", "world")
"""Regions shown in the per-region charts, when the results have them."""
KAZAKHSTAN = "KZ"
SHARE_RANGE = (0.0, 105.0)
"""Axis of percent shares (a little over 100 so a line at 100 % stays visible)."""
HHI_RANGE = (0.0, 10_500.0)
DEFAULT_YEAR = 2030
"""The roadmap's target year: the default year of the flows and bars."""


def slug(name: str) -> str:
    """``name`` as a piece of an HTML id (letters, digits, ``-`` and ``_``)."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "scenario"


def report_year(runs: Sequence[ScenarioRun], year: int | None) -> int:
    """``year`` if every run has it (default :data:`DEFAULT_YEAR`, else the last common year)."""
    return pick_year([r.years() for r in runs], year)


def pick_year(spans: Sequence[Sequence[int]], year: int | None) -> int:
    """``year`` if every span of model years has it (default :data:`DEFAULT_YEAR`, else the
    last common year); a one-line error naming the years allowed otherwise."""
    common = sorted(set.intersection(*(set(s) for s in spans)))
    if not common:
        msg = "the scenarios share no model year (allowed: runs over overlapping years)"
        raise KazreeError(msg)
    if year is None:
        return DEFAULT_YEAR if DEFAULT_YEAR in common else common[-1]
    if year not in common:
        span = list(range(common[0], common[-1] + 1))
        allowed = f"{common[0]}..{common[-1]}" if common == span else ", ".join(map(str, common))
        msg = f"--year {year}: not a year of every run (allowed: {allowed})"
        raise KazreeError(msg)
    return year


def build_report(
    runs: Sequence[ScenarioRun],
    *,
    dataset: Dataset,
    rules: Sequence[ExportControlRow],
    blocs: Blocs,
    year: int | None = None,
) -> Report:
    """The whole report for ``runs`` (in order), with flows and bars for ``year``.

    ``rules`` is the rule table shown for runs that do not carry the rules they apply.
    """
    if not runs:
        msg = "a report needs at least one scenario (give SCENARIO names or --results DIR)"
        raise KazreeError(msg)
    names = [r.name for r in runs]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        msg = f"scenario {twice[0]!r} is given twice (allowed: each scenario once)"
        raise KazreeError(msg)
    chosen = report_year(runs, year)
    frames = _frames(runs)
    return Report(
        title="kazree scenario report",
        subtitle=f"{', '.join(names)} · flows and bars for {chosen}",
        sections=(
            headline_section(runs, chosen),
            assumptions_section(runs),
            flows_section(runs, chosen),
            concentration_section(frames),
            unmet_section(runs, blocs, chosen),
            prices_section(runs, frames, chosen),
            kazakhstan_section(runs, frames, blocs, chosen),
            facilities_section(dataset, runs),
            controls_section(runs, rules),
            *roadmap_sections(dataset, runs),
            sources_section(dataset),
        ),
    )


def headline_section(runs: Sequence[ScenarioRun], year: int) -> Section:
    """The flagship comparison's headline figures, for its years the runs share (or ``year``)."""
    common = set.intersection(*(set(r.years()) for r in runs))
    years = [y for y in FLAGSHIP_YEARS if y in common] or [year]
    frames = {r.name: r.metrics[r.metrics["year"].isin(years)] for r in runs}
    data = flagship_data(frames, years, counterfactuals(runs))
    digits = {line.label: line.digits for line in indicators()}
    rows = tuple(
        (
            str(label),
            str(y),
            *("-" if math.isnan(v) else f"{v:,.{digits[str(label)]}f}" for v in values),
        )
        for label, y, *values in data.itertuples(index=False)
    )
    block = TableBlock(
        "headline",
        "Headline figures per scenario and year (from each run's metrics; - where absent). A "
        "roadmap scenario's column 'minus' its counterfactual is the difference it makes against "
        "the same controls without the roadmap.",
        tuple(str(c) for c in data.columns),
        rows,
    )
    intro = "What each scenario means for supply outside China and for Kazakhstan."
    return Section("headline", "Headline figures", intro, (block,))


def assumptions_section(runs: Sequence[ScenarioRun]) -> Section:
    """A summary table of the runs, then each scenario's header, description and settings."""
    summary = TableBlock(
        id="runs",
        caption="Scenarios in this report: solver status, objective and years.",
        columns=("scenario", "status", "objective (USD)", "years"),
        rows=tuple(
            (
                r.name,
                r.status,
                "" if r.objective is None else f"{r.objective:,.0f}",
                f"{min(r.years())}-{max(r.years())}",
            )
            for r in runs
        ),
    )
    blocks: list[Block] = [summary]
    for r in runs:
        a = r.assumptions
        text = "\n\n".join(t for t in (a.description, a.header) if t) or "(no stated assumptions)"
        blocks.append(TextBlock(id=f"assumptions-{slug(r.name)}", title=r.name, text=text))
        if a.settings:
            blocks.append(
                TextBlock(
                    id=f"settings-{slug(r.name)}",
                    title=f"{r.name}: settings (those that differ from the defaults)",
                    text=a.settings,
                    collapsed=True,
                )
            )
    return Section(
        "assumptions",
        "Scenarios and assumptions",
        "What each scenario assumes, as its file states it.",
        tuple(blocks),
    )


def flows_section(runs: Sequence[ScenarioRun], year: int) -> Section:
    """One Sankey per scenario for ``year``."""
    blocks = tuple(
        FigureBlock(
            id=f"sankey-{slug(r.name)}",
            title=f"{r.name}: flows in {year}",
            caption=(
                f"Element content (t REO-eq) moving from mines through cracking, separation, metal "
                f"and magnet making to end use, by country, in {year}. Oxide and metal may go "
                "straight to non-magnet uses; losses and surplus are not drawn."
            ),
            alt=f"Sankey diagram of rare-earth flows by stage and country in {year}, {r.name}.",
            figure=sankey_figure(sankey_links(r.results, year), scenario=r.name, year=year),
        )
        for r in runs
    )
    return Section(
        "flows", "Flows from mine to end use", "Who makes what, and where it goes.", blocks
    )


def _frames(runs: Sequence[ScenarioRun]) -> charts.Frames:
    """Each run's metrics split by metric."""
    return {r.name: charts.by_metric(r.metrics) for r in runs}


def concentration_section(frames: charts.Frames) -> Section:
    """China share and HHI per stage, exposure per region, over the years."""
    blocks = (
        FigureBlock(
            "china-share",
            "China's share per stage",
            "China's share (%) of world output at each stage, all rare earths, per model year.",
            "Line charts of China's percentage share of each stage's output over the years.",
            charts.stage_trends(
                frames, "china_share", y_title="China share (%)", y_range=SHARE_RANGE
            ),
        ),
        FigureBlock(
            "hhi",
            "Concentration (HHI) per stage",
            "Herfindahl-Hirschman index of each stage's output over countries (0-10,000; above "
            "2,500 is highly concentrated).",
            "Line charts of the HHI of each stage over the years.",
            charts.stage_trends(frames, "hhi", y_title="HHI", y_range=HHI_RANGE),
        ),
        FigureBlock(
            "exposure",
            "Exposure to China",
            "Share (%) of each region's magnet supply that passed through China at any stage "
            "(proportional tracing from mine to magnet).",
            "Line charts of each region's exposure to China over the years.",
            charts.region_trends(
                frames, "exposure", FOCUS_REGIONS, y_title="exposure (%)", y_range=SHARE_RANGE
            ),
        ),
    )
    return Section(
        "concentration",
        "Concentration and exposure",
        "How much of each stage sits in China and in few countries, and who depends on it.",
        blocks,
    )


def unmet_section(runs: Sequence[ScenarioRun], blocs: Blocs, year: int) -> Section:
    """Unmet demand by region and sector in ``year``."""
    tables = unmet_table({r.name: r.results for r in runs}, blocs, year, FOCUS_REGIONS)
    figure = unmet_figure(tables, year)
    block: Block
    if figure.data:
        block = FigureBlock(
            "unmet",
            f"Unmet demand in {year}",
            f"Demand not met in {year} (t REO-eq), by region and end-use sector.",
            f"Stacked bar chart of unmet demand by region and sector in {year}.",
            figure,
        )
    else:
        block = TextBlock(
            "unmet", f"Unmet demand in {year}", "All demand is met in every scenario."
        )
    return Section(
        "unmet", "Unmet demand", "Where demand goes unserved, and in which uses.", (block,)
    )


DECK_MARKET = "CN"
"""Where the price deck is quoted: model prices shown next to it are China's."""


def price_deck_block(runs: Sequence[ScenarioRun], year: int) -> TableBlock:
    """The 2024 price deck the demand curves are anchored at, next to each run's model price of
    the oxide in China in its first year and in ``year``."""
    first = runs[0].results
    deck = first["reference_price"]
    basis = first["reference_price_basis"]
    columns = ["element", "deck USD/kg", "deck quote"]
    prices = []
    for run in runs:
        price = run.results["shadow_price"].sel(stage="separation")
        if DECK_MARKET not in price.coords["country"].values:
            continue
        for shown in sorted({min(run.years()), year}):
            columns.append(f"{run.name} {shown}")
            prices.append(price.sel(country=DECK_MARKET, year=shown))
    rows = tuple(
        (
            str(element),
            f"{float(deck.sel(element=element)):,.1f}",
            str(basis.sel(element=element).values),
            *(f"{float(p.sel(element=element)):,.1f}" for p in prices),
        )
        for element in deck.coords["element"].values
    )
    return TableBlock(
        "price-deck",
        "The price deck (dataset prices, China, the demand curves' anchor) next to the model's "
        "market-clearing oxide prices in China (USD/kg).",
        tuple(columns),
        rows,
    )


def prices_section(runs: Sequence[ScenarioRun], frames: charts.Frames, year: int) -> Section:
    """The price deck next to model prices, and oxide prices by element in ``year``."""
    figure = charts.element_grid(
        frames,
        "shadow_price_usd_per_kg",
        year,
        symbols(),
        stage="separation",
        title="USD/kg",
    )
    block = FigureBlock(
        "prices",
        f"Market-clearing prices of separated oxides, {year}",
        f"Price of each oxide (USD/kg, world use-weighted mean) in {year}: the dual of its "
        "balance, where the demand curves clear. Negative: the oxide is a surplus co-product "
        "stockpiled or disposed of at a cost.",
        f"Grid of the market-clearing price of each separated rare-earth oxide per scenario in "
        f"{year}.",
        figure,
    )
    blocks: tuple[Block, ...] = (block,)
    if all("reference_price" in r.results for r in runs):
        blocks = (price_deck_block(runs, year), block)
    return Section("prices", "Prices", "The price deck and the model's prices.", blocks)


def kazakhstan_value_block(runs: Sequence[ScenarioRun], blocs: Blocs, year: int) -> TableBlock:
    """Kazakhstan's output by stage in ``year``: its gross value at model prices and at the 2024
    price deck, and its value added, so a scarcity price shows as such."""
    columns = (
        "scenario",
        "stage",
        "output t",
        "at model prices MUSD",
        "at the 2024 deck MUSD",
        "value added MUSD",
    )
    rows = []
    for run in runs:
        ds = run.results.sel(year=[year])
        if KAZAKHSTAN not in ds["stage_output"].coords["country"].values:
            continue
        output = ds["stage_output"].sel(country=KAZAKHSTAN, year=year).sum("element")
        gross = gross_output_value(ds, blocs).sel(region=KAZAKHSTAN, year=year)
        added = value_added(ds, blocs).sel(region=KAZAKHSTAN, year=year)
        deck = (
            deck_output_value(ds, blocs).sel(region=KAZAKHSTAN, year=year)
            if "reference_magnet_price" in ds
            else None
        )
        for stage in output.coords["stage"].values:
            if str(stage) not in gross.coords["stage"].values or output.sel(stage=stage) <= 0:
                continue
            at_deck = (
                f"{float(deck.sel(stage=stage)):,.1f}"
                if deck is not None and stage in deck.coords["stage"].values
                else "-"
            )
            rows.append(
                (
                    run.name,
                    str(stage),
                    f"{float(output.sel(stage=stage)):,.0f}",
                    f"{float(gross.sel(stage=stage)):,.1f}",
                    at_deck,
                    f"{float(added.sel(stage=stage)):,.1f}",
                )
            )
    return TableBlock(
        "kazakhstan-value",
        f"Kazakhstan's output in {year} (t of rare-earth content): its value at model prices "
        "and at the 2024 price deck (separated oxides and magnets; the deck quotes no price for "
        "concentrate or metal), and its value added at model prices (million USD). Where model "
        "prices are far above the deck, buyers are rationed and pay up to the top of their "
        "demand curves (docs/model.md, Value added).",
        columns,
        tuple(rows),
    )


def kazakhstan_section(
    runs: Sequence[ScenarioRun], frames: charts.Frames, blocs: Blocs, year: int
) -> Section:
    """Kazakhstan's value added and export-partner concentration over the years, and how its
    value added in ``year`` is made."""
    block = FigureBlock(
        "kazakhstan",
        "Kazakhstan: value added and export partners",
        "Value added in Kazakhstan at model prices (million USD) and the HHI of its exports "
        "over importing countries (lower = more diversified).",
        "Line charts of Kazakhstan's value added and export-partner HHI over the years.",
        charts.kazakhstan_trends(frames, KAZAKHSTAN),
    )
    table = kazakhstan_value_block(runs, blocs, year)
    blocks: tuple[Block, ...] = (block, table) if table.rows else (block,)
    return Section(
        "kazakhstan", "Kazakhstan", "The KazRareEarth 2030 roadmap's own measures.", blocks
    )


def facilities_section(dataset: Dataset, runs: Sequence[ScenarioRun]) -> Section:
    """The dataset's facilities and those the scenarios add, on a map."""
    known = dataset.table("facilities")
    added = scenario_facilities({r.name: r.results for r in runs}, known["id"])
    facilities = pd.concat([known[list(FACILITY_COLUMNS)], added], ignore_index=True)
    points = facility_points(facilities, dataset.table("countries"))
    unplaced = sorted(set(facilities["id"]) - set(points["id"]))
    shapes = ", ".join(f"{k} {v.removesuffix('-up')}" for k, v in STATUS_SYMBOLS.items())
    left_out = f" Not drawn, for want of any location: {', '.join(unplaced)}." if unplaced else ""
    block = FigureBlock(
        "facilities",
        "Facilities",
        f"Mines and plants by stage (colour) and status (shape: {shapes}). Open markers sit at the "
        "country's centroid: the facility has no published location, is a country aggregate, "
        "or is added by a scenario." + left_out,
        "World map of rare-earth mines and plants, coloured by stage.",
        facility_map(points),
    )
    intro = "The dataset's mines and plants, and those the scenarios add."
    return Section("facilities", "Facilities", intro, (block,))


def controls_section(
    runs: Sequence[ScenarioRun], dataset_rules: Sequence[ExportControlRow]
) -> Section:
    """The export controls each scenario applies over time, with suspension windows.

    Scenarios applying the same rules share one timeline; when no run says which rules it
    applies, the dataset's rule table is shown.
    """
    horizon = date(max(max(r.years()) for r in runs), 12, 31)
    groups: dict[tuple[ExportControlRow, ...], list[str]] = {}
    for r in runs:
        groups.setdefault(tuple(dataset_rules) if r.rules is None else r.rules, []).append(r.name)
    blocks: list[Block] = []
    for number, (rules, names) in enumerate(groups.items(), start=1):
        who = ", ".join(names)
        if not rules:
            blocks.append(TextBlock(f"controls-{number}", who, "No export controls applied."))
            continue
        blocks.append(
            FigureBlock(
                f"controls-{number}",
                f"Export controls: {who}",
                "Each rule from its effective date to its end (open-ended rules run to the end "
                "of the horizon), coloured by kind; hatched windows are suspensions.",
                f"Timeline of the export-control rules applied in {who}, with suspensions.",
                timeline_figure(rule_windows(rules, horizon)),
            )
        )
    intro = "The rules the model applies to trade, by date."
    return Section("controls", "Export controls", intro, tuple(blocks))


def sources_section(dataset: Dataset) -> Section:
    """The sources cited by the dataset tables behind the report."""
    table = sources_table(
        dataset.table("sources"), {name: dataset.table(name) for name in REPORT_TABLES}
    )
    block = TableBlock(
        "sources",
        "Sources cited by the dataset tables behind this report (addresses as plain text).",
        SOURCE_COLUMNS,
        as_text_rows(table, SOURCE_COLUMNS),
    )
    return Section("sources", "Sources", "Every number above traces to these.", (block,))
