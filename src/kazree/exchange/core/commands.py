"""Commands: the only way to change the exchange. One frozen dataclass per command.

Every command carries ``ts``, its time in UTC microseconds since the epoch, set by whoever
sequences the command; the engine never reads the clock, so replaying commands is
deterministic. In JSON a command is an object with a ``"type"`` (the snake_case class name,
e.g. ``"place_order"``) and its fields; see ``docs/exchange-replay.md``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kazree.exchange.core.codec import encoder, from_json
from kazree.exchange.core.domain import (
    Assay,
    ExportControl,
    InstrumentSpec,
    OrderKind,
    ProvenanceStep,
    Role,
    Side,
    Stp,
    TimeInForce,
)
from kazree.exchange.core.errors import MalformedCommand


@dataclass(slots=True, frozen=True)
class AddParticipant:
    """Register a participant with its ISO country code and roles."""

    ts: int
    participant: str
    country: str
    roles: tuple[Role, ...]


@dataclass(slots=True, frozen=True)
class AddInstrument:
    """List an instrument defined by a product specification."""

    ts: int
    spec: InstrumentSpec


@dataclass(slots=True, frozen=True)
class DepositCash:
    """Credit ``amount`` minor units of ``currency`` to a participant."""

    ts: int
    participant: str
    currency: str
    amount: int


@dataclass(slots=True, frozen=True)
class WithdrawCash:
    """Debit ``amount`` available minor units of ``currency`` from a participant."""

    ts: int
    participant: str
    currency: str
    amount: int


@dataclass(slots=True, frozen=True)
class IssueReceipt:
    """A warehouse operator issues a receipt for goods in its warehouse to ``owner``.

    ``export_licence`` names the licence the goods carry, if any (see :class:`GrantLicence`).
    """

    ts: int
    operator: str
    receipt_id: str
    owner: str
    warehouse: str
    product: str
    quantity_kg: int
    assay: Assay
    provenance: tuple[ProvenanceStep, ...]
    export_licence: str | None = None


@dataclass(slots=True, frozen=True)
class WithdrawReceipt:
    """A warehouse operator releases the goods of an unlocked receipt; it leaves the exchange."""

    ts: int
    operator: str
    receipt_id: str


@dataclass(slots=True, frozen=True)
class PlaceOrder:
    """A new order. Limit orders need ``price_ticks``; market orders must not have one.

    A sell locks ``quantity_lots * lot_kg`` kg of eligible receipts: those in ``receipt_ids``
    in that order, or, when empty, the seller's eligible receipts by receipt id.
    """

    ts: int
    participant: str
    client_order_id: str
    instrument: str
    side: Side
    quantity_lots: int
    kind: OrderKind = OrderKind.LIMIT
    price_ticks: int | None = None
    tif: TimeInForce = TimeInForce.GTC
    post_only: bool = False
    stp: Stp = Stp.CANCEL_RESTING
    receipt_ids: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class CancelOrder:
    """Cancel the remainder of a resting order of ``participant``."""

    ts: int
    participant: str
    order_id: int


@dataclass(slots=True, frozen=True)
class ReplaceOrder:
    """Change a resting order's price and/or quantity (lots still open).

    Reducing the quantity keeps time priority; a price change or a larger quantity loses it.
    """

    ts: int
    participant: str
    order_id: int
    price_ticks: int | None = None
    quantity_lots: int | None = None


@dataclass(slots=True, frozen=True)
class SuspendParticipant:
    """Suspend a participant: its resting orders are cancelled and it may not place orders."""

    ts: int
    participant: str


@dataclass(slots=True, frozen=True)
class ReinstateParticipant:
    """Lift a suspension."""

    ts: int
    participant: str


@dataclass(slots=True, frozen=True)
class DenyParty:
    """Put a participant on the denied-party list: its resting orders are cancelled and it may
    not place or replace orders (cancelling stays possible)."""

    ts: int
    participant: str
    reason: str


@dataclass(slots=True, frozen=True)
class LiftDenial:
    """Take a participant off the denied-party list."""

    ts: int
    participant: str


@dataclass(slots=True, frozen=True)
class SetJurisdiction:
    """Admit only participants in ``countries`` (ISO 3166 alpha-2) to an instrument; an empty
    tuple opens it to every country. Resting orders no longer admitted are cancelled."""

    ts: int
    instrument: str
    countries: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class GrantLicence:
    """Record the export licence a receipt's goods carry (replacing any earlier one)."""

    ts: int
    receipt_id: str
    licence: str


@dataclass(slots=True, frozen=True)
class RevokeLicence:
    """Remove a receipt's export licence; sells it backs that now break a control are cancelled."""

    ts: int
    receipt_id: str


@dataclass(slots=True, frozen=True)
class SetExportControls:
    """Replace the export-control rules the engine enforces; resting sells they now forbid are
    cancelled."""

    ts: int
    controls: tuple[ExportControl, ...]


@dataclass(slots=True, frozen=True)
class OpenAuction:
    """Start a call phase on an instrument: limit orders rest without matching."""

    ts: int
    instrument: str


@dataclass(slots=True, frozen=True)
class RunAuction:
    """Uncross the call phase at one price and return to continuous trading."""

    ts: int
    instrument: str


@dataclass(slots=True, frozen=True)
class PublishReference:
    """Publish the reference price of ``instrument`` for ``day`` (``YYYY-MM-DD``, UTC)."""

    ts: int
    instrument: str
    day: str


@dataclass(slots=True, frozen=True)
class EndOfDay:
    """Close the trading day: every DAY order expires."""

    ts: int


Command = (
    AddParticipant
    | AddInstrument
    | DepositCash
    | WithdrawCash
    | IssueReceipt
    | WithdrawReceipt
    | PlaceOrder
    | CancelOrder
    | ReplaceOrder
    | SuspendParticipant
    | ReinstateParticipant
    | DenyParty
    | LiftDenial
    | SetJurisdiction
    | GrantLicence
    | RevokeLicence
    | SetExportControls
    | OpenAuction
    | RunAuction
    | PublishReference
    | EndOfDay
)


def type_name(cls: type[Any]) -> str:
    """The JSON ``"type"`` of a command or event class: its snake_case name."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


COMMAND_TYPES: dict[str, type[Command]] = {
    type_name(c): c
    for c in (
        AddParticipant,
        AddInstrument,
        DepositCash,
        WithdrawCash,
        IssueReceipt,
        WithdrawReceipt,
        PlaceOrder,
        CancelOrder,
        ReplaceOrder,
        SuspendParticipant,
        ReinstateParticipant,
        DenyParty,
        LiftDenial,
        SetJurisdiction,
        GrantLicence,
        RevokeLicence,
        SetExportControls,
        OpenAuction,
        RunAuction,
        PublishReference,
        EndOfDay,
    )
}
"""JSON type name -> command class."""


def parse_command(obj: Mapping[str, Any]) -> Command:
    """The command described by a JSON object; :class:`MalformedCommand` names what is wrong."""
    if not isinstance(obj, Mapping):
        msg = f"command: expected a JSON object, got {obj!r}"
        raise MalformedCommand(msg)
    name = obj.get("type")
    cls = COMMAND_TYPES.get(name) if isinstance(name, str) else None
    if cls is None:
        msg = f"command.type: {name!r} is not one of {', '.join(COMMAND_TYPES)}"
        raise MalformedCommand(msg)
    cmd: Command = from_json(cls, obj, str(name))
    return cmd


_NAME_OF = {cls: name for name, cls in COMMAND_TYPES.items()}


def command_to_json(cmd: Command) -> dict[str, Any]:
    """The command as a JSON object with its ``"type"``; ``parse_command`` inverts it."""
    cls = type(cmd)
    return encoder(cls, _NAME_OF[cls])(cmd)


def command_name(cmd: Command) -> str:
    """The JSON ``"type"`` of a command."""
    return _NAME_OF[type(cmd)]
