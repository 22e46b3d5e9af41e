"""Decision variables of the supply-chain LP, one function per family, masked to sparse sets."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import linopy
import numpy as np
import xarray as xr

from kazree.chain.forms import Form, Stage
from kazree.model.inputs import Inputs

TRADE_FORMS = {
    Form.ORE_CONCENTRATE.value: "ore",
    Form.MIXED_INTERMEDIATE.value: "ore",
    Form.SEPARATED_OXIDE.value: "element",
    Form.METAL_ALLOY.value: "element",
    Form.MAGNET.value: "grade",
}
"""Traded forms and the dimension that resolves their content."""


@dataclass(frozen=True)
class Presence:
    """Which countries have what: (country, year) or (country, ore, year) booleans."""

    mine: xr.DataArray
    crack_plant: xr.DataArray
    separation: xr.DataArray
    metal: xr.DataArray
    magnet: xr.DataArray
    oxide_demand: xr.DataArray
    magnet_demand: xr.DataArray


def stage_matrix(inputs: Inputs, stage: Stage) -> xr.DataArray:
    """1 where a facility of ``stage`` sits in a country (facility, country)."""
    table = inputs.facilities[inputs.facilities["stage"] == stage.value]
    ids = list(table.index)
    values = np.array([[c == country for c in inputs.countries] for country in table["country"]])
    return xr.DataArray(
        values.reshape(len(ids), len(inputs.countries)).astype(float),
        coords={"facility": ids, "country": inputs.countries},
        dims=("facility", "country"),
    )


def mine_matrix(inputs: Inputs) -> xr.DataArray:
    """1 where a mine sits in a country and yields an ore type: (facility, country, ore)."""
    table = inputs.facilities[inputs.facilities["stage"] == Stage.MINING.value]
    out = np.zeros((len(table), len(inputs.countries), len(inputs.ores)))
    for i, (country, ore) in enumerate(zip(table["country"], table["ore"], strict=True)):
        out[i, inputs.countries.index(country), inputs.ores.index(ore)] = 1.0
    return xr.DataArray(
        out,
        coords={"facility": list(table.index), "country": inputs.countries, "ore": inputs.ores},
        dims=("facility", "country", "ore"),
    )


def presence(inputs: Inputs) -> Presence:
    """Where each stage has capacity, and where demand is, by year: a plant adds nothing to the
    years before it starts (the years stay separable, :mod:`kazree.model.yearly`)."""
    active = inputs.capacity > 0

    def has(stage: Stage) -> xr.DataArray:
        matrix = stage_matrix(inputs, stage)
        return (matrix * active.sel(facility=matrix.coords["facility"])).sum("facility") > 0

    mines = mine_matrix(inputs)
    mine = (mines * active.sel(facility=mines.coords["facility"])).sum("facility") > 0
    return Presence(
        mine=mine,
        crack_plant=has(Stage.CRACKING),
        separation=has(Stage.SEPARATION),
        metal=has(Stage.METAL),
        magnet=has(Stage.MAGNET),
        oxide_demand=(inputs.demand_oxide > 0).any(("sector", "element")),
        magnet_demand=(inputs.demand_magnet > 0).any(("sector", "need")),
    )


def lane_masks(inputs: Inputs, where: Presence) -> dict[str, xr.DataArray]:
    """Which (exporter, importer) lanes exist for each traded form, before export controls."""

    def lane(exp: xr.DataArray, imp: xr.DataArray) -> xr.DataArray:
        mask = exp.rename(country="exporter") & imp.rename(country="importer")
        lanes: xr.DataArray = mask & (mask.coords["exporter"] != mask.coords["importer"])
        return lanes

    processes = where.separation | where.crack_plant
    return {
        Form.ORE_CONCENTRATE.value: lane(where.mine, processes),
        Form.MIXED_INTERMEDIATE.value: lane(where.crack_plant, where.separation),
        Form.SEPARATED_OXIDE.value: lane(where.separation, where.metal | where.oxide_demand),
        Form.METAL_ALLOY.value: lane(where.metal, where.magnet),
        Form.MAGNET.value: lane(where.magnet, where.magnet_demand),
    }


def form_licence(inputs: Inputs, form: str) -> xr.DataArray:
    """Share let through per lane for ``form``, resolved over its content dimension.

    Mixed forms (concentrate, intermediate) take the strictest share of the elements they
    hold; magnets that of the elements in their grade's recipe.
    """
    share = inputs.licence.sel(form=form, drop=True)
    content = TRADE_FORMS[form]
    if content == "element":
        return share
    holds = inputs.composition > 0 if content == "ore" else inputs.grade_content > 0
    return share.where(holds).min("element").fillna(1.0)


def trade_name(form: str) -> str:
    """Name of the trade variable of ``form``."""
    return f"trade_{form}"


def everywhere(**coords: Sequence[Hashable]) -> xr.DataArray:
    """A mask that is true at every point of ``coords``."""
    shape = [len(values) for values in coords.values()]
    return xr.DataArray(np.ones(shape, bool), coords=coords, dims=list(coords))


def add_nonnegative(
    m: linopy.Model, name: str, mask: xr.DataArray, upper: xr.DataArray | None = None
) -> None:
    """Variables ``name`` >= 0 (and <= ``upper``) over ``mask``'s coordinates, where it is true."""
    lower = xr.zeros_like(mask, dtype=float)
    bound = np.inf if upper is None else upper.broadcast_like(mask).transpose(*mask.dims)
    m.add_variables(lower=lower, upper=bound, name=name, mask=mask)


def grade_allowed(inputs: Inputs) -> xr.DataArray:
    """True where a magnet grade can serve a need (need, grade): the same or a later grade."""
    grades = inputs.grades
    rank = np.arange(len(grades))
    return xr.DataArray(
        rank[None, :] >= rank[:, None],
        coords={"need": grades, "grade": grades},
        dims=("need", "grade"),
    )


def define_variables(m: linopy.Model, inputs: Inputs) -> None:
    """Add every variable family to ``m`` (all non-negative, tonnes per year)."""
    where = presence(inputs)
    years = inputs.years
    elements = inputs.composition.coords["element"].values
    by_ore = everywhere(country=inputs.countries, ore=inputs.ores, year=years)
    by_element = everywhere(country=inputs.countries, element=elements, year=years)
    add_nonnegative(m, "production", inputs.capacity > 0)
    add_nonnegative(
        m, "crack", (by_ore & (where.crack_plant | where.separation)).transpose(*by_ore.dims)
    )
    add_nonnegative(m, "feed", (by_ore & where.separation).transpose(*by_ore.dims))
    add_nonnegative(m, "metal", (by_element & where.metal).transpose(*by_element.dims))
    add_nonnegative(m, "surplus", by_element)
    grades = everywhere(country=inputs.countries, grade=inputs.grades, year=years)
    add_nonnegative(m, "magnets", (grades & where.magnet).transpose(*grades.dims))
    for form, lanes in lane_masks(inputs, where).items():
        share = form_licence(inputs, form)
        add_nonnegative(m, trade_name(form), (lanes & (share > 0)).transpose(*share.dims))
    steps = inputs.step_width
    for kind, demand in (("oxide", inputs.demand_oxide), ("magnet", inputs.demand_magnet)):
        blocks = (demand * steps).transpose(*demand.dims, "step")
        add_nonnegative(m, f"use_{kind}", blocks > 0, upper=blocks)
    needed = (inputs.demand_magnet > 0) & grade_allowed(inputs)
    add_nonnegative(m, "fill", needed.transpose("sector", "need", "grade", "country", "year"))
