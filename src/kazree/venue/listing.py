"""Listing a new instrument: the specification an admin gives, checked before it is journaled.

Shared by ``POST /v1/admin/instruments`` and ``kazree exchange admin list-instrument``. The
product must read in the chain's vocabulary (:mod:`kazree.chain.products`) so the export
controls apply to it; the currency must have a known minor unit so prices convert exactly;
the reference price may be given per kg and must then be a whole number of ticks. The engine
checks the rest of the specification (sizes, basis points) when the command is applied.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from kazree.chain.products import UnknownProduct, product
from kazree.errors import KazreeError
from kazree.exchange.core.domain import InstrumentSpec
from kazree.venue.prices import PriceError, exponent, to_ticks


class ListingError(KazreeError):
    """A specification that cannot be listed; the message names the field and what is allowed."""


@dataclass(frozen=True, slots=True)
class Listing:
    """What an admin gives to list an instrument (prices as ticks or per kg)."""

    instrument: str
    product: str
    lot_kg: int
    tick_minor_per_kg: int
    currency: str
    warehouse: str
    min_purity_bp: int
    reference_ticks: int | None = None
    reference_per_kg: Decimal | None = None
    band_bp: int = 1000
    excluded_origins: tuple[str, ...] = ()
    maker_fee_bp: int = 5
    taker_fee_bp: int = 10
    min_counterparties: int = 3
    vwap_window_s: int = 86_400


def listing_spec(listing: Listing) -> InstrumentSpec:
    """The instrument specification of ``listing``; :class:`ListingError` if it cannot be."""
    try:
        product(listing.product)
        exponent(listing.currency)
    except (UnknownProduct, PriceError) as exc:
        raise ListingError(str(exc)) from None
    spec = InstrumentSpec(
        instrument=listing.instrument,
        product=listing.product,
        min_purity_bp=listing.min_purity_bp,
        lot_kg=listing.lot_kg,
        tick_minor_per_kg=listing.tick_minor_per_kg,
        currency=listing.currency,
        warehouse=listing.warehouse,
        reference_ticks=listing.reference_ticks or 0,
        band_bp=listing.band_bp,
        excluded_origins=listing.excluded_origins,
        maker_fee_bp=listing.maker_fee_bp,
        taker_fee_bp=listing.taker_fee_bp,
        min_counterparties=listing.min_counterparties,
        vwap_window_s=listing.vwap_window_s,
    )
    given = (listing.reference_ticks is not None, listing.reference_per_kg is not None)
    if given != (True, False) and given != (False, True):
        msg = "reference: give reference_ticks or reference_per_kg (one of them)"
        raise ListingError(msg)
    if listing.reference_per_kg is not None:
        if spec.tick_minor_per_kg <= 0:
            msg = f"tick_minor_per_kg {spec.tick_minor_per_kg}: must be > 0"
            raise ListingError(msg)
        try:
            ticks = to_ticks(listing.reference_per_kg, spec, "reference_per_kg")
        except PriceError as exc:
            raise ListingError(str(exc)) from None
        spec = replace(spec, reference_ticks=ticks)
    return spec
