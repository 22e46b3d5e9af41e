"""Properties of the pure checks, on rows built in memory."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kazree.data.checks.physical import SHARE_TOLERANCE_PCT, SHARE_WARNING_PCT, check_compositions
from kazree.data.checks.resources import grade_fraction, implied_contained_t
from kazree.data.problems import Severity
from kazree.data.reading import Record
from kazree.data.rows import Deposit, ElementShare

SOURCED = {"source": "s", "vintage": "2025", "confidence": "low"}


def shares(values: list[float]) -> dict[str, list[Record]]:
    rows = [
        Record(
            i + 2,
            ElementShare(
                deposit_type="t",
                reference_deposit="d",
                element=element,
                share_pct=value,
                **SOURCED,
            ),
        )
        for i, (element, value) in enumerate(zip(("La", "Ce", "Pr", "Nd"), values, strict=False))
    ]
    return {"element_distribution": rows}


@given(st.lists(st.floats(0.0, 60.0), min_size=4, max_size=4))
def test_composition_severity_follows_the_gap_to_100(values: list[float]) -> None:
    gap = abs(sum(values) - 100.0)
    found = check_compositions(shares(values))
    if gap <= SHARE_WARNING_PCT:
        assert found == []
    else:
        expected = Severity.ERROR if gap > SHARE_TOLERANCE_PCT else Severity.WARNING
        assert [p.severity for p in found] == [expected]
        assert found[0].line == 2


def deposit(**figures: float) -> Deposit:
    return Deposit(
        id="x", name="X", country="KZ", claim_basis="none", claim_year=2025, **figures, **SOURCED
    )


def test_grade_in_grams_wins_over_percent() -> None:
    assert grade_fraction(deposit(grade_g_per_t=700, grade_pct_treo=1.0)) == 700e-6
    assert grade_fraction(deposit(grade_pct_treo=0.264)) == 0.00264
    assert grade_fraction(deposit()) is None


def test_implied_contained_needs_ore_and_grade() -> None:
    assert implied_contained_t(deposit(ore_t=20e6, grade_g_per_t=700)) == pytest.approx(14_000)
    assert implied_contained_t(deposit(ore_t=20e6)) is None
