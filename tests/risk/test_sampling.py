"""Draws of uncertain inputs: reproducible by sample, right frequencies, applied to a scenario."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from known_case import known_yaml

from kazree.chain.forms import Stage
from kazree.errors import KazreeError
from kazree.risk.sampling import apply, check, draw, draws, expected_draw
from kazree.scenario import load_scenario
from kazree.scenario.uncertain import UncertainSpec

SPEC = UncertainSpec.model_validate(
    {
        "inputs": [
            {"field": "a", "dist": {"kind": "integers", "low": 4, "high": 8}},
            {"field": "b", "factor": {"kind": "lognormal", "median": 1.25, "sigma": 0.3}},
            {"field": "c", "dist": {"kind": "triangular", "low": 0, "mode": 1, "high": 4}},
            {
                "field": "d",
                "shift": {
                    "kind": "discrete",
                    "values": [0, 1, 3],
                    "probabilities": [0.5, 0.3, 0.2],
                },
            },
        ],
        "regimes": [
            {
                "name": "controls",
                "options": [
                    {"label": "on", "probability": 0.7},
                    {"label": "off", "probability": 0.3},
                ],
            }
        ],
    }
)


def test_a_sample_depends_only_on_seed_and_index() -> None:
    long, short = draws(SPEC, 5, 400), draws(SPEC, 5, 40)
    assert long.iloc[:40].equals(short)
    assert draw(SPEC, 5, 123) == long.iloc[123].to_dict()
    assert not draws(SPEC, 6, 40).equals(short)


def test_frequencies_follow_the_laws() -> None:
    table = draws(SPEC, 1, 20_000)
    counts = table["a"].value_counts(normalize=True).sort_index()
    assert list(counts.index) == [4.0, 5.0, 6.0, 7.0, 8.0]
    assert np.allclose(counts.to_numpy(), 0.2, atol=0.015)
    assert math.isclose(float(table["b"].median()), 1.25, rel_tol=0.02)
    assert math.isclose(float(table["c"].mean()), 5 / 3, rel_tol=0.02)
    assert math.isclose(float((table["d"] == 3).mean()), 0.2, abs_tol=0.01)
    assert math.isclose(float((table["controls"] == "on").mean()), 0.7, abs_tol=0.01)


def test_expected_draw_is_the_mean_and_most_likely_option() -> None:
    expected = expected_draw(SPEC)
    assert expected["a"] == 6.0
    assert math.isclose(float(expected["b"]), 1.25 * math.exp(0.045))
    assert math.isclose(float(expected["d"]), 0.9)
    assert expected["controls"] == "on"


def test_apply_sets_scales_and_shifts_fields(tmp_path: Path) -> None:
    extra = (
        '    - {field: "plan.candidates[kz-sep].max_capacity_t", factor: {kind: uniform,'
        " low: 0.5, high: 0.5}}\n"
        "    - {field: costs.stage_usd_per_t.separation, shift: {kind: uniform, low: 250,"
        " high: 250}}\n"
        "    - {field: plan.capex_factor.separation, dist: {kind: normal, mean: 1.4, sd: 0}}\n"
    )
    scenario = load_scenario(known_yaml(tmp_path, extra))
    names = scenario.uncertain.names
    future = apply(scenario, dict(zip(names, [6.6, 0.5, 250.0, 1.4], strict=True)))
    candidate = future.plan.candidates[0] if future.plan else None
    assert candidate is not None
    assert candidate.lead_years == 7  # an integer field takes the nearest whole number
    assert candidate.max_capacity_t == 1500.0
    assert future.costs.stage_usd_per_t[Stage.SEPARATION] == 5250.0
    assert future.plan is not None
    assert future.plan.capex_factor["separation"] == 1.4
    assert scenario.costs.stage_usd_per_t[Stage.SEPARATION] == 5000.0


@pytest.mark.parametrize(
    ("field", "law", "expected"),
    [
        (
            "plan.candidates[kz-sepp].lead_years",
            "dist: {kind: integers, low: 1, high: 2}",
            "no item 'kz-sepp' in plan.candidates (allowed: kz-sep)",
        ),
        (
            "plan.candidates[kz-sep].lead_yearz",
            "dist: {kind: integers, low: 1, high: 2}",
            "plan.candidates[kz-sep].lead_yearz is not a field (allowed: id, stage,",
        ),
        (
            "plan.candidates[kz-sep].zone",
            "factor: {kind: uniform, low: 1, high: 2}",
            "'plan.candidates[kz-sep].zone' is None, not a number to scale",
        ),
        (
            "plan.candidates[kz-sep].lead_years",
            "dist: {kind: integers, low: 30, high: 45}",
            "the draw 45 gives plan.candidates.0.lead_years = 45",
        ),
    ],
)
def test_a_bad_input_is_one_line_naming_file_input_and_value(
    tmp_path: Path, field: str, law: str, expected: str
) -> None:
    extra = f'    - {{field: "{field}", {law}}}\n'
    path = known_yaml(tmp_path, extra)
    with pytest.raises(KazreeError) as info:
        check(load_scenario(path))
    message = str(info.value)
    assert message.startswith(f"{path}: uncertain.inputs[1] ({field})")
    assert expected in message
    assert "\n" not in message


def test_an_unknown_source_is_named(tmp_path: Path) -> None:
    extra = "    - {field: controls.licence_share, dist: {kind: uniform, low: 0, high: 1},"
    extra += " source: my_guess}\n"
    path = known_yaml(tmp_path, extra)
    with pytest.raises(KazreeError, match=r"source 'my_guess' is unknown \(allowed: an id of"):
        check(load_scenario(path))
