"""Magnet grades: Dy scarcity cuts the magnets that need Dy, not the Dy-free ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from kazree.model.solve import Solution, solve_scenario

HALVED_DY = """
extends: baseline
years: {start: 2024, end: 2024}
dataset:
  overrides:
    - {table: facilities, where: {id: CN-mining-ionic-clay}, set: {capacity_t: 9575}}
    - {table: facilities, where: {id: MM-mining}, set: {capacity_t: 15500}}
"""


@pytest.fixture(scope="module")
def halved(tmp_path_factory: pytest.TempPathFactory) -> Solution:
    path: Path = tmp_path_factory.mktemp("dy") / "halved.yaml"
    path.write_text(HALVED_DY)
    return solve_scenario(path)


def dy_supply(solution: Solution) -> float:
    ds = solution.results.ds.sel(year=2024)
    return float(ds["stage_output"].sel(stage="mining", element="Dy").sum())


def test_halving_dy_supply_spares_dy_free_magnets(baseline: Solution, halved: Solution) -> None:
    assert dy_supply(halved) < 0.6 * dy_supply(baseline)
    before = baseline.results.ds["magnet_output"].sel(year=2024)
    after = halved.results.ds["magnet_output"].sel(year=2024)
    assert float(after.sel(grade="N52").sum()) >= 0.95 * float(before.sel(grade="N52").sum())
    heavy = ["gbd_low_hree", "high_hree"]
    assert float(after.sel(grade=heavy).sum()) < 0.9 * float(before.sel(grade=heavy).sum())


def test_no_nd_or_pr_is_disposed_of_while_magnets_go_short(halved: Solution) -> None:
    ds = halved.results.ds.sel(year=2024)
    assert float(ds["surplus"].sel(element=["Nd", "Pr"]).sum()) == pytest.approx(0.0, abs=1e-6)


def test_a_sector_moves_to_a_higher_grade_only_when_it_can(halved: Solution) -> None:
    ds = halved.results.ds.sel(year=2024)
    # defence needs high-HREE magnets: it never buys a Dy-free one
    dy = ds["use"].sel(sector="defence", element="Dy").sum()
    nd = ds["use"].sel(sector="defence", element="Nd").sum()
    assert float(dy) / float(nd) == pytest.approx(4.0 / 19.2 * 1.148 / 1.166, rel=0.01)
