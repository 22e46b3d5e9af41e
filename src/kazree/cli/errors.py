"""One place where user errors become a one-line message and an exit code."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from kazree.errors import KazreeError

USER_ERROR_EXIT = 2


def run_app(app: typer.Typer) -> None:
    """Run ``app``; a :class:`KazreeError` prints ``error: <message>`` on stderr and exits 2."""
    try:
        app(standalone_mode=True)
    except KazreeError as exc:
        Console(stderr=True, highlight=False, soft_wrap=True).print(f"[red]error:[/red] {exc}")
        sys.exit(USER_ERROR_EXIT)
