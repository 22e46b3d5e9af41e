"""A legitimate client's latency while attackers flood the service with wrong API secrets.

Starts ``kazree serve --demo`` on a loopback port, verifies one key, then runs ``--attackers``
concurrent clients that each send, for ``--seconds``, requests with a real key id and a wrong
secret (each would cost a full scrypt), from one address or (``--spread``) from as many
addresses as attackers (as a local reverse proxy reports them in ``X-Forwarded-For``).
Meanwhile the legitimate client reads ``/v1/instruments`` every 50 ms. Prints its latency
(p50, p99, max), the attackers' answers by status, and the server's CPU per second.

    python benchmarks/auth_flood_bench.py [--attackers 100] [--seconds 10] [--spread]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
import uvloop

from api_bench import _Connection, _free_port, _raw


def _start(port: int) -> tuple[subprocess.Popen[str], dict[str, str]]:
    kazree = str(Path(sys.executable).parent / "kazree")
    cmd = [kazree, "serve", "--demo", "--port", str(port), "--rate-per-s", "1000000"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    keys: dict[str, str] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        parts = line.split()
        if len(parts) == 2 and parts[1].startswith("kz_"):
            keys[parts[0]] = parts[1]
        if line.startswith("call auction"):
            break
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                return proc, keys
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    msg = "the server did not become ready"
    raise RuntimeError(msg)


async def _connect(port: int) -> _Connection:
    _, conn = await asyncio.get_running_loop().create_connection(_Connection, "127.0.0.1", port)
    return conn


async def _attack(
    port: int, key: str, address: str | None, until: float, seen: Counter[int]
) -> None:
    raw = _raw("GET", "/v1/instruments", key)
    if address:
        raw = raw.replace(b"\r\n\r\n", f"\r\nX-Forwarded-For: {address}\r\n\r\n".encode(), 1)
    conn = await _connect(port)
    while time.monotonic() < until:
        try:
            status, _ = await conn.request(raw)
        except ConnectionError:
            seen[0] += 1
            conn = await _connect(port)
            continue
        seen[status] += 1


async def _legit(port: int, key: str, until: float) -> list[float]:
    conn = await _connect(port)
    raw = _raw("GET", "/v1/instruments", key)
    latencies = []
    while time.monotonic() < until:
        t0 = time.perf_counter()
        status, body = await conn.request(raw)
        latencies.append(time.perf_counter() - t0)
        assert status == 200, body
        await asyncio.sleep(0.05)
    return latencies


async def _run(port: int, keys: dict[str, str], args: argparse.Namespace) -> None:
    good = keys["regulator"]
    r = httpx.get(f"http://127.0.0.1:{port}/v1/instruments", headers={"X-API-Key": good})
    assert r.status_code == 200, r.text
    wrong = keys["trader-de"].rsplit("_", 1)[0] + "_" + "x" * 32
    until = time.monotonic() + args.seconds
    seen: Counter[int] = Counter()
    attackers = [
        _attack(port, wrong, f"198.51.100.{n % 250}" if args.spread else None, until, seen)
        for n in range(args.attackers)
    ]
    results = await asyncio.gather(_legit(port, good, until), *attackers)
    latencies = sorted(results[0])
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    print(
        f"legitimate reads: {len(latencies)}, p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, "
        f"max {latencies[-1] * 1000:.1f} ms"
    )
    print("attackers' answers:", dict(sorted(seen.items())), "(0 = connection closed)")


def main() -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attackers", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--spread", action="store_true", help="one address per attacker")
    args = parser.parse_args()
    port = _free_port()
    proc, keys = _start(port)
    cpu0 = os.times()
    try:
        t0 = time.monotonic()
        uvloop.run(_run(port, keys, args))
        elapsed = time.monotonic() - t0
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    cpu = os.times()
    server_cpu = (cpu.children_user + cpu.children_system) - (
        cpu0.children_user + cpu0.children_system
    )
    print(f"server CPU: {server_cpu / elapsed:.2f} s per second ({os.cpu_count()} cores here)")


if __name__ == "__main__":
    main()
