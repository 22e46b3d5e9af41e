"""A risk case with a known answer: one separation plant decided in 2026 whose lead time is
uniform on 4..8 years, and a target it meets only once it produces (from 2032)."""

from __future__ import annotations

from pathlib import Path

KNOWN = """\
extends: baseline
years: {start: 2026, end: 2034}
plan:
  dataset_candidates: false
  first_decision_year: 2026
  candidates:
    - {id: kz-sep, stage: separation, country: KZ, max_capacity_t: 3000, lead_years: 6,
       ramp_up_years: 0}
  targets:
    - {name: kz_oxide, kind: supply, region: KZ, group: all, min_t: 500, year: 2032}
uncertain:
  inputs:
    - {field: "plan.candidates[kz-sep].lead_years", label: lead_years,
       dist: {kind: integers, low: 4, high: 8}, source: assumption}
EXTRA
"""


def known_yaml(directory: Path, extra: str = "") -> Path:
    """Write the known case (``extra``: more uncertain inputs, indented as list items)."""
    path = directory / "known.yaml"
    path.write_text(KNOWN.replace("EXTRA\n", extra), encoding="utf-8")
    return path
