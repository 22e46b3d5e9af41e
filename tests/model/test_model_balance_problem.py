"""The balance problem: more Dy demand with fixed ore types means more La/Ce to dispose of.

In a market with spare mine capacity (every sector's demand halved), the only way to meet extra
Dy demand (a high-priority phosphor use) is to mine more ore of a fixed element mix, whose La and
Ce nobody needs.
"""

from __future__ import annotations

from pathlib import Path

from kazree.chain import SECTORS
from kazree.model.solve import solve_scenario

HALVED = "\n".join(f"    - {{sector: {s.value}, factor: 0.5}}" for s in SECTORS)
CASE = """
extends: baseline
years: {{start: 2024, end: 2024}}
demand:
  cases:
{halved}
    - {{sector: phosphors, element: Dy, add_t: {add_t}}}
costs: {{sector_priority: {{phosphors: 100}}}}
"""


def solved(tmp_path: Path, add_t: float) -> tuple[float, float]:
    path = tmp_path / f"dy_{int(add_t)}.yaml"
    path.write_text(CASE.format(halved=HALVED, add_t=add_t))
    ds = solve_scenario(path).results.ds
    mined = float(ds["stage_output"].sel(stage="mining").sum())
    return float(ds["surplus"].sel(element=["La", "Ce"]).sum()), mined


def test_more_dysprosium_demand_raises_la_ce_surplus(tmp_path: Path) -> None:
    low_surplus, low_mined = solved(tmp_path, 0.0)
    high_surplus, high_mined = solved(tmp_path, 3000.0)
    assert high_mined > low_mined + 1_000.0
    assert high_surplus > low_surplus + 1_000.0
