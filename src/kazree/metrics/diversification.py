"""Export diversification: the HHI of each exporter's exports over its importing countries.

Exports are counted in tonnes of element content, per traded form (stage) and over all forms
together (stage ``all``); a single customer gives 10,000.
"""

from __future__ import annotations

import xarray as xr

from kazree.metrics.concentration import hhi, shares_pct
from kazree.metrics.groups import ALL
from kazree.metrics.inputs import PRODUCING_STAGES, ResultsLike, as_dataset, stage_trade


def export_partner_hhi(results: ResultsLike) -> xr.DataArray:
    """Export-partner HHI: ``(stage, exporter, year)``, stages plus ``all``; NaN if no exports."""
    trade = stage_trade(as_dataset(results)).sel(stage=list(PRODUCING_STAGES)).sum("element")
    both = xr.concat([trade, trade.sum("stage").expand_dims(stage=[ALL])], dim="stage")
    return hhi(shares_pct(both, "importer"), "importer").transpose("stage", "exporter", "year")
