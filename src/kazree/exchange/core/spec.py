"""Checks on an instrument specification before it is listed."""

from __future__ import annotations

from kazree.exchange.core.domain import InstrumentSpec


def spec_problem(spec: InstrumentSpec) -> str | None:
    """``None`` for a listable spec, else the first field that is wrong and what is allowed."""
    positive = {
        "lot_kg": spec.lot_kg,
        "tick_minor_per_kg": spec.tick_minor_per_kg,
        "reference_ticks": spec.reference_ticks,
        "min_counterparties": spec.min_counterparties,
        "vwap_window_s": spec.vwap_window_s,
    }
    for name, value in positive.items():
        if value <= 0:
            return f"spec.{name} {value}: must be > 0"
    for name, text in {
        "instrument": spec.instrument,
        "product": spec.product,
        "currency": spec.currency,
        "warehouse": spec.warehouse,
    }.items():
        if not text:
            return f"spec.{name}: must not be empty"
    bp = {
        "min_purity_bp": spec.min_purity_bp,
        "band_bp": spec.band_bp,
        "maker_fee_bp": spec.maker_fee_bp,
        "taker_fee_bp": spec.taker_fee_bp,
    }
    for name, value in bp.items():
        if not 0 <= value < 10_000:
            return f"spec.{name} {value}: need 0..9999 basis points"
    if spec.vwap_window_s > 86_400:
        return f"spec.vwap_window_s {spec.vwap_window_s}: at most 86400 (one day)"
    return None
