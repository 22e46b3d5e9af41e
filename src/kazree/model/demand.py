"""Reference demand by sector, country, element (or magnet grade) and year, from the dataset.

World base-year demand by sector (``demand``) grows by the scenario's demand case
(``demand_cases``), is split to countries by the scenario's shares (or a country's own use)
and, for non-magnet sectors, to elements by ``sector_elements``. ``other`` is calibrated: the
base-year output of each element that the itemised sectors and magnets do not take (apparent
consumption equals output in the base year). Magnet demand is in tonnes of magnet, per the
lowest grade each part of a sector can use (``magnet_grade_use``).
"""

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
RESIDUAL_SECTOR = Sector.OTHER.value


def grade_content(scenario: Scenario, ds: Dataset) -> xr.DataArray:
    """t REO-equivalent of each element in one t of magnet (grade, element)."""
    recipes = ds.table("magnet_recipes")
    grades = scenario.demand.magnet_grade_order
    known = set(recipes["grade"])
    oxide = {e.symbol: e.oxide_per_metal for e in ELEMENTS}
    out = np.zeros((len(grades), len(symbols())))
    for i, grade in enumerate(grades):
        if grade not in known:
            msg = (
                f"{scenario.origin}: demand.magnet_grade_order: unknown grade {grade!r}"
                f" (allowed: {', '.join(sorted(known))})"
            )
            raise KazreeError(msg)
        rows = recipes[recipes["grade"] == grade]
        for symbol, pct in zip(rows["element"], rows["content_wt_pct"], strict=True):
            j = symbols().index(str(symbol))
            out[i, j] += float(pct) / 100.0 * oxide[str(symbol)]
    return xr.DataArray(
        out, coords={"grade": grades, "element": list(symbols())}, dims=("grade", "element")
    )


def grade_needs(scenario: Scenario, ds: Dataset) -> xr.DataArray:
    """Share of each magnet sector's demand needing at least each grade (sector, need), sum 1."""
    table = ds.table("magnet_grade_use")
    grades = scenario.demand.magnet_grade_order
    out = xr.DataArray(
        np.zeros((len(MAGNET_SECTOR_NAMES), len(grades))),
        coords={"sector": MAGNET_SECTOR_NAMES, "need": grades},
        dims=("sector", "need"),
    )
    for sector, grade, pct in zip(table["sector"], table["grade"], table["share_pct"], strict=True):
        if grade not in grades:
            msg = (
                f"magnet_grade_use.csv: grade {grade!r} is not in the scenario's"
                f" demand.magnet_grade_order (allowed: {', '.join(grades)})"
            )
            raise KazreeError(msg)
        if str(sector) in MAGNET_SECTOR_NAMES:
            out.loc[str(sector), str(grade)] = float(pct) / 100.0
    total = out.sum("need")
    fallback = xr.zeros_like(out)
    fallback.loc[{"need": grades[0]}] = 1.0
    return (out / total.where(total > 0)).fillna(fallback)


def _growth(
    scenario: Scenario, ds: Dataset, sectors: list[str], years: list[int], base: int
) -> xr.DataArray:
    """Demand multiplier (sector, year) relative to the data year ``base``."""
    table = ds.table("demand_cases")
    case = scenario.demand.case
    if case not in set(table["case"]):
        msg = (
            f"{scenario.origin}: demand.case: {case!r} is not in demand_cases"
            f" (allowed: {', '.join(sorted(set(table['case'])))})"
        )
        raise KazreeError(msg)
    table = table[table["case"] == case]
    out = np.ones((len(sectors), len(years)))
    for i, sector in enumerate(sectors):
        override = scenario.demand.growth_pct.get(Sector(sector))
        rows = table[table["sector"] == sector]
        spans = (
            [(override, base, years[-1])]
            if override is not None
            else list(
                zip(
                    rows["growth_pct_per_year"].to_numpy(float).tolist(),
                    rows["from_year"].to_numpy(int).tolist(),
                    rows["to_year"].to_numpy(int).tolist(),
                    strict=True,
                )
            )
        )
        for j, year in enumerate(years):
            factor = 1.0
            for pct, start, stop in spans:
                factor *= (1.0 + pct / 100.0) ** max(0, min(year, stop) - max(start, base))
            out[i, j] = factor
    return xr.DataArray(out, coords={"sector": sectors, "year": years}, dims=("sector", "year"))


def _split(scenario: Scenario, split: dict[str, float], nodes: list[str]) -> xr.DataArray:
    """Country shares of world demand; countries with their own use take none."""
    own = scenario.demand.own_use_t
    return xr.DataArray(
        [0.0 if c in own else split.get(c, 0.0) for c in nodes],
        coords={"country": nodes},
        dims="country",
    )


def _make_up(ds: Dataset) -> xr.DataArray:
    """Element make-up (sector, element) of the itemised non-magnet sectors, fractions."""
    table = ds.table("sector_elements")
    out = xr.DataArray(
        np.zeros((len(OTHER_SECTORS), len(symbols()))),
        coords={"sector": OTHER_SECTORS, "element": list(symbols())},
        dims=("sector", "element"),
    )
    for sector, symbol, pct in zip(
        table["sector"], table["element"], table["share_pct"].to_numpy(float), strict=True
    ):
        out.loc[str(sector), str(symbol)] = float(pct) / 100.0
    total = out.sum("element")
    return (out / total.where(total > 0)).fillna(0.0)


def demand_arrays(
    scenario: Scenario,
    ds: Dataset,
    nodes: list[str],
    years: list[int],
    supply: xr.DataArray,
    content: xr.DataArray,
) -> tuple[xr.DataArray, xr.DataArray]:
    """(oxide demand (sector, country, element, year) t REO, magnet demand (sector, need,
    country, year) t magnet), reference quantities at the price deck.

    ``supply`` is the base-year oxide the world can make (element,), t REO: ``other`` takes what
    the itemised sectors leave of it.
    """
    table = ds.table("demand")
    world_rows = table[table["region"] == WORLD]
    data_years = sorted(int(y) for y in world_rows["year"].unique())
    data_year = max((y for y in data_years if y <= years[0]), default=data_years[0])
    world = world_rows[world_rows["year"] == data_year].groupby("sector")["demand_t_reo"].sum()
    spec = scenario.demand

    def world_t(sectors: list[str]) -> xr.DataArray:
        values = [float(world.get(s, 0.0)) for s in sectors]
        return xr.DataArray(values, coords={"sector": sectors}, dims="sector")

    needs = grade_needs(scenario, ds)
    need_content = content.rename(grade="need")
    ree_per_t = (needs * need_content.sum("element")).sum("need")
    magnets_t = world_t(MAGNET_SECTOR_NAMES) / ree_per_t * needs
    make_up = _make_up(ds)
    itemised = world_t(OTHER_SECTORS) * make_up
    used = itemised.sum("sector") + (magnets_t * need_content).sum(("sector", "need"))
    residual = (supply - used).clip(min=0.0)
    world_oxide = itemised.copy()
    world_oxide.loc[{"sector": RESIDUAL_SECTOR}] = residual.values
    total = float(world_oxide.sum()) + float(world_t(MAGNET_SECTOR_NAMES).sum())
    own = xr.DataArray(
        [spec.own_use_t.get(c, 0.0) / total for c in nodes],
        coords={"country": nodes},
        dims="country",
    )
    magnet_share = _split(scenario, spec.magnet_split, nodes) + own
    other_share = _split(scenario, spec.other_split, nodes) + own
    magnet = (
        magnets_t * _growth(scenario, ds, MAGNET_SECTOR_NAMES, years, data_year) * magnet_share
    ).transpose("sector", "need", "country", "year")
    oxide = (
        world_oxide * _growth(scenario, ds, OTHER_SECTORS, years, data_year) * other_share
    ).transpose("sector", "country", "element", "year")
    shares = (world_oxide / world_oxide.sum("element").where(lambda t: t > 0)).fillna(0.0)
    for case in spec.cases:
        magnet, oxide = _apply(
            scenario, case, (magnet, oxide), (magnet_share, other_share), ree_per_t, shares
        )
    return oxide.copy(), magnet.copy()


def _apply(
    scenario: Scenario,
    case: DemandCase,
    demand: tuple[xr.DataArray, xr.DataArray],
    country_shares: tuple[xr.DataArray, xr.DataArray],
    ree_per_t: xr.DataArray,
    make_up: xr.DataArray,
) -> tuple[xr.DataArray, xr.DataArray]:
    """Scale (``factor``) or add to (``add_t``, t REO, split like the sector's demand) the
    demand of a sector from ``from_year`` on (one country's if ``country`` is given)."""
    magnet, oxide = demand
    sector = case.sector.value
    when = (oxide.coords["year"] >= case.from_year).astype(float)
    is_magnet = sector in MAGNET_SECTOR_NAMES
    share = country_shares[0] if is_magnet else country_shares[1]
    only = _only(share.coords["country"], case.country, scenario)
    weights = share * only
    weights = weights / float(weights.sum()) if float(weights.sum()) > 0 else only
    if is_magnet:
        if case.element is not None:
            msg = (
                f"{scenario.origin}: demand.cases: element {case.element!r} on magnet sector"
                f" {sector!r} (allowed: no element; magnets follow magnet_grade_use)"
            )
            raise KazreeError(msg)
        row = magnet.sel(sector=sector)
        mix = (row / row.sum("need").where(row.sum("need") > 0)).fillna(1.0 / row.sizes["need"])
        added = case.add_t / float(ree_per_t.sel(sector=sector)) * weights * when * mix
        row = row * (1 + (case.factor - 1) * only * when) + added
        return _set(magnet, sector, row), oxide
    elements = make_up.sel(sector=sector)
    if case.element is not None:
        elements = xr.zeros_like(elements)
        elements.loc[case.element] = 1.0
    row = oxide.sel(sector=sector)
    row = row * (1 + (case.factor - 1) * only * when * (elements > 0))
    row = row + case.add_t * elements * weights * when
    return magnet, _set(oxide, sector, row)


def _only(countries: xr.DataArray, country: str | None, scenario: Scenario) -> xr.DataArray:
    if country is not None and country not in countries:
        msg = f"{scenario.origin}: demand.cases: country {country!r} is not a node of the model"
        raise KazreeError(msg)
    if country is None:
        return xr.ones_like(countries, dtype=float)
    only: xr.DataArray = (countries == country).astype(float)
    return only


def _set(array: xr.DataArray, sector: str, row: xr.DataArray) -> xr.DataArray:
    out = array.copy()
    out.loc[{"sector": sector}] = row.transpose(*[d for d in array.dims if d != "sector"]).values
    return out


__all__ = ["demand_arrays", "grade_content", "grade_needs"]
