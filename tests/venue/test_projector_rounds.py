"""The projector's rounds: as far as the journal was when woken, with the entries handed over.

A fake history store stands in for SQL: it records what each round was given and moves its
cursor to the last entry it could take. The journal's seq grows while a round runs, as it does
when the writer keeps acknowledging: a round must not chase it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import cast

from kazree.exchange.durability.journal import JournalEntry
from kazree.venue.history import HistoryStore
from kazree.venue.readmodel import Projector


def _entry(seq: int) -> JournalEntry:
    return JournalEntry(seq, 0, "{}", "[]", "", "")


class _Store:
    def __init__(self) -> None:
        self.cursor = 0
        self.rounds: list[list[int]] = []

    def catch_up(self, limit: int = 5_000, recent: Sequence[JournalEntry] = ()) -> int:
        given = [e.seq for e in recent if e.seq > self.cursor][:limit]
        self.rounds.append(given)
        self.cursor = given[-1] if given else self.cursor + 1  # else read back: one entry
        return self.cursor


def test_a_round_projects_what_was_handed_over_and_does_not_chase_the_writer() -> None:
    store = _Store()
    journal = [0]

    def journal_seq() -> int:
        seen = journal[0]
        journal[0] = min(seen + 3, 50)  # the writer moves on while the round runs
        return seen

    async def run() -> None:
        projector = Projector(cast(HistoryStore, store), journal_seq, idle_s=60)
        journal[0] = 4
        projector.feed([_entry(1), _entry(2)])
        projector.feed([_entry(3), _entry(4)])
        projector.start()
        await projector.reach(4)
        assert store.rounds == [[1, 2, 3, 4]]  # one round, the handed-over entries
        assert projector.seq == 4
        projector.feed([_entry(s) for s in range(5, 11)])  # the journal is at 10 by now
        await projector.reach(10)
        assert store.rounds[1:] == [[5, 6, 7, 8, 9, 10]]
        await projector.stop()

    asyncio.run(run())
