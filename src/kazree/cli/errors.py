"""One place where user errors become a one-line message and an exit code.

Mistakes on the command line (an unknown option, a value of the wrong type or not among the
choices) read like every other kazree error: ``error: WHERE VALUE: what is wrong (allowed: ...)``.
"""

from __future__ import annotations

import re
import sys

import typer
from rich.console import Console
from rich.markup import escape

from kazree.errors import KazreeError, plain_words
from kazree.i18n import _

USER_ERROR_EXIT = 2


CHOICES = re.compile(r"^(?P<value>.+?) is not one of (?P<choices>.+?)\.?$")
"""How a value outside an enumeration is reported by the command-line parser."""


def usage_message(exc: typer.TyperException) -> str:
    """A command-line mistake in kazree's wording: ``COMMAND: WHERE VALUE: what (allowed: ...)``."""
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "kazree"
    param = getattr(exc, "param", None)
    errors = getattr(exc.__cause__, "errors", None)
    if param is not None and callable(errors) and errors():
        first = errors()[0]
        value = first.get("input")
        choices = CHOICES.match(str(first.get("ctx", {}).get("error", "")))
        if choices:
            problem = _("not one of the choices (allowed: {allowed})").format(
                allowed=choices["choices"].replace("'", "")
            )
        else:
            problem = plain_words(first).removeprefix(f"{value!r} ")
        return f"{command}: {'/'.join(param.opts)} {value!r}: {problem}"
    option = getattr(exc, "option_name", None)
    if option is not None and ctx is not None:
        options = [o for p in ctx.command.params for o in p.opts if o.startswith("-")]
        return _("{command}: unknown option {option} (allowed: {options})").format(
            command=command, option=option, options=", ".join([*options, "--help"])
        )
    if param is not None:
        return _("{command}: {name} is missing (allowed: see {command} --help)").format(
            command=command, name=param.name.upper()
        )
    commands = getattr(getattr(ctx, "command", None), "list_commands", None)
    if ctx is not None and callable(commands):
        return _("{command}: {problem} (allowed: {commands})").format(
            command=command,
            problem=exc.format_message().rstrip("."),
            commands=", ".join(sorted(commands(ctx))),
        )
    return f"{command}: {exc.format_message().rstrip('.')}"


def _fail(message: str) -> None:
    label = _("error")
    Console(stderr=True, highlight=False, soft_wrap=True).print(
        f"[red]{escape(label)}:[/red] {escape(message)}"
    )
    sys.exit(USER_ERROR_EXIT)


def run_app(app: typer.Typer) -> None:
    """Run ``app``; a user error prints ``error: <message>`` on stderr and exits 2."""
    try:
        code = app(standalone_mode=False)
    except KazreeError as exc:
        _fail(str(exc))
    except typer.TyperException as exc:
        if not exc.format_message():  # help already shown for a group called without a command
            sys.exit(exc.exit_code)
        _fail(usage_message(exc))
    except typer.Abort:
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
