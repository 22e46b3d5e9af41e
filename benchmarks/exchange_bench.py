"""Throughput and latency of the exchange engine on a seeded order mix.

The mix: 50 % new resting limit orders, 15 % crossing orders (marketable limit and IOC),
20 % cancels, 15 % replaces, over three instruments and eight traders. Setup commands are
not timed. ``commands/s`` is the number of commands over the wall time spent inside ``apply``,
``per CPU s`` the same over this process's CPU time (the fairer figure on a shared machine,
where other processes take the core away); latencies are wall time per ``apply`` call.
Prints figures; asserts nothing.

With ``--durable sqlite`` and/or ``--durable postgresql`` the same commands also go through
the durable journal in group-committed batches (``--batch``, default 500); see
:func:`run_durable` for what is timed there.

Run: ``.venv/bin/python benchmarks/exchange_bench.py [N] [--durable sqlite] [--batch 500]``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import sqlalchemy as sa

from kazree.exchange.core import matching
from kazree.exchange.core.commands import CancelOrder, Command, PlaceOrder, ReplaceOrder
from kazree.exchange.core.domain import Side, TimeInForce
from kazree.exchange.core.engine import Exchange
from kazree.exchange.core.events import Accepted, Cancelled, Event, Rejected, Replaced, Trade
from kazree.exchange.core.sample import SPECS, setup_commands, trader_names
from kazree.exchange.durability.durable import DurableExchange
from kazree.exchange.durability.store import database_url
from kazree.venue.tuning import tune_gc


class Applies(Protocol):
    def apply(self, cmd: Command) -> list[Event]: ...


def run_mix(exchange_factory: Callable[[], Applies], n: int, seed: int) -> dict[str, Any]:
    """Apply the set-up and then ``n`` mixed commands; return the timing figures."""
    ex = exchange_factory()
    traders = trader_names(8)
    for cmd in setup_commands(traders=len(traders), cash_minor=10**14, receipt_kg=10**9):
        ex.apply(cmd)
    tune_gc()  # as the service does once the state is recovered
    rng = random.Random(seed)
    open_lots: dict[int, int] = {}  # order id -> open lots, from the events
    owner: dict[int, tuple[str, str]] = {}  # order id -> (participant, instrument)
    live: list[int] = []  # candidate ids for cancel/replace; stale ones are skipped
    refs = {s.instrument: s.reference_ticks for s in SPECS}
    latencies = [0] * n
    trades = rejects = 0
    ts = 1_780_000_000_000_000
    clock = time.perf_counter_ns
    cpu_clock = time.process_time_ns
    cpu_ns = 0

    def pick(remove: bool) -> int | None:
        while live:
            i = rng.randrange(len(live))
            oid = live[i]
            if oid in open_lots:
                if remove:
                    live[i] = live[-1]
                    live.pop()
                return oid
            live[i] = live[-1]
            live.pop()
        return None

    for i in range(n):
        ts += 1000
        roll = rng.random()
        target = pick(remove=roll < 0.85) if roll >= 0.65 else None
        cmd: Command
        if target is None:
            spec = SPECS[rng.randrange(len(SPECS))]
            side = Side.BUY if rng.random() < 0.5 else Side.SELL
            ref = refs[spec.instrument]
            crossing = 0.50 <= roll < 0.65
            if crossing:
                price = ref + 45 if side is Side.BUY else ref - 45
            else:
                offset = rng.randint(1, 40)
                price = ref - offset if side is Side.BUY else ref + offset
            who = traders[rng.randrange(len(traders))]
            if spec.excluded_origins and side is Side.SELL:
                who = traders[2 * rng.randrange(len(traders) // 2)]  # holders of KZ receipts
            cmd = PlaceOrder(
                ts,
                who,
                f"o{i}",
                spec.instrument,
                side,
                rng.randint(1, 10),
                price_ticks=price,
                tif=TimeInForce.IOC if crossing and rng.random() < 0.5 else TimeInForce.GTC,
            )
        elif roll < 0.85:
            cmd = CancelOrder(ts, owner[target][0], target)
        elif rng.random() < 0.5:
            cmd = ReplaceOrder(ts, owner[target][0], target, quantity_lots=rng.randint(1, 5))
        else:
            price = refs[owner[target][1]] + rng.randint(-40, 40)
            cmd = ReplaceOrder(ts, owner[target][0], target, price_ticks=price)
        cpu_start = cpu_clock()
        start = clock()
        events = ex.apply(cmd)
        latencies[i] = clock() - start
        cpu_ns += cpu_clock() - cpu_start
        for e in events:
            if isinstance(e, Trade):
                trades += 1
                for oid in (e.buy_order_id, e.sell_order_id):
                    if oid in open_lots:
                        open_lots[oid] -= e.quantity_lots
                        if not open_lots[oid]:
                            del open_lots[oid]
            elif isinstance(e, Cancelled):
                open_lots.pop(e.order_id, None)
            elif isinstance(e, Replaced):
                open_lots[e.order_id] = e.quantity_lots
            elif isinstance(e, Rejected):
                rejects += 1
        if isinstance(cmd, PlaceOrder) and cmd.tif is TimeInForce.GTC:
            first = events[0]
            assert isinstance(first, Accepted)
            assert first.order_id is not None
            left = cmd.quantity_lots - sum(e.quantity_lots for e in events if isinstance(e, Trade))
            if left:
                open_lots[first.order_id] = left
                owner[first.order_id] = (cmd.participant, cmd.instrument)
                live.append(first.order_id)
    seconds = sum(latencies) / 1e9
    ordered = sorted(latencies)
    return {
        "commands": n,
        "seconds": seconds,
        "commands_per_s": n / seconds,
        "cpu_seconds": cpu_ns / 1e9,
        "commands_per_cpu_s": n / (cpu_ns / 1e9),
        "p50_us": ordered[n // 2] / 1000,
        "p99_us": ordered[int(n * 0.99)] / 1000,
        "mean_us": statistics.fmean(latencies) / 1000,
        "trades": trades,
        "rejects": rejects,
    }


def report(label: str, figures: dict[str, Any]) -> None:
    """Print one line of figures."""
    per_cpu = ""
    if "commands_per_cpu_s" in figures:
        per_cpu = f" ({figures['commands_per_cpu_s']:,.0f} per CPU s)"
    print(
        f"{label:<10} {figures['commands']:>9} commands  {figures['seconds']:7.2f} s  "
        f"{figures['commands_per_s']:>9,.0f} commands/s{per_cpu}  p50 {figures['p50_us']:6.1f} us  "
        f"p99 {figures['p99_us']:7.1f} us  trades {figures['trades']}  "
        f"rejects {figures['rejects']}"
    )


# -- durable mode: the same commands through the journal, group-committed ------------------


class _Recorder:
    """An in-memory exchange that keeps the commands it applies."""

    def __init__(self) -> None:
        self.engine = Exchange()
        self.commands: list[Command] = []

    def apply(self, cmd: Command) -> list[Event]:
        self.commands.append(cmd)
        return self.engine.apply(cmd)


def recorded_mix(n: int, seed: int) -> tuple[list[Command], list[Command]]:
    """The set-up commands and the ``n`` mixed commands of :func:`run_mix`."""
    recorders: list[_Recorder] = []

    def factory() -> _Recorder:
        recorders.append(_Recorder())
        return recorders[-1]

    run_mix(factory, n, seed)
    commands = recorders[0].commands
    return commands[:-n], commands[-n:]


@contextmanager
def journal_url(backend: str) -> Iterator[str]:
    """A fresh journal: a SQLite file on disk, or a private PostgreSQL schema.

    PostgreSQL comes from ``KAZREE_TEST_PG_URL`` (default: postgres on localhost, db ``test``).
    """
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(dir=".") as tmp:
            yield f"sqlite:///{tmp}/journal.db"
        return
    base = os.environ.get("KAZREE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
    schema = f"kz_bench_{os.getpid()}"
    admin = sa.create_engine(database_url(base))
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def run_durable(
    url: str, setup: list[Command], mix: list[Command], batch: int, snapshot_every: int
) -> dict[str, Any]:
    """Submit ``mix`` in batches of ``batch`` commands (one transaction each) after the set-up.

    ``commands/s`` counts wall time from the first batch to the last commit (apply, journal
    encoding, hashing, writes, fsyncs and a snapshot every ``snapshot_every`` commands). A
    command's latency is its whole batch's submit time, as if every command of the batch
    arrived when it started: what a client of a group-committing writer sees under full load.
    """
    latencies: list[int] = []
    trades = rejects = 0
    clock = time.perf_counter_ns
    with DurableExchange.open(url, snapshot_every=snapshot_every) as ex:
        ex.submit_many(setup)
        first, first_cpu = clock(), time.process_time_ns()
        for i in range(0, len(mix), batch):
            chunk = mix[i : i + batch]
            start = clock()
            results = ex.submit_many(chunk)
            latencies += [clock() - start] * len(chunk)
            for events in results:
                rejects += isinstance(events[0], Rejected)
                trades += sum(1 for e in events if isinstance(e, Trade))
        seconds = (clock() - first) / 1e9
        cpu_seconds = (time.process_time_ns() - first_cpu) / 1e9
    reopen = clock()
    DurableExchange.open(url).close()  # latest snapshot + replay of the entries after it
    n = len(mix)
    ordered = sorted(latencies)
    return {
        "commands": n,
        "seconds": seconds,
        "commands_per_s": n / seconds,
        "cpu_seconds": cpu_seconds,
        "commands_per_cpu_s": n / cpu_seconds,
        "max_batch_ms": ordered[-1] / 1e6,
        "reopen_s": (clock() - reopen) / 1e9,
        "p50_us": ordered[n // 2] / 1000,
        "p99_us": ordered[int(n * 0.99)] / 1000,
        "mean_us": statistics.fmean(latencies) / 1000,
        "trades": trades,
        "rejects": rejects,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=200_000, help="mixed commands")
    parser.add_argument(
        "--durable",
        choices=["sqlite", "postgresql"],
        action="append",
        default=[],
        help="also run the mix through a durable journal on this database (repeatable)",
    )
    parser.add_argument(
        "--batch", type=int, action="append", help="group-commit batch size (default 500)"
    )
    parser.add_argument(
        "--snapshot-every", type=int, default=100_000, help="journal snapshot interval"
    )
    args = parser.parse_args()
    engine = "compiled (mypyc)" if matching.__file__.endswith(".so") else "pure Python"
    print(f"cpus: {os.cpu_count()}  python: {sys.version.split()[0]}  engine: {engine}")
    report("in-memory", run_mix(Exchange, args.n, seed=1))
    if args.durable:
        setup, mix = recorded_mix(args.n, seed=1)
    for backend in args.durable:
        for batch in args.batch or [500]:
            with journal_url(backend) as url:
                figures = run_durable(url, setup, mix, batch, args.snapshot_every)
            report(f"{backend}/{batch}", figures)
            print(
                f"{'':<10} longest batch {figures['max_batch_ms']:,.0f} ms (incl. snapshots); "
                f"reopen (snapshot + replay) {figures['reopen_s']:.2f} s"
            )


if __name__ == "__main__":
    main()
