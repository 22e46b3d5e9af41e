"""The published JSON Schema: generated from the code, committed, and true to real lines."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from kazree.cli import app
from kazree.exchange.core.commands import COMMAND_TYPES
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.events import EVENT_TYPES
from kazree.exchange.durability.replay import event_lines, read_commands, replay, replay_schema

DOCS = Path(__file__).parents[2] / "docs"
SCHEMA_FILE = DOCS / "exchange-replay.schema.json"
EXAMPLE = DOCS / "examples" / "replay-commands.jsonl"


def _validator(definition: str) -> Draft202012Validator:
    schema = replay_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator({"$ref": f"#/$defs/{definition}", "$defs": schema["$defs"]})


def test_committed_schema_equals_the_generated_one() -> None:
    """Regenerate with ``kazree exchange schema --out docs/exchange-replay.schema.json``."""
    assert json.loads(SCHEMA_FILE.read_text()) == replay_schema()


def test_schema_command_prints_the_schema() -> None:
    result = CliRunner().invoke(app, ["exchange", "schema"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == replay_schema()


def test_example_commands_and_their_events_validate() -> None:
    commands, events = _validator("command"), _validator("event_line")
    with EXAMPLE.open() as lines:
        parsed = list(read_commands(lines, str(EXAMPLE)))
    for line in EXAMPLE.read_text().splitlines():
        commands.validate(json.loads(line))
    written = [e for step in replay(parsed, Exchange()) for e in event_lines(step)]
    assert {e["type"] for e in written} >= {"trade", "rejected", "reference_price", "cancelled"}
    for event in written:
        events.validate(event)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"quantity_lots": "3"}, "'3' is not of type 'integer'"),
        ({"side": "short"}, "'short' is not one of ['buy', 'sell']"),
        ({"colour": "red"}, "Additional properties are not allowed ('colour' was unexpected)"),
    ],
)
def test_schema_rejects_what_the_parser_rejects(change: dict[str, Any], problem: str) -> None:
    line = json.loads(EXAMPLE.read_text().splitlines()[11])
    assert line["type"] == "place_order"
    errors = list(_validator("command").iter_errors(line | change))
    assert problem in {e.message for e in errors} | {
        c.message for e in errors for c in e.context or []
    }


def test_every_type_is_in_the_schema_and_the_docs() -> None:
    doc = (DOCS / "exchange-replay.md").read_text()
    defs = replay_schema()["$defs"]
    for name, cls in [*COMMAND_TYPES.items(), *EVENT_TYPES.items()]:
        assert defs[cls.__name__]["properties"]["type"] == {"const": name}
        assert f"`{name}`" in doc, name


def test_event_lines_keep_line_and_seq_free() -> None:
    for cls in EVENT_TYPES.values():
        assert {"line", "seq"}.isdisjoint(f.name for f in dataclasses.fields(cls)), cls
