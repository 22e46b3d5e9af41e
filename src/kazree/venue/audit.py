"""Apply and audit: every administrative change, by a person, the scheduler or the service
itself, goes to the engine and into the audit log with its outcome.

The HTTP routes, the CLI and the scheduler all call :func:`apply_and_audit`; they differ only
in how a command reaches the engine (``submit``): through the running service's sequencer, or
straight into the journal while the service is stopped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from kazree.exchange.core.commands import Command, command_to_json
from kazree.exchange.core.events import Event
from kazree.venue.errors import accepted

T = TypeVar("T")

Record = Callable[[str | None], None]
"""Told a command's outcome (``None`` when accepted, else why it was refused) by the writer,
in a worker thread, after the command is durable and before anyone can read the state after
it: the audit log is never behind what the engine shows."""


class Submit(Protocol):
    """Sequences one command and returns its events once durable; tells ``record`` the
    outcome first if it can (the running service's sequencer does)."""

    def __call__(self, command: Command, record: Record | None = None, /) -> Awaitable[list[Event]]:
        """Submit ``command``."""


class AuditLog(Protocol):
    """Where audit entries go (the service tables)."""

    def audit(self, actor: str, action: str, args: dict[str, Any]) -> None:
        """Record one action."""


def command_args(command: Command) -> tuple[str, dict[str, Any]]:
    """The audit action (the command's type) and arguments (its fields but ``ts``)."""
    args: dict[str, Any] = command_to_json(command)
    args.pop("ts", None)
    return str(args.pop("type")), args


async def apply_and_audit(
    submit: Submit,
    log: AuditLog,
    actor: str,
    command: Command,
    note: dict[str, Any] | None = None,
) -> list[Event]:
    """Submit ``command`` and audit it with ``note``; a refusal is audited, then raised
    (:class:`~kazree.venue.errors.CommandRefused` for the engine's).

    The entry is written by the writer before the outcome can be read, when ``submit`` can;
    otherwise (refused before the writer took it, or a ``submit`` without readers) after.
    """
    action, args = command_args(command)
    args.update(note or {})
    recorded = False

    def record(refused: str | None) -> None:
        nonlocal recorded
        recorded = True
        log.audit(actor, action, args if refused is None else {**args, "refused": refused})

    try:
        events = accepted(await submit(command, record))
    except Exception as exc:
        if not recorded:
            await asyncio.to_thread(log.audit, actor, action, {**args, "refused": str(exc)})
        raise
    if not recorded:
        await asyncio.to_thread(log.audit, actor, action, args)
    return events


async def audited_change(
    log: AuditLog,
    actor: str,
    action: str,
    args: dict[str, Any],
    change: Callable[[], Awaitable[T]],
) -> T:
    """Await ``change()`` and audit ``action`` with ``args``; a refusal is audited and re-raised."""
    try:
        result = await change()
    except Exception as exc:
        await asyncio.to_thread(log.audit, actor, action, {**args, "refused": str(exc)})
        raise
    await asyncio.to_thread(log.audit, actor, action, args)
    return result
