"""One writer per journal: a second writer is refused, readers are not, a dead writer frees it."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from journal_support import journal_url, order_stream

from databases import BACKENDS
from kazree.exchange.core.commands import Command
from kazree.exchange.core.sample import setup_commands
from kazree.exchange.durability.durable import DurableExchange, read_exchange
from kazree.exchange.durability.writer_lock import JournalBusy


def _commands() -> list[Command]:
    return [*setup_commands(traders=6, ts=1), *order_stream(40, seed=7)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_second_writer_is_refused_until_the_first_closes(backend: str, tmp_path: Path) -> None:
    with journal_url(backend, tmp_path) as url:
        first = DurableExchange.open(url)
        try:
            first.submit_many(_commands())
            with pytest.raises(JournalBusy, match="another process is writing it"):
                DurableExchange.open(url, lock_wait_s=0.2)
            reader = read_exchange(url)  # reading needs no lock
            assert reader.state_hash() == first.state_hash()
            seq = first.seq
        finally:
            first.close()
        with DurableExchange.open(url, lock_wait_s=0.2) as second:
            assert second.seq == seq > 0
            assert second.state_hash() == reader.state_hash()


@pytest.mark.parametrize("backend", BACKENDS)
def test_lock_ends_with_the_process_holding_it(backend: str, tmp_path: Path) -> None:
    with journal_url(backend, tmp_path) as url:
        holder = subprocess.Popen(
            [sys.executable, "-c", _HOLD, url], stdout=subprocess.PIPE, text=True
        )
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline().strip() == "holding"
            with pytest.raises(JournalBusy):
                DurableExchange.open(url, lock_wait_s=0.2)
        finally:
            holder.send_signal(signal.SIGKILL)
            holder.wait(timeout=30)
        with DurableExchange.open(url) as ex:  # waits out the server noticing the death
            assert ex.seq == len(setup_commands(traders=2, ts=1))


_HOLD = """
import sys, time
from kazree.exchange.durability.durable import DurableExchange
from kazree.exchange.core.sample import setup_commands
ex = DurableExchange.open(sys.argv[1])
ex.submit_many(setup_commands(traders=2, ts=1))
print("holding", flush=True)
time.sleep(600)
"""
