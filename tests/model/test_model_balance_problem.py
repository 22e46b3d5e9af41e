"""The balance problem: more Dy demand with fixed ore types means more La/Ce to dispose of.

It takes spare Dy-bearing mine capacity, which no shipped scenario year has: in baseline 2024
extra Dy demand cannot be met, and since Dy and NdPr are complements in a magnet it cuts the
light-REE ore mined for NdPr, so La and Ce get scarcer, not surplus (second test).

Myanmar's ionic-clay mine capacity is quadrupled, so Dy-bearing ore is not scarce (every other
mine runs at capacity: Mountain Pass is cut to 15 kt so that it does too), and the La/Ce sectors
buy half their base-year tonnage, so La and Ce already end in surplus. The only
way to meet extra Dy demand is to mine more ore of a fixed element mix, whose La and Ce nobody
takes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import xarray as xr

from kazree.model.solve import solve_scenario

CASE = """
extends: baseline
years: {{start: 2024, end: 2024}}
dataset:
  overrides:
    - {{table: facilities, where: {{id: mp-mountain-pass-mine}}, set: {{capacity_t: 15000}}}}
supply:
  growth:
    - {{country: MM, stage: mining, pct_per_year: 300, from_year: 2024}}
demand:
  cases:
    - {{sector: catalysts, factor: 0.5}}
    - {{sector: glass_polishing, factor: 0.5}}
    - {{sector: metallurgy, factor: 0.5}}
    - {{sector: other, factor: 0.5}}
    - {{sector: phosphors, element: Dy, add_t: {add_t}}}
"""


def solved(tmp_path: Path, add_t: float) -> tuple[float, float, float]:
    path = tmp_path / f"dy_{int(add_t)}.yaml"
    path.write_text(CASE.format(add_t=add_t))
    ds = solve_scenario(path).results.ds
    mined = float(ds["stage_output"].sel(stage="mining").sum())
    dy = float(ds["use"].sel(element="Dy").sum())
    return float(ds["surplus"].sel(element=["La", "Ce"]).sum()), mined, dy


def test_more_dysprosium_demand_raises_la_ce_surplus(tmp_path: Path) -> None:
    low_surplus, low_mined, low_dy = solved(tmp_path, 0.0)
    high_surplus, high_mined, high_dy = solved(tmp_path, 1000.0)
    assert low_surplus > 0.0  # La and Ce already exceed what their curves take
    assert high_dy > low_dy + 200.0
    assert high_mined > low_mined + 2_000.0
    assert high_surplus > low_surplus + 50.0


NATURAL = """
extends: baseline
years: {{start: 2024, end: 2024}}
demand:
  cases:
    - {{sector: other, element: Dy, add_t: {add_t}}}
"""


def test_in_2024_more_dysprosium_demand_cuts_light_ree_mining(tmp_path: Path) -> None:
    def run(add_t: float) -> xr.Dataset:
        path = tmp_path / f"natural_{int(add_t)}.yaml"
        path.write_text(NATURAL.format(add_t=add_t))
        return solve_scenario(path).results.ds.sel(year=2024)

    before = run(0.0)
    dy_use = float(before["use"].sel(element="Dy").sum())
    after = run(0.5 * dy_use)

    def mined(ds: xr.Dataset, country: str) -> float:
        return float(ds["stage_output"].sel(stage="mining", country=country).sum())

    def price(ds: xr.Dataset, element: str) -> float:
        return float(ds["shadow_price"].sel(stage="separation", country="CN", element=element))

    # every Dy-bearing mine already runs at capacity: no more Dy can be had
    assert float(after["use"].sel(element="Dy").sum()) == pytest.approx(dy_use, rel=0.01)
    assert price(after, "Dy") > 2.0 * price(before, "Dy")
    # fewer Dy-bearing magnets, less NdPr bought, less light-REE ore mined
    magnets = ["gbd_low_hree", "high_hree"]
    assert float(after["magnet_output"].sel(grade=magnets).sum()) < float(
        before["magnet_output"].sel(grade=magnets).sum()
    )
    assert price(after, "Nd") < price(before, "Nd")
    assert mined(after, "US") < mined(before, "US") - 10_000.0
    # so La and Ce get scarcer: dearer, and none left over
    for element in ("La", "Ce"):
        assert price(after, element) > price(before, element)
    assert float(after["surplus"].sel(element=["La", "Ce"]).sum()) == 0.0
