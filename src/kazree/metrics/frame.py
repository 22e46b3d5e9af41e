"""Every metric of one solved scenario as one long table (the rows of ``metrics.csv``)."""

from __future__ import annotations

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


def _rows(da: xr.DataArray, metric: str, **fixed: str) -> pd.DataFrame:
    """``da`` (dims among :data:`KEYS`) as long rows; ``fixed`` fills the missing keys; no NaN."""
    frame = da.rename(metric).to_dataframe().reset_index().dropna(subset=[metric])
    frame = frame.rename(columns={metric: "value"}).assign(metric=metric, **fixed)
    return frame[[*KEYS, "metric", "value"]]


def _benchmarks(crma_ds: xr.Dataset) -> list[tuple[str, dict[str, str]]]:
    """Each benchmark variable with the keys it lacks (its measured stage)."""
    names = [str(name) for name in crma_ds.data_vars]
    return [(name, {"stage": STAGE_OF[name]} if name in STAGE_OF else {}) for name in names]


def _footprints(ds: xr.Dataset, blocs: Blocs) -> list[pd.DataFrame]:
    """Footprint rows per stage and over all stages, where the footprint is not 0."""
    regional = regional_footprint(ds, blocs)
    frames = []
    for metric in regional.coords["metric"].values if "metric" in regional.coords else []:
        da = regional.sel(metric=metric, drop=True)
        name = FOOTPRINT_METRICS[str(metric)]
        for part in (
            _rows(da, name, element=ALL),
            _rows(da.sum("stage"), name, element=ALL, stage=ALL),
        ):
            frames.append(part[part["value"] != 0.0])
    return frames


def _frames(ds: xr.Dataset, blocs: Blocs) -> list[pd.DataFrame]:
    """The rows of every metric, one frame per metric."""
    conc = concentration(ds)
    added = value_added(ds, blocs)
    traced = trace(ds)
    crma_ds = crma(ds, blocs, traced=traced)
    return [
        _rows(by_region(grouped_output(ds), blocs), "output_t"),
        *(_rows(conc[name], name, region=WORLD) for name in ("china_share", "hhi", "top3_share")),
        _rows(exposure(ds, blocs, traced), "exposure", stage=ALL),
        _rows(self_sufficiency(ds, blocs), "self_sufficiency"),
        _rows(demand(ds, blocs).sum("sector"), "demand_t", stage="end_use"),
        _rows(unmet_demand(ds, blocs).sum("sector"), "unmet_demand_t", stage="end_use"),
        _rows(surplus(ds, blocs), "surplus_t", stage=ALL),
        _rows(shadow_prices(ds), "shadow_price_usd_per_kg"),
        _rows(added, "value_added_musd", element=ALL),
        _rows(added.sum("stage"), "value_added_musd", element=ALL, stage=ALL),
        _rows(export_partner_hhi(ds).rename(exporter="region"), "export_partner_hhi", element=ALL),
        *(
            _rows(crma_ds[name], name, region=CRMA_BLOC, **fixed)
            for name, fixed in _benchmarks(crma_ds)
        ),
        *_footprints(ds, blocs),
    ]


def metrics_frame(results: ResultsLike, blocs: Blocs | None = None) -> pd.DataFrame:
    """All metrics of ``results`` in long format with columns :data:`COLUMNS`.

    ``blocs`` maps bloc codes to member countries (default: the dataset's ``countries.csv``).
    World totals use region ``world``, all elements ``all``, metrics not split by stage ``all``.
    """
    ds = as_dataset(results)
    frame = pd.concat(_frames(ds, dataset_blocs() if blocs is None else blocs), ignore_index=True)
    frame = frame.assign(
        scenario=str(ds.attrs.get("scenario", "")), unit=frame["metric"].map(UNITS)
    )
    frame["year"] = frame["year"].astype("int64")
    return frame[list(COLUMNS)]
