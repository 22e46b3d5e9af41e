"""Structured logs: one JSON object per line on stderr."""

from __future__ import annotations

import json
import logging


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON line (``ts``, ``level``, ``logger``, ``msg``, ``exc``)."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as JSON."""
        data: dict[str, object] = {
            "ts": round(record.created, 6),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data)


def configure(level: int = logging.INFO) -> None:
    """Send the ``kazree`` and ``uvicorn`` loggers to stderr as JSON lines."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    for name in ("kazree", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
    logging.getLogger("uvicorn.access").disabled = True
