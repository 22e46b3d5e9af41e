"""What can go wrong when the service submits a command, in its own terms (no HTTP here)."""

from __future__ import annotations

from kazree.errors import KazreeError
from kazree.exchange.core.errors import RejectCode
from kazree.exchange.core.events import Event, Rejected


class CommandRefused(KazreeError):
    """The engine refused a command (journaled with its reason, nothing changed)."""

    def __init__(self, command: str, code: RejectCode, message: str) -> None:
        super().__init__(message)
        self.command = command
        self.code = code
        self.message = message


class SequencerStopped(KazreeError):
    """The sequencer is not accepting commands (starting up or shutting down)."""


class JournalUnavailable(KazreeError):
    """The journal could not be written; nothing of the batch was applied."""


class WriterFault(KazreeError):
    """A bug stopped a batch; its commands were not acknowledged."""


def accepted(events: list[Event]) -> list[Event]:
    """``events`` if their command was accepted; :class:`CommandRefused` otherwise."""
    first = events[0]
    if isinstance(first, Rejected):
        raise CommandRefused(first.command, first.reason_code, first.message)
    return events
