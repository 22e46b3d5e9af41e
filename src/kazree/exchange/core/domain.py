"""The exchange vocabulary: roles, sides, order kinds and the value types commands carry.

Units: prices in ticks, order quantities in lots, receipt quantities in kg, cash in the
currency's minor unit (cents), purity in basis points of mass fraction (9950 = 99.50 %),
timestamps in UTC microseconds since the epoch. All integers.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a participant may do."""

    TRADER = "trader"
    WAREHOUSE_OPERATOR = "warehouse_operator"
    ADMIN = "admin"
    OBSERVER = "observer"


class Side(StrEnum):
    """Order side."""

    BUY = "buy"
    SELL = "sell"


class OrderKind(StrEnum):
    """Limit orders carry a price; market orders trade up to the price-band limit."""

    LIMIT = "limit"
    MARKET = "market"


class TimeInForce(StrEnum):
    """GTC and DAY orders rest; IOC cancels its remainder; FOK fills completely or not at all."""

    GTC = "gtc"
    DAY = "day"
    IOC = "ioc"
    FOK = "fok"


class Stp(StrEnum):
    """Self-trade prevention when an incoming order meets a resting order of its own owner."""

    CANCEL_RESTING = "cancel_resting"
    CANCEL_INCOMING = "cancel_incoming"


class CustodyStage(StrEnum):
    """Stages of a receipt's chain of custody."""

    MINE = "mine"
    SEPARATOR = "separator"
    METAL_MAKER = "metal_maker"
    MAGNET_MAKER = "magnet_maker"


@dataclass(slots=True, frozen=True)
class InstrumentSpec:
    """A tradable product specification.

    One lot is ``lot_kg`` kg; one tick is ``tick_minor_per_kg`` minor units per kg, so a lot's
    price moves by ``lot_kg * tick_minor_per_kg`` minor units per tick.
    """

    instrument: str
    product: str
    min_purity_bp: int
    lot_kg: int
    tick_minor_per_kg: int
    currency: str
    warehouse: str
    reference_ticks: int
    """Initial reference price; the price band is centred on the latest reference."""
    band_bp: int = 1000
    """Half-width of the price band around the reference, in basis points."""
    excluded_origins: tuple[str, ...] = ()
    """Origin basket: no custody step may be in these countries (``("CN",)`` = ex-China)."""
    maker_fee_bp: int = 5
    taker_fee_bp: int = 10
    min_counterparties: int = 3
    """Distinct participants needed for a reference price to be published, not carried."""
    vwap_window_s: int = 86_400
    """Length of the VWAP window that ends at the close of the reference day, in seconds."""

    @property
    def tick_value(self) -> int:
        """Minor units per tick per lot."""
        return self.lot_kg * self.tick_minor_per_kg


@dataclass(slots=True, frozen=True)
class Assay:
    """An assay certificate: who measured the purity, and what it is."""

    certificate_id: str
    laboratory: str
    purity_bp: int


@dataclass(slots=True, frozen=True)
class ProvenanceStep:
    """One custody step; ``hash`` covers its fields and ``prev_hash`` (see ``provenance``)."""

    stage: CustodyStage
    country: str
    facility: str
    date: str
    certifier: str
    prev_hash: str
    hash: str


@dataclass(slots=True, frozen=True)
class ExportControl:
    """An export-control rule in force: goods of ``products`` whose chain of custody passes
    through ``exporter`` need an export licence to reach a buyer outside ``exporter``.

    ``first_day`` and ``last_day`` (``YYYY-MM-DD``, UTC, both inclusive; ``None``: open-ended)
    bound one window in which the rule is in force; a rule switched off for a while (a
    suspension) is given as several controls with the same ``rule_id``.
    """

    rule_id: str
    legal_instrument: str
    """The legal act, named in refusals, e.g. ``MOFCOM/GAC Announcement No. 18 (2025)``."""
    exporter: str
    products: tuple[str, ...]
    first_day: str | None = None
    last_day: str | None = None


def is_country(code: str) -> bool:
    """Whether ``code`` has the shape of an ISO 3166 alpha-2 code (two capital letters)."""
    return len(code) == 2 and code.isascii() and code.isalpha() and code.isupper()
