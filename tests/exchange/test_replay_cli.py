"""``kazree exchange replay`` on the shipped example, and one-line errors for bad input."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kazree.cli import app, main
from kazree.exchange.core.engine import Exchange
from kazree.exchange.durability.durable import DurableExchange
from kazree.exchange.durability.replay import read_commands

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "replay-commands.jsonl"
runner = CliRunner()


def _replay(tmp_path: Path, *extra: str) -> tuple[str, list[dict[str, object]]]:
    out = tmp_path / "events.jsonl"
    result = runner.invoke(
        app, ["exchange", "replay", str(EXAMPLE), "--out", str(out), *extra], terminal_width=120
    )
    assert result.exit_code == 0, result.output
    return result.stdout, [json.loads(line) for line in out.read_text().splitlines()]


def _user_error(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> str:
    monkeypatch.setattr(sys, "argv", ["kazree", "exchange", *args])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    err: str = capsys.readouterr().err
    assert err.count("\n") == 1
    return err.strip()


def test_example_trades_at_the_expected_prices(tmp_path: Path) -> None:
    _, events = _replay(tmp_path)
    trades = [
        (e["line"], e["seller"], e["buyer"], e["price_ticks"], e["quantity_lots"], e["buyer_fee"])
        for e in events
        if e["type"] == "trade"
    ]
    # the buy at 6500 sweeps the cheaper Australian offer first, then the Kazakh one
    assert trades == [
        (15, "aus-re", "vac-magnets", 6480, 2, 12_960),
        (15, "kaz-oxide", "vac-magnets", 6500, 2, 13_000),
        (17, "kaz-oxide", "nippon-motors", 6500, 1, 6_500),
    ]
    splits = [
        (e["receipt_id"], e["new_receipt_id"], e["quantity_kg"])
        for e in events
        if e["type"] == "receipt_split"
    ]
    assert splits == [
        ("UKG-0002", "UKG-0002/1", 2000),
        ("UKG-0001", "UKG-0001/2", 2000),
        ("UKG-0001", "UKG-0001/3", 1000),
    ]


def test_example_rejects_carry_reasons_and_line_numbers(tmp_path: Path) -> None:
    _, events = _replay(tmp_path)
    rejects = [(e["line"], e["seq"], e["reason_code"]) for e in events if e["type"] == "rejected"]
    assert rejects == [
        (14, 14, "risk.receipt_not_eligible"),  # Chinese mine on the ex-China instrument
        (16, 16, "risk.outside_price_band"),  # 7500 is above 6500 + 10 %
    ]
    cancelled = [e for e in events if e["type"] == "cancelled"]
    assert [(c["order_id"], c["remaining_lots"]) for c in cancelled] == [(5, 2)]


def test_example_publishes_a_vwap_reference_price(tmp_path: Path) -> None:
    _, events = _replay(tmp_path)
    (ref,) = [e for e in events if e["type"] == "reference_price"]
    assert ref["price_ticks"] == (2 * 6480 + 3 * 6500) // 5 == 6492
    assert (ref["source"], ref["counterparties"], ref["flagged"]) == ("vwap", 4, False)


def test_every_command_yields_events_in_seq_order(tmp_path: Path) -> None:
    _, events = _replay(tmp_path)
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(seqs)
    assert set(seqs) == set(range(1, 22))


def test_summary_and_state_hash_match_the_engine_and_the_journal(tmp_path: Path) -> None:
    stdout, _ = _replay(tmp_path, "--state-hash")
    engine = Exchange()
    with EXAMPLE.open() as lines:
        commands = [c for _, c in read_commands(lines, str(EXAMPLE))]
    for c in commands:
        engine.apply(c)
    with DurableExchange.open(f"sqlite:///{tmp_path / 'j.db'}") as durable:
        durable.submit_many(commands)
        assert durable.state_hash() == engine.state_hash()
    assert f"state hash: {engine.state_hash()}" in stdout
    assert "│ commands" in stdout
    assert "│ trades  " in stdout
    numbers = {
        row.split("│")[1].strip(): row.split("│")[2].strip()
        for row in stdout.splitlines()
        if row.count("│") == 3
    }
    assert numbers["commands"] == "21"
    assert numbers["rejected"] == "2"
    assert numbers["trades"] == "3"
    assert numbers["volume (lots)"] == "5"


def test_without_out_nothing_is_written(tmp_path: Path) -> None:
    result = runner.invoke(app, ["exchange", "replay", str(EXAMPLE)], terminal_width=120)
    assert result.exit_code == 0, result.output
    assert list(tmp_path.iterdir()) == []


def test_invalid_json_names_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    lines = EXAMPLE.read_text().splitlines()
    bad.write_text("\n".join([*lines[:2], "", '{"type": "end_of_day", "ts": 1', *lines[2:]]))
    out = tmp_path / "events.jsonl"
    err = _user_error(["replay", str(bad), "--out", str(out)], monkeypatch, capsys)
    assert err.startswith(f"error: {bad}:4: not valid JSON (Expecting ',' delimiter")
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.jsonl"]


def test_a_malformed_command_names_file_line_and_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    order = {"type": "place_order", "ts": 1, "participant": "p", "client_order_id": "c"}
    order |= {"instrument": "X", "side": "buy", "quantity_lots": "3", "price_ticks": 10}
    bad.write_text('{"type": "end_of_day", "ts": 1}\n' + json.dumps(order) + "\n")
    err = _user_error(["replay", str(bad)], monkeypatch, capsys)
    assert err == (f"error: {bad}:2: place_order.quantity_lots: expected an integer, got '3'")


def test_an_unknown_command_type_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "buy_everything", "ts": 1}\n')
    err = _user_error(["replay", str(bad)], monkeypatch, capsys)
    assert err.startswith(f"error: {bad}:1: command.type: 'buy_everything' is not one of ")


def test_a_missing_file_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.jsonl"
    err = _user_error(["replay", str(missing)], monkeypatch, capsys)
    assert err == f"error: {missing}: cannot read (No such file or directory)"


def test_out_in_a_missing_directory_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "nowhere" / "events.jsonl"
    err = _user_error(["replay", str(EXAMPLE), "--out", str(out)], monkeypatch, capsys)
    assert err == f"error: --out '{out}': directory '{out.parent}' does not exist"


def test_written_files_follow_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        _replay(tmp_path)
    finally:
        os.umask(previous)
    assert (tmp_path / "events.jsonl").stat().st_mode & 0o777 == 0o644
