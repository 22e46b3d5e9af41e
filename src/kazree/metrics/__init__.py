"""Metrics of a solved scenario: pure functions from the results Dataset to xarray / pandas.

>>> from kazree.metrics import metrics_frame
>>> frame = metrics_frame(results)  # doctest: +SKIP

The metric names, units and definitions are listed in ``docs/metrics.md``.
"""

from kazree.metrics.balance import demand, self_sufficiency, surplus, unmet_demand
from kazree.metrics.benchmarks import crma
from kazree.metrics.catalogue import METRICS, UNITS, Metric
from kazree.metrics.concentration import china_share, concentration, country_shares, hhi
from kazree.metrics.diversification import export_partner_hhi
from kazree.metrics.exposure import exposure, touched_by_china
from kazree.metrics.flagship import (
    FLAGSHIP_SCENARIOS,
    FLAGSHIP_YEARS,
    flagship_data,
    flagship_table,
)
from kazree.metrics.frame import COLUMNS, metrics_frame
from kazree.metrics.tracing import Traced, trace
from kazree.metrics.value_added import shadow_prices, value_added, world_price

__all__ = [
    "COLUMNS",
    "FLAGSHIP_SCENARIOS",
    "FLAGSHIP_YEARS",
    "METRICS",
    "UNITS",
    "Metric",
    "Traced",
    "china_share",
    "concentration",
    "country_shares",
    "crma",
    "demand",
    "export_partner_hhi",
    "exposure",
    "flagship_data",
    "flagship_table",
    "hhi",
    "metrics_frame",
    "self_sufficiency",
    "shadow_prices",
    "surplus",
    "touched_by_china",
    "trace",
    "unmet_demand",
    "value_added",
    "world_price",
]
