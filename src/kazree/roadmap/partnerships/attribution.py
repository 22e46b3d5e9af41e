"""Who gets what of a solved scenario under a consortium's terms.

The consortium covers facilities of the results (``projects`` that are facility ids). A covered
facility's output is its share of its country's output at its stage (its production over the
production of every plant of that stage there) times that output; its value added is the same
share of the stage's value added in the country. Partners get both in proportion to their
equity; equity nobody holds stays with ``others``. Offtake is by contract: a partner takes its
``offtake_pct`` of each product of the covered separation plants (``NdPr`` = Nd + Pr, an
element symbol, or a group of :func:`kazree.metrics.groups.element_groups`).

Kazakhstan's export-partner concentration is then measured twice: over the importers of its
physical exports (the model's trade, all forms) and over the foreign partners of its contracted
offtake (tonnes of every product pooled), both as HHI on the 0-10,000 scale.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from kazree.errors import KazreeError
from kazree.metrics.concentration import hhi, shares_pct
from kazree.metrics.diversification import export_partner_hhi
from kazree.metrics.groups import ALL, element_groups
from kazree.metrics.inputs import ResultsLike, as_dataset
from kazree.metrics.value_added import value_added
from kazree.roadmap.partnerships.schema import Consortium

OTHERS = "others"
OFFTAKE_STAGE = "separation"
PRODUCTS = {"NdPr": ("Nd", "Pr")}
"""Products named in offtakes that are not element groups."""


def product_elements(product: str) -> tuple[str, ...]:
    """Elements of an offtake product."""
    members = PRODUCTS.get(product) or element_groups().get(product)
    if members is None:
        allowed = ", ".join([*PRODUCTS, *element_groups()])
        msg = f"offtake_pct: unknown product {product!r} (allowed: {allowed})"
        raise KazreeError(msg)
    return tuple(members)


def covered(consortium: Consortium, ds: xr.Dataset) -> list[str]:
    """The consortium's projects that are facilities of the results, in its order."""
    known = {str(f) for f in ds.coords["facility"].values}
    return [p for p in consortium.projects if p in known]


def facility_share(ds: xr.Dataset, facilities: list[str]) -> xr.DataArray:
    """Each facility's share of its country's production at its stage (facility, year)."""
    production = ds["production"].fillna(0.0)
    key = ds["facility_stage"].astype(str) + "/" + ds["facility_country"].astype(str)
    totals = production.groupby(key.rename("key")).sum()
    keys = [str(k) for k in key.sel(facility=facilities).values]
    total = totals.sel(key=keys).values
    own = production.sel(facility=facilities).transpose("facility", "year").values
    share = np.divide(own, total, out=np.zeros_like(own), where=total > 0)
    return xr.DataArray(
        share,
        coords={"facility": facilities, "year": production.coords["year"].values},
        dims=("facility", "year"),
    )


def _at_home(ds: xr.Dataset, facilities: list[str], values: xr.DataArray) -> xr.DataArray:
    """``values`` (stage, country, ...) at each facility's stage and country (facility, ...)."""
    stage = ds["facility_stage"].sel(facility=facilities)
    country = ds["facility_country"].sel(facility=facilities)
    return values.sel(stage=stage, country=country).drop_vars(["stage", "country"])


def facility_output(ds: xr.Dataset, facilities: list[str]) -> xr.DataArray:
    """Output of each facility (facility, element, year), t element content."""
    share = facility_share(ds, facilities)
    made = _at_home(ds, facilities, ds["stage_output"].fillna(0.0))
    return share * made


def facility_value_added(
    ds: xr.Dataset, facilities: list[str], added: xr.DataArray | None = None
) -> xr.DataArray:
    """Value added of each facility (facility, year), MUSD; ``added`` (stage, country, year)
    defaults to the model's value added per country."""
    if added is None:
        countries = [str(c) for c in ds.coords["country"].values]
        added = value_added(ds, {}).sel(region=countries).rename(region="country")
    return facility_share(ds, facilities) * _at_home(ds, facilities, added)


def _holders(consortium: Consortium) -> list[tuple[str, str, float]]:
    """(partner, country, equity share 0-1), with ``others`` for equity nobody holds."""
    holders = [(p.id, p.country, p.equity_pct / 100.0) for p in consortium.partners]
    rest = 1.0 - sum(h[2] for h in holders)
    return holders + ([(OTHERS, "", rest)] if rest > 1e-9 else [])


def attribution(
    consortium: Consortium, results: ResultsLike, added: xr.DataArray | None = None
) -> pd.DataFrame:
    """Output (t element content) and value added (MUSD) of the covered facilities by partner,
    stage and year, in proportion to equity."""
    ds = as_dataset(results)
    facilities = covered(consortium, ds)
    columns = ["partner", "country", "stage", "year", "output_t", "value_added_musd"]
    if not facilities:
        return pd.DataFrame(columns=columns)
    stage = ds["facility_stage"].sel(facility=facilities).rename("stage")
    output = facility_output(ds, facilities).sum("element").groupby(stage).sum()
    worth = facility_value_added(ds, facilities, added).groupby(stage).sum()
    frames = []
    for partner, country, equity in _holders(consortium):
        part = xr.Dataset({"output_t": output * equity, "value_added_musd": worth * equity})
        frame = part.to_dataframe().reset_index()
        frames.append(frame.assign(partner=partner, country=country))
    return pd.concat(frames, ignore_index=True)[columns]


def contracted_offtake(consortium: Consortium, results: ResultsLike) -> pd.DataFrame:
    """Contracted offtake by partner, product and year: t of the covered separation plants'
    output of the product times the partner's share."""
    ds = as_dataset(results)
    facilities = [
        f
        for f in covered(consortium, ds)
        if str(ds["facility_stage"].sel(facility=f).item()) == OFFTAKE_STAGE
    ]
    columns = ["partner", "country", "product", "year", "offtake_t"]
    if not facilities:
        return pd.DataFrame(columns=columns)
    made = facility_output(ds, facilities).sum("facility")
    rows = []
    for p in consortium.partners:
        for product, pct in p.offtake_pct.items():
            tonnes = made.sel(element=list(product_elements(product))).sum("element")
            for year, value in zip(tonnes["year"].values, tonnes.values, strict=True):
                rows.append((p.id, p.country, product, int(year), float(value) * pct / 100.0))
    return pd.DataFrame(rows, columns=columns)


def offtake_hhi(consortium: Consortium, contracted: pd.DataFrame) -> pd.Series:
    """HHI (0-10,000) by year over the foreign partner countries of the contracted offtake."""
    abroad = contracted[contracted["country"] != consortium.home]
    by_country = abroad.pivot_table(
        index="year", columns="country", values="offtake_t", aggfunc="sum", fill_value=0.0
    )
    out = {}
    for year, amounts in zip(by_country.index.tolist(), by_country.to_numpy(), strict=True):
        values = xr.DataArray(amounts, dims=["country"])
        out[int(year)] = float(hhi(shares_pct(values, "country"), "country"))
    return pd.Series(out, name="offtake_hhi", dtype=float)


def export_concentration(consortium: Consortium, results: ResultsLike) -> pd.DataFrame:
    """Per year: the home country's export-partner HHI by physical flow and by offtake."""
    ds = as_dataset(results)
    years = [int(y) for y in ds["year"].values]
    physical = pd.Series(np.nan, index=years)
    if consortium.home in ds.coords["exporter"].values:
        hhi_all = export_partner_hhi(ds).sel(stage=ALL, exporter=consortium.home)
        physical = pd.Series(hhi_all.values, index=years)
    contracted = offtake_hhi(consortium, contracted_offtake(consortium, ds)).reindex(years)
    return pd.DataFrame(
        {"year": years, "flow_hhi": physical.to_numpy(), "offtake_hhi": contracted.to_numpy()}
    )
