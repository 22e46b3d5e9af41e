"""The objective: welfare (worth of the demand met less the cost of the chain), US$."""

from __future__ import annotations

import xarray as xr

from kazree.chain.forms import Stage
from kazree.model.flows import Flows
from kazree.model.inputs import Inputs
from kazree.model.terms import compile_sum
from kazree.model.variables import TRADE_FORMS, trade_name

STANDALONE_CRACKING_USD_PER_T = 10.0
"""Handling cost that makes separators crack their own feed before a standalone plant does."""


def facility_cost(inputs: Inputs) -> xr.DataArray:
    """US$ per t of production (facility,) for stages costed on facility output."""
    table = inputs.facilities
    costed = {Stage.MINING.value, Stage.METAL.value, Stage.MAGNET.value}
    values = [
        float(inputs.stage_cost.sel(stage=stage, country=country))
        if stage in costed
        else STANDALONE_CRACKING_USD_PER_T * (stage == Stage.CRACKING.value)
        for stage, country in zip(table["stage"], table["country"], strict=True)
    ]
    return xr.DataArray(values, coords={"facility": list(table.index)}, dims="facility")


def define_objective(f: Flows) -> None:
    """Maximise welfare: the worth of the demand blocks bought less every cost (as a minimum).

    Costs: production, cracking, separation, lanes, stockpiling or disposal of surplus oxide.
    """
    inputs = f.inputs
    total = (
        f.v("production") * facility_cost(inputs)
        + f.v("crack") * inputs.stage_cost.sel(stage=Stage.CRACKING.value, drop=True)
        + f.v("feed") * inputs.stage_cost.sel(stage=Stage.SEPARATION.value, drop=True)
        + f.v("surplus") * inputs.costs.disposal_usd_per_t
        - f.v("use_oxide") * inputs.worth_oxide
        - f.v("use_magnet") * inputs.worth_magnet
    )
    for form in TRADE_FORMS:
        total += f.v(trade_name(form)) * inputs.lane_cost.sel(form=form, drop=True)
    f.m.add_objective(compile_sum(f.m, total, {}))
