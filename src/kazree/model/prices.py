"""The price deck the demand curves are anchored at: 2024 oxide prices in China, US$/kg.

Each element takes the dataset's ``prices`` quote for its separated oxide in the deck year:
China FOB first, then China domestic, then USGS's annual price (market unstated by USGS; the
latest edition); Pr, which the dataset quotes only as NdPr oxide, takes the NdPr price.
Elements without a quote take the scenario's stated assumption
(``demand.assumed_price_usd_per_kg``). Several quotes of one market and year are averaged.
"""

from __future__ import annotations

import xarray as xr

from kazree.chain.elements import symbols
from kazree.chain.forms import Form
from kazree.data import Dataset
from kazree.errors import KazreeError
from kazree.scenario.schema import Scenario

MARKETS = ("china_fob", "china_domestic", "unstated")
"""Markets of the deck, in order of preference."""
STANDS_FOR = {"Pr": "NdPr"}
"""Products quoted for an element the deck has no own quote of."""


def price_deck(scenario: Scenario, ds: Dataset) -> tuple[xr.DataArray, xr.DataArray]:
    """(price US$/kg, basis) per element: the quote used and where it came from."""
    table = ds.table("prices")
    year = scenario.demand.price_year
    quotes = table[
        (table["form"] == Form.SEPARATED_OXIDE.value)
        & (table["year"] == year)
        & table["market"].isin(MARKETS)
    ]
    prices: list[float] = []
    basis: list[str] = []
    for symbol in symbols():
        found = None
        for product in (symbol, STANDS_FOR.get(symbol)):
            for market in MARKETS:
                rows = quotes[(quotes["product"] == product) & (quotes["market"] == market)]
                editions = rows["edition"].dropna()
                if len(editions):
                    rows = rows[rows["edition"] == max(editions)]
                if found is None and len(rows):
                    found = (float(rows["price_usd_per_kg"].mean()), f"{product} {market} {year}")
        if found is None:
            assumed = scenario.demand.assumed_price_usd_per_kg.get(symbol)
            if assumed is None:
                msg = (
                    f"{scenario.origin}: demand.assumed_price_usd_per_kg: no price for {symbol!r}"
                    f" in prices {year} (allowed: a price for every element without a quote)"
                )
                raise KazreeError(msg)
            found = (assumed, "kazree assumption")
        prices.append(found[0])
        basis.append(found[1])
    coords = {"element": list(symbols())}
    return (
        xr.DataArray(prices, coords=coords, dims="element"),
        xr.DataArray(basis, coords=coords, dims="element"),
    )
