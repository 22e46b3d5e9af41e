"""The physical rare-earth exchange: commands in, events out, one deterministic engine.

``commands`` and ``events`` define the public formats, ``engine.Exchange`` applies commands
(pre-trade risk, matching and delivery-versus-payment settlement in one step), ``journal`` and
``store`` make them durable.
"""
