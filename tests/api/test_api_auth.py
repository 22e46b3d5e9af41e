"""Authentication under attack: wrong secrets limited per client address and verified one at a
time off the event loop; malformed keys refused before any database access."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from api_support import Market, database, demo_market, install_keys, served
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from databases import BACKENDS
from kazree.api.app import create_app
from kazree.api.auth import KeyVerifier
from kazree.venue import store as keys_store
from kazree.venue.ratelimit import TokenBuckets
from kazree.venue.settings import Settings


class ScryptCounter:
    """Wraps the key hash: how many ran, and how many at once at most."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()
        real = keys_store._scrypt

        def counted(secret: str, salt: bytes) -> bytes:
            with self._lock:
                self.calls += 1
                self.running += 1
                self.most_at_once = max(self.most_at_once, self.running)
            try:
                return real(secret, salt)
            finally:
                with self._lock:
                    self.running -= 1

        monkeypatch.setattr(keys_store, "_scrypt", counted)


def _wrong(key: str) -> str:
    """The same key id with a wrong secret (costs a full hash unless limited)."""
    return key.rsplit("_", 1)[0] + "_" + "x" * 32


@pytest.fixture
def market(tmp_path: Path) -> Iterator[Market]:
    """The demo market, its failure allowance refilling too slowly to matter in a test."""
    with demo_market(f"sqlite:///{tmp_path / 'exchange.db'}", auth_failures_per_s=0.001) as m:
        yield m


def test_wrong_secrets_are_limited_per_client_address(
    market: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok = market.client.get("/v1/instruments", headers=market.headers("observer"))
    assert ok.status_code == 200  # verified once: later checks of this key are cheap
    scrypt = ScryptCounter(monkeypatch)
    burst = market.service.settings.auth_failure_burst
    bad = {"Authorization": f"Bearer {_wrong(market.keys['trader'])}"}
    codes = [market.client.get("/v1/instruments", headers=bad).status_code for _ in range(30)]
    assert codes == [401] * burst + [429] * (30 - burst)
    assert scrypt.calls == burst
    r = market.client.get("/v1/instruments", headers=bad)
    assert (r.status_code, r.json()["code"]) == (429, "auth.too_many_failures")
    assert int(r.headers["retry-after"]) >= 1
    assert "from this address" in r.json()["detail"]
    # a key already verified is still served from this address; a new one must wait
    assert (
        market.client.get("/v1/instruments", headers=market.headers("observer")).status_code == 200
    )
    fresh = market.client.get("/v1/instruments", headers=market.headers("admin"))
    assert (fresh.status_code, fresh.json()["code"]) == (429, "auth.too_many_failures")
    # another address has its own allowance
    elsewhere = TestClient(market.client.app, client=("192.0.2.7", 40000))
    assert elsewhere.get("/v1/instruments", headers=market.headers("admin")).status_code == 200
    assert elsewhere.get("/v1/instruments", headers=bad).status_code == 401
    assert scrypt.calls == burst + 2


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "key",
    ["kz_abc\x00def_secret", "kz_" + "a" * 5_000 + "_secret", "kz_abc_sec\x00ret", "kz_ab c_s"],
)
def test_malformed_keys_are_refused_before_the_database(
    backend: str, tmp_path: Path, key: str
) -> None:
    with database(backend, tmp_path) as url:
        install_keys(url)
        with TestClient(create_app(Settings(db_url=url))) as client:
            with client.websocket_connect("/v1/ws", params={"key": key}) as ws:
                message = ws.receive_json()
                assert message["code"] == "auth.unauthenticated"
                assert message["detail"].startswith("API key malformed")
                with pytest.raises(WebSocketDisconnect) as closed:
                    ws.receive_json()
                assert closed.value.code == 4401
            if "\x00" not in key and " " not in key:
                r = client.get("/v1/instruments", headers={"X-API-Key": key})
                assert r.status_code == 401
                assert r.json()["detail"].startswith("API key malformed")


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    url = f"sqlite:///{tmp_path / 'exchange.db'}"
    keys = install_keys(url)
    with served(create_app(Settings(db_url=url))) as base:
        yield base, keys


def test_a_flood_of_wrong_secrets_hashes_one_at_a_time_and_a_verified_key_is_served(
    live: tuple[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """100 attackers at 100 addresses (as a local proxy reports them), each trying a real key
    id with a wrong secret and an unknown key id."""
    base, keys = live
    good = {"Authorization": f"Bearer {keys['observer']}"}
    client = httpx.Client(base_url=base, timeout=30, limits=httpx.Limits(max_connections=200))
    assert client.get("/v1/instruments", headers=good).status_code == 200
    scrypt = ScryptCounter(monkeypatch)
    attempts = [
        (f"198.51.100.{n}", key)
        for n in range(100)
        for key in (_wrong(keys["trader"]), f"kz_{n:012x}_{'x' * 32}")
    ]

    def attack(attempt: tuple[str, str]) -> int:
        address, key = attempt
        headers = {"X-API-Key": key, "X-Forwarded-For": address}
        return client.get("/v1/instruments", headers=headers).status_code

    with ThreadPoolExecutor(max_workers=100) as pool:
        attacks = pool.map(attack, attempts)
        served_meanwhile = [
            client.get("/v1/instruments", headers=good).status_code for _ in range(5)
        ]
        codes = list(attacks)
    client.close()
    assert served_meanwhile == [200] * 5
    assert set(codes) <= {401, 503}  # refused, or told to come back when the queue is full
    assert 503 in codes
    assert 1 <= scrypt.calls <= 100
    assert scrypt.most_at_once == 1


def test_a_clients_first_requests_arriving_together_cost_one_check(
    live: tuple[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """32 connections sending a new key at once: one scrypt, no failure charged, all served."""
    base, keys = live
    scrypt = ScryptCounter(monkeypatch)
    client = httpx.Client(base_url=base, timeout=30, limits=httpx.Limits(max_connections=64))
    headers = {"Authorization": f"Bearer {keys['trader']}"}
    with ThreadPoolExecutor(max_workers=32) as pool:
        codes = list(pool.map(lambda _: client.get("/v1/instruments", headers=headers), range(32)))
    client.close()
    assert [r.status_code for r in codes] == [200] * 32
    assert scrypt.calls == 1


def test_a_checked_key_is_trusted_for_the_recheck_time_then_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within KEY_RECHECK_S the exact key costs a lookup (no hash, no row read); a wrong secret
    never matches it; after it the row is read again, so a revocation takes effect."""
    store = keys_store.ServiceStore.open(f"sqlite:///{tmp_path / 'keys.db'}")
    try:
        key = store.issue_key("trader-de")
        other = store.issue_key("trader-jp")
        clock = [1_000.0]
        monkeypatch.setattr(keys_store, "time", SimpleNamespace(monotonic=lambda: clock[0]))
        assert store.recent_check(key) is None  # never checked here
        checked = store.check_key(key)
        assert (checked.status, checked.participant) == (keys_store.KeyStatus.VALID, "trader-de")
        hashes: list[str] = []
        monkeypatch.setattr(keys_store.hashlib, "sha256", lambda *a: hashes.append("sha"))
        clock[0] += keys_store.KEY_RECHECK_S
        assert store.recent_check(key) == checked
        assert hashes == []  # a lookup, no hash
        assert store.recent_check(_wrong(key)) is None
        assert store.recent_check(key + "x") is None
        assert store.recent_check(other) is None
        monkeypatch.undo()
        monkeypatch.setattr(keys_store, "time", SimpleNamespace(monotonic=lambda: clock[0]))
        store.revoke_key(checked.key_id or "")
        assert store.recent_check(key) == checked  # trusted until the recheck time is up
        clock[0] += 0.001
        assert store.recent_check(key) is None
        revoked = store.check_key(key)
        assert revoked.status is keys_store.KeyStatus.REVOKED
        assert store.recent_check(key) == revoked
        store.check_key(other)  # a later check forgets the stale keys it holds
        clock[0] += keys_store.KEY_RECHECK_S + 1
        store.check_key(other)
        assert list(store._recent) == [other]
    finally:
        store.close()


def test_a_stale_key_presented_on_many_connections_is_read_again_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When a key's check goes stale, the requests presenting it together share one row read;
    each request with a wrong secret is still charged to its address."""
    store = keys_store.ServiceStore.open(f"sqlite:///{tmp_path / 'keys.db'}")
    verifier = KeyVerifier(store, TokenBuckets(0.001, 100))
    try:
        key = store.issue_key("trader-de")
        reads: list[str] = []
        real = store.check_key

        def counted(presented: str) -> keys_store.KeyCheck:
            reads.append(presented)
            return real(presented)

        monkeypatch.setattr(store, "check_key", counted)
        clock = [1_000.0]
        monkeypatch.setattr(keys_store, "time", SimpleNamespace(monotonic=lambda: clock[0]))

        async def together(presented: str, n: int) -> list[keys_store.KeyCheck]:
            return await asyncio.gather(*(verifier.check(presented, "10.0.0.1") for _ in range(n)))

        first = asyncio.run(together(key, 8))  # the first use: one scrypt for all eight
        assert len(reads) == 1
        assert {c.status for c in first} == {keys_store.KeyStatus.VALID}
        clock[0] += keys_store.KEY_RECHECK_S + 0.5
        again = asyncio.run(together(key, 32))
        assert len(reads) == 2
        assert again == first[:1] * 32
        asyncio.run(together(key, 32))  # still fresh: no read
        assert len(reads) == 2
        wrong = asyncio.run(together(_wrong(key), 5))
        assert len(reads) == 3
        assert {c.status for c in wrong} == {keys_store.KeyStatus.UNKNOWN}
        assert verifier._failures.take("10.0.0.1") == 0  # 5 of the 100 charged, one each
        assert sum(verifier._failures.take("10.0.0.1") == 0 for _ in range(100)) == 94
    finally:
        verifier.close()
        store.close()
