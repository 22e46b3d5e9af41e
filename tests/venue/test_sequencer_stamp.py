"""The writer stamps every command type exactly as ``dataclasses.replace`` would."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from kazree.exchange.core.commands import COMMAND_TYPES, Command
from kazree.venue.marketdata import MarketData
from kazree.venue.sequencer import Sequencer

ANY_COMMAND = st.one_of([st.from_type(cls) for cls in COMMAND_TYPES.values()])


@settings(max_examples=150, deadline=None)
@given(commands=st.lists(ANY_COMMAND, min_size=1, max_size=5), now=st.integers(0, 2**62))
def test_stamping_keeps_every_field_but_ts(commands: list[Command], now: int) -> None:
    clock = [now]
    sequencer = Sequencer(None, MarketData(), clock=lambda: clock[0])  # type: ignore[arg-type]
    stamped = []
    for command in commands:
        stamped.append(sequencer._stamp(command))
        clock[0] -= 1  # a clock stepping back never takes ts back
    assert stamped == [dataclasses.replace(c, ts=now) for c in commands]
    assert all(type(s) is type(c) for s, c in zip(stamped, commands, strict=True))
