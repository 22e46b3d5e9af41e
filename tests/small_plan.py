"""A small planning instance shared by the planner tests (four years, two Kazakh candidates)."""

from __future__ import annotations

from pathlib import Path

SMALL = """\
extends: baseline
years: {start: 2024, end: 2027}
plan:
  dataset_candidates: false
  candidates:
    - {id: kz-sep, stage: separation, country: KZ, max_capacity_t: 3000, min_capacity_t: 1000,
       lead_years: 1, ramp_up_years: 1}
    - {id: kz-magnet, stage: magnet, country: KZ, max_capacity_t: 1000, min_capacity_t: 400,
       lead_years: 2, ramp_up_years: 0}
  targets:
    - {name: kz_va, kind: value_added, country: KZ, musd: TARGET_MUSD, year: TARGET_YEAR}
"""


def small_yaml(directory: Path, musd: float = 20.0, year: int = 2026) -> Path:
    """Write the small instance with its value-added target at ``musd`` from ``year``."""
    path = directory / f"small-{musd:g}-{year}.yaml"
    text = SMALL.replace("TARGET_MUSD", f"{musd:g}").replace("TARGET_YEAR", str(year))
    path.write_text(text, encoding="utf-8")
    return path


LEAST_COST = """\
extends: baseline
years: {start: 2024, end: 2027}
facilities:
  - {id: kz-sep-announced, name: Announced separation, country: KZ, stage: separation,
     capacity_t: 3000, capacity_basis: t_reo, status: construction, start_year: 2026,
     ramp_up_years: 1}
  - {id: kz-magnet-announced, name: Announced magnets, country: KZ, stage: magnet,
     capacity_t: 1000, capacity_basis: t_magnet, status: construction, start_year: 2027,
     ramp_up_years: 0}
plan:
  replaces: [kz-sep-announced, kz-magnet-announced]
  dataset_candidates: false
  candidates:
    - {id: kz-sep, stage: separation, country: KZ, max_capacity_t: 3000, lead_years: 2,
       ramp_up_years: 1}
    - {id: kz-magnet, stage: magnet, country: KZ, max_capacity_t: 1000, lead_years: 3,
       ramp_up_years: 0}
  targets:
    - {name: kz_va, kind: value_added, country: KZ, musd: 10, year: 2026}
    - {name: kz_budget, kind: capital, musd: 200, per_year: false, year: 2027}
"""
"""Two announced Kazakh plants and generic candidates that can be built the same way (same
size, capex, online year and ramp-up), so the announced roadmap is one of the least-cost
plan's choices. Announced, the separation plant is decided in 2024 (its start year 2026 less
the stage's 5 years' lead time, not before the first decision year) with 2 years' lead time;
the magnet plant in 2024 with 3."""
ANNOUNCED = "extends: {parent}\nplan:\n  choose: false\n"
"""The same scenario with the announced plants fixed (``plan.choose: false``)."""


def announced_yaml(directory: Path) -> tuple[Path, Path]:
    """Write the least-cost and the announced instance: (least-cost.yaml, as-announced.yaml)."""
    least = directory / "least-cost.yaml"
    least.write_text(LEAST_COST, encoding="utf-8")
    announced = directory / "as-announced.yaml"
    announced.write_text(ANNOUNCED.format(parent=least.name), encoding="utf-8")
    return least, announced
