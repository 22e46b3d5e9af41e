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

Submit = Callable[[Command], Awaitable[list[Event]]]
"""Sequences one command and returns its events once durable."""


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
    (:class:`~kazree.venue.errors.CommandRefused` for the engine's)."""
    action, args = command_args(command)

    async def change() -> list[Event]:
        return accepted(await submit(command))

    return await audited_change(log, actor, action, {**args, **(note or {})}, change)


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
