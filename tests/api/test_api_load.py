"""Loopback load: concurrent clients place and cancel while the server is killed and restarted.

Bounded in count (clients x operations) and time. Afterwards every acknowledged order is in
the journal with its acknowledged id, every acknowledged cancel took effect, the conservation
invariants hold, and each WebSocket connection saw consecutive sequence numbers.
"""

from __future__ import annotations

import asyncio
import json
import random
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import websockets
from api_support import database, install_keys

from databases import BACKENDS
from kazree.exchange.durability.durable import DurableExchange
from kazree.exchange.durability.store import JournalStore
from kazree.venue.store import ServiceStore

pytestmark = pytest.mark.slow

CLIENTS = ("trader-de", "trader-kz", "trader-us", "trader-jp")
OPS_PER_CLIENT = 60
PAUSE_AT = OPS_PER_CLIENT * 2 // 3
"""Each client waits here until the restart is over, so a third of the load comes after it."""
TIME_LIMIT_S = 150


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``kazree serve`` in a child process on a loopback port."""

    def __init__(self, url: str, port: int, log: Path) -> None:
        self.url, self.port, self.log = url, port, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        kazree = str(Path(sys.executable).parent / "kazree")
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [
                    kazree,
                    "serve",
                    "--db",
                    self.url,
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                stdout=out,
                stderr=out,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert self.proc.poll() is None, self.log.read_text()
            time.sleep(0.1)
        raise AssertionError("server did not become ready")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=60)


@dataclass
class Tally:
    """What the clients were told."""

    placed: dict[tuple[str, str], int] = field(default_factory=dict)
    """(participant, client_order_id) -> acknowledged order id."""
    cancelled: set[int] = field(default_factory=set)
    failures: int = 0
    done: int = 0
    placed_before_restart: int = 0


async def _send(http: httpx.AsyncClient, method: str, url: str, tally: Tally, **kw: object):
    """Send, retrying while the server restarts (the same request: an order placed before the
    kill answers 409 duplicate on the retry, and is then not counted as acknowledged)."""
    deadline = time.monotonic() + 90
    while True:
        try:
            return await http.request(method, url, **kw)  # type: ignore[arg-type]
        except httpx.TransportError:
            tally.failures += 1
            assert time.monotonic() < deadline, "server did not come back"
            await asyncio.sleep(0.2)


async def _client(
    name: str, key: str, base: str, tally: Tally, rng: random.Random, restarted: asyncio.Event
) -> None:
    sells = name in ("trader-kz", "trader-us")
    open_ids: list[int] = []
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=10) as http:
        for i in range(OPS_PER_CLIENT):
            if i == PAUSE_AT:
                await restarted.wait()
            if open_ids and rng.random() < 0.3:
                order_id = open_ids.pop(rng.randrange(len(open_ids)))
                r = await _send(http, "DELETE", f"/v1/orders/{order_id}", tally)
                if r.status_code == 200:
                    tally.cancelled.add(order_id)
            else:
                side = "sell" if sells and rng.random() < 0.7 else "buy"
                price = rng.randint(5_900, 6_000) if side == "buy" else rng.randint(5_990, 6_100)
                cid = f"{name}-{i}"
                body = {
                    "client_order_id": cid,
                    "instrument": "NDPR-OX",
                    "side": side,
                    "quantity_lots": rng.randint(1, 3),
                    "price_ticks": price,
                }
                r = await _send(http, "POST", "/v1/orders", tally, json=body)
                if r.status_code == 201:
                    order_id = r.json()["order_id"]
                    tally.placed[(name, cid)] = order_id
                    open_ids.append(order_id)
            assert r.status_code < 500, r.text
            tally.done += 1


async def _watch(
    base: str, key: str, stop: asyncio.Event, gaps: list[str], seen: list[int]
) -> None:
    """Subscribe to the book and trades; reconnect after a restart; record any gap."""
    url = base.replace("http", "ws") + "/v1/ws"
    while not stop.is_set():
        try:
            async with websockets.connect(url, additional_headers={"X-API-Key": key}) as ws:
                last: dict[str, int] = {}
                for channel in ("book", "trades"):
                    await ws.send(
                        json.dumps({"op": "subscribe", "channel": channel, "instrument": "NDPR-OX"})
                    )
                while not stop.is_set():
                    try:
                        msg = json.loads(await asyncio.wait_for(ws.recv(), 0.5))
                    except TimeoutError:
                        continue
                    channel, seq = msg["channel"], msg["seq"]
                    if msg["type"] == "delta" and seq != last[channel] + 1:
                        gaps.append(f"{channel}: {last[channel]} -> {seq}")
                    last[channel] = seq
                    seen.append(seq)
        except (OSError, websockets.ConnectionClosed):
            await asyncio.sleep(0.2)


async def _load(server: Server, keys: dict[str, str]) -> tuple[Tally, list[str], list[int]]:
    base = f"http://127.0.0.1:{server.port}"
    tally, gaps, seen = Tally(), [], []
    stop, restarted = asyncio.Event(), asyncio.Event()
    watcher = asyncio.create_task(_watch(base, keys["regulator"], stop, gaps, seen))
    clients = [
        asyncio.create_task(_client(n, keys[n], base, tally, random.Random(k), restarted))
        for k, n in enumerate(CLIENTS)
    ]
    total = len(CLIENTS) * OPS_PER_CLIENT
    while tally.done < total // 2:  # clients are still sending
        await asyncio.sleep(0.01)
    await asyncio.to_thread(server.kill)
    tally.placed_before_restart = len(tally.placed)
    await asyncio.to_thread(server.start)
    restarted.set()
    await asyncio.gather(*clients)
    await asyncio.sleep(0.5)
    stop.set()
    await watcher
    return tally, gaps, seen


@pytest.mark.parametrize("backend", BACKENDS)
def test_load_with_restart_loses_no_acknowledged_order(backend: str, tmp_path: Path) -> None:
    with database(backend, tmp_path) as url:
        _load_and_check(url, tmp_path)


def _load_and_check(url: str, tmp_path: Path) -> None:
    keys = install_keys(url)
    store = ServiceStore.open(url)
    try:
        keys.update({p: store.issue_key(p) for p in (*CLIENTS, "regulator")})
    finally:
        store.close()
    server = Server(url, _free_port(), tmp_path / "server.log")
    server.start()
    try:
        tally, gaps, seen = asyncio.run(asyncio.wait_for(_load(server, keys), TIME_LIMIT_S))
    finally:
        server.stop()

    assert len(tally.placed) > len(CLIENTS) * OPS_PER_CLIENT // 3
    assert 0 < tally.placed_before_restart < len(tally.placed)
    journaled: dict[tuple[str, str], int] = {}
    journal = JournalStore.open(url)
    try:
        for entry in journal.entries():
            cmd, events = json.loads(entry.command), json.loads(entry.events)
            if cmd["type"] == "place_order" and events[0]["type"] == "accepted":
                journaled[(cmd["participant"], cmd["client_order_id"])] = events[0]["order_id"]
    finally:
        journal.close()
    missing = {k: v for k, v in tally.placed.items() if journaled.get(k) != v}
    assert missing == {}
    with DurableExchange.open(url) as ex:
        engine = ex.engine
        still_open = {o.order_id for name in CLIENTS for o in engine.open_orders(name)}
        assert tally.cancelled.isdisjoint(still_open)
        assert engine.check_conservation() == []
        assert engine.invariants() == []
    assert gaps == []
    assert len(seen) > 10
    assert "journal flushed" in (tmp_path / "server.log").read_text()
