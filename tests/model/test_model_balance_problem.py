"""The balance problem: more Dy demand with fixed ore types means more La/Ce to dispose of.

Myanmar's ionic-clay mine capacity is quadrupled, so Dy-bearing ore is not scarce (every other
mine runs at capacity: Mountain Pass is cut to 15 kt so that it does too), and the La/Ce sectors
buy half their base-year tonnage, so La and Ce already end in surplus. The only
way to meet extra Dy demand is to mine more ore of a fixed element mix, whose La and Ce nobody
takes.
"""

from __future__ import annotations

from pathlib import Path

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
