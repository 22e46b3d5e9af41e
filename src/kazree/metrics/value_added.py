"""Shadow prices per region and value added per country, both from the model's dual prices.

The model's shadow prices are market-clearing prices (duals of the node balances under the
demand curves, docs/model.md). A stage's value added in a country is its output at its own
price less the inputs it buys at the previous stage's price in that country::

    VA[s, c] = sum_e out[s, c, e] * (p[s, c, e] - max(p[s-1, c, e], 0))    (mining: p[s-1] = 0)

in million USD (t x USD/kg = 10^-3 MUSD). An input with a negative price (oxide being disposed
of) costs its buyer nothing, so value added is never above the gross value of the output,
``sum_e out * p`` (:func:`gross_output_value`). A missing price (no balance at that node) falls
back to the world mean price of that stage, then to zero.
"""

from __future__ import annotations

import xarray as xr

from kazree.metrics.groups import WORLD, Blocs, by_region
from kazree.metrics.inputs import PRODUCING_STAGES, ResultsLike, as_dataset, stage_trade
from kazree.metrics.tracing import local_use

MUSD_PER_T_USD_PER_KG = 1e-3
"""One tonne at one USD per kg is 1,000 USD = 0.001 million USD."""


def world_price(results: ResultsLike) -> xr.DataArray:
    """Use-weighted mean shadow price: ``(stage, element, year)``, USD per kg.

    Weights are each country's use of the stage's product (output + imports - exports; for
    ``end_use``, its consumption); countries without a price are left out.
    """
    ds = as_dataset(results)
    price = ds["shadow_price"]
    use = local_use(ds["stage_output"].fillna(0.0), stage_trade(ds))
    weight = use.where(price.notnull(), 0.0)
    total = weight.sum("country")
    return (price.fillna(0.0) * weight).sum("country") / total.where(total > 0)


def shadow_prices(results: ResultsLike) -> xr.DataArray:
    """Shadow prices per country plus the ``world`` mean: ``(stage, region, element, year)``."""
    ds = as_dataset(results)
    countries = ds["shadow_price"].rename(country="region")
    world = world_price(ds).expand_dims(region=[WORLD])
    return xr.concat([countries, world], dim="region").transpose("stage", "region", ...)


def _prices(ds: xr.Dataset) -> tuple[xr.DataArray, xr.DataArray]:
    """(price, output) of the producing stages, missing prices filled with the world mean."""
    stages = list(PRODUCING_STAGES)
    price = ds["shadow_price"].sel(stage=stages)
    price = price.fillna(world_price(ds).sel(stage=stages)).fillna(0.0)
    return price, ds["stage_output"].fillna(0.0).sel(stage=stages)


def gross_output_value(results: ResultsLike, blocs: Blocs) -> xr.DataArray:
    """Output at model prices per producing stage and region: ``(stage, region, year)``, MUSD."""
    ds = as_dataset(results)
    price, output = _prices(ds)
    gross = (output * price).sum("element") * MUSD_PER_T_USD_PER_KG
    return by_region(gross, blocs).transpose("stage", "region", "year")


def value_added(results: ResultsLike, blocs: Blocs) -> xr.DataArray:
    """Value added per producing stage and region: ``(stage, region, year)``, million USD."""
    ds = as_dataset(results)
    price, output = _prices(ds)
    previous = price.shift(stage=1, fill_value=0.0).clip(min=0.0)
    added = (output * (price - previous)).sum("element") * MUSD_PER_T_USD_PER_KG
    return by_region(added, blocs).transpose("stage", "region", "year")


def deck_output_value(results: ResultsLike, blocs: Blocs) -> xr.DataArray:
    """Output at the 2024 price deck, where the deck prices it: ``(stage, region, year)``, MUSD.

    Separated oxides at the deck (``reference_price``), magnets at their grade's reference
    price (``reference_magnet_price``: its oxide content at the deck plus China's metal and
    magnet costs). Set beside :func:`gross_output_value`, it shows how far model prices are
    from the 2024 market: a scarcity price lifts the first, never the second.
    """
    ds = as_dataset(results)
    oxide = ds["stage_output"].fillna(0.0).sel(stage="separation", drop=True)
    separated = (oxide * ds["reference_price"]).sum("element")
    magnets = (ds["magnet_output"].fillna(0.0) * ds["reference_magnet_price"]).sum("grade")
    value = xr.concat([separated, magnets], dim="stage").assign_coords(
        stage=["separation", "magnet"]
    )
    return by_region(value * MUSD_PER_T_USD_PER_KG, blocs).transpose("stage", "region", "year")
