"""End-to-end order throughput and acknowledgement latency of the exchange service.

Starts ``kazree serve`` on a loopback port with a fresh demo journal (SQLite file, or a private
schema on PostgreSQL with ``--pg URL``), funds four traders, then client processes place limit
buy orders over keep-alive HTTP/1.1 connections for ``--seconds`` (``--cancel``: each order is
cancelled once placed, two requests per order). Every ack is durable (group commit). Prints
orders/s, requests/s, p50/p99 ack latency and the CPU per request of the server and of the
clients: client and server share the machine, so the client is a minimal one.

    python benchmarks/api_bench.py [--seconds 10] [--procs 1] [--conns 32] [--cancel] [--pg URL]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import cast

import httpx
import orjson
import sqlalchemy as sa
import uvloop

from kazree.exchange.core.commands import DepositCash
from kazree.exchange.durability.durable import DurableExchange
from kazree.exchange.durability.store import database_url
from kazree.venue.demo import install_demo
from kazree.venue.store import ServiceStore

TRADERS = ("trader-de", "trader-jp", "trader-us", "trader-kz")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


_LENGTH = re.compile(rb"content-length: *(\d+)", re.IGNORECASE)


class _Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection: write a request, await its response.

    A minimal client (tens of microseconds of CPU per request) so that the figures measure
    the server, which shares the machine with it.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        buf = self._buffer
        buf += data
        head = buf.find(b"\r\n\r\n")
        if head < 0:
            return
        length = _LENGTH.search(buf, 0, head)
        end = head + 4 + (int(length.group(1)) if length else 0)
        if len(buf) < end:
            return
        status, body = int(buf[9:12]), bytes(buf[head + 4 : end])
        del buf[:end]
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result((status, body))

    def connection_lost(self, exc: Exception | None) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(ConnectionError("server closed the connection"))

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        """Send one request; its status and body."""
        assert self._transport is not None
        self._waiter = asyncio.get_running_loop().create_future()
        self._transport.write(raw)
        return await self._waiter


def _raw(method: str, path: str, key: str, body: bytes = b"") -> bytes:
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _conn(
    port: int, key: str, tag: str, until: float, cancel: bool, lat: list[float]
) -> None:
    loop = asyncio.get_running_loop()
    _, conn = await loop.create_connection(_Connection, "127.0.0.1", port)
    i = 0
    clock = time.perf_counter
    while clock() < until:
        body = orjson.dumps(
            {
                "client_order_id": f"{tag}-{i}",
                "instrument": "NDPR-OX",
                "side": "buy",
                "quantity_lots": 1,
                "price_ticks": 5_500 + i % 300,
            }
        )
        t0 = clock()
        status, answer = await conn.request(_raw("POST", "/v1/orders", key, body))
        t1 = clock()
        assert status == 201, answer
        lat.append(t1 - t0)
        if cancel:
            order_id = orjson.loads(answer)["order_id"]
            status, answer = await conn.request(_raw("DELETE", f"/v1/orders/{order_id}", key))
            lat.append(clock() - t1)
            assert status == 200, answer
        i += 1


def _client_proc(
    port: int,
    keys: list[str],
    conns: int,
    tag: str,
    seconds: float,
    cancel: bool,
    q: mp.Queue[tuple[list[float], float]],
) -> None:
    async def main() -> None:
        lat: list[float] = []
        cpu0 = time.process_time()
        until = time.perf_counter() + seconds
        await asyncio.gather(
            *(
                _conn(port, keys[c % len(keys)], f"{tag}c{c}", until, cancel, lat)
                for c in range(conns)
            )
        )
        q.put((lat, time.process_time() - cpu0))

    uvloop.run(main())


def _pg_schema(base: str) -> tuple[str, str]:
    schema = f"kz_bench_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(database_url(base))
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def _drop_schema(base: str, schema: str) -> None:
    engine = sa.create_engine(database_url(base))
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _fund(url: str, minor: int) -> None:
    """Give each benchmark trader enough cash to keep every order it places resting."""
    exchange = DurableExchange.open(url)
    try:
        exchange.submit_many([DepositCash(0, t, "USD", minor) for t in TRADERS])
    finally:
        exchange.close()


def run(url: str, seconds: float, procs: int, conns: int, cancel: bool) -> dict[str, float]:
    """Serve a fresh demo market on ``url``, load it for ``seconds``; the figures."""
    install_demo(url)
    _fund(url, 10**13)
    store = ServiceStore.open(url)
    keys = [store.issue_key(t) for t in TRADERS]
    store.close()
    port = _free_port()
    kazree = str(Path(sys.executable).parent / "kazree")
    server = subprocess.Popen(
        [kazree, "serve", "--db", url, "--port", str(port), "--rate-per-s", "1000000"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        q: mp.Queue[tuple[list[float], float]] = mp.Queue()
        workers = [
            mp.Process(target=_client_proc, args=(port, keys, conns, f"p{p}", seconds, cancel, q))
            for p in range(procs)
        ]
        server_cpu0 = _cpu_seconds(server.pid)
        t0 = time.perf_counter()
        for w in workers:
            w.start()
        answers = [q.get(timeout=seconds + 60) for _ in workers]
        elapsed = time.perf_counter() - t0
        server_cpu = _cpu_seconds(server.pid) - server_cpu0
        lat = sorted(x for times, _ in answers for x in times)
        client_cpu_s = sum(cpu for _, cpu in answers)
        for w in workers:
            w.join()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    n = len(lat)
    return {
        "requests": n,
        "requests_per_s": n / elapsed,
        "orders_per_s": (n / 2 if cancel else n) / elapsed,
        "p50_ms": lat[n // 2] * 1e3,
        "p99_ms": lat[min(n - 1, int(n * 0.99))] * 1e3,
        "server_cpu_ms": server_cpu / n * 1e3,
        "client_cpu_ms": client_cpu_s / n * 1e3,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--procs", type=int, default=1, help="client processes")
    parser.add_argument("--conns", type=int, default=32, help="connections per process")
    parser.add_argument(
        "--cancel", action="store_true", help="cancel each order after it is placed"
    )
    parser.add_argument("--pg", help="PostgreSQL URL (a private schema is created and dropped)")
    args = parser.parse_args()
    if args.pg:
        url, schema = _pg_schema(args.pg)
        backend = "postgresql"
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='api-bench-')) / 'exchange.db'}"
        backend, schema = "sqlite", ""
    try:
        f = run(url, args.seconds, args.procs, args.conns, args.cancel)
    finally:
        if args.pg:
            _drop_schema(args.pg, schema)
    what = "place + cancel per order" if args.cancel else "orders placed, resting"
    print(
        f"{backend} ({what}; {args.procs}x{args.conns} connections, {args.seconds:g} s, "
        f"{os.cpu_count()} cores): {f['orders_per_s']:,.0f} orders/s "
        f"({f['requests_per_s']:,.0f} requests/s), ack p50 {f['p50_ms']:.1f} ms, "
        f"p99 {f['p99_ms']:.1f} ms; CPU per request: server {f['server_cpu_ms']:.3f} ms, "
        f"clients {f['client_cpu_ms']:.3f} ms"
    )


if __name__ == "__main__":
    main()
