"""The export-control timeline: one bar per rule over its window, suspensions drawn over it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

import plotly.graph_objects as go

from kazree.data.controls_schema import ExportControlRow, RuleKind
from kazree.data.rule_words import kind_text
from kazree.i18n import _

KIND_COLOURS: dict[str, str] = {
    "ban": "#b2182b",
    "licence": "#ef8a62",
    "technology": "#67a9cf",
    "quota": "#999999",
    "disruption": "#8073ac",
}
"""Bar colour per rule kind (suspensions are drawn as hatched windows over the rules)."""
SUSPENDED_COLOUR = "rgba(255,255,255,0.85)"
EARLIEST = date(2000, 1, 1)
"""Where a rule in force "since before its source" starts on the chart."""
MS_PER_DAY = 86_400_000


@dataclass(frozen=True)
class Window:
    """One bar: a rule (or a suspension of it) from ``start`` to ``end`` inclusive."""

    rule_id: str
    label: str
    kind: str
    start: date
    end: date
    note: str


def _label(rule: ExportControlRow) -> str:
    """The row label of a rule: exporter, instrument (shortened)."""
    instrument = rule.instrument if len(rule.instrument) <= 48 else rule.instrument[:47] + "…"
    return f"{rule.exporter}: {instrument}"


def rule_windows(rules: Sequence[ExportControlRow], horizon: date) -> list[Window]:
    """Each non-suspension rule's window, then each suspension's window on every rule it stops.

    Open-ended rules run to ``horizon``; rules with no start date begin at :data:`EARLIEST`.
    """
    labels = {r.id: _label(r) for r in rules}
    windows = []
    for rule in rules:
        start = rule.effective or EARLIEST
        end = min(rule.until or horizon, horizon)
        if rule.kind is RuleKind.SUSPENSION:
            for target in rule.suspends:
                windows.append(
                    Window(
                        target,
                        labels[target],
                        "suspended",
                        start,
                        end,
                        _("suspended by {rule}").format(rule=rule.id),
                    )
                )
        else:
            share = _("licence share {share}").format(share=f"{rule.licence_share:g}")
            windows.append(
                Window(
                    rule.id, labels[rule.id], rule.kind.value, start, end, f"{rule.items}; {share}"
                )
            )
    return windows


def _ms(day: date) -> str:
    """A date as the ISO timestamp plotly reads on a date axis."""
    return datetime.combine(day, time()).isoformat()


def timeline_figure(windows: Sequence[Window]) -> go.Figure:
    """Horizontal bars on a date axis: rules coloured by kind, suspension windows hatched."""
    figure = go.Figure()
    order = list(dict.fromkeys(w.label for w in windows if w.kind != "suspended"))
    for kind in (*KIND_COLOURS, "suspended"):
        chosen = [w for w in windows if w.kind == kind]
        if not chosen:
            continue
        suspended = kind == "suspended"
        figure.add_trace(
            go.Bar(
                orientation="h",
                y=[w.label for w in chosen],
                base=[_ms(w.start) for w in chosen],
                x=[((w.end - w.start).days + 1) * MS_PER_DAY for w in chosen],
                name=_("suspended") if suspended else kind_text(kind),
                marker={
                    "color": SUSPENDED_COLOUR if suspended else KIND_COLOURS[kind],
                    "pattern": {"shape": "/" if suspended else ""},
                    "line": {"width": 1 if suspended else 0, "color": "#333333"},
                },
                customdata=[
                    [w.rule_id, w.start.isoformat(), w.end.isoformat(), w.note] for w in chosen
                ],
                hovertemplate=(
                    "%{customdata[0]}<br>%{customdata[1]} – %{customdata[2]}"
                    "<br>%{customdata[3]}<extra></extra>"
                ),
                meta={"kind": "controls", "rule_kind": kind},
            )
        )
    figure.update_layout(
        barmode="overlay",
        xaxis={"type": "date", "title": _("in force (suspension windows hatched)")},
        yaxis={"categoryorder": "array", "categoryarray": order[::-1], "automargin": True},
        height=max(300, 34 * len(order) + 120),
        margin={"t": 20, "b": 40},
    )
    return figure
