"""The odds of a plan: fan charts of the headline figures, the probability of meeting each target
by year, and a tornado of the uncertain inputs that decide each target.

It reads what ``kazree risk --out DIR`` writes (:func:`load_risk_dir`) and plugs into the report
as a :data:`~kazree.report.build.SectionBuilder` (:func:`risk_section`); the dashboard shows the
same section (:func:`odds_section`).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import xarray as xr
from plotly.subplots import make_subplots

import kazree
from kazree.csv_tables import read_csv_table
from kazree.errors import KazreeError
from kazree.i18n import _, format_number, format_percent
from kazree.metrics.groups import ALL, WORLD
from kazree.metrics.inputs import CHINA
from kazree.outputs import (
    RISK_FILE,
    RISK_SUMMARY_FILE,
    SAMPLES_FILE,
    SENSITIVITY_FILE,
    TARGETS_FILE,
)
from kazree.report.build import DEFAULT_YEAR, ReportInputs, SectionBuilder, slug
from kazree.report.charts import PANEL_HEIGHT, scenario_colour
from kazree.report.document import Block, FigureBlock, Section, TableBlock
from kazree.report.sources import as_text_rows
from kazree.report.summary import Measure, measures

if TYPE_CHECKING:
    from kazree.risk import RiskResult

KEYS = ("metric", "stage", "region", "element")
SUMMARY_COLUMNS = (*KEYS, "year", "mean", "p10", "p50", "p90")
TARGET_COLUMNS = ("target", "year", "probability_met")
SENSITIVITY_COLUMNS = ("target", "year", "input", "measure", "score", "rank")
QUANTILES = {"p10": 0.1, "p50": 0.5, "p90": 0.9}
FAN_MEASURES = ("supply", "shortfall", "kz_value", "china_share")
"""The headline figures drawn as fans, in panel order (see :func:`fan_measures`)."""
TOP_INPUTS = 6
"""Inputs shown per target in the tornado."""
PANEL_TITLE_CHARS = 42
"""A fan panel's title wraps at this many characters (two panels share a row)."""
TORNADO_MAX_HEIGHT = 950
"""Height (px) the tornado keeps within, so that it prints on one A4 page."""
BAND_COLOUR = "rgba(0, 114, 178, 0.22)"
MARGIN_COLOUR = {"spearman": "#0072B2", "eta": "#E69F00"}


@dataclass(frozen=True)
class RiskOutputs:
    """What a risk run gives the report: its settings, the quantiles of the headline metrics
    (``summary.csv``), each target's probability by year (``targets.csv``), the inputs' influence
    (``sensitivity.csv``) and, if present, every sample's headline values (``samples.nc``)."""

    scenario: str
    samples: int
    seed: int
    plan: str
    summary: pd.DataFrame
    targets: pd.DataFrame
    sensitivity: pd.DataFrame
    probabilities: pd.DataFrame
    """The headline years of each target (``risk.json``): target, year, probability_met."""
    values: xr.DataArray | None = None
    """``value(sample, row, year)`` with metric, stage, region and element on ``row``."""
    sources: tuple[str, ...] = ()
    """The sources (ids of ``sources.csv``) the laws of the scenario's uncertain inputs cite."""


ASSUMPTION = "assumption"
"""The ``source`` of a law that is a kazree assumption."""


def declared_sources(scenario: str) -> tuple[str, ...]:
    """The sources the ``uncertain:`` block of the shipped or named ``scenario`` cites, each
    once; none if the scenario cannot be found (a file run from elsewhere)."""
    from kazree.scenario import load_scenario

    try:
        spec = load_scenario(scenario).uncertain
    except KazreeError:
        return ()
    cited = [i.source for i in spec.inputs] + [r.source for r in spec.regimes]
    return tuple(dict.fromkeys(c for c in cited if c != ASSUMPTION))


def _read_info(path: Path) -> dict[str, object]:
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        msg = f"{path}: not readable JSON ({exc})"
        raise KazreeError(msg) from exc
    if not isinstance(info, dict):
        msg = f"{path}: not a JSON object (allowed: the risk.json kazree risk writes)"
        raise KazreeError(msg)
    for key in ("scenario", "samples", "seed"):
        if key not in info:
            msg = f"{path}: missing field {key!r} (allowed: scenario, samples, seed, plan, ...)"
            raise KazreeError(msg)
    return info


def _read_values(path: Path) -> xr.DataArray | None:
    if not path.is_file():
        return None
    try:
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            values = ds["value"].load()
    except (OSError, ValueError, KeyError) as exc:
        msg = (
            f"{path}: not a risk samples file ({exc}) (allowed: the samples.nc kazree risk writes)"
        )
        raise KazreeError(msg) from exc
    missing = [k for k in (*KEYS, "year") if k not in values.coords]
    if missing or set(values.dims) != {"sample", "row", "year"}:
        lacking = (missing or ["sample"])[0]
        msg = f"{path}: value lacks {lacking!r} (allowed: value(sample, row, year))"
        raise KazreeError(msg)
    return values


def load_risk_dir(directory: Path) -> RiskOutputs:
    """The outputs of ``kazree risk --out DIR`` (``samples.nc`` optional); a one-line error if
    the directory lacks them or a file is unreadable."""
    for name in (RISK_SUMMARY_FILE, TARGETS_FILE, SENSITIVITY_FILE, RISK_FILE):
        if not (directory / name).is_file():
            msg = f"--risk {directory}: no {name} (allowed: a directory kazree risk --out wrote)"
            raise KazreeError(msg)
    info = _read_info(directory / RISK_FILE)
    targets = read_csv_table(directory / TARGETS_FILE, TARGET_COLUMNS)
    odds = pd.to_numeric(targets["probability_met"], errors="coerce")
    bad = targets["probability_met"][~odds.between(0.0, 1.0)]
    if len(bad):
        msg = (
            f"{directory / TARGETS_FILE}: probability_met {str(bad.iloc[0])!r} "
            "(allowed: a number from 0 to 1)"
        )
        raise KazreeError(msg)
    listed = info.get("probabilities")
    probabilities = (
        pd.DataFrame(listed, columns=list(TARGET_COLUMNS))
        if isinstance(listed, list) and listed
        else targets
    )
    counts = {}
    for key in ("samples", "seed"):
        value = info[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            msg = f"{directory / RISK_FILE}: {key} {value!r} (allowed: a whole number >= 0)"
            raise KazreeError(msg)
        counts[key] = value
    samples, seed = counts["samples"], counts["seed"]
    return RiskOutputs(
        scenario=str(info["scenario"]),
        samples=samples,
        seed=seed,
        plan=str(info.get("plan", "")),
        summary=read_csv_table(directory / RISK_SUMMARY_FILE, SUMMARY_COLUMNS),
        targets=targets,
        sensitivity=read_csv_table(directory / SENSITIVITY_FILE, SENSITIVITY_COLUMNS),
        probabilities=probabilities,
        values=_read_values(directory / SAMPLES_FILE),
        sources=declared_sources(str(info["scenario"])),
    )


def risk_outputs(result: RiskResult) -> RiskOutputs:
    """The outputs of a risk run held in memory: what :func:`load_risk_dir` reads back from
    the directory ``result.write`` fills."""
    return RiskOutputs(
        scenario=result.scenario,
        samples=result.samples,
        seed=result.seed,
        plan=result.plan,
        summary=result.summary(),
        targets=result.targets(),
        sensitivity=result.sensitivity(),
        probabilities=result.headline(),
        values=result.dataset()["value"],
        sources=declared_sources(result.scenario),
    )


def fan_measures() -> tuple[Measure, ...]:
    """The headline figures drawn as fans: the summary's own (:func:`measures`) and China's share
    of separation, in :data:`FAN_MEASURES` order."""
    share = Measure(
        "china_share",
        _("China's share of separation (%)"),
        "china_share",
        "separation",
        (WORLD,),
        ALL,
    )
    chosen = {m.name: m for m in (*measures(), share)}
    return tuple(chosen[name] for name in FAN_MEASURES)


def _from_samples(values: xr.DataArray, measure: Measure) -> pd.DataFrame:
    """Quantiles over the samples of ``measure``, each sample summed over its regions (less
    China's value when the measure says so)."""

    def rows(region: str) -> xr.DataArray:
        keep = (
            (values["metric"] == measure.metric)
            & (values["stage"] == measure.stage)
            & (values["region"] == region)
            & (values["element"] == measure.element)
        )
        return values.isel(row=np.flatnonzero(keep.values)).sum("row", min_count=1)

    total = sum((rows(r) for r in measure.regions), xr.zeros_like(values.isel(row=0)))
    if measure.less_china:
        total = total - rows(CHINA).fillna(0.0)
    cube = total.transpose("sample", "year").values
    years = [int(y) for y in values["year"].values]
    frame = pd.DataFrame({"year": years})
    for name, q in QUANTILES.items():
        frame[name] = np.nanquantile(cube, q, axis=0) if cube.size else np.nan
    return frame.dropna(subset=["p50"])


def fan_rows(outputs: RiskOutputs, measure: Measure) -> pd.DataFrame:
    """``measure``'s P10, P50 and P90 by year: from ``summary.csv`` when it is one row of it,
    else from the samples (empty if neither has it)."""
    if len(measure.regions) == 1 and not measure.less_china:
        s = outputs.summary
        keep = (
            (s["metric"] == measure.metric)
            & (s["stage"] == measure.stage)
            & (s["region"] == measure.regions[0])
            & (s["element"] == measure.element)
        )
        found = s[keep]
        if not found.empty:
            frame = found[["year", *QUANTILES]].sort_values("year", ignore_index=True)
            return frame.astype({"year": int})
    if outputs.values is None:
        return pd.DataFrame(columns=["year", *QUANTILES])
    return _from_samples(outputs.values, measure)


def fan_figure(fans: Sequence[tuple[Measure, pd.DataFrame]]) -> go.Figure:
    """One panel per figure: the P10-P90 band and the P50 line over the years."""
    cols = min(2, max(1, len(fans)))
    rows = -(-len(fans) // cols) or 1
    titles = ["<br>".join(textwrap.wrap(m.label, PANEL_TITLE_CHARS)) for m, _f in fans]
    figure = make_subplots(rows=rows, cols=cols, subplot_titles=titles, vertical_spacing=0.2)
    for index, (measure, frame) in enumerate(fans):
        years = frame["year"].astype(int).tolist()
        where = {"row": index // cols + 1, "col": index % cols + 1}
        first = index == 0
        # the band (P90 filled down to P10) goes under the median line
        styles: dict[str, dict[str, Any]] = {
            "p10": {
                "mode": "lines",
                "line": {"width": 0},
                "name": "P10",
                "showlegend": False,
                "hoverinfo": "skip",
            },
            "p90": {
                "mode": "lines",
                "line": {"width": 0},
                "fill": "tonexty",
                "fillcolor": BAND_COLOUR,
                "name": _("P10-P90 (8 futures in 10)"),
                "legendgroup": "band",
                "showlegend": first,
            },
            "p50": {
                "mode": "lines+markers",
                "line": {"color": scenario_colour(0)},
                "name": _("median (P50)"),
                "legendgroup": "median",
                "showlegend": first,
            },
        }
        for quantile, style in styles.items():
            meta = {"kind": "fan", "measure": measure.name, "quantile": quantile}
            y = frame[quantile].astype(float).tolist()
            figure.add_trace(go.Scatter(x=years, y=y, meta=meta, **style), **where)
    figure.update_annotations(font_size=12)
    figure.update_layout(
        height=PANEL_HEIGHT * rows + 120,
        margin={"t": 70, "b": 40},
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.12},
    )
    return figure


def probability_figure(targets: pd.DataFrame) -> go.Figure:
    """Each target's probability of being met (%) in each year from its own year on."""
    figure = go.Figure()
    for index, (name, rows) in enumerate(targets.groupby("target", sort=False)):
        rows = rows.sort_values("year")
        figure.add_trace(
            go.Scatter(
                x=rows["year"].astype(int).tolist(),
                y=(rows["probability_met"].astype(float) * 100).round(1).tolist(),
                mode="lines+markers",
                name=str(name),
                line={"color": scenario_colour(index)},
                meta={"kind": "probability", "target": str(name)},
            )
        )
    figure.update_layout(
        height=340,
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        xaxis={"title": {"text": _("year")}, "dtick": 1},
        yaxis={"title": {"text": _("probability met (%)")}, "range": [0, 105]},
        legend={"orientation": "h", "y": -0.25, "title": {"text": _("target")}},
    )
    return figure


def top_inputs(sensitivity: pd.DataFrame, top: int = TOP_INPUTS) -> pd.DataFrame:
    """The ``top`` inputs of each target by rank (1: largest influence), targets in the
    file's order."""
    order = {name: i for i, name in enumerate(dict.fromkeys(sensitivity["target"]))}
    ranked = sensitivity.assign(order=sensitivity["target"].map(order)).sort_values(
        ["order", "rank"], kind="stable"
    )
    return ranked.groupby("target", sort=False).head(top).drop(columns="order")


def tornado_figure(sensitivity: pd.DataFrame) -> go.Figure:
    """Per target (one panel each), the influence of its top inputs on its margin in its year:
    rank correlation (-1..1) for numbers, correlation ratio (0..1) for regimes."""
    shown = top_inputs(sensitivity)
    names = list(dict.fromkeys(shown["target"].astype(str)))
    titles = [
        f"{name} ({int(shown.loc[shown['target'] == name, 'year'].iloc[0])})" for name in names
    ]
    figure = make_subplots(
        rows=max(1, len(names)), cols=1, subplot_titles=titles or None, vertical_spacing=0.12
    )
    labels = {"spearman": _("rank correlation"), "eta": _("correlation ratio (regimes)")}
    seen: set[str] = set()
    for index, name in enumerate(names, start=1):
        rows = shown[shown["target"] == name].iloc[::-1]
        order = rows["input"].astype(str).tolist()  # bottom to top: rank 1 on top
        figure.update_yaxes(categoryorder="array", categoryarray=order, row=index, col=1)
        for measure, part in rows.groupby("measure", sort=False):
            key = str(measure)
            figure.add_trace(
                go.Bar(
                    orientation="h",
                    x=part["score"].astype(float).round(3).tolist(),
                    y=part["input"].astype(str).tolist(),
                    name=labels.get(key, key),
                    marker={"color": MARGIN_COLOUR.get(key, "#999999")},
                    legendgroup=key,
                    showlegend=key not in seen,
                    meta={"kind": "tornado", "target": name, "measure": key},
                ),
                row=index,
                col=1,
            )
            seen.add(key)
    figure.update_xaxes(range=[-1.05, 1.05], zeroline=True)
    figure.update_xaxes(title_text=_("influence on the target's margin"), row=len(names) or 1)
    figure.update_yaxes(automargin=True)
    bars = int(shown.groupby("target").size().max()) if len(shown) else 1
    panels = max(1, len(names))
    per_target = min(max(160, 34 * bars), (TORNADO_MAX_HEIGHT - 120) // panels)
    figure.update_layout(
        height=per_target * panels + 120,
        margin={"l": 10, "r": 10, "t": 40, "b": 40},
        barmode="overlay",
        legend={"orientation": "h", "y": -0.08},
    )
    return figure


def headline_year(outputs: RiskOutputs) -> int:
    """The year the fan's takeaway speaks of: the roadmap's target year if summarised, else the
    last year summarised."""
    years = set(outputs.summary["year"].astype(int))
    return DEFAULT_YEAR if DEFAULT_YEAR in years else max(years)


def fan_title(fans: Sequence[tuple[Measure, pd.DataFrame]], year: int) -> str:
    """The fan chart's takeaway: the first figure's median and 8-in-10 range in ``year``."""
    for measure, frame in fans:
        at = frame[frame["year"] == year]
        if at.empty:
            continue
        row = at.iloc[0]
        return _(
            "{measure} in {year}: {p50} at the median, {p10} to {p90} in 8 futures of 10"
        ).format(
            measure=measure.label,
            year=year,
            p50=format_number(float(row["p50"]), digits=measure.digits),
            p10=format_number(float(row["p10"]), digits=measure.digits),
            p90=format_number(float(row["p90"]), digits=measure.digits),
        )
    return _("The headline figures across the sampled futures")


def probability_title(probabilities: pd.DataFrame) -> str:
    """The probability chart's takeaway: the target least likely met in its own year (its
    first), and its odds in its last headline year."""
    if probabilities.empty:
        return _("No target to meet")
    ordered = probabilities.sort_values("year", kind="stable").groupby("target", sort=False)
    first, last = ordered.head(1), ordered.tail(1)
    last_year = dict(zip(last["target"].astype(str), last["year"].astype(int), strict=True))
    last_share = dict(
        zip(last["target"].astype(str), last["probability_met"].astype(float), strict=True)
    )
    worst = first.sort_values(["probability_met", "target"], kind="stable").iloc[0]
    if float(worst["probability_met"]) >= 1.0:
        return _("Every target is met in its own year in every sampled future")
    name, year = str(worst["target"]), int(worst["year"])
    share = format_percent(float(worst["probability_met"]))
    if last_year[name] == year:
        return _("{target} has the lowest odds: met in {share} of futures in {year}").format(
            target=name, share=share, year=year
        )
    return _(
        "{target} has the lowest odds: met in {share} of futures in {year}, {later} by {last}"
    ).format(
        target=name,
        share=share,
        year=year,
        later=format_percent(last_share[name]),
        last=last_year[name],
    )


def tornado_title(sensitivity: pd.DataFrame) -> str:
    """The tornado's takeaway: the input with the largest influence on any target."""
    if sensitivity.empty:
        return _("No uncertain input moves any target")
    top = sensitivity.assign(size=sensitivity["score"].astype(float).abs())
    row = top.sort_values(["size", "target"], ascending=[False, True], kind="stable").iloc[0]
    return _("What decides {target} most: {input} (influence {score})").format(
        target=str(row["target"]),
        input=str(row["input"]),
        score=format_number(float(row["score"]), digits=2),
    )


def probabilities_block(outputs: RiskOutputs, key: str) -> TableBlock:
    """Each target's probability of being met in its headline years, as a table."""
    table = outputs.probabilities
    years = sorted({int(y) for y in table["year"]})
    lookup = {
        (str(name), int(year)): float(share)
        for name, year, share in zip(
            table["target"], table["year"], table["probability_met"], strict=True
        )
    }
    rows = tuple(
        (
            name,
            *(format_percent(lookup[(name, y)]) if (name, y) in lookup else "–" for y in years),
        )
        for name in dict.fromkeys(table["target"].astype(str))
    )
    return TableBlock(
        f"risk-odds-{key}",
        _(
            "Probability that each target is met, in its own year and the headline years "
            "(share of the {samples} sampled futures; – before the target's year)."
        ).format(samples=format_number(outputs.samples)),
        (_("target"), *(str(y) for y in years)),
        rows,
    )


def plan_words(plan: str) -> str:
    """How the run held its plan (``risk.json``'s ``plan``), in words."""
    words = {
        "expected-value plan": _("the plan for the expected future, held fixed"),
        "given plan": _("a given plan, held fixed"),
        "replan": _("re-planned in each future"),
    }
    return words.get(plan, plan or "–")


def risk_source(outputs: RiskOutputs) -> str:
    """The source line of the risk charts: the run and where its uncertainty is declared."""
    return _(
        "Source: kazree {version} Monte Carlo of {scenario}, {samples} samples, seed {seed}, "
        "plan: {plan}; the laws of its uncertain inputs (its uncertain: block) cite {sources}, "
        "the rest are kazree assumptions (see docs/uncertainty.md)."
    ).format(
        version=kazree.__version__,
        scenario=outputs.scenario,
        samples=format_number(outputs.samples),
        seed=outputs.seed,
        plan=plan_words(outputs.plan),
        sources=", ".join(outputs.sources) or "–",
    )


SOURCE_FIELDS = ("id", "title", "publisher", "published", "url")


def sources_block(outputs: RiskOutputs, sources: pd.DataFrame, key: str) -> TableBlock | None:
    """The rows of ``sources`` (``sources.csv``) the laws of the uncertain inputs cite."""
    rows = sources[sources["id"].isin(list(outputs.sources))].sort_values("id")
    if rows.empty:
        return None
    return TableBlock(
        f"risk-sources-{key}",
        _(
            "Sources the laws of the uncertain inputs cite; the other laws are kazree "
            "assumptions (addresses as plain text)."
        ),
        (_("id"), _("title"), _("publisher"), _("published"), _("address")),
        as_text_rows(rows.reindex(columns=list(SOURCE_FIELDS)).fillna(""), SOURCE_FIELDS),
    )


def risk_blocks(outputs: RiskOutputs, sources: pd.DataFrame) -> tuple[Block, ...]:
    """The fan chart, the probability chart and table, the tornado and the sources of the
    uncertain inputs' laws (rows of ``sources``, the dataset's ``sources.csv``)."""
    key = slug(outputs.scenario)
    source = risk_source(outputs)
    fans = [(m, fan_rows(outputs, m)) for m in fan_measures()]
    fans = [(m, f) for m, f in fans if not f.empty]
    blocks: list[Block] = []
    if fans:
        blocks.append(
            FigureBlock(
                f"risk-fans-{key}",
                fan_title(fans, headline_year(outputs)),
                _(
                    "The median (line) and the band from the 10th to the 90th percentile of the "
                    "sampled futures, per year: 8 futures in 10 fall inside the band."
                ),
                _("Fan charts of four headline figures over the years across sampled futures."),
                fan_figure(fans),
                source,
            )
        )
    blocks.append(
        FigureBlock(
            f"risk-probability-{key}",
            probability_title(outputs.probabilities),
            _(
                "Share of the sampled futures in which each target is met, in each year from "
                "its own year on (%)."
            ),
            _("Line chart of the probability of meeting each target by year."),
            probability_figure(outputs.targets),
            source,
        )
    )
    blocks.append(probabilities_block(outputs, key))
    if not outputs.sensitivity.empty:
        blocks.append(
            FigureBlock(
                f"risk-tornado-{key}",
                tornado_title(outputs.sensitivity),
                _(
                    "How strongly each uncertain input moves a target's margin (achieved minus "
                    "required) in the target's year: rank correlation for numbers (sign: the "
                    "direction), correlation ratio for regimes (0: no effect, 1: decides it)."
                ),
                _("Tornado chart of the uncertain inputs that matter most for each target."),
                tornado_figure(outputs.sensitivity),
                source,
            )
        )
    cited = sources_block(outputs, sources, key)
    if cited is not None:
        blocks.append(cited)
    return tuple(blocks)


def odds_section(outputs: RiskOutputs, sources: pd.DataFrame) -> Section:
    """The odds of ``outputs`` as a report section; ``sources`` is the dataset's
    ``sources.csv``."""
    return Section(
        f"risk-{slug(outputs.scenario)}",
        _("Odds: {scenario}").format(scenario=outputs.scenario),
        _(
            "How likely the plan of {scenario} is to meet its targets across {samples} sampled "
            "futures, how far the headline figures may spread, and which uncertain inputs "
            "decide it."
        ).format(scenario=outputs.scenario, samples=format_number(outputs.samples)),
        risk_blocks(outputs, sources),
    )


def risk_section(outputs: RiskOutputs) -> SectionBuilder:
    """The odds of ``outputs`` as a section for :func:`~kazree.report.build.build_report`'s
    ``extra``: ``extra=[risk_section(load_risk_dir(DIR))]``, or
    ``extra=[risk_section(risk_outputs(result))]`` for a :class:`~kazree.risk.RiskResult`."""

    def build(inputs: ReportInputs) -> Section:
        return odds_section(outputs, inputs.dataset.table("sources"))

    return build
