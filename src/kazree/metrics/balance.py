"""Demand met and unmet, co-product surplus and self-sufficiency per region."""

from __future__ import annotations

import xarray as xr

from kazree.metrics.groups import Blocs, by_element_group, by_region
from kazree.metrics.inputs import PRODUCING_STAGES, ResultsLike, as_dataset, stage_trade


def _regional(da: xr.DataArray, blocs: Blocs) -> xr.DataArray:
    return by_region(by_element_group(da.fillna(0.0)), blocs)


def demand(results: ResultsLike, blocs: Blocs) -> xr.DataArray:
    """End-use demand: ``(sector, region, element, year)`` over element groups, tonnes."""
    return _regional(as_dataset(results)["demand"], blocs)


def unmet_demand(results: ResultsLike, blocs: Blocs) -> xr.DataArray:
    """Demand not met: ``(sector, region, element, year)`` over element groups, tonnes."""
    return _regional(as_dataset(results)["unmet_demand"], blocs)


def surplus(results: ResultsLike, blocs: Blocs) -> xr.DataArray:
    """Co-product disposed of or stockpiled: ``(region, element, year)``, tonnes."""
    return _regional(as_dataset(results)["surplus"], blocs).transpose("region", ...)


def regional_use(results: ResultsLike, blocs: Blocs) -> xr.DataArray:
    """Each region's use of each stage's product: output + imports - exports across its border.

    Trade between two members of a region cancels. ``(stage, region, element, year)`` over the
    producing stages and element groups, tonnes.
    """
    ds = as_dataset(results)
    stages = list(PRODUCING_STAGES)
    output = ds["stage_output"].fillna(0.0).sel(stage=stages)
    trade = stage_trade(ds).sel(stage=stages)
    imports = trade.sum("exporter").rename(importer="country")
    exports = trade.sum("importer").rename(exporter="country")
    return _regional(output + imports - exports, blocs)


def self_sufficiency(results: ResultsLike, blocs: Blocs) -> xr.DataArray:
    """Domestic output / domestic use (percent): ``(stage, region, element, year)``.

    NaN where the region uses none of the product.
    """
    ds = as_dataset(results)
    output = _regional(ds["stage_output"].sel(stage=list(PRODUCING_STAGES)), blocs)
    use = regional_use(ds, blocs)
    return 100.0 * output / use.where(use > 0)
