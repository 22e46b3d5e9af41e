"""Demand by sector, country, element and year, from world base-year demand and the scenario."""

from __future__ import annotations

import numpy as np
import xarray as xr

from kazree.chain.elements import ELEMENTS, symbols
from kazree.chain.forms import Sector
from kazree.data import Dataset
from kazree.errors import KazreeError
from kazree.scenario.schema import MAGNET_SECTORS, DemandCase, Scenario

WORLD = "WORLD"
OTHER_SECTORS = [s.value for s in Sector if s not in MAGNET_SECTORS]
MAGNET_SECTOR_NAMES = [s.value for s in MAGNET_SECTORS]


def magnet_content(scenario: Scenario, ds: Dataset) -> xr.DataArray:
    """t REO-equivalent of each element in one t of magnet, for the scenario's grade mix."""
    recipes = ds.table("magnet_recipes")
    grades = set(recipes["grade"])
    content = dict.fromkeys(symbols(), 0.0)
    for grade, weight in scenario.demand.magnet_grades.items():
        if grade not in grades:
            msg = (
                f"{scenario.origin}: demand.magnet_grades: unknown grade {grade!r}"
                f" (allowed: {', '.join(sorted(grades))})"
            )
            raise KazreeError(msg)
        rows = recipes[recipes["grade"] == grade]
        for symbol, pct in zip(
            rows["element"], rows["content_wt_pct"].to_numpy(float), strict=True
        ):
            content[str(symbol)] += weight * float(pct) / 100.0
    oxide = {e.symbol: e.oxide_per_metal for e in ELEMENTS}
    return xr.DataArray(
        [content[s] * oxide[s] for s in symbols()],
        coords={"element": list(symbols())},
        dims="element",
    )


def _growth(
    scenario: Scenario, ds: Dataset, sectors: list[str], years: list[int], base: int
) -> xr.DataArray:
    """Demand multiplier (sector, year) relative to the data year ``base``."""
    table = ds.table("demand_growth")
    out = np.ones((len(sectors), len(years)))
    for i, sector in enumerate(sectors):
        override = scenario.demand.growth_pct.get(Sector(sector))
        rows = table[table["sector"] == sector]
        if override is not None:
            spans = [(override, base, years[-1])]
        else:
            spans = list(
                zip(
                    rows["growth_pct_per_year"].to_numpy(float).tolist(),
                    rows["from_year"].to_numpy(int).tolist(),
                    rows["to_year"].to_numpy(int).tolist(),
                    strict=True,
                )
            )
        for j, year in enumerate(years):
            factor = 1.0
            for pct, start, stop in spans:
                grown = max(0, min(year, stop) - max(start, base))
                factor *= (1.0 + pct / 100.0) ** grown
            out[i, j] = factor
    return xr.DataArray(out, coords={"sector": sectors, "year": years}, dims=("sector", "year"))


def _split(
    scenario: Scenario, split: dict[str, float], field: str, nodes: list[str]
) -> xr.DataArray:
    if not split:
        msg = f"{scenario.origin}: demand.{field}: empty (allowed: country shares summing to 1)"
        raise KazreeError(msg)
    return xr.DataArray(
        [split.get(c, 0.0) for c in nodes], coords={"country": nodes}, dims="country"
    )


def _sector_elements(scenario: Scenario, ds: Dataset, remainder: xr.DataArray) -> xr.DataArray:
    """Element make-up (sector, element) of non-magnet demand, fractions.

    Sectors without a make-up in ``sector_elements`` (``other``) take the scenario's
    ``other_sector_elements`` or, by default, ``remainder``.
    """
    table = ds.table("sector_elements")
    out = xr.DataArray(
        np.zeros((len(OTHER_SECTORS), len(symbols()))),
        coords={"sector": OTHER_SECTORS, "element": list(symbols())},
        dims=("sector", "element"),
    )
    shares = table["share_pct"].to_numpy(float)
    for sector, symbol, pct in zip(table["sector"], table["element"], shares, strict=True):
        out.loc[str(sector), str(symbol)] = float(pct) / 100.0
    other = scenario.demand.other_sector_elements
    mix = (
        xr.DataArray([other.get(s, 0.0) for s in symbols()], coords=out.coords["element"].coords)
        if other
        else remainder
    )
    for sector in OTHER_SECTORS:
        if float(out.sel(sector=sector).sum()) == 0.0:
            out.loc[sector] = mix.values
    return out / out.sum("element")


def demand_arrays(
    scenario: Scenario,
    ds: Dataset,
    nodes: list[str],
    years: list[int],
    mined: xr.DataArray,
    content: xr.DataArray,
) -> tuple[xr.DataArray, xr.DataArray]:
    """(oxide demand (sector, country, element, year), magnet demand (sector, country, year)).

    World demand by sector (``demand``, region ``WORLD``, latest data year up to the first
    modelled year) is grown by sector from that data year, split to
    countries by the scenario's shares and, for non-magnet sectors, to elements by
    ``sector_elements``; then the scenario's demand cases apply in order.
    """
    table = ds.table("demand")
    world_rows = table[table["region"] == WORLD]
    data_years = sorted(int(y) for y in world_rows["year"].unique())
    data_year = max((y for y in data_years if y <= years[0]), default=data_years[0])
    base = world_rows[world_rows["year"] == data_year]
    world = base.groupby("sector")["demand_t_reo"].sum()
    spec = scenario.demand

    def world_t(sectors: list[str]) -> xr.DataArray:
        values = [float(world.get(s, 0.0)) for s in sectors]
        return xr.DataArray(values, coords={"sector": sectors}, dims="sector")

    magnet = (
        world_t(MAGNET_SECTOR_NAMES)
        * _growth(scenario, ds, MAGNET_SECTOR_NAMES, years, data_year)
        * _split(scenario, spec.magnet_split, "magnet_split", nodes)
    ).transpose("sector", "country", "year")
    known = _sector_elements(scenario, ds, xr.zeros_like(mined)).fillna(0.0)
    used = (world_t(OTHER_SECTORS) * known).sum("sector") + float(
        world_t(MAGNET_SECTOR_NAMES).sum()
    ) * content / float(content.sum())
    remainder = (mined - used).clip(min=0.0)
    if float(remainder.sum()) <= 0:
        remainder = mined
    make_up = _sector_elements(scenario, ds, remainder)
    other_split = _split(scenario, spec.other_split, "other_split", nodes)
    oxide = (
        world_t(OTHER_SECTORS)
        * _growth(scenario, ds, OTHER_SECTORS, years, data_year)
        * other_split
        * make_up
    ).transpose("sector", "country", "element", "year")
    magnet_split = _split(scenario, spec.magnet_split, "magnet_split", nodes)
    for case in spec.cases:
        magnet, oxide = _apply(scenario, case, magnet, oxide, magnet_split, other_split, make_up)
    return oxide.copy(), magnet.copy()


def _apply(
    scenario: Scenario,
    case: DemandCase,
    magnet: xr.DataArray,
    oxide: xr.DataArray,
    magnet_split: xr.DataArray,
    other_split: xr.DataArray,
    make_up: xr.DataArray,
) -> tuple[xr.DataArray, xr.DataArray]:
    sector = case.sector.value
    years = oxide.coords["year"]
    when = (years >= case.from_year).astype(float)
    if sector in MAGNET_SECTOR_NAMES:
        if case.element is not None:
            msg = (
                f"{scenario.origin}: demand.cases: element {case.element!r} on magnet sector"
                f" {sector!r} (allowed: no element; magnets follow demand.magnet_grades)"
            )
            raise KazreeError(msg)
        split = _only(magnet_split, case.country, scenario)
        mask = (split > 0) * when
        row = magnet.sel(sector=sector)
        row = row * (1 + (case.factor - 1) * mask) + case.add_t * split * when
        return _set(magnet, sector, row), oxide
    split = _only(other_split, case.country, scenario)
    elements = make_up.sel(sector=sector)
    if case.element is not None:
        elements = xr.zeros_like(elements)
        elements.loc[case.element] = 1.0
    mask = (split > 0) * when * (elements > 0)
    row = oxide.sel(sector=sector)
    row = row * (1 + (case.factor - 1) * mask) + case.add_t * split * elements * when
    return magnet, _set(oxide, sector, row)


def _only(split: xr.DataArray, country: str | None, scenario: Scenario) -> xr.DataArray:
    if country is None:
        return split
    if country not in split.coords["country"]:
        msg = f"{scenario.origin}: demand.cases: country {country!r} is not a node of the model"
        raise KazreeError(msg)
    only: xr.DataArray = (split.coords["country"] == country).astype(float)
    return only


def _set(array: xr.DataArray, sector: str, row: xr.DataArray) -> xr.DataArray:
    out = array.copy()
    out.loc[{"sector": sector}] = row.transpose(*[d for d in array.dims if d != "sector"]).values
    return out


__all__ = ["demand_arrays", "magnet_content"]
