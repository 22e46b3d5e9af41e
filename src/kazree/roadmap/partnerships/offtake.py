"""Who takes the output: offtake shares by partner country and their concentration (HHI)."""

from __future__ import annotations

import pandas as pd
import xarray as xr

from kazree.metrics.concentration import hhi, shares_pct
from kazree.roadmap.partnerships.schema import Consortium


def offtake_shares(consortium: Consortium) -> pd.DataFrame:
    """product, country, offtake_pct (of output), share_of_contracted_pct."""
    rows = [
        {"product": product, "country": p.country, "offtake_pct": pct}
        for p in consortium.partners
        for product, pct in p.offtake_pct.items()
    ]
    listed = pd.DataFrame(rows, columns=["product", "country", "offtake_pct"])
    frame = listed.groupby(["product", "country"], as_index=False).agg(
        offtake_pct=("offtake_pct", "sum")
    )
    total = frame.groupby("product")["offtake_pct"].transform("sum")
    frame["share_of_contracted_pct"] = 100.0 * frame["offtake_pct"] / total
    return frame


def offtake_concentration(consortium: Consortium) -> pd.DataFrame:
    """Per product: contracted and domestic shares of output, and over the exported offtake the
    export-partner HHI by country (0-10,000, as the model's export-partner HHI) and the largest
    country's share."""
    frame = offtake_shares(consortium)
    home = frame["country"] == consortium.home
    domestic = frame[home].groupby("product")["offtake_pct"].sum()
    out = []
    for product, group in frame[~home].groupby("product"):
        amounts = xr.DataArray(group["offtake_pct"].to_numpy(), dims=["country"])
        shares = shares_pct(amounts, "country")
        largest = group.sort_values("offtake_pct", ascending=False, kind="stable").iloc[0]
        out.append(
            {
                "product": product,
                "contracted_pct": float(group["offtake_pct"].sum() + domestic.get(product, 0.0)),
                "domestic_pct": float(domestic.get(product, 0.0)),
                "offtake_hhi": float(hhi(shares, "country")),
                "largest_country": str(largest["country"]),
                "largest_share_pct": float(shares.max()),
            }
        )
    columns = [
        "product",
        "contracted_pct",
        "domestic_pct",
        "offtake_hhi",
        "largest_country",
        "largest_share_pct",
    ]
    return pd.DataFrame(out, columns=columns)
