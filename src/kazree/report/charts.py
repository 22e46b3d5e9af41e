"""Charts of metrics over the years and across scenarios, read from metrics frames.

Every trace carries ``meta`` naming the rows of ``metrics.csv`` it plots (``metric``, ``scenario``,
``stage``, ``region``, ``element``), so each number in a figure can be found in the frame.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from kazree.i18n import _
from kazree.metrics.inputs import STAGE_NAMES

SCENARIO_COLOURS: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
    "#999999",
)
"""Okabe-Ito colours, one per scenario in order (distinguishable with colour-blindness)."""
PREFERRED: dict[str, tuple[str, ...]] = {
    "stage": ("all", "-", "end_use"),
    "region": ("world",),
    "element": ("all", "-"),
}
"""Which value of a column to plot when a chart does not choose it (first one present)."""
KEY_COLUMNS: tuple[str, ...] = ("stage", "region", "element")

MetricRows = Mapping[str, pd.DataFrame]
"""Metric name -> its rows of a metrics frame (see :func:`by_metric`)."""
Frames = Mapping[str, MetricRows]
"""Scenario name -> its metrics frame, split by metric."""
PANEL_HEIGHT = 230
"""Height (px) of one row of panels: three rows and a title still fit on an A4 page."""
NO_ROWS = pd.DataFrame(columns=["year", "stage", "region", "element", "metric", "value"])


def by_metric(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """A metrics frame split by metric, so that each chart scans only its metric's rows."""
    return {str(metric): rows for metric, rows in frame.groupby("metric", sort=False)}


def scenario_colour(index: int) -> str:
    """The colour of the ``index``-th scenario."""
    return SCENARIO_COLOURS[index % len(SCENARIO_COLOURS)]


def select(frame: MetricRows, metric: str, **fixed: str) -> tuple[dict[str, str], pd.DataFrame]:
    """Rows of ``metric`` for one stage, region and element, sorted by year, with their key.

    Columns not given in ``fixed`` take the first value of :data:`PREFERRED` present in the
    frame (else the first value found), so the chart plots one line, never a sum of several.
    """
    rows = frame.get(metric, NO_ROWS)
    key = {"metric": metric}
    for column in KEY_COLUMNS:
        labels = rows[column].astype(str)
        value = fixed.get(column)
        if value is None:
            values = list(labels.unique())
            value = next((p for p in PREFERRED[column] if p in values), values[0] if values else "")
        rows = rows[labels == value]
        key[column] = value
    return key, rows.sort_values("year")


def present(frames: Frames, metric: str, column: str, wanted: Sequence[str]) -> list[str]:
    """The values of ``wanted`` that ``metric`` has in ``column`` in any frame, in that order."""
    found = {str(v) for f in frames.values() for v in f.get(metric, NO_ROWS)[column].unique()}
    return [w for w in wanted if w in found]


def _line(frame: MetricRows, metric: str, scenario: str, index: int, **fixed: str) -> go.Scatter:
    """One scenario's line of ``metric`` over the years."""
    key, rows = select(frame, metric, **fixed)
    return go.Scatter(
        x=[int(y) for y in rows["year"]],
        y=[float(v) for v in rows["value"]],
        name=scenario,
        mode="lines+markers",
        line={"color": scenario_colour(index)},
        legendgroup=scenario,
        meta={**key, "scenario": scenario},
    )


def facet_trends(
    frames: Frames,
    metric: str,
    column: str,
    panels: Sequence[str],
    *,
    y_title: str,
    y_range: tuple[float, float] | None = None,
    names: Mapping[str, str] | None = None,
) -> go.Figure:
    """``metric`` over the years, one panel per value of ``column``, one line per scenario.

    ``y_range`` fixes the axis (for shares and indices with a natural scale); ``names`` titles
    the panels (default: the values themselves).
    """
    cols = min(3, max(1, len(panels)))
    rows = -(-len(panels) // cols) or 1
    titles = [(names or {}).get(p, p.replace("_", " ")) for p in panels]
    figure = make_subplots(rows=rows, cols=cols, subplot_titles=titles, shared_yaxes=True)
    for p, panel in enumerate(panels):
        for s, (scenario, frame) in enumerate(frames.items()):
            trace = _line(frame, metric, scenario, s, **{column: panel})
            trace.showlegend = p == 0
            figure.add_trace(trace, row=p // cols + 1, col=p % cols + 1)
    figure.update_yaxes(title_text=y_title, col=1)
    if y_range is not None:
        figure.update_yaxes(range=list(y_range))
    figure.update_layout(
        height=PANEL_HEIGHT * rows + 80, margin={"t": 60, "b": 40}, hovermode="x unified"
    )
    return figure


def stage_trends(
    frames: Frames,
    metric: str,
    *,
    y_title: str,
    y_range: tuple[float, float] | None = None,
    names: Mapping[str, str] | None = None,
) -> go.Figure:
    """``metric`` per stage over the years (China share, HHI ...), one line per scenario."""
    stages = present(frames, metric, "stage", STAGE_NAMES)
    return facet_trends(
        frames, metric, "stage", stages, y_title=y_title, y_range=y_range, names=names
    )


def region_trends(
    frames: Frames,
    metric: str,
    regions: Sequence[str],
    *,
    y_title: str,
    y_range: tuple[float, float] | None = None,
    names: Mapping[str, str] | None = None,
) -> go.Figure:
    """``metric`` per region over the years (exposure ...), one line per scenario."""
    panels = present(frames, metric, "region", regions)
    return facet_trends(
        frames, metric, "region", panels, y_title=y_title, y_range=y_range, names=names
    )


def element_grid(
    frames: Frames, metric: str, year: int, elements: Sequence[str], *, stage: str, title: str
) -> go.Figure:
    """``metric`` per element (columns) and scenario (rows) in ``year``, as a labelled heatmap.

    A grid reads well over values that span orders of magnitude (and may be zero or negative),
    where bars would hide the small ones. Empty cells have no row in the frame.
    """
    scenarios = list(frames)
    grid: list[list[float | None]] = []
    meta: dict[str, Any] = {}
    for frame in frames.values():
        row: list[float | None] = []
        for element in elements:
            meta, rows = select(frame, metric, stage=stage, element=element)
            at_year = rows.loc[rows["year"] == year, "value"]
            row.append(float(at_year.iloc[0]) if len(at_year) else None)
        grid.append(row)
    figure = go.Figure(
        go.Heatmap(
            x=list(elements),
            y=scenarios,
            z=grid,
            texttemplate="%{z:,.0f}",
            colorscale="Cividis",
            colorbar={"title": {"text": title}},
            hovertemplate="%{y}, %{x}: %{z:,.1f}<extra></extra>",
            meta={**meta, "element": list(elements), "scenario": scenarios, "year": year},
        )
    )
    figure.update_layout(
        xaxis={"title": _("element"), "side": "top"},
        yaxis={"autorange": "reversed", "automargin": True},
        height=140 + 48 * len(scenarios),
        margin={"t": 60, "b": 20},
    )
    return figure


def kazakhstan_trends(frames: Frames, region: str = "KZ") -> go.Figure:
    """Kazakhstan's value added and export-partner HHI over the years, one line per scenario."""
    figure = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=(_("value added (million USD)"), _("export-partner HHI (0-10,000)")),
    )
    for col, metric in enumerate(("value_added_musd", "export_partner_hhi"), start=1):
        traces = [
            _line(frame, metric, scenario, s, region=region)
            for s, (scenario, frame) in enumerate(frames.items())
        ]
        for trace in traces:
            trace.showlegend = col == 1
            figure.add_trace(trace, row=1, col=col)
        if not any(len(t.y) for t in traces):
            figure.add_annotation(
                text=_("no figures for {region} in these runs").format(region=region),
                showarrow=False,
                xref=f"x{col} domain",
                yref=f"y{col} domain",
                x=0.5,
                y=0.5,
            )
    figure.update_layout(height=380, margin={"t": 60, "b": 40}, hovermode="x unified")
    return figure
