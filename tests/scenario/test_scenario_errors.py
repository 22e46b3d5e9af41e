"""Bad scenario input is one line naming file, field and value, with what is allowed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kazree.errors import KazreeError
from kazree.model.inputs import build_inputs
from kazree.scenario import load_scenario
from kazree.scenario.dataset import scenario_dataset

FACILITY = (
    "extends: baseline\n"
    "facilities:\n"
    "  - {{id: test-mine, country: {country}, stage: mining, capacity_t: {capacity},\n"
    "     capacity_basis: t_reo, status: operating}}\n"
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    return path


def load_and_prepare(path: Path) -> None:
    scenario = load_scenario(path)
    build_inputs(scenario, scenario_dataset(scenario))


def message(path: Path) -> str:
    with pytest.raises(KazreeError) as info:
        load_and_prepare(path)
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith(f"{path}")
    return text


def test_unknown_element(tmp_path: Path) -> None:
    path = write(
        tmp_path, "extends: baseline\ndemand:\n  cases:\n    - {sector: other, element: Xx}\n"
    )
    text = message(path)
    assert "demand.cases[0].element: 'Xx': unknown element 'Xx' (allowed: La, Ce," in text


def test_negative_capacity(tmp_path: Path) -> None:
    text = message(write(tmp_path, FACILITY.format(country="KZ", capacity=-5)))
    assert "facilities[0].capacity_t: -5: is negative (allowed: 0 or more)" in text


def test_facility_in_unknown_country(tmp_path: Path) -> None:
    text = message(write(tmp_path, FACILITY.format(country="QQ", capacity=100)))
    assert "facilities: 'test-mine': country 'QQ' is not in countries.csv" in text


def test_malformed_yaml(tmp_path: Path) -> None:
    text = message(write(tmp_path, "name: x\nyears: [2024\n"))
    assert "malformed YAML" in text
    assert "allowed: a YAML mapping" in text


def test_unknown_field(tmp_path: Path) -> None:
    text = message(write(tmp_path, "extends: baseline\nyeers: {start: 2024}\n"))
    assert (
        "bad.yaml: yeers: unknown field (allowed: name, description, counterfactual, years," in text
    )
    assert "Extra inputs" not in text


def test_years_out_of_order(tmp_path: Path) -> None:
    text = message(write(tmp_path, "extends: baseline\nyears: {start: 2030, end: 2024}\n"))
    assert "years: end 2024 is before start 2030 (allowed: end >= start)" in text


def test_demand_split_must_sum_to_one(tmp_path: Path) -> None:
    text = message(write(tmp_path, "name: x\ndemand:\n  magnet_split: {CN: 0.5, US: 0.2}\n"))
    assert "demand.magnet_split" in text
    assert "allowed: a sum of 1" in text


def test_override_of_unknown_column(tmp_path: Path) -> None:
    text = message(
        write(
            tmp_path,
            "extends: baseline\ndataset:\n  overrides:\n"
            "    - {table: facilities, where: {id: CN-mining-bayan-obo}, set: {capacity: 1}}\n",
        )
    )
    assert "dataset.overrides[0]: column 'capacity' unknown (allowed: source," in text
    assert "capacity_t" in text


def test_override_with_a_negative_value(tmp_path: Path) -> None:
    text = message(
        write(
            tmp_path,
            "extends: baseline\ndataset:\n  overrides:\n"
            "    - {table: facilities, where: {id: CN-mining-bayan-obo}, set: {capacity_t: -1}}\n",
        )
    )
    assert "dataset.overrides[0]: capacity_t: -1:" in text


def test_cli_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    path = write(tmp_path, "name: x\nyears: [2024\n")
    kazree = Path(sys.executable).parent / "kazree"
    done = subprocess.run(
        [str(kazree), "run", str(path), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {path}:")
