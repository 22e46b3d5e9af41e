"""Chart titles that state what a chart shows, computed from the figures it draws."""

from __future__ import annotations

import math
from collections.abc import Mapping

import xarray as xr

from kazree.i18n import _, format_number, format_percent
from kazree.metrics.groups import ALL, WORLD
from kazree.report import charts

HIGH_HHI = 2_500.0
"""Above this HHI a market counts as highly concentrated (US DOJ/FTC 2010 guidelines)."""


def metric_at(frame: charts.MetricRows, metric: str, year: int, **fixed: str) -> float:
    """The value of ``metric`` in ``year`` for one stage, region and element (NaN if absent)."""
    _key, rows = charts.select(frame, metric, **fixed)
    found = rows.loc[rows["year"] == year, "value"]
    return float(found.iloc[0]) if len(found) else math.nan


def _percent(value: float) -> str:
    return "–" if math.isnan(value) else format_percent(value / 100)


def flows_title(frame: charts.MetricRows, scenario: str, year: int) -> str:
    """China's share of the world's magnet making, on the Sankey of ``scenario``."""
    share = metric_at(frame, "china_share", year, stage="magnet", region=WORLD, element=ALL)
    return _("{scenario}, {year}: China makes {share} of the world's magnets").format(
        scenario=scenario, year=year, share=_percent(share)
    )


def china_share_title(frame: charts.MetricRows, scenario: str, year: int) -> str:
    """China's share of separation in ``year``."""
    share = metric_at(frame, "china_share", year, stage="separation", region=WORLD, element=ALL)
    return _(
        "China separates {share} of the world's rare-earth oxide in {year} ({scenario})"
    ).format(share=_percent(share), year=year, scenario=scenario)


def hhi_title(frame: charts.MetricRows, scenario: str, year: int) -> str:
    """How concentrated magnet making is in ``year``."""
    hhi = metric_at(frame, "hhi", year, stage="magnet", region=WORLD, element=ALL)
    if hhi > HIGH_HHI:
        text = _("Magnet making stays highly concentrated: HHI {hhi} in {year} ({scenario})")
    else:
        text = _("Magnet making is not highly concentrated: HHI {hhi} in {year} ({scenario})")
    return text.format(hhi=format_number(hhi), year=year, scenario=scenario)


def exposure_title(
    frame: charts.MetricRows, scenario: str, year: int, region: str, name: str
) -> str:
    """How much of ``region``'s magnet supply passes through China in ``year``."""
    share = metric_at(frame, "exposure", year, stage=ALL, region=region, element=ALL)
    return _(
        "{share} of the magnets reaching {region} pass through China in {year} ({scenario})"
    ).format(share=_percent(share), region=name, year=year, scenario=scenario)


def unmet_title(table: xr.DataArray, scenario: str, year: int, names: Mapping[str, str]) -> str:
    """The total shortfall of ``scenario`` in ``year`` (a ``(sector, region)`` table) and
    where most of it falls."""
    by_region = table.sum("sector")
    total = float(by_region.sum())
    if total <= 0:
        return _("All demand in the regions shown is met in {year} ({scenario})").format(
            year=year, scenario=scenario
        )
    worst = str(by_region["region"].values[int(by_region.values.argmax())])
    return _(
        "{total} t of demand goes unmet in {year}, most of it in {region} ({scenario})"
    ).format(
        total=format_number(total), year=year, region=names.get(worst, worst), scenario=scenario
    )


def kazakhstan_title(frame: charts.MetricRows, scenario: str, year: int, region: str) -> str:
    """Kazakhstan's value added in ``year``."""
    added = metric_at(frame, "value_added_musd", year, stage=ALL, region=region, element=ALL)
    return _("Kazakhstan adds {value} million USD of value added in {year} ({scenario})").format(
        value=format_number(added, digits=1), year=year, scenario=scenario
    )


def price_title(frame: charts.MetricRows, scenario: str, year: int) -> str:
    """The price of neodymium oxide in ``year``."""
    price = metric_at(
        frame, "shadow_price_usd_per_kg", year, stage="separation", region=WORLD, element="Nd"
    )
    return _("Neodymium oxide clears at {price} USD/kg in {year} ({scenario})").format(
        price=format_number(price, digits=1), year=year, scenario=scenario
    )
