"""Prices in money per kg and in ticks, converted exactly both ways.

One tick is ``tick_minor_per_kg`` minor units of the instrument's currency per kg, and a lot is
``lot_kg`` kg, so a price of ``t`` ticks is ``t * tick_minor_per_kg / 10**e`` currency units per
kg (``e`` the currency's ISO 4217 minor-unit exponent: 2 for USD) and ``t * tick_value`` minor
units per lot. Conversions use :class:`~decimal.Decimal` and never round: a price per kg that is
not a whole number of ticks is refused with the nearest prices that are.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from kazree.errors import KazreeError
from kazree.exchange.core.domain import InstrumentSpec

MINOR_UNIT_EXPONENT: dict[str, int] = {
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "CHF": 2,
    "CNY": 2,
    "KZT": 2,
    "RUB": 2,
    "AUD": 2,
    "CAD": 2,
    "INR": 2,
    "JPY": 0,
    "KRW": 0,
}
"""ISO 4217 minor-unit exponents of the currencies an instrument may be listed in."""


class PriceError(KazreeError):
    """A price that is not a whole number of ticks, or not a number."""


def exponent(currency: str) -> int:
    """The currency's minor-unit exponent; :class:`PriceError` for an unlisted currency."""
    try:
        return MINOR_UNIT_EXPONENT[currency]
    except KeyError:
        allowed = ", ".join(sorted(MINOR_UNIT_EXPONENT))
        msg = f"currency {currency!r}: not one of {allowed}"
        raise PriceError(msg) from None


def tick_per_kg(spec: InstrumentSpec) -> Decimal:
    """The price step in currency units per kg (USD 0.01 for a 1-cent tick)."""
    return Decimal(spec.tick_minor_per_kg).scaleb(-exponent(spec.currency))


def per_kg(ticks: int, spec: InstrumentSpec) -> Decimal:
    """``ticks`` as currency units per kg, exactly (``Decimal('253.00')`` for 25300 US cents)."""
    e = exponent(spec.currency)
    return (Decimal(ticks) * spec.tick_minor_per_kg).scaleb(-e).quantize(Decimal(1).scaleb(-e))


def per_lot_minor(ticks: int, spec: InstrumentSpec) -> int:
    """``ticks`` as minor units per lot."""
    return ticks * spec.tick_value


def to_ticks(price_per_kg: Decimal | str, spec: InstrumentSpec, field: str = "price_per_kg") -> int:
    """A price per kg as a whole number of ticks; :class:`PriceError` names the nearest ones."""
    try:
        price = Decimal(price_per_kg)
    except (InvalidOperation, ValueError, TypeError):
        msg = f"{field} {price_per_kg!r}: not a number"
        raise PriceError(msg) from None
    if not price.is_finite():
        msg = f"{field} {price_per_kg!r}: not a number"
        raise PriceError(msg)
    step = tick_per_kg(spec)
    ticks, rest = divmod(price, step)
    if rest:
        low, high = per_kg(int(ticks), spec), per_kg(int(ticks) + 1, spec)
        msg = (
            f"{field} {price}: not a whole number of ticks of {step} {spec.currency}/kg "
            f"on {spec.instrument} (nearest: {low} or {high})"
        )
        raise PriceError(msg)
    return int(ticks)
