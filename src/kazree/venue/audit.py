"""Audited administration: every admin action, by a person or the scheduler, with its outcome."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool

from kazree.api.outcomes import execute
from kazree.api.problems import ApiProblem
from kazree.exchange.core.commands import Command, command_to_json
from kazree.exchange.core.events import Event
from kazree.venue.service import Service

T = TypeVar("T")


async def audited(
    service: Service, actor: str, command: Command, note: dict[str, Any] | None = None
) -> list[Event]:
    """Sequence an admin command and record it, its outcome and ``note`` in the audit log."""
    args: dict[str, Any] = command_to_json(command)
    args.pop("ts", None)
    action = str(args.pop("type"))
    args.update(note or {})
    recorded = False

    def record(refused: str | None) -> None:
        """Audit the outcome from the writer, before the state after it can be read."""
        nonlocal recorded
        recorded = True
        service.store.audit(
            actor, action, args if refused is None else {**args, "refused": refused}
        )

    try:
        return await execute(service, command, record)
    except ApiProblem as exc:
        if not recorded:  # refused before the writer took it (starting up, shutting down)
            await run_in_threadpool(
                service.store.audit, actor, action, {**args, "refused": str(exc)}
            )
        raise


async def audited_change(
    service: Service,
    actor: str,
    action: str,
    args: dict[str, Any],
    change: Callable[[], Awaitable[T]],
) -> T:
    """Await ``change()`` and audit ``action`` with ``args``; a refusal is audited and re-raised."""
    try:
        result = await change()
    except Exception as exc:
        await run_in_threadpool(service.store.audit, actor, action, {**args, "refused": str(exc)})
        raise
    await run_in_threadpool(service.store.audit, actor, action, args)
    return result
