"""Integer money arithmetic: notional, fees, cash locks and the price band.

Fees are basis points of the notional rounded up to the next minor unit (in the exchange's
favour). A buy locks, per lot, the notional at its limit price plus the fee at the higher of
the maker and taker rates, each rounded up per lot, so the lock always covers what any fill
can cost and the rest is released exactly.
"""

from __future__ import annotations

from kazree.exchange.core.domain import InstrumentSpec


def notional(price_ticks: int, lots: int, spec: InstrumentSpec) -> int:
    """Minor units paid for ``lots`` at ``price_ticks``."""
    return price_ticks * lots * spec.lot_kg * spec.tick_minor_per_kg


def fee(amount: int, fee_bp: int) -> int:
    """``fee_bp`` basis points of ``amount``, rounded up."""
    return -((-amount * fee_bp) // 10_000)


def buy_lock_per_lot(price_ticks: int, spec: InstrumentSpec) -> int:
    """Cash a buy locks per lot at limit ``price_ticks``."""
    one = notional(price_ticks, 1, spec)
    return one + fee(one, max(spec.maker_fee_bp, spec.taker_fee_bp))


def price_band(reference_ticks: int, band_bp: int) -> tuple[int, int]:
    """Lowest and highest accepted price: the reference -/+ ``band_bp``, rounded inwards."""
    low = -((-reference_ticks * (10_000 - band_bp)) // 10_000)
    high = reference_ticks * (10_000 + band_bp) // 10_000
    return max(low, 1), high
