"""Attribution of a solved case to consortium partners, checked by hand on a tiny case."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from kazree.errors import KazreeError
from kazree.roadmap.partnerships import (
    Consortium,
    attribution,
    contracted_offtake,
    export_concentration,
)

STAGES = ["mining", "cracking", "separation", "metal", "magnet", "end_use"]
COUNTRIES = ["KZ", "JP", "DE"]
ELEMENTS = ["La", "Nd", "Pr", "Dy"]
YEARS = [2030]


def tiny_results() -> xr.Dataset:
    """Two Kazakh separation plants (300 and 100 t feed) and a mine (500 t), one year."""
    facilities = ["sep-a", "sep-b", "mine"]
    output = xr.DataArray(
        np.zeros((len(STAGES), len(COUNTRIES), len(ELEMENTS), 1)),
        coords={"stage": STAGES, "country": COUNTRIES, "element": ELEMENTS, "year": YEARS},
        dims=("stage", "country", "element", "year"),
    )
    output.loc["separation", "KZ", :, 2030] = [120.0, 200.0, 60.0, 20.0]  # 400 t
    output.loc["mining", "KZ", :, 2030] = [300.0, 200.0, 0.0, 0.0]  # 500 t
    trade = xr.DataArray(
        np.zeros((len(STAGES), 3, 3, len(ELEMENTS), 1)),
        coords={
            "stage": STAGES,
            "exporter": COUNTRIES,
            "importer": COUNTRIES,
            "element": ELEMENTS,
            "year": YEARS,
        },
        dims=("stage", "exporter", "importer", "element", "year"),
    )
    trade.loc["separation", "KZ", "JP", "Nd", 2030] = 30.0
    trade.loc["separation", "KZ", "DE", "Nd", 2030] = 10.0
    zeros = xr.zeros_like(output)
    return xr.Dataset(
        {
            "facility_stage": ("facility", ["separation", "separation", "mining"]),
            "facility_country": ("facility", ["KZ", "KZ", "KZ"]),
            "production": (("facility", "year"), [[300.0], [100.0], [500.0]]),
            "stage_output": output,
            "trade": trade,
            "shadow_price": zeros,
            "surplus": zeros.sel(stage="mining", drop=True),
            "demand": zeros.rename(stage="sector"),
            "unmet_demand": zeros.rename(stage="sector"),
        },
        coords={"facility": facilities},
    )


def terms() -> Consortium:
    partners = [
        {"id": "kz", "name": "state", "country": "KZ", "equity_pct": 40,
         "offtake_pct": {"NdPr": 50}},
        {"id": "jp", "name": "JP", "country": "JP", "equity_pct": 30,
         "offtake_pct": {"NdPr": 30, "Dy": 100}},
        {"id": "de", "name": "DE", "country": "DE", "equity_pct": 10, "offtake_pct": {"NdPr": 20}},
    ]  # fmt: skip
    return Consortium.model_validate(
        {"name": "t", "projects": ["sep-a", "mine", "not-a-facility"], "partners": partners}
    )


def test_output_and_value_added_follow_equity_of_the_covered_plants() -> None:
    added = xr.zeros_like(tiny_results()["stage_output"].sum("element"))
    added.loc["separation", "KZ", 2030] = 10.0  # MUSD, of which sep-a holds 3/4
    frame = attribution(terms(), tiny_results(), added).set_index(["partner", "stage"])
    # sep-a: 300 of Kazakhstan's 400 t feed -> 3/4 of 400 t oxide = 300 t; the mine: all 500 t
    assert frame.loc[("kz", "separation"), "output_t"] == pytest.approx(0.4 * 300.0)
    assert frame.loc[("kz", "mining"), "output_t"] == pytest.approx(0.4 * 500.0)
    assert frame.loc[("jp", "separation"), "value_added_musd"] == pytest.approx(0.3 * 7.5)
    assert frame.loc[("others", "separation"), "output_t"] == pytest.approx(0.2 * 300.0)
    assert frame.xs("separation", level="stage")["output_t"].sum() == pytest.approx(300.0)


def test_offtake_follows_the_contracts() -> None:
    taken = contracted_offtake(terms(), tiny_results()).set_index(["partner", "product"])[
        "offtake_t"
    ]
    ndpr = 0.75 * (200.0 + 60.0)  # sep-a's share of Kazakhstan's Nd + Pr oxide
    assert taken[("kz", "NdPr")] == pytest.approx(0.5 * ndpr)
    assert taken[("jp", "NdPr")] == pytest.approx(0.3 * ndpr)
    assert taken[("jp", "Dy")] == pytest.approx(0.75 * 20.0)


def test_export_concentration_by_flow_and_by_offtake_by_hand() -> None:
    row = export_concentration(terms(), tiny_results()).iloc[0]
    # physical: 30 t to JP, 10 t to DE -> 75 % and 25 %
    assert row["flow_hhi"] == pytest.approx(75.0**2 + 25.0**2)
    # contracted abroad: JP 0.3 x 195 + 15 = 73.5 t, DE 0.2 x 195 = 39 t
    jp, de = 0.3 * 195.0 + 15.0, 0.2 * 195.0
    shares = np.array([jp, de]) / (jp + de) * 100.0
    assert row["offtake_hhi"] == pytest.approx(float((shares**2).sum()))


def test_an_unknown_product_is_a_one_line_error() -> None:
    bad = terms().model_copy(
        update={"partners": [terms().partners[0].model_copy(update={"offtake_pct": {"Xx": 5}})]}
    )
    with pytest.raises(KazreeError, match="unknown product 'Xx'"):
        contracted_offtake(bad, tiny_results())
