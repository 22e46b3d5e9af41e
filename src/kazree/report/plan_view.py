"""The roadmap view of a plan: builds over time, capex by year, a target's cost curve, the plan
on the map and the targets with their cost and what is out of reach.

It reads what ``kazree plan --out DIR`` writes (:func:`load_plan_dir`) or a solved
:class:`~kazree.planner.Plan` (:func:`plan_outputs`), and plugs into the report as a
:data:`~kazree.report.build.SectionBuilder` (:func:`roadmap_section`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import xarray as xr

from kazree.csv_tables import read_csv_table
from kazree.errors import KazreeError
from kazree.i18n import _, format_number, ngettext
from kazree.metrics.inputs import STAGE_NAMES
from kazree.outputs import (
    COST_TOLERANCE,
    EMPTY_BASE_STATUSES,
    NO_CONSUMPTION,
    NO_COVERED_OUTPUT,
    NO_EXPORTS,
    NO_ORE_MINED,
    PLAN_FILE,
    RESULTS_FILE,
    SUMMARY_FILE,
    SWEEP_FILE,
    TARGETS_FILE,
)
from kazree.planner.outcome import PLAN_NUMBERS
from kazree.report.build import ReportInputs, SectionBuilder, slug
from kazree.report.document import Block, FigureBlock, Section, TableBlock, TextBlock
from kazree.report.facility_map import FACILITY_COLUMNS, facility_map, facility_points
from kazree.report.flows import STAGE_COLOURS
from kazree.report.roadmap import plan_finance_blocks
from kazree.report.terms import stage_names

if TYPE_CHECKING:
    from kazree.planner import Plan

BUILD_COLUMNS = ("candidate", "stage", "country", "capacity_t", "decision_year", "online_year")
TARGET_COLUMNS = ("target", "year", "required", "achieved", "cost_usd_per_unit", "status")
SWEEP_COLUMNS = ("target", "level", "objective_musd", "status")
PLAN_TABLES = ("facilities", "capex_benchmarks", "lead_times", "financing_instruments")
"""The dataset tables a plan's costs and dates come from."""
PLAN_SOURCE = "kazree plan"
"""The source a planned build shows on the map."""


@dataclass(frozen=True)
class PlanOutputs:
    """What a plan gives the report: its builds (``plan.csv``), targets (``targets.csv``),
    out-of-reach sentences (``plan.json``) and, if swept, a target's cost curve."""

    scenario: str
    builds: pd.DataFrame
    targets: pd.DataFrame
    out_of_reach: tuple[str, ...]
    sweep: pd.DataFrame | None = None
    objective: float = math.nan
    """The planning optimum, US$ (``plan.json``'s ``objective``)."""
    results: xr.Dataset | None = None
    """The plan's own run (``results.nc``), which prices its builds' finance."""


def plan_outputs(plan: Plan, sweep: pd.DataFrame | None = None) -> PlanOutputs:
    """The outputs of a solved plan (sentences in the language in use)."""
    return PlanOutputs(
        plan.scenario,
        plan.builds,
        plan.targets,
        tuple(item.sentence() for item in plan.out_of_reach),
        sweep,
        plan.objective,
        plan.solution.results.ds,
    )


def load_plan_dir(directory: Path) -> PlanOutputs:
    """The outputs of ``kazree plan --out DIR`` (``sweep.csv`` if ``--sweep`` wrote one there);
    a one-line error if the directory lacks them."""
    for name in (PLAN_FILE, TARGETS_FILE, SUMMARY_FILE):
        if not (directory / name).is_file():
            msg = f"--plan {directory}: no {name} (allowed: a directory kazree plan --out wrote)"
            raise KazreeError(msg)
    try:
        summary = json.loads((directory / SUMMARY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        msg = f"{directory / SUMMARY_FILE}: not readable JSON ({exc})"
        raise KazreeError(msg) from exc
    sweep_path = directory / SWEEP_FILE
    results_path = directory / RESULTS_FILE
    return PlanOutputs(
        scenario=str(summary.get("scenario") or directory.name),
        builds=read_csv_table(directory / PLAN_FILE, BUILD_COLUMNS, PLAN_NUMBERS),
        targets=read_csv_table(directory / TARGETS_FILE, TARGET_COLUMNS),
        out_of_reach=tuple(str(s) for s in summary.get("out_of_reach", [])),
        sweep=read_csv_table(sweep_path, SWEEP_COLUMNS) if sweep_path.is_file() else None,
        objective=float(summary.get("objective", math.nan)),
        results=xr.load_dataset(results_path) if results_path.is_file() else None,
    )


def _label(row: pd.Series) -> str:
    return f"{row['candidate']} ({int(row['decision_year'])})"


def gantt_figure(builds: pd.DataFrame) -> go.Figure:
    """One bar per build from its decision year to the year it comes online, by stage."""
    stages = stage_names()
    figure = go.Figure()
    for stage in STAGE_NAMES:
        rows = builds[builds["stage"] == stage]
        if rows.empty:
            continue
        labels = [_label(row) for _i, row in rows.iterrows()]
        decided = rows["decision_year"].astype(int).tolist()
        online = rows["online_year"].astype(int).tolist()
        figure.add_trace(
            go.Bar(
                orientation="h",
                y=labels,
                base=decided,
                x=[max(b - a, 0.2) for a, b in zip(decided, online, strict=True)],
                name=stages.get(stage, stage),
                marker={"color": STAGE_COLOURS[stage]},
                text=[
                    _("{build}: decided {decided}, online {online}, {capacity} t/yr").format(
                        build=label,
                        decided=a,
                        online=b,
                        capacity=format_number(float(c)),
                    )
                    for label, a, b, c in zip(
                        labels, decided, online, rows["capacity_t"], strict=True
                    )
                ],
                textposition="none",
                hoverinfo="text",
                meta={"kind": "builds", "stage": stage},
            )
        )
    figure.update_layout(
        barmode="overlay",
        height=max(220, 28 * len(builds) + 120),
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        xaxis={"title": {"text": _("year")}, "dtick": 1},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": -0.2, "title": {"text": _("stage")}},
    )
    return figure


def capex_by_year(builds: pd.DataFrame) -> pd.DataFrame:
    """Capex (MUSD) per decision year and stage."""
    frame: pd.DataFrame = builds.groupby(["decision_year", "stage"], as_index=False).agg(
        capex_musd=("capex_musd", "sum")
    )
    return frame.sort_values(["decision_year", "stage"], ignore_index=True)


def capex_figure(builds: pd.DataFrame) -> go.Figure:
    """Capex committed per decision year, stacked by stage."""
    stages = stage_names()
    spent = capex_by_year(builds)
    figure = go.Figure()
    for stage in STAGE_NAMES:
        rows = spent[spent["stage"] == stage]
        if rows.empty:
            continue
        figure.add_trace(
            go.Bar(
                x=rows["decision_year"].astype(int).tolist(),
                y=rows["capex_musd"].astype(float).tolist(),
                name=stages.get(stage, stage),
                marker={"color": STAGE_COLOURS[stage]},
                meta={"kind": "capex", "stage": stage},
            )
        )
    figure.update_layout(
        barmode="stack",
        height=320,
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        xaxis={"title": {"text": _("decision year")}, "dtick": 1},
        yaxis={"title": {"text": _("capex (million USD)")}},
        legend={"orientation": "h", "y": -0.25, "title": {"text": _("stage")}},
    )
    return figure


def added_cost(sweep: pd.DataFrame) -> pd.DataFrame:
    """The swept levels within reach, by level, with ``added_musd``: the planning optimum over
    its value at the lowest of them (million USD)."""
    reached = sweep[sweep["status"] != "out_of_reach"].sort_values("level", ignore_index=True)
    optimum = reached["objective_musd"].astype(float)
    return reached.assign(added_musd=optimum - (optimum.iloc[0] if len(optimum) else 0.0))


def cost_curve_figure(sweep: pd.DataFrame) -> go.Figure:
    """What each level of the swept target adds to the plan's cost (million USD, over the
    lowest level within reach); levels out of reach are marked at zero."""
    reached = added_cost(sweep)
    missed = sweep[sweep["status"] == "out_of_reach"]
    figure = go.Figure(
        go.Scatter(
            x=reached["level"].astype(float).tolist(),
            y=reached["added_musd"].tolist(),
            mode="lines+markers",
            name=_("added cost"),
            meta={"kind": "cost_curve"},
        )
    )
    if not missed.empty:
        figure.add_trace(
            go.Scatter(
                x=missed["level"].astype(float).tolist(),
                y=[0.0] * len(missed),
                mode="markers",
                marker={"symbol": "x", "size": 10, "color": "#b2182b"},
                name=_("out of reach"),
                meta={"kind": "out_of_reach"},
            )
        )
    figure.update_layout(
        height=320,
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        xaxis={"title": {"text": _("target level")}},
        yaxis={"title": {"text": _("added plan cost (million USD)")}},
        legend={"orientation": "h", "y": -0.25},
    )
    return figure


def plan_facilities(builds: pd.DataFrame, known: pd.DataFrame) -> pd.DataFrame:
    """The planned builds as map facilities (one per candidate, total capacity, first year
    online); a dataset facility keeps its own location, a generic candidate has none."""
    if builds.empty:
        return pd.DataFrame(columns=list(FACILITY_COLUMNS))
    grouped = builds.groupby("candidate", as_index=False).agg(
        country=("country", "first"),
        stage=("stage", "first"),
        capacity_t=("capacity_t", "sum"),
        start_year=("online_year", "min"),
    )
    places = known.set_index("id")[["lat", "lon"]]
    frame = grouped.rename(columns={"candidate": "id"}).join(places, on="id")
    frame = frame.assign(
        name=frame["id"],
        status="scenario",
        capacity_basis=_("model basis"),
        source=PLAN_SOURCE,
    )
    return frame[list(FACILITY_COLUMNS)]


MAP_MARGIN_DEG = (12.0, 20.0)
"""Latitude and longitude shown around the planned sites on their map."""


def plan_map(points: pd.DataFrame) -> go.Figure:
    """The facility map of the planned sites, framed on them with a margin."""
    lat, lon = points["map_lat"].astype(float), points["map_lon"].astype(float)
    dlat, dlon = MAP_MARGIN_DEG
    return facility_map(points).update_geos(
        lataxis_range=[max(lat.min() - dlat, -90.0), min(lat.max() + dlat, 90.0)],
        lonaxis_range=[max(lon.min() - dlon, -180.0), min(lon.max() + dlon, 180.0)],
    )


def status_text(status: str, cost: float) -> str:
    """A ``targets.csv`` status in words; a share target whose base is zero is met (or binds,
    if keeping the base at zero costs)."""
    if status in EMPTY_BASE_STATUSES:
        status = "binding" if cost > COST_TOLERANCE else "met"
    words = {"met": _("met"), "binding": _("binding"), "out_of_reach": _("out of reach")}
    return words.get(status, status)


def achieved_text(status: str, achieved: float, *, missing: str = "–") -> str:
    """What a target achieves, in words where its share has no base (no ore mined, ...)."""
    words = {
        NO_ORE_MINED: _("no ore mined"),
        NO_EXPORTS: _("no exports"),
        NO_CONSUMPTION: _("no consumption"),
        NO_COVERED_OUTPUT: _("no covered output"),
    }
    if status in words and not math.isfinite(achieved):
        return words[status]
    return format_number(achieved, digits=2, missing=missing)


def _figure(value: float, digits: int) -> str:
    return format_number(value, digits=digits) if math.isfinite(value) else "–"


def target_rows(targets: pd.DataFrame) -> pd.DataFrame:
    """One row per target: its first year (required, achieved, status there), the first year
    it is met (``met_from``, NaN if never within the horizon) and its cost in that year."""
    rows = []
    for name, group in targets.groupby("target", sort=False):
        first = group.iloc[0]
        reached = group[group["status"] != "out_of_reach"]
        met = reached.iloc[0] if not reached.empty else None
        rows.append(
            {
                "target": str(name),
                "year": int(first["year"]),
                "required": float(first["required"]),
                "achieved": float(first["achieved"]),
                "status": str(first["status"]),
                "first_cost": float(first["cost_usd_per_unit"]),
                "met_from": np.nan if met is None else int(met["year"]),
                "cost_usd_per_unit": np.nan if met is None else float(met["cost_usd_per_unit"]),
                "unit": str(first.get("unit", "")),
            }
        )
    return pd.DataFrame(rows)


def targets_block(outputs: PlanOutputs, key: str) -> TableBlock:
    """Each target: required and achieved in its year, status, the first year it is met and
    what it costs there."""
    table = target_rows(outputs.targets)
    out = int((table["status"] == "out_of_reach").sum())
    caption = _(
        "{scenario}: each target in its year and from the first year it is met; the cost is "
        "its shadow price there, US$ per unit of tightening it ({out} out of reach)."
    ).format(scenario=outputs.scenario, out=out)
    rows = tuple(
        (
            str(row["target"]),
            str(row["year"]),
            _figure(float(row["required"]), 2),
            achieved_text(str(row["status"]), float(row["achieved"])),
            status_text(str(row["status"]), float(row["first_cost"])),
            "–" if pd.isna(row["met_from"]) else str(int(row["met_from"])),
            _figure(float(row["cost_usd_per_unit"]), 0),
            str(row["unit"]),
        )
        for _i, row in table.iterrows()
    )
    columns = (
        _("target"),
        _("year"),
        _("required"),
        _("achieved"),
        _("status"),
        _("met from"),
        _("cost (US$ per unit)"),
        _("unit"),
    )
    return TableBlock(f"plan-targets-{key}", caption, columns, rows)


def gantt_title(builds: pd.DataFrame) -> str:
    """The Gantt's takeaway."""
    if builds.empty:
        return _("The plan builds nothing: no build pays at the model's prices")
    first, last = int(builds["decision_year"].min()), int(builds["decision_year"].max())
    return ngettext(
        "{count} build decided in {years}; the last comes online in {online}",
        "{count} builds decided in {years}; the last comes online in {online}",
        len(builds),
    ).format(
        count=len(builds),
        years=str(first) if first == last else f"{first}-{last}",
        online=int(builds["online_year"].max()),
    )


def capex_title(builds: pd.DataFrame) -> str:
    """The capex chart's takeaway: the total and the peak year."""
    spent = builds.groupby("decision_year", as_index=False).agg(capex_musd=("capex_musd", "sum"))
    peak = spent.iloc[int(spent["capex_musd"].to_numpy().argmax())]
    return _("{total} million USD of capex; the most, {peak}, is decided in {year}").format(
        total=format_number(float(spent["capex_musd"].sum()), digits=0),
        peak=format_number(float(peak["capex_musd"]), digits=0),
        year=int(peak["decision_year"]),
    )


def cost_curve_title(sweep: pd.DataFrame) -> str:
    """The cost curve's takeaway: what raising the target from its lowest to its highest
    reachable level adds to the plan's cost."""
    reached = added_cost(sweep)
    name = str(sweep["target"].iloc[0])
    if reached.empty:
        return _("{target} is out of reach at every level swept").format(target=name)
    return _("Raising {target} from {low} to {high} adds {delta} million USD to the plan").format(
        target=name,
        low=format_number(float(reached["level"].iloc[0]), digits=2),
        high=format_number(float(reached["level"].iloc[-1]), digits=2),
        delta=format_number(float(reached["added_musd"].iloc[-1]), digits=1),
    )


def roadmap_blocks(outputs: PlanOutputs, inputs: ReportInputs) -> tuple[Block, ...]:
    """The roadmap view's figures, table and sentences."""
    key = slug(outputs.scenario)
    builds = outputs.builds
    source = inputs.source(PLAN_TABLES)
    blocks: list[Block] = [
        FigureBlock(
            f"plan-gantt-{key}",
            gantt_title(builds),
            _(
                "Each build from the year it is decided to the year it comes online (the "
                "stage's lead time), by stage; labels give the candidate and decision year."
            ),
            _("Gantt chart of the planned builds of {scenario}, by stage.").format(
                scenario=outputs.scenario
            ),
            gantt_figure(builds),
            source,
        )
    ]
    if not builds.empty:
        blocks.append(
            FigureBlock(
                f"plan-capex-{key}",
                capex_title(builds),
                _("Capital expenditure committed in each decision year (million USD), by stage."),
                _("Stacked bar chart of the plan's capex per decision year."),
                capex_figure(builds),
                source,
            )
        )
    if outputs.sweep is not None and not outputs.sweep.empty:
        blocks.append(
            FigureBlock(
                f"plan-cost-curve-{key}",
                cost_curve_title(outputs.sweep),
                _(
                    "What each level of one target adds to the planning optimum (million USD, "
                    "over the lowest level within reach), solved once per level; a cross marks "
                    "a level out of reach."
                ),
                _("Line chart of the plan's cost against the level of one target."),
                cost_curve_figure(outputs.sweep),
                source,
            )
        )
    dataset = inputs.dataset
    points = facility_points(
        plan_facilities(builds, dataset.table("facilities")), dataset.table("countries")
    )
    if not points.empty:
        blocks.append(
            FigureBlock(
                f"plan-map-{key}",
                ngettext(
                    "The plan builds at {count} site in {countries}",
                    "The plan builds at {count} sites in {countries}",
                    len(points),
                ).format(
                    count=len(points),
                    countries=", ".join(
                        inputs.names.get(c, c) for c in sorted(set(points["country"]))
                    ),
                ),
                _(
                    "Planned builds by stage; open markers sit at the country's centroid (a "
                    "generic candidate has no site of its own)."
                ),
                _("World map of the planned builds, coloured by stage."),
                plan_map(points),
                source,
            )
        )
    if outputs.results is not None and not builds.empty:
        blocks += plan_finance_blocks(builds, outputs.results, dataset, key)
    blocks.append(targets_block(outputs, key))
    reach = "\n\n".join(outputs.out_of_reach) or _("Every target is met in its year.")
    blocks.append(TextBlock(f"plan-reach-{key}", _("Targets out of reach"), reach))
    return tuple(blocks)


def roadmap_section(outputs: PlanOutputs) -> SectionBuilder:
    """The roadmap view of ``outputs`` as a report section."""

    def build(inputs: ReportInputs) -> Section:
        return Section(
            f"plan-{slug(outputs.scenario)}",
            _("Roadmap plan: {scenario}").format(scenario=outputs.scenario),
            _(
                "What the planner builds, where and when, to meet the targets of {scenario} at "
                "least cost; what each target costs and which are out of reach."
            ).format(scenario=outputs.scenario),
            roadmap_blocks(outputs, inputs),
        )

    return build
