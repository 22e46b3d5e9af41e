"""The exchange service: HTTP and WebSocket API over the durable exchange (``kazree serve``)."""
