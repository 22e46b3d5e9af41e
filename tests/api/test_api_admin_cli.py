"""``kazree exchange admin``: participants, keys, cash, denied parties, auctions, all audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kazree.cli.exchange_admin import app
from kazree.errors import KazreeError
from kazree.exchange.durability.durable import DurableExchange, read_exchange
from kazree.venue.demo import install_demo
from kazree.venue.store import KeyStatus, ServiceStore

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, list(args))


def test_participant_key_cash_lifecycle(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    r = _run(
        "add-participant",
        "acme",
        "--country",
        "KZ",
        "--role",
        "trader",
        "--db",
        db,
        "--actor",
        "ops",
    )
    assert r.exit_code == 0, r.output
    assert _run("deposit", "acme", "USD", "250000", "--db", db).exit_code == 0
    assert _run("withdraw", "acme", "USD", "50000", "--db", db).exit_code == 0
    with DurableExchange.open(db) as ex:
        [balance] = ex.engine.balances("acme")
    assert (balance.currency, balance.available, balance.locked) == ("USD", 200_000, 0)

    r = _run("issue-key", "acme", "--db", db)
    assert r.exit_code == 0
    key = r.output.strip().splitlines()[-1]
    assert key.startswith("kz_")
    store = ServiceStore.open(db)
    try:
        check = store.check_key(key)
        assert (check.status, check.participant) == (KeyStatus.VALID, "acme")
        stored = store.keys("acme")
        assert len(stored) == 1
        secret = key.split("_", 2)[2]
        on_disk = b"".join(p.read_bytes() for p in tmp_path.iterdir())
        assert secret.encode() not in on_disk
        assert _run("revoke-key", stored[0].key_id, "--db", db).exit_code == 0
        assert store.check_key(key).status is KeyStatus.REVOKED
        actions = [(a["actor"], a["action"]) for a in store.audit_entries()]
    finally:
        store.close()
    assert actions[0] == ("ops", "add_participant")
    assert [a for _, a in actions] == [
        "add_participant",
        "deposit_cash",
        "withdraw_cash",
        "issue_key",
        "revoke_key",
    ]
    listed = _run("keys", "--db", db)
    assert stored[0].key_id in listed.output


def test_user_mistakes_are_one_line_errors(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    r = _run("issue-key", "ghost", "--db", db)
    assert isinstance(r.exception, KazreeError)
    assert "not registered" in str(r.exception)
    r = _run("withdraw", "ghost", "USD", "5", "--db", db)
    assert isinstance(r.exception, KazreeError)
    assert "ghost" in str(r.exception)
    r = _run("revoke-key", "nope", "--db", db)
    assert isinstance(r.exception, KazreeError)
    r = _run("restrict", "DY-OX", "--country", "Kazakhstan", "--db", db)
    assert isinstance(r.exception, KazreeError)
    assert "ISO 3166" in str(r.exception)
    r = _run("add-participant", "x", "--country", "KZ", "--role", "pilot", "--db", db)
    assert r.exit_code == 2
    store = ServiceStore.open(db)
    try:
        refused = store.audit_entries()
    finally:
        store.close()
    assert refused[0]["action"] == "withdraw_cash"
    assert "refused" in refused[0]["args"]


def test_journal_commands_refuse_while_a_writer_holds_the_journal(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    added = _run("add-participant", "acme", "--country", "KZ", "--role", "trader", "--db", db)
    assert added.exit_code == 0, added.output
    with DurableExchange.open(db) as service:  # as the running service holds it
        r = _run("deposit", "acme", "USD", "100", "--db", db)
        assert isinstance(r.exception, KazreeError)
        assert "another process is writing it" in str(r.exception)
        assert "/v1/admin" in str(r.exception)
        assert service.engine.balances("acme") == []
        listed = _run("instruments", "--db", db)  # reading needs no lock
        assert listed.exit_code == 0, listed.output
        assert "min purity bp" in listed.output
        issued = _run("issue-key", "acme", "--db", db)
        assert issued.exit_code == 0, issued.output
    store = ServiceStore.open(db)
    try:
        actions = [a["action"] for a in store.audit_entries()]
    finally:
        store.close()
    assert actions == ["add_participant", "issue_key"]  # the refused deposit changed nothing


def test_policy_commands_are_journaled_and_audited(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    install_demo(db)
    r = _run("deny", "trader-de", "--reason", "listed", "--db", db, "--actor", "ops")
    assert r.exit_code == 0, r.output
    engine = read_exchange(db)
    assert engine.policy().denied == (("trader-de", "listed"),)
    assert engine.open_orders("trader-de") == []  # its demo orders were cancelled
    assert "trader-de" in _run("denied", "--db", db).output
    assert _run("undeny", "trader-de", "--db", db).exit_code == 0
    r = _run("restrict", "DY-OX", "--country", "KZ", "--country", "DE", "--db", db)
    assert r.exit_code == 0, r.output
    assert read_exchange(db).policy().jurisdictions[0] == ("DY-OX", ("DE", "KZ"))
    assert "DE, KZ" in _run("jurisdictions", "--db", db).output
    assert _run("unrestrict", "DY-OX", "--db", db).exit_code == 0
    r = _run("licence", "R-DY-CN-1", "--licence", "L-7", "--db", db)
    assert r.exit_code == 0, r.output
    receipt = read_exchange(db).receipt("R-DY-CN-1")
    assert receipt is not None
    assert receipt.export_licence == "L-7"
    assert _run("licence", "R-DY-CN-1", "--revoke", "--db", db).exit_code == 0
    r = _run("licence", "R-NONE", "--licence", "L-8", "--db", db)
    assert isinstance(r.exception, KazreeError)
    assert str(r.exception) == "grant_licence: unknown receipt 'R-NONE'"
    controls = read_exchange(db).policy().controls
    assert "cn_mofcom_18_2025" in {c.rule_id for c in controls}
    assert "cn_mofcom" in _run("export-controls", "--db", db).output
    store = ServiceStore.open(db)
    try:
        actions = [(a["actor"], a["action"]) for a in store.audit_entries()]
    finally:
        store.close()
    assert actions[1:] == [
        ("ops", "deny_party"),
        (actions[2][0], "lift_denial"),
        (actions[2][0], "set_jurisdiction"),
        (actions[2][0], "set_jurisdiction"),
        (actions[2][0], "grant_licence"),
        (actions[2][0], "revoke_licence"),
        (actions[2][0], "grant_licence"),
    ]


def test_auction_schedules_are_set_listed_and_cleared(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    install_demo(db)
    r = _run("auction-schedule", "TB-OX", "--opens", "09:45", "--uncross", "10:00", "--db", db)
    assert r.exit_code == 0, r.output
    assert "TB-OX: call phase 09:45 to 10:00 UTC on mon, tue, wed, thu, fri" in r.output
    r = _run(
        "auction-schedule",
        "DY-OX",
        "--opens",
        "14:00",
        "--uncross",
        "14:10",
        "--days",
        "sat,sun",
        "--db",
        db,
        "--actor",
        "ops",
    )
    assert r.exit_code == 0, r.output
    listed = _run("auction-schedules", "--db", db)
    assert listed.exit_code == 0
    lines = [line for line in listed.output.splitlines() if "-OX" in line]
    assert ["DY-OX" in lines[0], "sat,sun" in lines[0], "TB-OX" in lines[1]] == [True] * 3
    assert _run("auction-schedule", "DY-OX", "--clear", "--db", db).exit_code == 0
    store = ServiceStore.open(db)
    try:
        [tb] = store.auction_schedules().values()
        audit = [(a["actor"], a["action"], a["args"]) for a in store.audit_entries()]
    finally:
        store.close()
    assert (tb.instrument, tb.day_names) == ("TB-OX", ["mon", "tue", "wed", "thu", "fri"])
    assert audit[-2][:2] == ("ops", "set_auction_schedule")
    assert audit[-2][2] == {
        "instrument": "DY-OX",
        "opens": "14:00",
        "uncross": "14:10",
        "days": ["sat", "sun"],
    }
    assert audit[-1][1:] == ("clear_auction_schedule", {"instrument": "DY-OX"})


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["TB-OX", "--opens", "25:00", "--uncross", "10:00"], "opens = '25:00': need a UTC time"),
        (["TB-OX", "--opens", "10:00", "--uncross", "09:00"], "uncross = '09:00': must be after"),
        (["TB-OX", "--opens", "09:00", "--uncross", "10:00", "--days", "mon,x"], "days = ['x']"),
        (["TB-OX", "--opens", "09:00"], "--opens and --uncross are both needed"),
        (["GOLD", "--opens", "09:00", "--uncross", "10:00"], "unknown instrument 'GOLD'"),
        (["TB-OX", "--clear"], "instrument 'TB-OX': has no auction schedule"),
    ],
)
def test_auction_schedule_mistakes_are_one_line_errors(
    tmp_path: Path, args: list[str], message: str
) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    install_demo(db)
    r = _run("auction-schedule", *args, "--db", db)
    assert isinstance(r.exception, KazreeError)
    assert str(r.exception).startswith(message)
    store = ServiceStore.open(db)
    try:
        assert store.auction_schedules() == {}
    finally:
        store.close()
