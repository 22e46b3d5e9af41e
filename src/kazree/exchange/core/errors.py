"""Exchange errors: malformed command shapes and the reject codes, namespaced by stage."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from kazree.errors import KazreeError


class MalformedCommand(KazreeError):
    """A command object has the wrong shape (unknown type, missing or ill-typed field)."""


class RejectCode(StrEnum):
    """Why a well-formed command was refused; the prefix names the stage that refused it."""

    UNKNOWN_PARTICIPANT = "validation.unknown_participant"
    DUPLICATE_PARTICIPANT = "validation.duplicate_participant"
    UNKNOWN_INSTRUMENT = "validation.unknown_instrument"
    DUPLICATE_INSTRUMENT = "validation.duplicate_instrument"
    BAD_SPEC = "validation.bad_instrument_spec"
    BAD_FIELD = "validation.bad_field"
    BAD_AMOUNT = "validation.bad_amount"
    BAD_QUANTITY = "validation.bad_quantity"
    BAD_PRICE = "validation.bad_price"
    BAD_ORDER = "validation.bad_order"
    BAD_DAY = "validation.bad_day"
    NOT_PERMITTED = "validation.role_not_permitted"
    UNKNOWN_ORDER = "validation.unknown_order"
    DUPLICATE_CLIENT_ORDER_ID = "validation.duplicate_client_order_id"
    UNKNOWN_RECEIPT = "validation.unknown_receipt"
    DUPLICATE_RECEIPT = "validation.duplicate_receipt"
    PROVENANCE_TAMPERED = "validation.provenance_tampered"
    RECEIPT_LOCKED = "validation.receipt_locked"
    SUSPENDED = "risk.participant_suspended"
    INSUFFICIENT_CASH = "risk.insufficient_cash"
    INSUFFICIENT_RECEIPTS = "risk.insufficient_receipts"
    RECEIPT_NOT_ELIGIBLE = "risk.receipt_not_eligible"
    PRICE_BAND = "risk.outside_price_band"
    POST_ONLY_WOULD_CROSS = "matching.post_only_would_cross"
    AUCTION_PHASE = "matching.not_allowed_in_auction_call"
    NOT_IN_AUCTION = "matching.no_auction_call"
    AUCTION_SELF_CROSS = "matching.auction_self_cross"
    ALREADY_DENIED = "validation.already_denied"
    NOT_DENIED = "validation.not_denied"
    DENIED_PARTY = "policy.denied_party"
    JURISDICTION = "policy.jurisdiction"
    EXPORT_CONTROL = "policy.export_control"


class Reject(Exception):
    """Raised by a command handler before any change; the engine turns it into ``Rejected``."""

    def __init__(self, code: RejectCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def unknown_instrument(instrument: str, listed: Iterable[str]) -> str:
    """What to say of an instrument that is not listed, naming those that are."""
    return f"unknown instrument {instrument!r} (listed: {', '.join(sorted(listed)) or 'none'})"
