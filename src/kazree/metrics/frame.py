"""Every metric of one solved scenario as one long table (the rows of ``metrics.csv``)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from functools import cache

import pandas as pd
import xarray as xr

from kazree.metrics.balance import demand, self_sufficiency, surplus, unmet_demand
from kazree.metrics.benchmarks import CRMA_BLOC, STAGE_OF, crma
from kazree.metrics.catalogue import UNITS
from kazree.metrics.concentration import concentration, grouped_output
from kazree.metrics.diversification import export_partner_hhi
from kazree.metrics.environment import FOOTPRINT_METRICS, regional_footprint
from kazree.metrics.exposure import exposure
from kazree.metrics.groups import ALL, WORLD, Blocs, by_region, dataset_blocs
from kazree.metrics.inputs import ResultsLike, as_dataset
from kazree.metrics.tracing import trace
from kazree.metrics.value_added import shadow_prices, value_added

COLUMNS: tuple[str, ...] = (
    "scenario",
    "year",
    "stage",
    "region",
    "element",
    "metric",
    "value",
    "unit",
)
KEYS: tuple[str, ...] = ("year", "stage", "region", "element")


Keep = Mapping[str, Collection[str]]
"""Key column -> the values to keep (``region``, ``element``); a key not named keeps all."""


def _rows(da: xr.DataArray, metric: str, keep: Keep, **fixed: str) -> pd.DataFrame:
    """``da`` (dims among :data:`KEYS`) as long rows; ``fixed`` fills the missing keys; no NaN;
    only the values ``keep`` names."""
    for key, allowed in keep.items():
        if key in fixed and fixed[key] not in allowed:
            da = da.isel({d: slice(0, 0) for d in da.dims})
        elif key in da.dims:
            da = da.sel({key: [v for v in da[key].values if v in allowed]})
    frame = da.rename(metric).to_dataframe().reset_index().dropna(subset=[metric])
    frame = frame.rename(columns={metric: "value"}).assign(metric=metric, **fixed)
    return frame[[*KEYS, "metric", "value"]]


def _benchmarks(crma_ds: xr.Dataset) -> list[tuple[str, dict[str, str]]]:
    """Each benchmark variable with the keys it lacks (its measured stage)."""
    names = [str(name) for name in crma_ds.data_vars]
    return [(name, {"stage": STAGE_OF[name]} if name in STAGE_OF else {}) for name in names]


def _footprints(ds: xr.Dataset, blocs: Blocs, keep: Keep) -> list[pd.DataFrame]:
    """Footprint rows per stage and over all stages, where the footprint is not 0."""
    regional = regional_footprint(ds, blocs)
    frames = []
    for metric in regional.coords["metric"].values if "metric" in regional.coords else []:
        da = regional.sel(metric=metric, drop=True)
        name = FOOTPRINT_METRICS[str(metric)]
        for part in (
            _rows(da, name, keep, element=ALL),
            _rows(da.sum("stage"), name, keep, element=ALL, stage=ALL),
        ):
            frames.append(part[part["value"] != 0.0])
    return frames


def _families(
    ds: xr.Dataset, blocs: Blocs, keep: Keep
) -> dict[str, Callable[[], list[pd.DataFrame]]]:
    """The rows of each metric family, computed when called (``crma`` and ``footprint`` hold
    several metrics)."""

    def rows(da: xr.DataArray, metric: str, **fixed: str) -> pd.DataFrame:
        return _rows(da, metric, keep, **fixed)

    traced = cache(lambda: trace(ds))
    conc = cache(lambda: concentration(ds))
    added = cache(lambda: value_added(ds, blocs))

    def concentration_rows(name: str) -> Callable[[], list[pd.DataFrame]]:
        return lambda: [rows(conc()[name], name, region=WORLD)]

    def benchmarks() -> list[pd.DataFrame]:
        crma_ds = crma(ds, blocs, traced=traced())
        return [
            rows(crma_ds[name], name, region=CRMA_BLOC, **fixed)
            for name, fixed in _benchmarks(crma_ds)
        ]

    return {
        "output_t": lambda: [rows(by_region(grouped_output(ds), blocs), "output_t")],
        **{name: concentration_rows(name) for name in ("china_share", "hhi", "top3_share")},
        "exposure": lambda: [rows(exposure(ds, blocs, traced()), "exposure", stage=ALL)],
        "self_sufficiency": lambda: [rows(self_sufficiency(ds, blocs), "self_sufficiency")],
        "demand_t": lambda: [rows(demand(ds, blocs).sum("sector"), "demand_t", stage="end_use")],
        "unmet_demand_t": lambda: [
            rows(unmet_demand(ds, blocs).sum("sector"), "unmet_demand_t", stage="end_use")
        ],
        "surplus_t": lambda: [rows(surplus(ds, blocs), "surplus_t", stage=ALL)],
        "shadow_price_usd_per_kg": lambda: [rows(shadow_prices(ds), "shadow_price_usd_per_kg")],
        "value_added_musd": lambda: [
            rows(added(), "value_added_musd", element=ALL),
            rows(added().sum("stage"), "value_added_musd", element=ALL, stage=ALL),
        ],
        "export_partner_hhi": lambda: [
            rows(
                export_partner_hhi(ds).rename(exporter="region"), "export_partner_hhi", element=ALL
            )
        ],
        "crma": benchmarks,
        "footprint": lambda: _footprints(ds, blocs, keep),
    }


def metrics_frame(
    results: ResultsLike,
    blocs: Blocs | None = None,
    only: Iterable[str] | None = None,
    keep: Keep | None = None,
) -> pd.DataFrame:
    """All metrics of ``results`` in long format with columns :data:`COLUMNS`.

    ``blocs`` maps bloc codes to member countries (default: the dataset's ``countries.csv``).
    World totals use region ``world``, all elements ``all``, metrics not split by stage ``all``.
    ``only``: just these metric families (metric names, or ``crma`` and ``footprint``);
    ``keep``: just these regions and element groups (e.g. ``{"region": ["world", "KZ"]}``).
    """
    ds = as_dataset(results)
    families = _families(ds, dataset_blocs() if blocs is None else blocs, keep or {})
    wanted = list(families) if only is None else list(only)
    unknown = sorted(set(wanted) - set(families))
    if unknown:
        msg = f"unknown metric family {unknown[0]!r} (allowed: {', '.join(families)})"
        raise ValueError(msg)
    frame = pd.concat([part for name in wanted for part in families[name]()], ignore_index=True)
    frame = frame.assign(
        scenario=str(ds.attrs.get("scenario", "")), unit=frame["metric"].map(UNITS)
    )
    frame["year"] = frame["year"].astype("int64")
    return frame[list(COLUMNS)]
