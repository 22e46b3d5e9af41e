"""The Sankey of one year's flows: from mines through each stage to end use, by country.

A link ``(stage s, country c) -> (stage s+1, country d)`` is the element content of stage ``s``'s
product made in ``c`` and used by stage ``s+1`` in ``d``. The product reaching ``d`` (what ``d``
keeps of its own output plus its imports) is split in proportion to origin: stage ``s+1`` in
``d`` takes ``min(its output, the supply)``. For separated oxides and metal the rest feeds end
uses directly (catalysts, polishing, alloys ...), up to ``d``'s consumption not covered by
magnets; what is left (losses, surplus) is not drawn. Magnets all go to end use where they land.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
import xarray as xr

from kazree.metrics.inputs import PRODUCING_STAGES, STAGE_NAMES, stage_trade

END_USE = "end_use"
DIRECT_USE_STAGES: tuple[str, ...] = ("separation", "metal")
"""Stages whose product may go straight to end uses as well as to the next stage."""
STAGE_COLOURS: dict[str, str] = {
    "mining": "#8c510a",
    "cracking": "#bf812d",
    "separation": "#01665e",
    "metal": "#35978f",
    "magnet": "#762a83",
    "end_use": "#4d4d4d",
}
"""One colour per stage (colour-blind-safe BrBG/PRGn picks), shared by every figure."""
MIN_LINK_T = 0.5
"""Links under half a tonne (solver noise, traces) are not drawn."""
LINK_COLUMNS = ("source_stage", "source_country", "target_stage", "target_country", "value_t")


def shipments(ds: xr.Dataset, stage: str) -> xr.DataArray:
    """Where ``stage``'s product goes: ``(exporter, importer, ...)`` t, own use on the diagonal.

    ``ds`` must be reduced to one year.
    """
    trade = stage_trade(ds).sel(stage=stage, drop=True)
    output = ds["stage_output"].sel(stage=stage, drop=True).fillna(0.0)
    exports = trade.sum("importer").rename(exporter="country")
    own = (output - exports).clip(min=0.0).rename(country="exporter")
    return trade.where(trade["exporter"] != trade["importer"], own)


def sankey_links(ds: xr.Dataset, year: int) -> pd.DataFrame:
    """The links of the flow Sankey for ``year`` (see the module notes), traced per element.

    Returns columns ``source_stage, source_country, target_stage, target_country, value_t``,
    summed over elements, of at least :data:`MIN_LINK_T`, in chain order.
    """
    one = ds.sel(year=year)
    output = one["stage_output"].fillna(0.0)
    magnets = shipments(one, "magnet").sum("exporter").rename(importer="country")
    direct_left = (output.sel(stage=END_USE, drop=True) - magnets).clip(min=0.0)
    rows: list[pd.DataFrame] = []
    for index, stage in enumerate(PRODUCING_STAGES):
        nxt = STAGE_NAMES[index + 1]
        flows = shipments(one, stage)
        supply = flows.sum("exporter").rename(importer="country")
        used = supply if nxt == END_USE else _least(output.sel(stage=nxt, drop=True), supply)
        rows.append(_links(_split(flows, used, supply), stage, nxt))
        if stage in DIRECT_USE_STAGES:
            direct = _least((supply - used).clip(min=0.0), direct_left)
            direct_left = direct_left - direct
            rows.append(_links(_split(flows, direct, supply), stage, END_USE))
    links = pd.concat(rows, ignore_index=True)
    return links[links["value_t"] >= MIN_LINK_T].reset_index(drop=True)


def _least(a: xr.DataArray, b: xr.DataArray) -> xr.DataArray:
    """The element-wise minimum of two arrays."""
    return a.where(a <= b, b)


def _split(flows: xr.DataArray, taken: xr.DataArray, supply: xr.DataArray) -> xr.DataArray:
    """The part of each flow into a country taken by a use, in proportion; summed over elements."""
    ratio = (taken / supply.where(supply > 0)).fillna(0.0).rename(country="importer")
    return (flows * ratio).sum("element")


def _links(flows: xr.DataArray, source: str, target: str) -> pd.DataFrame:
    """Long rows of a ``(exporter, importer)`` flow matrix from stage ``source`` to ``target``."""
    frame = flows.rename("value_t").to_dataframe().reset_index()
    return pd.DataFrame(
        {
            "source_stage": source,
            "source_country": frame["exporter"].astype(str),
            "target_stage": target,
            "target_country": frame["importer"].astype(str),
            "value_t": frame["value_t"].astype(float),
        },
        columns=list(LINK_COLUMNS),
    )


def sankey_figure(
    links: pd.DataFrame,
    *,
    scenario: str,
    year: int,
    stages: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
) -> go.Figure:
    """A plotly Sankey of ``links`` (from :func:`sankey_links`); nodes coloured by stage,
    labelled ``stage · country`` with ``stages`` and ``names`` (default: the codes), and
    carrying ``(stage, country)`` codes as their ``customdata``."""
    stage_of = stages or {s: s.replace("_", " ") for s in STAGE_NAMES}
    name_of = names or {}
    nodes = sorted(
        set(zip(links["source_stage"], links["source_country"], strict=True))
        | set(zip(links["target_stage"], links["target_country"], strict=True)),
        key=lambda node: (STAGE_NAMES.index(node[0]), node[1]),
    )
    index = {node: i for i, node in enumerate(nodes)}
    sources = [index[n] for n in zip(links["source_stage"], links["source_country"], strict=True)]
    targets = [index[n] for n in zip(links["target_stage"], links["target_country"], strict=True)]
    sankey = go.Sankey(
        valueformat=",.0f",
        valuesuffix=" t",
        node={
            "label": [
                f"{stage_of.get(stage, stage)} · {name_of.get(country, country)}"
                for stage, country in nodes
            ],
            "customdata": [[stage, country] for stage, country in nodes],
            "color": [STAGE_COLOURS[stage] for stage, _ in nodes],
            "pad": 12,
        },
        link={
            "source": sources,
            "target": targets,
            "value": [float(v) for v in links["value_t"]],
            "color": "rgba(120,120,120,0.35)",
        },
        meta={"kind": "sankey", "scenario": scenario, "year": year},
    )
    figure = go.Figure(sankey)
    figure.update_layout(
        height=560,
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
    )
    return figure
