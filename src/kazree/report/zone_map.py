"""The ranked priority zones on a map, coloured by score and sized by rank robustness.

Each Kazakh deposit and processing site is drawn where its sources place it (``deposits`` and
``facilities``, ``lat``/``lon``); a site no source places is left off the map and named in the
caption, never put at a guessed point. The map draws offline from the shipped topojson, like the
facility map (:mod:`kazree.report.facility_map`).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kazree.i18n import _, format_number, format_share
from kazree.report.facility_map import style_geos
from kazree.roadmap.zones.criteria import SiteKind

KIND_SYMBOLS: dict[str, str] = {
    SiteKind.DEPOSIT.value: "circle",
    SiteKind.PROCESSING.value: "square",
}
"""Marker shape per kind of site."""
SIZE_PX = (8.0, 22.0)
"""Marker size of a site never in the top three, and of one always in it."""
MARGIN_DEG = (3.0, 5.0)
"""Latitude and longitude shown around the sites."""
SCORE_SCALE = "Viridis"


def kind_names() -> dict[str, str]:
    """Each kind of site in words."""
    return {SiteKind.DEPOSIT.value: _("deposit"), SiteKind.PROCESSING.value: _("processing site")}


def located(zones: pd.DataFrame) -> pd.DataFrame:
    """The sites of ``zones`` (``ZONE_COLUMNS``) that have a published location."""
    return zones[zones["lat"].notna() & zones["lon"].notna()].reset_index(drop=True)


def _hover(row: pd.Series, kinds: dict[str, str]) -> str:
    """The hover text of one site."""
    return "<br>".join(
        (
            f"<b>{row['name']}</b> ({row['site']})",
            kinds.get(str(row["kind"]), str(row["kind"])),
            _("score {score}, rank {rank}").format(
                score=format_number(float(row["score"]), digits=2), rank=int(row["rank"])
            ),
            _("share of weight samples ranking it first: {first} %; in the top 3: {top3} %").format(
                first=format_share(float(row["first_share"])),
                top3=format_share(float(row["top3_share"])),
            ),
        )
    )


def marker_size(top3_share: float) -> float:
    """A site's marker size (px): larger the more often it ranks in the top three."""
    low, high = SIZE_PX
    return low + (high - low) * top3_share


def zone_map(zones: pd.DataFrame) -> go.Figure:
    """A ``scattergeo`` map of the located sites of ``zones``, one trace per kind, coloured by
    score on one shared scale, framed on the sites."""
    kinds = kind_names()
    points = located(zones)
    figure = go.Figure()
    for kind, symbol in KIND_SYMBOLS.items():
        rows = points[points["kind"] == kind]
        if rows.empty:
            continue
        figure.add_trace(
            go.Scattergeo(
                lat=[float(v) for v in rows["lat"]],
                lon=[float(v) for v in rows["lon"]],
                text=[_hover(row, kinds) for _i, row in rows.iterrows()],
                hoverinfo="text",
                name=kinds[kind],
                marker={
                    "symbol": symbol,
                    "color": [float(v) for v in rows["score"]],
                    "coloraxis": "coloraxis",
                    "size": [marker_size(float(v)) for v in rows["top3_share"]],
                    "line": {"width": 1, "color": "#333333"},
                },
                meta={"kind": "zones", "site_kind": kind, "sites": list(rows["site"])},
            )
        )
    style_geos(figure)
    if not points.empty:
        dlat, dlon = MARGIN_DEG
        lat, lon = points["lat"].astype(float), points["lon"].astype(float)
        figure.update_geos(
            lataxis_range=[lat.min() - dlat, lat.max() + dlat],
            lonaxis_range=[lon.min() - dlon, lon.max() + dlon],
        )
    figure.update_layout(
        height=460,
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        coloraxis={"colorscale": SCORE_SCALE, "colorbar": {"title": {"text": _("score")}}},
        legend={"orientation": "h", "y": -0.02, "title": {"text": _("kind")}},
    )
    return figure


def zone_map_caption(zones: pd.DataFrame) -> str:
    """What the map shows, and which ranked sites no source places."""
    caption = _(
        "Sites by weighted-sum score (colour; deposits and processing sites are scored among "
        "their own kind) at the coordinates their sources give; the larger the marker, the more "
        "often the site ranks in the top three of its kind under sampled weights."
    )
    missing = zones[zones["lat"].isna() | zones["lon"].isna()]
    if not missing.empty:
        caption += " " + _("No published location, not drawn: {sites}.").format(
            sites=", ".join(missing["site"].astype(str))
        )
    return caption
