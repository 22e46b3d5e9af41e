"""Exposure: the share of a region's magnet supply that passed through China at any stage.

Material is traced proportionally (see :mod:`kazree.metrics.tracing`) from mining to magnets,
element by element. Output of a stage made in China is fully touched by China; output made
elsewhere is touched in the proportion its inputs were, i.e. the touched share of the previous
stage's pool in the same country. A region's exposure is the touched share of the magnets its
countries keep (output + imports - exports), weighted by element content.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from kazree.metrics.groups import Blocs, by_element_group, by_region
from kazree.metrics.inputs import CHINA, ResultsLike
from kazree.metrics.tracing import Traced, trace

MAGNET_STAGE = "magnet"


def touched_by_china(traced: Traced) -> xr.DataArray:
    """Share (0..1) of each stage's pool at each country that passed through China.

    Returns ``(stage, country, element, year)`` over the producing stages.
    """
    origins = traced.origins.transpose("stage", "country", "origin", "element", "year")
    countries = origins["country"].values
    in_china = (countries == CHINA).astype(float)[:, None, None]
    shares = origins.values
    touched = np.zeros(shares.shape[1:2] + shares.shape[3:])
    layers = []
    for stage_shares in shares:
        made_touched = in_china + (1.0 - in_china) * touched
        touched = np.einsum("coey,oey->cey", stage_shares, made_touched)
        layers.append(touched)
    return xr.DataArray(
        np.stack(layers),
        coords={
            "stage": origins["stage"].values,
            "country": countries,
            "element": origins["element"].values,
            "year": origins["year"].values,
        },
        dims=("stage", "country", "element", "year"),
    )


def exposure(results: ResultsLike, blocs: Blocs, traced: Traced | None = None) -> xr.DataArray:
    """Exposure (percent) per region, element group and year; NaN where no magnets are used.

    ``traced`` is :func:`~kazree.metrics.tracing.trace` of ``results`` when already computed.
    """
    traced = trace(results) if traced is None else traced
    use = traced.use.sel(stage=MAGNET_STAGE, drop=True)
    touched = touched_by_china(traced).sel(stage=MAGNET_STAGE, drop=True) * use
    used = by_region(by_element_group(use), blocs)
    share = 100.0 * by_region(by_element_group(touched), blocs) / used.where(used > 0)
    return share.transpose("region", "element", "year")
