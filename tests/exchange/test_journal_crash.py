"""Crash test: SIGKILL a process mid-stream; every acknowledged command survives, nothing half.

Run as a script, this module is the worker: it opens the journal, resumes the seeded stream
where the journal ends, submits it in batches and prints each batch's last seq once durable.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from journal_support import journal_url, stream

import kazree
from databases import BACKENDS
from kazree.exchange.core.commands import command_to_json
from kazree.exchange.core.engine import Exchange
from kazree.exchange.durability.durable import DurableExchange
from kazree.exchange.durability.journal import canonical_json
from kazree.exchange.durability.store import JournalStore

STREAM_LENGTH = 3_000
TESTS = Path(__file__).resolve().parents[1]
SOURCE = Path(kazree.__file__).resolve().parents[1]
"""Where the kazree under test lives, so that the worker process imports the same one."""
SEED = 11


def work(url: str) -> None:
    """Submit the rest of the stream in seeded random batches, printing each durable ack."""
    commands = stream(STREAM_LENGTH, SEED)
    rng = random.Random(os.getpid())
    with DurableExchange.open(url, snapshot_every=200) as ex:
        while ex.seq < len(commands):
            batch = commands[ex.seq : ex.seq + rng.randint(1, 40)]
            ex.submit_many(batch)
            print(ex.seq, flush=True)


def _start(url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, __file__, url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # the shared test helpers and the kazree under test
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), str(SOURCE)])},
    )


def _kill_after(worker: subprocess.Popen[str], acks: int) -> int:
    """SIGKILL the worker after ``acks`` acknowledgements; the highest seq it acknowledged."""
    assert worker.stdout is not None
    seen: list[int] = []
    for line in worker.stdout:
        seen.append(int(line))
        if len(seen) == acks:
            os.kill(worker.pid, signal.SIGKILL)
            break
    rest, err = worker.communicate(timeout=60)
    seen += [int(line) for line in rest.split()]
    assert worker.returncode == -signal.SIGKILL, err
    return max(seen)


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with journal_url(request.param, tmp_path) as opened:
        yield opened


def test_sigkill_mid_stream_loses_no_ack_and_half_applies_nothing(url: str) -> None:
    commands = stream(STREAM_LENGTH, SEED)
    acked = 0
    for acks in (15, 30):  # two crashes, each resumed by the next worker
        acked = _kill_after(_start(url), acks)
        store = JournalStore.open(url)
        journaled = [e.command for e in store.entries()]
        store.close()
        assert acked <= len(journaled) < len(commands)
        assert journaled == [canonical_json(command_to_json(c)) for c in commands[: len(journaled)]]
        replayed = Exchange()
        for c in commands[: len(journaled)]:
            replayed.apply(c)
        with DurableExchange.open(url) as ex:
            assert ex.seq == len(journaled)
            assert ex.state_hash() == replayed.state_hash()
            assert ex.engine.check_conservation() == []
            assert ex.engine.invariants() == []
    finisher = _start(url)
    _out, err = finisher.communicate(timeout=300)
    assert finisher.returncode == 0, err
    full = Exchange()
    for c in commands:
        full.apply(c)
    with DurableExchange.open(url) as ex:
        assert ex.seq == len(commands) > acked
        assert ex.state_hash() == full.state_hash()


if __name__ == "__main__":
    work(sys.argv[1])
