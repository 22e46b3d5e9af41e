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
