"""The report's opening: sentences on what each roadmap scenario changes against its
counterfactual, computed from the runs' metrics, and the small multiples their numbers link to.

Each sentence is one translated template with named placeholders; every number in it is a
:class:`~kazree.report.document.Quantity` that names the metric rows it sums, so a reader (and a
test) can find it in ``metrics.csv``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from kazree.i18n import _, format_number, format_signed
from kazree.metrics.flagship import KAZAKHSTAN, SHORTFALL_REGIONS, metric_lookup
from kazree.metrics.groups import ALL, WORLD
from kazree.metrics.inputs import CHINA
from kazree.report.charts import scenario_colour
from kazree.report.document import Quantity, Sentence, SummaryBlock
from kazree.report.runs import ScenarioRun

SUMMARY_YEARS: tuple[int, ...] = (2030, 2035)
"""The years the opening sentences speak of (those every run has)."""
TRENDS_ID = "headline-trends"
"""The small multiples every number of the summary links to."""
PRICED_ELEMENT = "Nd"


@dataclass(frozen=True)
class Measure:
    """One headline figure: ``metric`` summed over ``regions`` (less China's when
    ``less_china``) at ``stage`` for ``element``."""

    name: str
    label: str
    metric: str
    stage: str
    regions: tuple[str, ...]
    element: str
    digits: int = 0
    less_china: bool = False


def measures() -> tuple[Measure, ...]:
    """The headline figures of the summary, in the current language."""
    return (
        Measure(
            "supply",
            _("Magnet rare-earth oxide made outside China (t)"),
            "output_t",
            "separation",
            (WORLD,),
            "magnet",
            less_china=True,
        ),
        Measure(
            "shortfall",
            _("Unmet magnet rare-earth demand, US, EU, Japan, South Korea (t)"),
            "unmet_demand_t",
            "end_use",
            SHORTFALL_REGIONS,
            "magnet",
        ),
        Measure(
            "kz_output",
            _("Kazakhstan mine output (t REO)"),
            "output_t",
            "mining",
            (KAZAKHSTAN,),
            ALL,
        ),
        Measure(
            "kz_value",
            _("Kazakhstan value added (million USD)"),
            "value_added_musd",
            ALL,
            (KAZAKHSTAN,),
            ALL,
            digits=1,
        ),
        Measure(
            "kz_hhi",
            _("Kazakhstan export-partner HHI (0-10,000)"),
            "export_partner_hhi",
            ALL,
            (KAZAKHSTAN,),
            ALL,
        ),
        Measure(
            "price",
            _("Neodymium oxide price (USD/kg)"),
            "shadow_price_usd_per_kg",
            "separation",
            (WORLD,),
            PRICED_ELEMENT,
            digits=1,
        ),
    )


Lookup = Mapping[tuple[str, str, str, str, int], float]


def measure_tables(runs: Sequence[ScenarioRun]) -> dict[str, Lookup]:
    """Scenario -> the metric rows :func:`measures` read, as a lookup (only those rows, so that
    the lookup is quick to build)."""
    chosen = measures()
    metrics = {m.metric for m in chosen}
    regions = {r for m in chosen for r in m.regions} | {CHINA}
    elements = {m.element for m in chosen}
    tables = {}
    for run in runs:
        frame = run.metrics
        keep = (
            frame["metric"].isin(metrics)
            & frame["region"].isin(regions)
            & frame["element"].isin(elements)
        )
        tables[run.name] = metric_lookup(frame[keep])
    return tables


def value(table: Lookup, measure: Measure, year: int) -> float:
    """``measure`` in ``year`` (NaN when a region has no row)."""
    total = sum(
        table.get((measure.metric, measure.stage, r, measure.element, year), math.nan)
        for r in measure.regions
    )
    if measure.less_china:
        total -= table.get((measure.metric, measure.stage, CHINA, measure.element, year), 0.0)
    return total


def _number(
    text: str, measure: Measure, scenario: str, year: int, v: float, minus: str = ""
) -> Quantity:
    return Quantity(
        text=text,
        value=v,
        target=TRENDS_ID,
        scenario=scenario,
        metric=measure.metric,
        stage=measure.stage,
        regions=measure.regions,
        element=measure.element,
        year=year,
        less_china=measure.less_china,
        minus=minus,
    )


def _level(m: Measure, scenario: str, year: int, v: float) -> Quantity:
    text = "–" if math.isnan(v) else format_number(v, digits=m.digits)
    return _number(text, m, scenario, year, v)


def _delta(m: Measure, scenario: str, other: str, year: int, v: float) -> Quantity:
    text = "–" if math.isnan(v) else format_signed(v, digits=m.digits)
    return _number(text, m, scenario, year, v, minus=other)


def templates() -> dict[str, str]:
    """Measure name -> the sentence that states it against a counterfactual (translated whole)."""
    return {
        "supply": _(
            "In {year}, {scenario} makes {supply} t of magnet rare-earth oxide outside China, "
            "{supply_delta} t against {counterfactual}."
        ),
        "shortfall": _(
            "Unmet demand for magnet rare earths in the United States, the EU, Japan and South "
            "Korea comes to {shortfall} t ({shortfall_delta} t)."
        ),
        "kz_output": _(
            "Kazakhstan mines {kz_output} t of rare-earth oxide ({kz_output_delta} t) and adds "
            "{kz_value} million USD of value added ({kz_value_delta} million USD)."
        ),
        "kz_hhi": _(
            "Its exports' partner concentration (HHI) is {kz_hhi} ({kz_hhi_delta}; lower is more "
            "diversified), and neodymium oxide costs {price} USD/kg ({price_delta} USD/kg)."
        ),
    }


def pair_sentences(
    scenario: str, other: str, tables: Mapping[str, Lookup], year: int
) -> tuple[Sentence, ...]:
    """What ``scenario`` changes against ``other`` in ``year``, in four sentences."""
    numbers: dict[str, Quantity] = {}
    for m in measures():
        mine, theirs = value(tables[scenario], m, year), value(tables[other], m, year)
        numbers[m.name] = _level(m, scenario, year, mine)
        numbers[f"{m.name}_delta"] = _delta(m, scenario, other, year, mine - theirs)
    words = {"year": str(year), "scenario": scenario, "counterfactual": other}
    sentences = []
    for template in templates().values():
        used = {k: v for k, v in numbers.items() if "{" + k + "}" in template}
        sentences.append(
            Sentence(template, used, {k: v for k, v in words.items() if "{" + k + "}" in template})
        )
    return tuple(sentences)


def summary_years(runs: Sequence[ScenarioRun]) -> list[int]:
    """The years of :data:`SUMMARY_YEARS` every run has (else the runs' last common year)."""
    common = set.intersection(*(set(r.years()) for r in runs))
    return [y for y in SUMMARY_YEARS if y in common] or [max(common)]


def summary_blocks(
    runs: Sequence[ScenarioRun], tables: Mapping[str, Lookup]
) -> tuple[SummaryBlock, ...]:
    """One block per scenario compared with its counterfactual, else one that says why not;
    ``tables`` from :func:`measure_tables`."""
    names = {r.name for r in runs}
    pairs = [(r.name, r.counterfactual) for r in runs if r.counterfactual in names - {r.name}]
    if not pairs:
        text = _(
            "No scenario in this report is shown with its counterfactual (the same world "
            "without the roadmap), so no difference is stated: report a roadmap scenario such "
            "as {example} to see what it changes."
        )
        note = Sentence(text, words={"example": "kazrareearth-2030"})
        return (SummaryBlock("summary", _("What the scenarios show"), (note,)),)
    years = summary_years(runs)
    return tuple(
        SummaryBlock(
            f"summary-{number}",
            _("{scenario} against {counterfactual}").format(scenario=name, counterfactual=other),
            tuple(s for year in years for s in pair_sentences(name, other, tables, year)),
        )
        for number, (name, other) in enumerate(pairs, start=1)
    )


def trends_figure(runs: Sequence[ScenarioRun], tables: Mapping[str, Lookup]) -> go.Figure:
    """Each headline figure over the years, one panel per figure, one line per scenario;
    ``tables`` from :func:`measure_tables`."""
    chosen = measures()
    cols = 3
    figure = make_subplots(
        rows=-(-len(chosen) // cols),
        cols=cols,
        subplot_titles=[m.label for m in chosen],
        vertical_spacing=0.16,
    )
    for s, run in enumerate(runs):
        table = tables[run.name]
        years = run.years()
        for p, m in enumerate(chosen):
            figure.add_trace(
                go.Scatter(
                    x=years,
                    y=[value(table, m, y) for y in years],
                    name=run.name,
                    mode="lines",
                    line={"color": scenario_colour(s)},
                    legendgroup=run.name,
                    showlegend=p == 0,
                    meta={"measure": m.name, "scenario": run.name},
                ),
                row=p // cols + 1,
                col=p % cols + 1,
            )
    figure.update_annotations(font_size=12)
    figure.update_layout(
        height=560, margin={"t": 50, "b": 30}, legend={"orientation": "h", "y": -0.08}
    )
    return figure
