"""Positions from fills: first in, first out, exact in ticks x lots."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kazree.exchange.core.domain import Side
from kazree.venue.positions import Position

BUY, SELL = Side.BUY, Side.SELL


def fills(position: Position, *steps: tuple[Side, int, int]) -> Position:
    for side, price, lots in steps:
        position = position.fill(side, price, lots, fee_minor=1)
    return position


def test_closing_takes_the_oldest_lots_first() -> None:
    p = fills(Position(), (BUY, 100, 2), (BUY, 110, 3), (SELL, 120, 4))
    assert p.net_lots == 1
    assert p.open_lots == ((110, 1),)
    assert p.realised_ticks_lots == (120 - 100) * 2 + (120 - 110) * 2
    assert (p.bought_lots, p.sold_lots, p.fees_minor) == (5, 4, 3)
    assert p.unrealised_ticks_lots(105) == -5


def test_a_fill_through_zero_opens_the_other_side() -> None:
    p = fills(Position(), (BUY, 100, 2), (SELL, 90, 5))
    assert (p.net_lots, p.open_lots, p.realised_ticks_lots) == (-3, ((90, 3),), -20)
    assert p.unrealised_ticks_lots(80) == 30  # short 3 lots sold at 90, worth 80 now
    p = p.fill(BUY, 95, 3, fee_minor=0)
    assert (p.net_lots, p.open_lots, p.realised_ticks_lots) == (0, (), -20 - 15)


def test_fills_at_the_same_price_merge() -> None:
    p = fills(Position(), (BUY, 100, 2), (BUY, 100, 3))
    assert p.open_lots == ((100, 5),)


FILLS = st.lists(
    st.tuples(st.sampled_from([BUY, SELL]), st.integers(1, 10_000), st.integers(1, 50)),
    max_size=40,
)


@given(FILLS, st.integers(1, 10_000))
def test_realised_plus_unrealised_is_cash_flow_plus_value(
    steps: list[tuple[Side, int, int]], mark: int
) -> None:
    """Whatever the order of fills, P&L at a mark is what was received, less what was paid,
    plus what the net lots are worth; the open lots are exactly the net lots."""
    p = fills(Position(), *steps)
    received = sum(price * lots for side, price, lots in steps if side is SELL)
    paid = sum(price * lots for side, price, lots in steps if side is BUY)
    assert p.realised_ticks_lots + p.unrealised_ticks_lots(mark) == received - paid + (
        p.net_lots * mark
    )
    assert sum(lots for _, lots in p.open_lots) == abs(p.net_lots)
    assert all(lots > 0 for _, lots in p.open_lots)
