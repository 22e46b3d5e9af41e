"""Ticks and prices per kg, converted exactly both ways."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kazree.exchange.core.domain import InstrumentSpec
from kazree.venue.prices import PriceError, per_kg, per_lot_minor, tick_per_kg, to_ticks


def spec(tick: int = 1, currency: str = "USD", lot_kg: int = 10) -> InstrumentSpec:
    return InstrumentSpec("X-OX", "Dy-oxide", 9950, lot_kg, tick, currency, "W", 25_000)


def test_us_cents_per_kg() -> None:
    s = spec()
    assert (per_kg(25_300, s), tick_per_kg(s), per_lot_minor(25_300, s)) == (
        Decimal("253.00"),
        Decimal("0.01"),
        253_000,  # USD 2,530.00 for a 10 kg lot
    )
    assert to_ticks("253", s) == to_ticks(Decimal("253.00"), s) == 25_300


def test_five_cent_ticks_and_yen() -> None:
    assert per_kg(7, spec(tick=5)) == Decimal("0.35")
    assert to_ticks("0.35", spec(tick=5)) == 7
    with pytest.raises(PriceError, match=r"0\.36: not a whole number of ticks of 0\.05 USD/kg"):
        to_ticks("0.36", spec(tick=5))
    assert per_kg(1_200, spec(currency="JPY")) == Decimal("1200")
    with pytest.raises(PriceError, match=r"nearest: 1200 or 1201"):
        to_ticks("1200.5", spec(currency="JPY"))


def test_refusals_name_the_value() -> None:
    with pytest.raises(PriceError, match="price_per_kg 'abc': not a number"):
        to_ticks("abc", spec())
    with pytest.raises(PriceError, match="currency 'XAU': not one of"):
        per_kg(1, spec(currency="XAU"))


@given(st.integers(1, 10**12), st.integers(1, 1_000), st.sampled_from(["USD", "JPY", "EUR"]))
def test_round_trip(ticks: int, tick: int, currency: str) -> None:
    s = spec(tick=tick, currency=currency)
    assert to_ticks(per_kg(ticks, s), s) == ticks
    assert to_ticks(str(per_kg(ticks, s)), s) == ticks
