"""Solved linopy model -> :class:`~kazree.model.results.Results` (the results contract)."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import numpy as np
import xarray as xr

from kazree.chain.forms import Form, Stage
from kazree.model.capacity import MODEL_BASIS
from kazree.model.constraints import BALANCES
from kazree.model.inputs import Inputs
from kazree.model.results import SECTOR_NAMES, STAGE_NAMES, Results
from kazree.model.safeguards import safeguard_results
from kazree.model.terms import aligned_values
from kazree.model.variables import mine_matrix, trade_name

USD_PER_T_TO_USD_PER_KG = 1e-3


def _solution(m: linopy.Model, name: str) -> xr.DataArray:
    solution: xr.DataArray = m.variables[name].solution.fillna(0.0)
    return solution


def _stage_sum(production: xr.DataArray, matrix: xr.DataArray) -> xr.DataArray:
    return (production.sel(facility=matrix.coords["facility"]) * matrix).sum("facility")


def _by_stage(parts: dict[str, xr.DataArray], template: xr.DataArray) -> xr.DataArray:
    """``parts`` stacked on a ``stage`` dimension over ``template``'s coordinates (0 if absent)."""
    dims = [str(d) for d in template.dims]
    coords = {d: template.coords[d].values for d in dims}
    values = np.zeros((len(STAGE_NAMES), *template.shape))
    for i, stage in enumerate(STAGE_NAMES):
        if stage in parts:
            values[i] = aligned_values(parts[stage], dims, coords, np.nan)
    return xr.DataArray(values, coords={"stage": STAGE_NAMES, **coords}, dims=("stage", *dims))


def _by_sector(oxide: xr.DataArray, magnet: xr.DataArray) -> xr.DataArray:
    joined = xr.concat([oxide, magnet], dim="sector")
    return joined.reindex(sector=SECTOR_NAMES, fill_value=0.0).transpose(
        "sector", "country", "element", "year"
    )


def _all_sectors(magnet: xr.DataArray) -> xr.DataArray:
    """Magnet tonnes (sector, country, year) over every sector (0 for non-magnet ones)."""
    return magnet.reindex(sector=SECTOR_NAMES, fill_value=0.0).transpose(
        "sector", "country", "year"
    )


def _target_cost(m: linopy.Model, inputs: Inputs) -> xr.DataArray:
    """Dual of each hard target (target, year), US$ per t of the stage's basis: the cost of
    the target (what one more tonne of the requirement would cost the world)."""
    names = [t.name for t in inputs.targets]
    values = np.full((len(names), len(inputs.years)), np.nan)
    for i, name in enumerate(names):
        dual = m.constraints[f"target_{name}"].dual
        values[i] = aligned_values(dual, ["year"], {"year": np.asarray(inputs.years)}, np.nan)
    return xr.DataArray(
        values, coords={"target": names, "year": inputs.years}, dims=("target", "year")
    )


@dataclass(frozen=True)
class _Solved:
    """The solution values the results are made of (tonnes, model dimensions)."""

    production: xr.DataArray
    mine: xr.DataArray
    crack: xr.DataArray
    feed: xr.DataArray
    magnets: xr.DataArray
    fill: xr.DataArray
    use_oxide: xr.DataArray
    served: xr.DataArray
    template: xr.DataArray
    """Mine output by element: the ``(country, element, year)`` grid of stage quantities."""


def _solved(m: linopy.Model, inputs: Inputs) -> _Solved:
    production = _solution(m, "production")
    mine = _stage_sum(production, mine_matrix(inputs))
    template = (inputs.composition * mine).sum("ore").transpose("country", "element", "year")
    return _Solved(
        production=production,
        mine=mine,
        crack=_solution(m, "crack"),
        feed=_solution(m, "feed"),
        magnets=_solution(m, "magnets"),
        fill=_solution(m, "fill"),
        use_oxide=_solution(m, "use_oxide").sum("step"),
        served=_solution(m, "use_magnet").sum("step"),
        template=template,
    )


def _market(m: linopy.Model, inputs: Inputs, s: _Solved) -> dict[str, xr.DataArray]:
    """The variables every metric reads (:data:`kazree.metrics.inputs.REQUIRED`)."""
    comp = inputs.composition
    content = inputs.grade_content
    need_content = content.rename(grade="need")
    use_magnet = (s.fill * content).sum(("need", "grade"))
    output = _by_stage(
        {
            Stage.MINING.value: s.template,
            Stage.CRACKING.value: (comp * s.crack).sum("ore"),
            Stage.SEPARATION.value: inputs.recovery * (comp * s.feed).sum("ore"),
            Stage.METAL.value: _solution(m, "metal"),
            Stage.MAGNET.value: (content * s.magnets).sum("grade"),
            Stage.END_USE.value: s.use_oxide.sum("sector") + use_magnet.sum("sector"),
        },
        s.template,
    )
    trades = {form.stage.value: _solution(m, trade_name(form.value)) for form in Form}
    for stage in (Stage.MINING.value, Stage.CRACKING.value):
        trades[stage] = (comp * trades[stage]).sum("ore")
    trades[Stage.MAGNET.value] = (content * trades[Stage.MAGNET.value]).sum("grade")
    trade_template = xr.zeros_like(trades[Stage.SEPARATION.value]).transpose(
        "exporter", "importer", "element", "year"
    )
    trade = _by_stage(trades, trade_template)
    demand_magnet = inputs.demand_magnet
    short_magnet = (demand_magnet - s.served).clip(min=0.0)
    mixes = {
        Stage.MINING.value: s.mine + s.crack,
        Stage.CRACKING.value: s.crack + s.feed,
        Stage.MAGNET.value: s.magnets,
    }
    return {
        "stage_output": output.transpose("stage", "country", "element", "year"),
        "trade": trade.transpose("stage", "exporter", "importer", "element", "year"),
        "demand": _by_sector(inputs.demand_oxide, (demand_magnet * need_content).sum("need")),
        "use": _by_sector(s.use_oxide, use_magnet),
        "unmet_demand": _by_sector(
            (inputs.demand_oxide - s.use_oxide).clip(min=0.0),
            (short_magnet * need_content).sum("need"),
        ),
        "surplus": _solution(m, "surplus").transpose("country", "element", "year"),
        "shadow_price": shadow_prices(m, inputs, mixes, s.template),
    }


def _attrs(m: linopy.Model, inputs: Inputs, status: str) -> dict[str, object]:
    return {
        "scenario": inputs.scenario,
        "objective": float(m.objective.value or 0.0),
        "status": status,
        "base_year": inputs.years[0],
        "currency": "USD",
        "separation_recovery": inputs.recovery,
    }


def market_results(m: linopy.Model, inputs: Inputs, status: str) -> xr.Dataset:
    """The part of the results every metric reads (stage output, trade, demand met and unmet,
    surplus, shadow prices) of solved ``m``: what :func:`extract` gives for them, without the
    rest (facilities, footprints, safeguards, ...) that a run's many samples need not pay for."""
    ds = xr.Dataset(_market(m, inputs, _solved(m, inputs)), attrs=_attrs(m, inputs, status))
    return ds.assign_coords(year=np.asarray(inputs.years, dtype=np.int64))


def extract(m: linopy.Model, inputs: Inputs, status: str) -> Results:
    """Results of solved ``m`` built from ``inputs``."""
    s = _solved(m, inputs)
    market = _market(m, inputs, s)
    ds = xr.Dataset(
        {
            "facility_country": ("facility", inputs.facilities["country"].astype(str).to_numpy()),
            "facility_stage": ("facility", inputs.facilities["stage"].astype(str).to_numpy()),
            "facility_basis": (
                "facility",
                np.array([MODEL_BASIS[st] for st in inputs.facilities["stage"]], dtype=str),
            ),
            "facility_start_year": (
                "facility",
                inputs.facilities["start_year"]
                .astype("Float64")
                .to_numpy(dtype=float, na_value=np.nan),
            ),
            "facility_risk_weight": (
                "facility",
                inputs.facilities["risk_weight"].to_numpy(dtype=float),
            ),
            "capacity": inputs.capacity,
            "production": s.production.transpose("facility", "year"),
            **market,
            "magnet_demand": _all_sectors(inputs.demand_magnet.sum("need")),
            "magnet_use": _all_sectors(s.fill.sum(("need", "grade"))),
            "magnet_output": s.magnets.transpose("grade", "country", "year"),
            "secondary_supply": inputs.secondary.transpose("country", "element", "year"),
            "reference_price": inputs.reference_price,
            "reference_price_basis": inputs.price_basis,
            "reference_magnet_price": inputs.reference_magnet_price,
            "target_cost": _target_cost(m, inputs),
            **safeguard_results(
                m,
                inputs,
                {
                    "production": s.production,
                    Stage.MINING.value: s.mine,
                    Stage.CRACKING.value: s.crack,
                    Stage.SEPARATION.value: s.feed,
                },
            ),
        },
        attrs=_attrs(m, inputs, status),
    )
    ds = ds.assign_coords(year=np.asarray(inputs.years, dtype=np.int64))
    return Results(ds)


def _mix_price(dual: xr.DataArray, comp: xr.DataArray, weight: xr.DataArray) -> xr.DataArray:
    """Price of each element in a mixed product: the ore-type dual, weighted by content."""
    content = comp * weight
    total = content.sum("ore")
    price: xr.DataArray = (dual * content).sum("ore") / total.where(total > 0)
    return price


def shadow_prices(
    m: linopy.Model, inputs: Inputs, mixes: dict[str, xr.DataArray], template: xr.DataArray
) -> xr.DataArray:
    """Duals of the balances, US$/kg of element content (stage, country, element, year).

    Oxide and metal balances are per element. Concentrate and intermediate balances are per ore
    type (US$ per t REO of the mix): every element of the mix gets that price, averaged over
    the ore types a country handles (``mixes``: tonnes by country and ore). The magnet balances
    (per t magnet of a grade) are spread over each grade's rare-earth content and averaged over
    the grades a country makes (``mixes``: t magnet by grade). End use is NaN.
    """

    def dual(name: str) -> xr.DataArray:
        value: xr.DataArray = m.constraints[name].dual * USD_PER_T_TO_USD_PER_KG
        return value

    comp = inputs.composition
    ree = inputs.grade_content.sum("element")
    made = mixes[Stage.MAGNET.value]
    per_t_ree = dual(BALANCES[Stage.MAGNET.value]) / ree
    weight = made * ree
    magnet = (per_t_ree * weight).sum("grade") / weight.sum("grade").where(weight.sum("grade") > 0)
    magnet = magnet.fillna(per_t_ree.mean("grade"))
    parts = {
        Stage.MINING.value: _mix_price(
            dual(BALANCES[Stage.MINING.value]), comp, mixes[Stage.MINING.value]
        ),
        Stage.CRACKING.value: _mix_price(
            dual(BALANCES[Stage.CRACKING.value]), comp, mixes[Stage.CRACKING.value]
        ),
        Stage.SEPARATION.value: dual(BALANCES[Stage.SEPARATION.value]),
        Stage.METAL.value: dual(BALANCES[Stage.METAL.value]),
        Stage.MAGNET.value: magnet.where(inputs.grade_content.max("grade") > 0),
        Stage.END_USE.value: xr.full_like(template, np.nan),
    }
    return _by_stage(parts, template).transpose("stage", "country", "element", "year")
