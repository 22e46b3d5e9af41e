"""Assemble a :class:`Report` from solved scenarios, the dataset and the export-control rules.

The report opens with the answer (:mod:`kazree.report.summary`), then the charts, each titled
with its takeaway (:mod:`kazree.report.takeaways`) and given a source line; sections from other
modules plug in through ``extra`` (see :data:`SectionBuilder`); the glossary and sources follow,
and model-internal figures close the report in an appendix. Every word goes through
:mod:`kazree.i18n`, so the language in use when :func:`build_report` runs is the report's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

import kazree
from kazree.chain import symbols
from kazree.data import Dataset
from kazree.data.controls_schema import ExportControlRow
from kazree.errors import KazreeError
from kazree.i18n import _, format_date, format_number, format_signed, language, ngettext
from kazree.metrics.flagship import flagship_data, indicators
from kazree.metrics.groups import Blocs
from kazree.metrics.value_added import deck_output_value, gross_output_value, value_added
from kazree.report import charts, takeaways
from kazree.report.controls_timeline import rule_windows, timeline_figure
from kazree.report.document import (
    Block,
    FigureBlock,
    Report,
    Section,
    TableBlock,
    TextBlock,
)
from kazree.report.facility_map import (
    FACILITY_COLUMNS,
    STATUS_SYMBOLS,
    facility_map,
    facility_points,
    scenario_facilities,
)
from kazree.report.flows import sankey_figure, sankey_links
from kazree.report.places import place, place_names
from kazree.report.roadmap import roadmap_sections
from kazree.report.runs import ScenarioRun, counterfactuals
from kazree.report.sources import (
    MODEL_TABLES,
    REPORT_TABLES,
    SHOWN_IDS,
    SOURCE_COLUMNS,
    as_text_rows,
    cited_ids,
    sources_table,
)
from kazree.report.summary import (
    TRENDS_ID,
    measure_tables,
    summary_blocks,
    summary_years,
    trends_figure,
)
from kazree.report.terms import glossary, stage_names
from kazree.report.unmet import unmet_figure, unmet_table

FOCUS_REGIONS: tuple[str, ...] = ("US", "EU", "JP", "KR", "KZ", "CN", "world")
"""Regions shown in the per-region charts, when the results have them."""
KAZAKHSTAN = "KZ"
EXPOSED_REGION = "EU"
"""The importing region whose exposure to China titles the exposure chart."""
SHARE_RANGE = (0.0, 105.0)
"""Axis of percent shares (a little over 100 so a line at 100 % stays visible)."""
HHI_RANGE = (0.0, 10_500.0)
DEFAULT_YEAR = 2030
"""The roadmap's target year: the default year of the flows and bars when no scenario declares
plants of its own."""


def slug(name: str) -> str:
    """``name`` as a piece of an HTML id (letters, digits, ``-`` and ``_``)."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "scenario"


def plants_year(runs: Sequence[ScenarioRun], known: set[str]) -> int | None:
    """The first year every plant the scenarios declare (facilities not in ``known``) runs."""
    starts = [
        float(start)
        for r in runs
        if "facility_start_year" in r.results
        for facility, start in zip(
            r.results["facility"].values, r.results["facility_start_year"].values, strict=True
        )
        if str(facility) not in known and not math.isnan(float(start))
    ]
    return math.ceil(max(starts)) if starts else None


def pick_year(
    spans: Sequence[Sequence[int]], year: int | None, preferred: int | None = None
) -> int:
    """``year`` if every span of model years has it; by default ``preferred`` (else
    :data:`DEFAULT_YEAR`, else the last common year); a one-line error naming the years
    allowed otherwise."""
    common = sorted(set.intersection(*(set(s) for s in spans)))
    if not common:
        msg = _("the scenarios share no model year (allowed: runs over overlapping years)")
        raise KazreeError(msg)
    if year is None:
        wanted = [y for y in (preferred, DEFAULT_YEAR) if y in common]
        return wanted[0] if wanted else common[-1]
    if year not in common:
        span = list(range(common[0], common[-1] + 1))
        allowed = f"{common[0]}..{common[-1]}" if common == span else ", ".join(map(str, common))
        msg = _("--year {year}: not a year of every run (allowed: {allowed})").format(
            year=year, allowed=allowed
        )
        raise KazreeError(msg)
    return year


@dataclass(frozen=True)
class ReportInputs:
    """What a section builder reads: the runs (in order), the chosen year, each run's metrics
    split by metric, the dataset, blocs and rules, and place names in the report's language."""

    runs: tuple[ScenarioRun, ...]
    year: int
    frames: charts.Frames
    dataset: Dataset
    rules: tuple[ExportControlRow, ...]
    blocs: Blocs
    names: Mapping[str, str]

    @property
    def lead(self) -> ScenarioRun:
        """The run chart titles speak of: the first compared with its counterfactual, else
        the first."""
        present = {r.name for r in self.runs}
        return next((r for r in self.runs if r.counterfactual in present - {r.name}), self.runs[0])

    def source(self, tables: Sequence[str] = MODEL_TABLES) -> str:
        """A chart's source line: the runs and the sources of the dataset ``tables``."""
        tables_of = {name: self.dataset.table(name) for name in tables}
        ids = cited_ids(tables_of, tables)
        shown = ", ".join(ids[:SHOWN_IDS])
        if len(ids) > SHOWN_IDS:
            shown = _("{shown} and {count} more").format(shown=shown, count=len(ids) - SHOWN_IDS)
        return _(
            "Source: kazree {version} model runs of {scenarios}; dataset: {sources} (see Sources)."
        ).format(
            version=kazree.__version__,
            scenarios=", ".join(r.name for r in self.runs),
            sources=shown,
        )


SectionBuilder = Callable[[ReportInputs], Section | None]
"""A section another module adds to the report (``None``: nothing to show for these runs).
Such sections follow the report's own charts, before the facilities, glossary and sources."""


def build_report(
    runs: Sequence[ScenarioRun],
    *,
    dataset: Dataset,
    rules: Sequence[ExportControlRow],
    blocs: Blocs,
    year: int | None = None,
    extra: Sequence[SectionBuilder] = (),
    today: date | None = None,
) -> Report:
    """The whole report for ``runs`` (in order), with flows and bars for ``year`` (default: the
    first year every plant the scenarios declare runs, else the target year 2030).

    ``rules`` is the rule table shown for runs that do not carry the rules they apply;
    ``extra`` adds sections; ``today`` is the generation date (default: today).
    """
    if not runs:
        msg = _("a report needs at least one scenario (give SCENARIO names or --results DIR)")
        raise KazreeError(msg)
    names = [r.name for r in runs]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        msg = _("scenario {name} is given twice (allowed: each scenario once)").format(
            name=repr(twice[0])
        )
        raise KazreeError(msg)
    known = set(dataset.table("facilities")["id"].astype(str))
    chosen = pick_year([r.years() for r in runs], year, plants_year(runs, known))
    inputs = ReportInputs(
        runs=tuple(runs),
        year=chosen,
        frames={r.name: charts.by_metric(r.metrics) for r in runs},
        dataset=dataset,
        rules=tuple(rules),
        blocs=blocs,
        names=place_names(dataset.table("countries")),
    )
    added = [s for s in (build(inputs) for build in extra) if s is not None]
    return Report(
        title=_("Rare-earth scenario report"),
        subtitle=_("{scenarios} · flows and bars for {year}").format(
            scenarios=", ".join(names), year=chosen
        ),
        sections=(
            summary_section(inputs),
            assumptions_section(inputs),
            flows_section(inputs),
            concentration_section(inputs),
            unmet_section(inputs),
            kazakhstan_section(inputs),
            *roadmap_sections(inputs.dataset, inputs.runs, inputs.source),
            *added,
            facilities_section(inputs),
            controls_section(inputs),
            glossary_section(),
            sources_section(inputs),
            appendix_section(inputs),
        ),
        generated=format_date(today or date.today()),
        version=kazree.__version__,
        lang=language(),
    )


def headline_table(inputs: ReportInputs) -> TableBlock:
    """The headline figures: one row per indicator; per summary year, each scenario's value
    and each roadmap scenario's difference to its counterfactual."""
    years = summary_years(inputs.runs)
    frames = {r.name: r.metrics[r.metrics["year"].isin(years)] for r in inputs.runs}
    against = counterfactuals(inputs.runs)
    data = flagship_data(frames, years, against)
    shown = data.columns[2:]
    differences = set(shown) - set(frames)
    digits = {line.label: line.digits for line in indicators()}
    columns = [_("indicator")]
    for y in years:
        for name in shown:
            scenario, _sep, other = str(name).partition(" minus ")
            heading = (
                _("{year}: {scenario} minus {counterfactual}").format(
                    year=y, scenario=scenario, counterfactual=other
                )
                if name in differences
                else f"{y}: {name}"
            )
            columns.append(heading)
    rows = []
    for label, group in data.groupby("indicator", sort=False):
        cells = [str(label)]
        by_year = {name: group.set_index("year")[name].astype(float).to_dict() for name in shown}
        d = digits[str(label)]
        for y in years:
            for name in shown:
                v = by_year[name][y]
                cells.append(
                    format_signed(v, digits=d)
                    if name in differences
                    else format_number(v, digits=d)
                )
        rows.append(tuple(cells))
    return TableBlock(
        "headline",
        _(
            "Headline figures per scenario (– where absent); a roadmap scenario's difference "
            "is against its counterfactual, the same export controls without the roadmap."
        ),
        tuple(columns),
        tuple(rows),
    )


def summary_section(inputs: ReportInputs) -> Section:
    """The answer first: sentences, the small multiples their numbers link to, the table."""
    lead = inputs.lead
    years = summary_years(inputs.runs)
    tables = measure_tables(inputs.runs)
    trends = FigureBlock(
        TRENDS_ID,
        _("The headline figures from {first} to {last}, one line per scenario").format(
            first=min(lead.years()), last=max(lead.years())
        ),
        _(
            "Magnet rare-earth oxide made outside China and unmet magnet demand in the main "
            "importing regions (t REO-eq), Kazakhstan's mine output (t REO), value added "
            "(million USD) and export-partner HHI, and the neodymium oxide price (USD/kg)."
        ),
        _("Small line charts of six headline figures over the years, one line per scenario."),
        trends_figure(inputs.runs, tables),
        inputs.source(),
    )
    blocks: tuple[Block, ...] = (
        *summary_blocks(inputs.runs, tables),
        trends,
        headline_table(inputs),
    )
    intro = _("What each roadmap scenario changes against its counterfactual, in {years}.").format(
        years=", ".join(map(str, years))
    )
    return Section("summary", _("The answer at a glance"), intro, blocks)


def assumptions_section(inputs: ReportInputs) -> Section:
    """Each scenario's header, description and settings."""
    blocks: list[Block] = []
    for r in inputs.runs:
        a = r.assumptions
        text = "\n\n".join(t for t in (a.description, a.header) if t) or _(
            "(no stated assumptions)"
        )
        blocks.append(TextBlock(id=f"assumptions-{slug(r.name)}", title=r.name, text=text))
        if a.settings:
            blocks.append(
                TextBlock(
                    id=f"settings-{slug(r.name)}",
                    title=_("{scenario}: settings (those that differ from the defaults)").format(
                        scenario=r.name
                    ),
                    text=a.settings,
                    collapsed=True,
                )
            )
    return Section(
        "assumptions",
        _("Scenarios and assumptions"),
        _("What each scenario assumes, as its file states it."),
        tuple(blocks),
    )


def flows_section(inputs: ReportInputs) -> Section:
    """One Sankey per scenario for the report's year."""
    year = inputs.year
    stages = stage_names()
    blocks = tuple(
        FigureBlock(
            id=f"sankey-{slug(r.name)}",
            title=takeaways.flows_title(inputs.frames[r.name], r.name, year),
            caption=_(
                "Element content (t REO-eq) moving from mines through cracking, separation, "
                "metal and magnet making to end use, by country, in {year}. Oxide and metal may "
                "go straight to non-magnet uses; losses and surplus are not drawn."
            ).format(year=year),
            alt=_(
                "Sankey diagram of rare-earth flows by stage and country in {year}, {scenario}."
            ).format(year=year, scenario=r.name),
            figure=sankey_figure(
                sankey_links(r.results, year),
                scenario=r.name,
                year=year,
                stages=stages,
                names=inputs.names,
            ),
            source=inputs.source(),
        )
        for r in inputs.runs
    )
    return Section(
        "flows", _("Flows from mine to end use"), _("Who makes what, and where it goes."), blocks
    )


def concentration_section(inputs: ReportInputs) -> Section:
    """China share and HHI per stage, exposure per region, over the years."""
    lead, year, frames = inputs.lead.name, inputs.year, inputs.frames
    stages = stage_names()
    source = inputs.source()
    blocks = (
        FigureBlock(
            "china-share",
            takeaways.china_share_title(frames[lead], lead, year),
            _("China's share (%) of world output at each stage, all rare earths, per model year."),
            _("Line charts of China's percentage share of each stage's output over the years."),
            charts.stage_trends(
                frames,
                "china_share",
                y_title=_("China share (%)"),
                y_range=SHARE_RANGE,
                names=stages,
            ),
            source,
        ),
        FigureBlock(
            "hhi",
            takeaways.hhi_title(frames[lead], lead, year),
            _(
                "Herfindahl-Hirschman index (HHI) of each stage's output over countries "
                "(0-10,000; above 2,500 is highly concentrated)."
            ),
            _("Line charts of the HHI of each stage over the years."),
            charts.stage_trends(frames, "hhi", y_title="HHI", y_range=HHI_RANGE, names=stages),
            source,
        ),
        FigureBlock(
            "exposure",
            takeaways.exposure_title(
                frames[lead], lead, year, EXPOSED_REGION, place(inputs.names, EXPOSED_REGION)
            ),
            _(
                "Share (%) of each region's magnet supply that passed through China at any "
                "stage (proportional tracing from mine to magnet)."
            ),
            _("Line charts of each region's exposure to China over the years."),
            charts.region_trends(
                frames,
                "exposure",
                FOCUS_REGIONS,
                y_title=_("exposure (%)"),
                y_range=SHARE_RANGE,
                names=inputs.names,
            ),
            source,
        ),
    )
    return Section(
        "concentration",
        _("Concentration and exposure"),
        _("How much of each stage sits in China and in few countries, and who depends on it."),
        blocks,
    )


def unmet_section(inputs: ReportInputs) -> Section:
    """Unmet demand by region and sector in the report's year."""
    year = inputs.year
    tables = unmet_table(
        {r.name: r.results for r in inputs.runs}, inputs.blocs, year, FOCUS_REGIONS
    )
    figure = unmet_figure(tables, year, inputs.names)
    title = takeaways.unmet_title(tables[inputs.lead.name], inputs.lead.name, year, inputs.names)
    block: Block
    if figure.data:
        block = FigureBlock(
            "unmet",
            title,
            _("Demand not met in {year} (t REO-eq), by region and end-use sector.").format(
                year=year
            ),
            _("Stacked bar chart of unmet demand by region and sector in {year}.").format(
                year=year
            ),
            figure,
            inputs.source(),
        )
    else:
        block = TextBlock("unmet", title, _("All demand is met in every scenario."))
    return Section(
        "unmet", _("Unmet demand"), _("Where demand goes unserved, and in which uses."), (block,)
    )


def kazakhstan_value_block(runs: Sequence[ScenarioRun], blocs: Blocs, year: int) -> TableBlock:
    """Kazakhstan's output by stage in ``year``: its gross value at model prices and at the 2024
    price deck, and its value added, so a scarcity price shows as such."""
    columns = (
        _("scenario"),
        _("stage"),
        _("output, t"),
        _("at model prices, MUSD"),
        _("at the 2024 deck, MUSD"),
        _("value added, MUSD"),
    )
    stages = stage_names()
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
                format_number(float(deck.sel(stage=stage)), digits=1)
                if deck is not None and stage in deck.coords["stage"].values
                else "–"
            )
            rows.append(
                (
                    run.name,
                    stages.get(str(stage), str(stage)),
                    format_number(float(output.sel(stage=stage)), digits=0),
                    format_number(float(gross.sel(stage=stage)), digits=1),
                    at_deck,
                    format_number(float(added.sel(stage=stage)), digits=1),
                )
            )
    return TableBlock(
        "kazakhstan-value",
        _(
            "Kazakhstan's output in {year} (t of rare-earth content): its value at model prices "
            "and at the 2024 price deck (separated oxides and magnets; the deck quotes no price "
            "for concentrate or metal), and its value added at model prices (million USD). Where "
            "model prices are far above the deck, buyers are rationed and pay up to the top of "
            "their demand curves."
        ).format(year=year),
        columns,
        tuple(rows),
    )


def kazakhstan_section(inputs: ReportInputs) -> Section:
    """Kazakhstan's value added and export-partner concentration over the years, and how its
    value added in the report's year is made."""
    lead = inputs.lead.name
    block = FigureBlock(
        "kazakhstan",
        takeaways.kazakhstan_title(inputs.frames[lead], lead, inputs.year, KAZAKHSTAN),
        _(
            "Value added in Kazakhstan at model prices (million USD) and the HHI of its exports "
            "over importing countries (lower = more diversified)."
        ),
        _("Line charts of Kazakhstan's value added and export-partner HHI over the years."),
        charts.kazakhstan_trends(inputs.frames, KAZAKHSTAN),
        inputs.source(),
    )
    table = kazakhstan_value_block(inputs.runs, inputs.blocs, inputs.year)
    blocks: tuple[Block, ...] = (block, table) if table.rows else (block,)
    return Section(
        "kazakhstan",
        _("Kazakhstan"),
        _("The KazRareEarth 2030 roadmap's own measures."),
        blocks,
    )


def facilities_section(inputs: ReportInputs) -> Section:
    """The dataset's facilities and those the scenarios add, on a map."""
    dataset = inputs.dataset
    known = dataset.table("facilities")
    added = scenario_facilities({r.name: r.results for r in inputs.runs}, known["id"])
    facilities = pd.concat([known[list(FACILITY_COLUMNS)], added], ignore_index=True)
    points = facility_points(facilities, dataset.table("countries"))
    unplaced = sorted(set(facilities["id"]) - set(points["id"]))
    shapes = ", ".join(f"{k} {v.removesuffix('-up')}" for k, v in STATUS_SYMBOLS.items())
    caption = _(
        "Mines and plants by stage (colour) and status (shape: {shapes}). Open markers sit at "
        "the country's centroid: the facility has no published location, is a country "
        "aggregate, or is added by a scenario."
    ).format(shapes=shapes)
    if unplaced:
        caption += " " + _("Not drawn, for want of any location: {ids}.").format(
            ids=", ".join(unplaced)
        )
    in_kz = int((facilities["country"] == KAZAKHSTAN).sum())
    title = ngettext(
        "{count} mine or plant, {kz} of them in Kazakhstan",
        "{count} mines and plants, {kz} of them in Kazakhstan",
        len(facilities),
    ).format(count=len(facilities), kz=in_kz)
    block = FigureBlock(
        "facilities",
        title,
        caption,
        _("World map of rare-earth mines and plants, coloured by stage."),
        facility_map(points),
        inputs.source(("facilities", "countries")),
    )
    intro = _("The dataset's mines and plants, and those the scenarios add.")
    return Section("facilities", _("Facilities"), intro, (block,))


def controls_section(inputs: ReportInputs) -> Section:
    """The export controls each scenario applies over time, with suspension windows.

    Scenarios applying the same rules share one timeline; when no run says which rules it
    applies, the dataset's rule table is shown.
    """
    runs = inputs.runs
    horizon = date(max(max(r.years()) for r in runs), 12, 31)
    groups: dict[tuple[ExportControlRow, ...], list[str]] = {}
    for r in runs:
        groups.setdefault(inputs.rules if r.rules is None else r.rules, []).append(r.name)
    blocks: list[Block] = []
    for number, (rules, names) in enumerate(groups.items(), start=1):
        who = ", ".join(names)
        if not rules:
            blocks.append(TextBlock(f"controls-{number}", who, _("No export controls applied.")))
            continue
        blocks.append(
            FigureBlock(
                f"controls-{number}",
                ngettext(
                    "{count} export-control rule applied in {scenarios}",
                    "{count} export-control rules applied in {scenarios}",
                    len(rules),
                ).format(count=len(rules), scenarios=who),
                _(
                    "Each rule from its effective date to its end (open-ended rules run to the "
                    "end of the horizon), coloured by kind; hatched windows are suspensions."
                ),
                _(
                    "Timeline of the export-control rules applied in {scenarios}, with suspensions."
                ).format(scenarios=who),
                timeline_figure(rule_windows(rules, horizon)),
                inputs.source(("export_controls",)),
            )
        )
    intro = _("The rules the model applies to trade, by date.")
    return Section("controls", _("Export controls"), intro, tuple(blocks))


def glossary_section() -> Section:
    """Every term of art the report uses, explained."""
    block = TableBlock(
        "glossary-terms",
        _("Terms used in this report."),
        (_("term"), _("meaning")),
        glossary(),
    )
    return Section(
        "glossary", _("Glossary"), _("The words of the trade, in plain terms."), (block,)
    )


def sources_section(inputs: ReportInputs) -> Section:
    """The sources cited by the dataset tables behind the report."""
    dataset = inputs.dataset
    table = sources_table(
        dataset.table("sources"), {name: dataset.table(name) for name in REPORT_TABLES}
    )
    headings = (_("id"), _("title"), _("publisher"), _("published"), _("address"), _("cited by"))
    block = TableBlock(
        "sources",
        _("Sources cited by the dataset tables behind this report (addresses as plain text)."),
        headings,
        as_text_rows(table, SOURCE_COLUMNS),
    )
    return Section("sources", _("Sources"), _("Every number above traces to these."), (block,))


DECK_MARKET = "CN"
"""Where the price deck is quoted: model prices shown next to it are China's."""


def price_deck_block(runs: Sequence[ScenarioRun], year: int) -> TableBlock:
    """The 2024 price deck the demand curves are anchored at, next to each run's model price of
    the oxide in China in its first year and in ``year``."""
    first = runs[0].results
    deck = first["reference_price"]
    basis = first["reference_price_basis"]
    columns = [_("element"), _("deck USD/kg"), _("deck quote")]
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
            format_number(float(deck.sel(element=element)), digits=1),
            str(basis.sel(element=element).values),
            *(format_number(float(p.sel(element=element)), digits=1) for p in prices),
        )
        for element in deck.coords["element"].values
    )
    return TableBlock(
        "price-deck",
        _(
            "The price deck (dataset prices, China, the demand curves' anchor) next to the "
            "model's market-clearing oxide prices in China (USD/kg)."
        ),
        tuple(columns),
        rows,
    )


def runs_block(runs: Sequence[ScenarioRun]) -> TableBlock:
    """Each run's solver status, objective and years."""
    return TableBlock(
        id="runs",
        caption=_("Scenarios in this report: solver status, objective and years."),
        columns=(_("scenario"), _("status"), _("objective (USD)"), _("years")),
        rows=tuple(
            (
                r.name,
                r.status,
                "" if r.objective is None else format_number(r.objective),
                f"{min(r.years())}-{max(r.years())}",
            )
            for r in runs
        ),
    )


def appendix_section(inputs: ReportInputs) -> Section:
    """Model-internal figures: solver status and objective, the price deck and the
    market-clearing prices (the duals of the balances)."""
    runs, year, frames = inputs.runs, inputs.year, inputs.frames
    lead = inputs.lead.name
    grid = charts.element_grid(
        frames,
        "shadow_price_usd_per_kg",
        year,
        symbols(),
        stage="separation",
        title="USD/kg",
    )
    prices = FigureBlock(
        "prices",
        takeaways.price_title(frames[lead], lead, year),
        _(
            "Price of each oxide (USD/kg, world use-weighted mean) in {year}: the dual of its "
            "balance, where the demand curves clear. Negative: the oxide is a surplus co-product "
            "stockpiled or disposed of at a cost."
        ).format(year=year),
        _(
            "Grid of the market-clearing price of each separated rare-earth oxide per scenario "
            "in {year}."
        ).format(year=year),
        grid,
        inputs.source(("prices",)),
    )
    blocks: list[Block] = [runs_block(runs)]
    if all("reference_price" in r.results for r in runs):
        blocks.append(price_deck_block(runs, year))
    blocks.append(prices)
    return Section(
        "appendix",
        _("Appendix: model internals"),
        _("The solver's status and objective, the price deck and the model's shadow prices."),
        tuple(blocks),
        appendix=True,
    )
