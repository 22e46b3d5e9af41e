"""Replay a JSONL file of commands on a fresh exchange, and the JSON Schema of that format.

A commands file has one command object per line (blank lines are skipped). Each resulting event
is one JSON object per line: the event's fields, its ``"type"``, the ``line`` of the command in
the input file and the command's ``seq`` (1 for the first command).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter

from kazree.errors import KazreeError
from kazree.exchange.core.commands import COMMAND_TYPES, Command, parse_command
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.errors import MalformedCommand
from kazree.exchange.core.events import EVENT_TYPES, Event, Rejected, Trade, event_to_json

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_REF = "#/$defs/{model}"


@dataclass(frozen=True, slots=True)
class Step:
    """One replayed command: where it came from and what it did."""

    line: int
    seq: int
    command: Command
    events: list[Event]


@dataclass(slots=True)
class Summary:
    """Counts over a replay."""

    commands: int = 0
    rejected: int = 0
    trades: int = 0
    volume_lots: int = 0
    reject_codes: Counter[str] = field(default_factory=Counter)

    def add(self, step: Step) -> None:
        """Count one replayed command and its events."""
        self.commands += 1
        for ev in step.events:
            if isinstance(ev, Rejected):
                self.rejected += 1
                self.reject_codes[ev.reason_code.value] += 1
            elif isinstance(ev, Trade):
                self.trades += 1
                self.volume_lots += ev.quantity_lots


def read_commands(lines: Iterable[str], source: str) -> Iterator[tuple[int, Command]]:
    """``(line number, command)`` for each non-blank line; errors read ``SOURCE:LINE: problem``."""
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            msg = f"{source}:{number}: not valid JSON ({exc.msg} at column {exc.colno})"
            raise KazreeError(msg) from None
        try:
            command = parse_command(obj)
        except MalformedCommand as exc:
            msg = f"{source}:{number}: {exc}"
            raise KazreeError(msg) from None
        yield number, command


def replay(commands: Iterable[tuple[int, Command]], engine: Exchange) -> Iterator[Step]:
    """Apply each command to ``engine`` in order."""
    for seq, (line, command) in enumerate(commands, start=1):
        yield Step(line, seq, command, engine.apply(command))


def event_lines(step: Step) -> Iterator[dict[str, Any]]:
    """The JSON objects written for the step's events."""
    for ev in step.events:
        yield {**event_to_json(ev), "line": step.line, "seq": step.seq}


def replay_schema() -> dict[str, Any]:
    """The JSON Schema of command lines (``#/$defs/command``) and event lines.

    Generated from the command and event dataclasses, so it cannot drift from the code. Event
    lines (``#/$defs/event_line``) are events plus ``line`` and ``seq``; readers should ignore
    event fields they do not know, as new ones may be added.
    """
    commands = TypeAdapter(Command).json_schema(ref_template=_REF)
    for definition in commands["$defs"].values():
        if definition.get("type") == "object":  # commands and their parts: no unknown fields
            definition["additionalProperties"] = False
    defs: dict[str, Any] = {**commands["$defs"], **event_schemas(_REF)}
    for name, command_cls in COMMAND_TYPES.items():
        _tag(defs[command_cls.__name__], name)
    defs["command"] = {
        "oneOf": [{"$ref": _REF.format(model=c.__name__)} for c in COMMAND_TYPES.values()]
    }
    defs["event"] = {"oneOf": event_refs(_REF)}
    defs["event_line"] = {
        "allOf": [
            {"$ref": "#/$defs/event"},
            {
                "properties": {
                    "line": {"type": "integer", "minimum": 1, "description": "Input line."},
                    "seq": {"type": "integer", "minimum": 1, "description": "Command number."},
                },
                "required": ["line", "seq"],
            },
        ]
    }
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "kazree exchange replay formats",
        "description": (
            "Command lines validate against #/$defs/command, event lines against "
            "#/$defs/event_line. Prices in ticks, quantities in lots (orders) or kg "
            "(receipts), cash in minor units, ts in UTC microseconds since the epoch."
        ),
        "$defs": dict(sorted(defs.items())),
    }


def event_schemas(ref_template: str) -> dict[str, Any]:
    """The JSON Schema of every event class (and the types they use), each with its ``"type"``,
    by name, with references written as ``ref_template``: the replay schema's and the API's."""
    defs: dict[str, Any] = TypeAdapter(Event).json_schema(ref_template=ref_template)["$defs"]
    for name, event_cls in EVENT_TYPES.items():
        _tag(defs[event_cls.__name__], name)
    return defs


def event_refs(ref_template: str) -> list[dict[str, str]]:
    """One reference per event class, for a ``oneOf``."""
    return [{"$ref": ref_template.format(model=c.__name__)} for c in EVENT_TYPES.values()]


def _tag(definition: dict[str, Any], name: str) -> None:
    """Add the ``"type"`` discriminator ``name`` to a class's schema."""
    definition["properties"] = {"type": {"const": name}, **definition["properties"]}
    definition["required"] = ["type", *definition.get("required", [])]
