"""Shipped scenarios, ``extends:`` and dataset overrides."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kazree.chain.forms import Stage
from kazree.errors import KazreeError
from kazree.model.inputs import build_inputs
from kazree.scenario import load_scenario, shipped_names
from kazree.scenario.dataset import scenario_dataset
from kazree.scenario.loading import shipped_dir

SHIPPED = [
    "baseline",
    "china-controls-2025",
    "deposit-only",
    "kazrareearth-2030",
    "kazrareearth-2030-as-announced",
]


def test_five_scenarios_are_shipped_with_a_header_of_assumptions() -> None:
    assert shipped_names() == SHIPPED
    for name in SHIPPED:
        text = (shipped_dir() / f"{name}.yaml").read_text()
        header = [line for line in text.splitlines() if line.startswith("#")]
        assert header[0].startswith(f"# {name} ")
        assert len(header) >= 5


def test_repository_scenarios_folder_is_the_shipped_one() -> None:
    repo = Path(__file__).resolve().parents[2] / "scenarios"
    assert sorted(p.stem for p in repo.glob("*.yaml")) == SHIPPED


def test_shipped_names_load_from_any_directory(tmp_path: Path) -> None:
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        scenario = load_scenario("baseline")
    finally:
        os.chdir(cwd)
    assert scenario.name == "baseline"
    assert scenario.years.start == 2024


def test_extends_chain_merges_parent_values() -> None:
    roadmap = load_scenario("kazrareearth-2030")
    assert roadmap.controls.use_dataset  # from china-controls-2025
    assert roadmap.demand.magnet_split["CN"] == 0.60  # from baseline
    assert {f.id for f in roadmap.facilities} == {
        "kz-roadmap-mine",
        "kz-roadmap-separation",
        "kz-roadmap-metal",
        "kz-roadmap-magnet",
    }
    assert roadmap.name == "kazrareearth-2030"
    assert "Kazakh" in roadmap.description


def test_deposit_only_has_a_mine_and_no_midstream() -> None:
    deposit = load_scenario("deposit-only")
    assert [f.stage for f in deposit.facilities] == [Stage.MINING]


def test_dataset_override_changes_a_capacity(tmp_path: Path) -> None:
    path = tmp_path / "bigger.yaml"
    path.write_text(
        "extends: baseline\n"
        "dataset:\n"
        "  overrides:\n"
        "    - {table: facilities, where: {id: CN-mining-bayan-obo}, set: {capacity_t: 300000}}\n"
    )
    scenario = load_scenario(path)
    inputs = build_inputs(scenario, scenario_dataset(scenario))
    assert float(inputs.capacity.sel(facility="CN-mining-bayan-obo", year=2024)) == 300_000


def test_inline_facility_ramps_up_from_its_start_year() -> None:
    scenario = load_scenario("kazrareearth-2030")
    inputs = build_inputs(scenario, scenario_dataset(scenario))
    mine = inputs.capacity.sel(facility="kz-roadmap-mine")
    assert float(mine.sel(year=2028)) == 0.0
    assert float(mine.sel(year=2029)) == pytest.approx(5000 / 4)
    assert float(mine.sel(year=2032)) == 5000


def test_unknown_shipped_name_lists_the_shipped_ones() -> None:
    with pytest.raises(KazreeError, match="shipped: baseline, china-controls-2025"):
        load_scenario("nope")
