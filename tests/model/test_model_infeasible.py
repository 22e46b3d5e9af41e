"""Infeasible hard targets are explained in plain words (HiGHS IIS)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kazree.model.solve import InfeasibleError, solve_scenario

TARGET = """
extends: baseline
years: {start: 2024, end: 2026}
targets:
  - {name: eu_separation, stage: separation, region: EU, min_t: 20000, from_year: 2025}
"""


def test_conflicting_target_names_target_years_and_facilities(tmp_path: Path) -> None:
    path = tmp_path / "target.yaml"
    path.write_text(TARGET)
    with pytest.raises(InfeasibleError) as info:
        solve_scenario(path)
    message = str(info.value)
    assert message.startswith(f"{path}: infeasible: target 'eu_separation'")
    assert "202" in message.split("cannot be met in")[1]
    assert "npm-silmet" in message
    assert "\n" not in message


def test_reachable_target_binds(tmp_path: Path) -> None:
    path = tmp_path / "target.yaml"
    # EU separation capacity in 2026: NPM Silmet's 3,000 t REO (La Rochelle's output is not
    # published, its expansion only announced)
    path.write_text(TARGET.replace("min_t: 20000", "min_t: 2500"))
    ds = solve_scenario(path).results.ds
    eu = ["EE", "FR", "DE", "IT", "NL"]
    output = ds["stage_output"].sel(stage="separation", year=2026)
    members = [c for c in eu if c in output.coords["country"].values]
    assert float(output.sel(country=members).sum()) >= 2500 - 1e-6
    cost = ds["target_cost"].sel(target="eu_separation")
    assert np.isnan(float(cost.sel(year=2024)))  # not yet in force
    assert float(cost.sel(year=2026)) >= 0.0  # the cost of the target, US$/t


def test_a_binding_target_has_a_positive_cost(tmp_path: Path) -> None:
    path = tmp_path / "target.yaml"
    path.write_text(TARGET.replace("min_t: 20000, from_year: 2025", "share: 0.5, from_year: 2026"))
    ds = solve_scenario(path).results.ds
    # the EU separating half the oxide it uses costs more than buying it: a price on the target
    assert float(ds["target_cost"].sel(target="eu_separation", year=2026)) > 1_000.0
