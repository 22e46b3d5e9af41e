"""The EU Critical Raw Materials Act (Regulation (EU) 2024/1252) 2030 benchmarks.

For a bloc (the EU by default), per element group and year:

- extraction: bloc mine output >= 10 % of bloc consumption (end-use stage);
- processing: bloc separation output >= 40 % of bloc consumption;
- diversification: no single third country supplies more than 65 % of the bloc's use of any
  stage's product, attributing that use to the country where the product was made
  (proportional tracing, :mod:`kazree.metrics.tracing`); stage ``all`` is the worst stage.
"""

from __future__ import annotations

import xarray as xr

from kazree.metrics.groups import ALL, Blocs, by_element_group
from kazree.metrics.inputs import ResultsLike, as_dataset
from kazree.metrics.tracing import Traced, trace

CRMA_BLOC = "EU"
EXTRACTION_MIN_PCT = 10.0
PROCESSING_MIN_PCT = 40.0
SINGLE_COUNTRY_MAX_PCT = 65.0
STAGE_OF: dict[str, str] = {
    "crma_extraction_pct": "mining",
    "crma_extraction_pass": "mining",
    "crma_processing_pct": "separation",
    "crma_processing_pass": "separation",
}
"""The stage measured by each benchmark that has no ``stage`` dimension."""


def _bloc_total(da: xr.DataArray, members: list[str]) -> xr.DataArray:
    return by_element_group(da.fillna(0.0).sel(country=members).sum("country"))


def _ratio_pct(part: xr.DataArray, whole: xr.DataArray) -> xr.DataArray:
    return 100.0 * part / whole.where(whole > 0)


def max_single_country_pct(traced: Traced, members: list[str]) -> xr.DataArray:
    """Largest share (percent) of the bloc's use made in one country outside it.

    ``(stage, element, year)`` over producing stages plus ``all`` and element groups.
    """
    use = traced.use.sel(country=members)
    by_origin = (traced.origins.sel(country=members) * use).sum("country")
    third = by_origin.drop_sel(origin=members)
    share = _ratio_pct(by_element_group(third), by_element_group(use.sum("country")))
    per_stage = share.max("origin")
    worst = per_stage.max("stage").expand_dims(stage=[ALL])
    return xr.concat([per_stage, worst], dim="stage")


def crma(
    results: ResultsLike, blocs: Blocs, bloc: str = CRMA_BLOC, traced: Traced | None = None
) -> xr.Dataset:
    """The three benchmarks and their pass flags (1 pass, 0 fail; NaN where no data).

    Variables ``crma_extraction_pct``, ``crma_processing_pct`` (``(element, year)``) and
    ``crma_max_single_country_pct`` (``(stage, element, year)``), each with a ``..._pass`` twin.
    ``traced`` is :func:`~kazree.metrics.tracing.trace` of ``results`` when already computed.
    """
    ds = as_dataset(results)
    members = [c for c in blocs.get(bloc, ()) if c in ds["country"]]
    output = ds["stage_output"]
    consumption = _bloc_total(output.sel(stage="end_use"), members)
    values = {
        "crma_extraction_pct": _ratio_pct(
            _bloc_total(output.sel(stage="mining"), members), consumption
        ),
        "crma_processing_pct": _ratio_pct(
            _bloc_total(output.sel(stage="separation"), members), consumption
        ),
        "crma_max_single_country_pct": max_single_country_pct(
            trace(ds) if traced is None else traced, members
        ),
    }
    passed = {
        "crma_extraction_pass": values["crma_extraction_pct"] >= EXTRACTION_MIN_PCT,
        "crma_processing_pass": values["crma_processing_pct"] >= PROCESSING_MIN_PCT,
        "crma_max_single_country_pass": (
            values["crma_max_single_country_pct"] <= SINGLE_COUNTRY_MAX_PCT
        ),
    }
    flags = {
        name: flag.astype(float).where(values[name.replace("_pass", "_pct")].notnull())
        for name, flag in passed.items()
    }
    return xr.Dataset(values | flags)
