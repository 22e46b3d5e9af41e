"""The facilities on a world map, coloured by stage, shaped by status.

Facilities with published coordinates are drawn there; the others (country aggregates, plants
without a location) at their country's centroid with an open marker, so nothing is left out and
nothing is placed more precisely than the data allow. The map draws offline from the shipped
``world_110m`` topojson (see :mod:`kazree.report.html`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import xarray as xr

from kazree.i18n import _, format_number
from kazree.metrics.inputs import STAGE_NAMES
from kazree.report.flows import STAGE_COLOURS
from kazree.report.terms import stage_names

FACILITY_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "country",
    "stage",
    "status",
    "capacity_t",
    "capacity_basis",
    "start_year",
    "source",
    "lat",
    "lon",
)
"""The columns of ``facilities.csv`` the map reads."""

STATUS_SYMBOLS: dict[str, str] = {
    "operating": "circle",
    "construction": "square",
    "feasibility": "diamond",
    "exploration": "triangle-up",
    "announced": "star",
    "suspended": "x",
    "historic": "cross",
    "scenario": "hexagram",
}
"""Marker shape per facility status (``scenario``: a facility a scenario adds)."""
SCENARIO_SOURCE = "scenario file"


def _column(ds: xr.Dataset, name: str, default: object) -> list[object]:
    """The values of ``ds[name]`` over facilities, or ``default`` for each if it is absent."""
    if name in ds:
        return list(ds[name].values)
    return [default] * ds.sizes["facility"]


def scenario_facilities(results: Mapping[str, xr.Dataset], known: Iterable[str]) -> pd.DataFrame:
    """Facilities the runs add to the dataset (ids not in ``known``), in the map's columns.

    ``name`` is the id and the scenarios adding it; ``capacity_t`` is the largest model
    capacity over the years, on the model's basis for the stage.
    """
    seen = set(known)
    parts = []
    for scenario, ds in results.items():
        ids = [str(f) for f in ds["facility"].values] if "facility" in ds.coords else []
        extra = [f for f in ids if f not in seen]
        if not extra:
            continue
        one = ds.sel(facility=extra)
        parts.append(
            pd.DataFrame(
                {
                    "id": extra,
                    "country": one["facility_country"].values.astype(str),
                    "stage": one["facility_stage"].values.astype(str),
                    "capacity_t": one["capacity"].max("year").values,
                    "capacity_basis": _column(one, "facility_basis", "model basis"),
                    "start_year": _column(one, "facility_start_year", np.nan),
                    "scenario": scenario,
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=list(FACILITY_COLUMNS))
    frame = pd.concat(parts, ignore_index=True)
    adders = frame.groupby("id")["scenario"].agg(", ".join)
    frame = frame.drop_duplicates("id").assign(
        name=lambda f: [f"{i} ({adders[i]})" for i in f["id"]],
        status="scenario",
        source=SCENARIO_SOURCE,
        lat=np.nan,
        lon=np.nan,
    )
    return frame[list(FACILITY_COLUMNS)].reset_index(drop=True)


def facility_points(facilities: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Facilities with the point to draw them at and whether it is their own location.

    Adds ``map_lat``, ``map_lon`` and ``located`` (True for the facility's own coordinates,
    False for its country's centroid); rows with neither are dropped.
    """
    centroids = countries.set_index("code")[["lat", "lon"]].add_suffix("_country")
    points = facilities.join(centroids, on="country")
    located = points["lat"].notna() & points["lon"].notna()
    points["map_lat"] = points["lat"].where(located, points["lat_country"])
    points["map_lon"] = points["lon"].where(located, points["lon_country"])
    points["located"] = located
    return points[points["map_lat"].notna() & points["map_lon"].notna()].reset_index(drop=True)


def _hover(row: pd.Series, stages: Mapping[str, str]) -> str:
    """The hover text of one facility."""
    capacity = (
        _("{capacity} t/yr ({basis})").format(
            capacity=format_number(float(row["capacity_t"])), basis=row["capacity_basis"]
        )
        if pd.notna(row["capacity_t"])
        else _("capacity undisclosed")
    )
    start = (
        ", " + _("from {year}").format(year=int(row["start_year"]))
        if pd.notna(row["start_year"])
        else ""
    )
    where = "" if row["located"] else "<br>" + _("shown at the country centroid")
    stage = stages.get(str(row["stage"]), str(row["stage"]))
    source = _("source: {source}").format(source=row["source"])
    return (
        f"<b>{row['name']}</b> ({row['country']})<br>{stage}, {row['status']}{start}"
        f"<br>{capacity}<br>{source}{where}"
    )


def style_geos(figure: go.Figure) -> go.Figure:
    """The report's world map under ``figure``'s markers: countries, land and ocean from the
    shipped 1:110m topojson, natural-earth projection."""
    return figure.update_geos(
        scope="world",
        resolution=110,
        showcountries=True,
        countrycolor="#9a9a9a",
        showland=True,
        landcolor="#f2f2ee",
        showocean=True,
        oceancolor="#e6eef5",
        projection_type="natural earth",
    )


def facility_map(points: pd.DataFrame) -> go.Figure:
    """A ``scattergeo`` map of ``points`` (from :func:`facility_points`), one trace per stage."""
    stages = stage_names()
    figure = go.Figure()
    for stage in STAGE_NAMES:
        rows = points[points["stage"] == stage]
        if rows.empty:
            continue
        symbols = [
            STATUS_SYMBOLS.get(str(status), "circle") + ("" if located else "-open")
            for status, located in zip(rows["status"], rows["located"], strict=True)
        ]
        figure.add_trace(
            go.Scattergeo(
                lat=[float(v) for v in rows["map_lat"]],
                lon=[float(v) for v in rows["map_lon"]],
                text=[_hover(row, stages) for _i, row in rows.iterrows()],
                hoverinfo="text",
                name=stages.get(stage, stage),
                marker={
                    "color": STAGE_COLOURS[stage],
                    "symbol": symbols,
                    "size": 10,
                    "line": {"width": 1, "color": "#ffffff"},
                },
                meta={"kind": "facilities", "stage": stage, "ids": list(rows["id"].astype(str))},
            )
        )
    style_geos(figure)
    figure.update_layout(
        height=560,
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        legend={"orientation": "h", "y": -0.02, "title": {"text": _("stage")}},
    )
    return figure
