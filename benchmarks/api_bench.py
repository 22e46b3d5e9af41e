"""End-to-end order throughput and acknowledgement latency of the exchange service.

Starts ``kazree serve`` on a loopback port with a fresh journal (SQLite file, or a private
schema on PostgreSQL with ``--pg URL``), then client processes send place/cancel pairs over
keep-alive HTTP/1.1 connections (aiohttp: about a quarter of httpx's CPU per request, so the
client is not the bottleneck) for ``--seconds``. Every ack is durable (group commit). Prints
order commands per second, p50/p99 ack latency and the clients' CPU per command. Client and
server share the machine.

    python benchmarks/api_bench.py [--seconds 10] [--procs 2] [--conns 16] [--pg URL]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
import httpx
import sqlalchemy as sa

from kazree.api.demo import install_demo
from kazree.api.store import ServiceStore
from kazree.exchange.store import database_url

TRADERS = ("trader-de", "trader-jp", "trader-us", "trader-kz")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _conn(http: aiohttp.ClientSession, tag: str, until: float, lat: list[float]) -> None:
    i = 0
    while time.perf_counter() < until:
        body = {
            "client_order_id": f"{tag}-{i}",
            "instrument": "NDPR-OX",
            "side": "buy",
            "quantity_lots": 1,
            "price_ticks": 5_500 + i % 300,
        }
        t0 = time.perf_counter()
        async with http.post("/v1/orders", json=body) as r:
            placed = await r.json()
            assert r.status == 201, placed
        t1 = time.perf_counter()
        async with http.delete(f"/v1/orders/{placed['order_id']}") as r:
            cancelled = await r.json()
            assert r.status == 200, cancelled
        t2 = time.perf_counter()
        lat += [t1 - t0, t2 - t1]
        i += 1


def _client_proc(
    base: str, keys: list[str], conns: int, tag: str, seconds: float, q: mp.Queue
) -> None:  # type: ignore[type-arg]
    async def main() -> list[float]:
        lat: list[float] = []
        cpu0 = time.process_time()
        until = time.perf_counter() + seconds
        sessions = [
            aiohttp.ClientSession(
                base,
                headers={"Authorization": f"Bearer {key}"},
                connector=aiohttp.TCPConnector(limit=conns),
            )
            for key in keys
        ]
        try:
            await asyncio.gather(
                *(_conn(sessions[c % len(keys)], f"{tag}c{c}", until, lat) for c in range(conns))
            )
        finally:
            for session in sessions:
                await session.close()
        q.put((lat, time.process_time() - cpu0))
        return lat

    asyncio.run(main())


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


def run(url: str, seconds: float, procs: int, conns: int) -> dict[str, float]:
    install_demo(url)
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
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        q: mp.Queue = mp.Queue()  # type: ignore[type-arg]
        workers = [
            mp.Process(target=_client_proc, args=(base, keys, conns, f"p{p}", seconds, q))
            for p in range(procs)
        ]
        t0 = time.perf_counter()
        for w in workers:
            w.start()
        answers = [q.get() for _ in workers]
        elapsed = time.perf_counter() - t0
        lat = sorted(x for times, _ in answers for x in times)
        client_cpu_s = sum(cpu for _, cpu in answers)
        for w in workers:
            w.join()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    n = len(lat)
    return {
        "commands": n,
        "commands_per_s": n / elapsed,
        "p50_ms": lat[n // 2] * 1e3,
        "p99_ms": lat[min(n - 1, int(n * 0.99))] * 1e3,
        "client_cpu_ms_per_command": client_cpu_s / n * 1e3,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--procs", type=int, default=2, help="client processes")
    parser.add_argument("--conns", type=int, default=16, help="connections per process")
    parser.add_argument("--pg", help="PostgreSQL URL (a private schema is created and dropped)")
    args = parser.parse_args()
    if args.pg:
        url, schema = _pg_schema(args.pg)
        backend = "postgresql"
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='api-bench-')) / 'exchange.db'}"
        backend, schema = "sqlite", ""
    try:
        figures = run(url, args.seconds, args.procs, args.conns)
    finally:
        if args.pg:
            _drop_schema(args.pg, schema)
    print(
        f"{backend}: {figures['commands']:.0f} order commands (each order placed, then "
        f"cancelled; every ack durable) in {args.seconds:g} s over "
        f"{args.procs}x{args.conns} connections: {figures['commands_per_s']:,.0f} commands/s "
        f"({figures['commands_per_s'] / 2:,.0f} orders/s), ack p50 {figures['p50_ms']:.1f} ms, "
        f"p99 {figures['p99_ms']:.1f} ms; the clients used "
        f"{figures['client_cpu_ms_per_command']:.2f} ms of CPU per command"
    )


if __name__ == "__main__":
    main()
