"""NPV, IRR and payback against independent computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kazree.roadmap.finance.arithmetic import irr, llcr, npv, payback_years


def reference_npv(rate: float, values: list[float]) -> float:
    return math.fsum(v / (1.0 + rate) ** t for t, v in enumerate(values))


def reference_irr(values: list[float]) -> float:
    """Bisection on the NPV (one sign change in the flows: one root above -100 %)."""
    low, high = -0.95, 10.0
    f_low = reference_npv(low, values)
    for _ in range(200):
        mid = (low + high) / 2
        f_mid = reference_npv(mid, values)
        if (f_mid > 0) == (f_low > 0):
            low, f_low = mid, f_mid
        else:
            high = mid
    return (low + high) / 2


@st.composite
def conventional_flows(draw: st.DrawFn) -> list[float]:
    """Outlays first, then non-negative returns: exactly one sign change."""
    outlays = draw(st.lists(st.floats(1.0, 1e4), min_size=1, max_size=5))
    returns = draw(st.lists(st.floats(0.0, 1e4), min_size=1, max_size=35))
    assume(max(returns) > 0)
    flows = [-o for o in outlays] + returns
    ratio = sum(returns) / sum(outlays)
    assume(0.3 < ratio < 30)
    return flows


@settings(max_examples=300, deadline=None)
@given(conventional_flows())
def test_irr_equals_an_independent_bisection(values: list[float]) -> None:
    expected = reference_irr(values)
    assume(-0.9 < expected < 9.9)
    found = irr(values)
    assert found is not None
    assert math.isclose(found, expected, rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.floats(-1e4, 1e4), min_size=1, max_size=40),
    st.floats(0.0, 0.5),
)
def test_npv_equals_an_independent_sum(values: list[float], rate: float) -> None:
    scale = math.fsum(abs(v) for v in values)
    assert math.isclose(
        npv(rate, values), reference_npv(rate, values), rel_tol=1e-9, abs_tol=1e-12 * scale
    )


def test_irr_is_none_without_a_sign_change() -> None:
    assert irr([-100.0, -5.0, -1.0]) is None


def test_payback_interpolates_within_the_year_it_turns() -> None:
    assert payback_years([-100.0, 40.0, 40.0, 40.0]) == 2 + 20 / 40
    assert payback_years([-100.0, 10.0]) is None
    assert payback_years([5.0, 1.0]) == 0.0


def test_llcr_discounts_each_years_cfads_from_the_start_of_the_year() -> None:
    """Debt outstanding at the start of a year against CFADS at its end: year t's CFADS is
    discounted once, later years' once more each; no debt, no ratio."""
    cfads = np.array([10.0, 20.0, 30.0, 5.0])
    balance = np.array([100.0, 80.0, 0.0, 0.0])
    out = llcr(cfads, balance, 2, 0.10)
    assert out[0] == pytest.approx((10 / 1.1 + 20 / 1.1**2 + 30 / 1.1**3) / 100)
    assert out[1] == pytest.approx((20 / 1.1 + 30 / 1.1**2) / 80)
    assert np.isnan(out[2:]).all()
