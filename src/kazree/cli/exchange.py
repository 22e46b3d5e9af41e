"""``kazree exchange``: replay a command file, verify a journal, print the JSON Schema."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer
from rich.console import Console
from rich.table import Table

from kazree.cli import exchange_admin
from kazree.errors import KazreeError

if TYPE_CHECKING:
    from kazree.exchange.durability.replay import Summary

app = typer.Typer(
    help="The rare-earth exchange: replay commands, verify journals, formats.",
    no_args_is_help=True,
)


@contextmanager
def _atomic_text(path: Path) -> Iterator[TextIO]:
    """A text file that appears at ``path`` only if the block completes."""
    directory = path.parent
    if not directory.is_dir():
        msg = f"--out {str(path)!r}: directory {str(directory)!r} does not exist"
        raise KazreeError(msg)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(fd, 0o666 & ~umask)  # an ordinary file, not mkstemp's private 0600
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            yield out
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _summary_table(summary: Summary, source: str) -> Table:
    table = Table(title=f"replay of {source}", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("commands", str(summary.commands))
    table.add_row("rejected", str(summary.rejected))
    table.add_row("trades", str(summary.trades))
    table.add_row("volume (lots)", str(summary.volume_lots))
    for code, count in sorted(summary.reject_codes.items()):
        table.add_row(f"  reject {code}", str(count))
    return table


@app.command(name="replay")
def replay_command(
    commands: Annotated[Path, typer.Argument(help="JSONL file, one command per line.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Write every event as JSONL to this file.")
    ] = None,
    state_hash: Annotated[
        bool, typer.Option("--state-hash", help="Print the final state hash.")
    ] = False,
) -> None:
    """Run COMMANDS on a fresh in-memory exchange; summarise, and write the events."""
    from kazree.exchange.core.engine import Exchange
    from kazree.exchange.durability.replay import Summary, event_lines, read_commands, replay

    try:
        source = commands.open(encoding="utf-8")
    except OSError as exc:
        msg = f"{commands}: cannot read ({exc.strerror})"
        raise KazreeError(msg) from None
    engine = Exchange()
    summary = Summary()
    with source:
        steps = replay(read_commands(source, str(commands)), engine)
        if out is None:
            for step in steps:
                summary.add(step)
        else:
            with _atomic_text(out) as sink:
                for step in steps:
                    summary.add(step)
                    for line in event_lines(step):
                        sink.write(json.dumps(line, ensure_ascii=False) + "\n")
    console = Console()
    console.print(_summary_table(summary, str(commands)))
    if state_hash:
        console.print(f"state hash: {engine.state_hash()}", highlight=False)


@app.command(name="schema")
def schema_command(
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the schema here instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of command and event lines."""
    from kazree.exchange.durability.replay import replay_schema

    text = json.dumps(replay_schema(), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        typer.echo(text, nl=False)
    else:
        with _atomic_text(out) as sink:
            sink.write(text)


@app.command(name="verify")
def verify_command(
    db: Annotated[
        str, typer.Option("--db", help="Journal database (sqlite:///PATH.db or postgresql://...)")
    ] = "sqlite:///exchange.db",
) -> None:
    """Check a whole journal: hash chain, replayed events and snapshots."""
    from kazree.exchange.durability.durable import audit
    from kazree.exchange.durability.store import JournalStore

    store = JournalStore.open(db)
    try:
        found = audit(store)
    finally:
        store.close()
    table = Table(title="journal verified", show_header=False)
    table.add_column("what")
    table.add_column("value")
    table.add_row("entries", str(found.entries))
    table.add_row("snapshots", str(found.snapshots))
    console = Console()
    console.print(table)
    console.print(f"state hash: {found.state_hash}", highlight=False)


app.add_typer(exchange_admin.app, name="admin")
