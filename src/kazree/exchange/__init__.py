"""The physical rare-earth exchange.

``core`` is the deterministic engine (commands, book, matching, risk, settlement: one writer,
no clock, no I/O; its hot modules compiled with mypyc); ``durability`` makes it durable
(journal, store, snapshots, replay, writer lock).
"""
