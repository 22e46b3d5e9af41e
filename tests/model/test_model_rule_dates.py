"""A year is shaped only by the export controls in force in it.

The licence caps come from a second solve, so a run with licences could differ from its
uncontrolled run even in a year no rule reaches. These tests pin that down: a year before every
rule is the uncontrolled year (flows and prices), and ``china-controls-2025``'s 2024 is exactly
the 2024 of the rules in force that year (Vietnam's and Malaysia's ore bans, the Kachin
disruption from October). The 2024 gap to the baseline is the Kachin disruption's doing: cutting
Myanmar's mines by as much, without any control, moves Mountain Pass the same way.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from kazree.model.solve import Solution, solve_scenario

LATER_RULE = (
    "    - {id: cn_test_licence, instrument: test licence, issuer: test, exporter: CN,"
    " kind: licence, elements: 'Dy;Tb', forms: 'separated_oxide;metal_alloy;magnet',"
    " destinations: '*', effective: 2025-04-04, licence_share: 0.5,"
    " source: kazree_assumptions, vintage: '2026', confidence: low}\n"
)
RULES_OF_2024 = (
    "    - {id: vn_ore_export_ban, instrument: ban, issuer: test, exporter: VN, kind: ban,"
    " elements: '*', forms: ore_concentrate, destinations: '*', effective: 2021-01-01,"
    " licence_share: 0, source: kazree_assumptions, vintage: '2026', confidence: low}\n"
    "    - {id: my_raw_ree_export_ban, instrument: ban, issuer: test, exporter: MY, kind: ban,"
    " elements: '*', forms: ore_concentrate, destinations: '*',"
    " licence_share: 0, source: kazree_assumptions, vintage: '2026', confidence: low}\n"
    "    - {id: mm_kachin_disruption, instrument: disruption, issuer: test, exporter: MM,"
    " kind: disruption, elements: '*', forms: 'ore_concentrate;mixed_intermediate',"
    " destinations: '*', effective: 2024-10-01, licence_share: 0.5,"
    " source: kazree_assumptions, vintage: '2026', confidence: low}\n"
)
FIELDS = ("stage_output", "trade", "use", "surplus", "magnet_output", "shadow_price")


def solved(tmp_path: Path, name: str, text: str) -> xr.Dataset:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return solve_scenario(path).results.ds


def assert_same_year(left: xr.Dataset, right: xr.Dataset, year: int) -> None:
    for field in FIELDS:
        a = left[field].sel(year=year).fillna(0.0)
        b = right[field].sel(year=year).fillna(0.0)
        np.testing.assert_allclose(a.values, b.values, rtol=1e-9, atol=1e-6, err_msg=field)


def mined(ds: xr.Dataset, country: str, year: int = 2024) -> float:
    return float(ds["stage_output"].sel(stage="mining", country=country, year=year).sum())


def test_a_year_before_every_rule_is_the_uncontrolled_year(
    tmp_path: Path, baseline: Solution
) -> None:
    ds = solved(
        tmp_path,
        "later",
        "extends: baseline\nyears: {start: 2024, end: 2025}\ncontrols:\n  rules:\n" + LATER_RULE,
    )
    assert_same_year(ds, baseline.results.ds, 2024)
    dy = ds["shadow_price"].sel(stage="separation", country="CN", element="Dy", year=2025)
    free = baseline.results.ds["shadow_price"].sel(
        stage="separation", country="CN", element="Dy", year=2025
    )
    assert float(dy) < float(free)  # the rule bites from its date: China keeps Dy at home


def test_controls_in_2024_are_the_rules_in_force_in_2024(
    tmp_path: Path, controls: Solution
) -> None:
    ds = solved(
        tmp_path,
        "in_force",
        "extends: baseline\nyears: {start: 2024, end: 2024}\ncontrols:\n  disruption_share: 0.5\n"
        "  rules:\n" + RULES_OF_2024,
    )
    assert_same_year(ds, controls.results.ds, 2024)


def test_the_2024_gap_is_the_myanmar_disruption_without_any_control(
    tmp_path: Path, baseline: Solution, controls: Solution
) -> None:
    kept = mined(controls.results.ds, "MM")
    assert kept == pytest.approx(31_000 * (0.5 * 92 + 274) / 366, rel=1e-6)  # from 1 October
    ds = solved(
        tmp_path,
        "smaller_myanmar",
        "extends: baseline\nyears: {start: 2024, end: 2024}\nsupply:\n  growth:\n"
        f"    - {{country: MM, stage: mining, pct_per_year: {100 * (kept / 31_000 - 1)},"
        " from_year: 2024}\n",
    )
    free_us, controlled_us, smaller_us = (
        mined(baseline.results.ds, "US"),
        mined(controls.results.ds, "US"),
        mined(ds, "US"),
    )
    assert free_us == pytest.approx(45_000)
    assert controlled_us < free_us - 3_000
    assert smaller_us == pytest.approx(controlled_us, rel=0.02)
