"""Where the CLI writes: answers on standard output; notes, warnings and progress on standard error.

``--quiet`` silences notes and progress, never answers or errors, so a pipe or a script gets
the same standard output either way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from rich.console import Console
from rich.markup import escape

from kazree.i18n import _


@dataclass
class Chatter:
    """Whether notes and progress lines are shown (set once per command by ``--quiet``)."""

    quiet: bool = False


CHATTER = Chatter()


def out() -> Console:
    """The console for answers (standard output)."""
    return Console(highlight=False, soft_wrap=True)


def err() -> Console:
    """The console for notes, warnings, progress and errors (standard error)."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def note(message: str) -> None:
    """``note: message`` on standard error, unless ``--quiet``."""
    if not CHATTER.quiet:
        label = _("note")
        err().print(f"[yellow]{escape(label)}:[/yellow] {escape(message)}")


class Line(Protocol):
    """A progress line whose text can change."""

    def update(self, status: str, /) -> None:
        """Show ``status`` instead."""


@contextmanager
def progress(message: str) -> Iterator[Line]:
    """A spinner with ``message`` on standard error (nothing under ``--quiet``).

    Yields an object whose ``update(text)`` changes the line.
    """
    if CHATTER.quiet:
        yield _Silent()
        return
    with err().status(escape(message)) as status:
        yield status


class Bar(Protocol):
    """A progress bar over a known number of items."""

    def __call__(self, done: int, total: int, /) -> None:
        """Show ``done`` of ``total``."""


@contextmanager
def bar(message: str) -> Iterator[Bar]:
    """A progress bar with ``message``, items done of all and time left, on standard error
    (nothing under ``--quiet``). Yields a callable taking (done, total)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    if CHATTER.quiet:
        yield lambda done, total: None
        return
    columns = (
        TextColumn(escape(message)),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err(), transient=True) as shown:
        task = shown.add_task(message, total=None)

        def advance(done: int, total: int) -> None:
            shown.update(task, completed=done, total=total)

        yield advance


class _Silent:
    """A progress line that shows nothing."""

    def update(self, status: str, /) -> None:
        """Ignore the new text."""
