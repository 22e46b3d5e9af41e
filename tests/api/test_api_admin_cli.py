"""``kazree exchange admin``: participants, keys, cash, denied parties, all audited."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from kazree.api.store import KeyStatus, ServiceStore
from kazree.cli.exchange_admin import app
from kazree.errors import KazreeError
from kazree.exchange.durable import DurableExchange

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
        assert _run("deny", "acme", "--reason", "listed", "--db", db).exit_code == 0
        assert store.denied() == {"acme": "listed"}
        assert _run("undeny", "acme", "--db", db).exit_code == 0
        assert store.denied() == {}
        r = _run("restrict", "DY-OX", "--country", "KZ", "--country", "DE", "--db", db)
        assert r.exit_code == 0
        assert store.jurisdictions() == {"DY-OX": frozenset({"DE", "KZ"})}
        assert _run("unrestrict", "DY-OX", "--db", db).exit_code == 0
        assert store.jurisdictions() == {}
        actions = [(a["actor"], a["action"]) for a in store.audit_entries()]
    finally:
        store.close()
    assert actions[0] == ("ops", "AddParticipant")
    assert [a for _, a in actions] == [
        "AddParticipant",
        "DepositCash",
        "WithdrawCash",
        "issue_key",
        "revoke_key",
        "deny",
        "undeny",
        "restrict",
        "unrestrict",
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
    assert refused[0]["action"] == "WithdrawCash"
    assert "refused" in refused[0]["args"]
