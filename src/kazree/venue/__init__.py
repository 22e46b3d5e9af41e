"""The exchange service's logic outside HTTP: the single writer (sequencer), auction scheduler,
service tables (keys, audit, schedules), policy administration and the demo market.

Both the HTTP API (``kazree.api``) and the CLI call it.
"""
