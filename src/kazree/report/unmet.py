"""Unmet demand by region and sector in one year: stacked bars, one group per scenario."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
import xarray as xr

from kazree.chain import SECTORS
from kazree.i18n import _
from kazree.metrics.balance import unmet_demand
from kazree.metrics.groups import ALL, Blocs
from kazree.report.terms import sector_names

SECTOR_COLOURS: tuple[str, ...] = (
    "#332288",
    "#117733",
    "#44AA99",
    "#88CCEE",
    "#DDCC77",
    "#CC6677",
    "#AA4499",
    "#882255",
    "#999933",
    "#BBBBBB",
)
"""Paul Tol's muted palette, one colour per sector in chain order."""


def unmet_table(
    results: Mapping[str, xr.Dataset], blocs: Blocs, year: int, regions: Sequence[str]
) -> dict[str, xr.DataArray]:
    """Scenario -> unmet demand ``(sector, region)`` in tonnes, all elements, for ``year``."""
    out = {}
    for scenario, ds in results.items():
        unmet = unmet_demand(ds, blocs).sel(element=ALL, year=year, drop=True)
        wanted = [r for r in regions if r in unmet["region"].values]
        out[scenario] = unmet.sel(region=wanted).transpose("sector", "region")
    return out


def unmet_figure(
    tables: Mapping[str, xr.DataArray], year: int, names: Mapping[str, str] | None = None
) -> go.Figure:
    """Stacked bars of unmet demand per sector, x = (scenario, region named by ``names``)."""
    figure = go.Figure()
    sector_label = sector_names()
    name_of = names or {}
    sectors = [str(s) for s in SECTORS]
    for i, sector in enumerate(sectors):
        scenarios: list[str] = []
        regions: list[str] = []
        codes: list[str] = []
        values: list[float] = []
        for scenario, table in tables.items():
            if sector not in table["sector"].values:
                continue
            row = table.sel(sector=sector)
            scenarios += [scenario] * row.sizes["region"]
            shown = [str(r) for r in row["region"].values]
            codes += shown
            regions += [name_of.get(code, code) for code in shown]
            values += [float(v) for v in row.values]
        if any(values):
            figure.add_trace(
                go.Bar(
                    x=[scenarios, regions],
                    y=values,
                    customdata=codes,
                    name=sector_label.get(sector, sector.replace("_", " ")),
                    marker={"color": SECTOR_COLOURS[i % len(SECTOR_COLOURS)]},
                    meta={"kind": "unmet_by_sector", "sector": sector, "year": year},
                )
            )
    figure.update_layout(
        barmode="stack",
        yaxis={"title": _("unmet demand {year} (t REO-eq)").format(year=year)},
        height=440,
        margin={"t": 40, "b": 60},
    )
    return figure
